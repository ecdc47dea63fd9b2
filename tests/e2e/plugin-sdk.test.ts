/**
 * A TypeScript program on the plugin face through the generated Node.js SDK
 * (`import { alicloud, huaweicloud, kakaocloud } from "pulumi-managed-redis/plugin"`, generated from
 * the plugin's schema into sdk/nodejs by scripts/plugin-sdk.sh), with the real Pulumi engine against
 * the emulator: a KakaoRedisCluster, a Huawei DcsInstanceSSL and an Alibaba InstanceSSL go
 * up → refresh → preview --expect-no-changes → (a new description previews as an update) → destroy.
 * The program is tests/e2e/programs/plugin-sdk; its Pulumi.yaml names the launcher folder.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startEmulator, type Emulator, type HuaweicloudModule, type KakaocloudModule } from "../../emulator";
import { HUAWEI_DEMO } from "../../emulator/huaweicloud";
import { pulumiBin, stateFileText, testStack, type TestStack } from "../helpers/pulumi";
import { changesOf } from "../helpers/steps";

jest.setTimeout(900_000);

const bin = pulumiBin();
const describeE2E = bin ? describe : describe.skip;
const run = promisify(execFile);
const PASSWORD = "plugin-sdk-password-1";

describeE2E("a TypeScript program on the generated SDK of the plugin face", () => {
  let emu: Emulator;
  let t: TestStack;
  const kakao = () => emu.clouds.kakaocloud as KakaocloudModule;
  const dcs = () => emu.clouds.huaweicloud as HuaweicloudModule;

  beforeAll(async () => {
    emu = await startEmulator({
      kakaocloud: { settleMs: { default: 200 } },
      alicloud: { settleMs: { default: 200 } },
      huaweicloud: { settleMs: { sslJob: 200 } },
    });
    t = await testStack("plugin-sdk", emu, bin!);
    await t.stack.setAllConfig({
      password: { value: PASSWORD, secret: true },
      dcsInstanceId: { value: HUAWEI_DEMO.sslInstanceId },
    });
  });

  afterAll(async () => {
    await t?.cleanup();
    await emu?.stop();
  });

  it("creates the SDK's resources through the plugin, under the plugin's tokens", async () => {
    const res = await t.stack.up();
    expect(res.summary.result).toBe("succeeded");
    expect(changesOf(res.summary)).toEqual({ create: 4 }); // the stack and three resources
    expect(res.outputs.clusterStatus.value).toBe("Running");
    expect(res.outputs.shardCount.value).toBe(1);
    expect(res.outputs.dcsDomainName.value).toContain(HUAWEI_DEMO.sslInstanceId);
    expect(res.outputs.tairSslEnabled.value).toBe(true);
    expect(kakao().live()).toMatchObject({ cluster: 1 });
    expect(emu.clouds.alicloud.live()).toMatchObject({ sslEnabled: 1 });
    expect(dcs().instance(HUAWEI_DEMO.sslInstanceId)?.sslEnabled).toBe(true);

    const state = (await t.stack.exportStack()).deployment as {
      resources: { type: string; provider?: string }[];
    };
    const ours = state.resources.filter((r) => r.type.startsWith("managed-redis:"));
    expect(ours.map((r) => r.type).sort()).toEqual([
      "managed-redis:alicloud:InstanceSSL",
      "managed-redis:huaweicloud:DcsInstanceSSL",
      "managed-redis:kakaocloud:KakaoRedisCluster",
    ]);
    // Served by the plugin's default provider at the SDK's version, not by the dynamic provider.
    for (const r of ours) expect(r.provider).toMatch(/::pulumi:providers:managed-redis::default_0_1_0::/);
    const text = stateFileText(t);
    expect(text).not.toContain("__provider");
    expect(text).not.toContain(PASSWORD);
  });

  it("refreshes with no changes and previews with no changes", async () => {
    const refresh = await t.stack.refresh();
    expect(changesOf(refresh.summary)).toEqual({});
    const { stdout } = await run(
      "pulumi",
      ["preview", "--expect-no-changes", "--stack", t.stack.name, "--non-interactive"],
      { cwd: t.workDir, env: t.env, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toMatch(/4 unchanged/);
  });

  it("previews a new description as an update of the cluster", async () => {
    await t.stack.setConfig("description", { value: "second" });
    const preview = await t.stack.preview();
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    await t.stack.removeConfig("description");
  });

  it("destroys: the cluster deleted, both SSL settings off", async () => {
    const res = await t.stack.destroy();
    expect(res.summary.result).toBe("succeeded");
    expect(kakao().live()).toMatchObject({ cluster: 0 });
    expect(emu.clouds.alicloud.live()).toMatchObject({ sslEnabled: 0 });
    expect(dcs().instance(HUAWEI_DEMO.sslInstanceId)?.sslEnabled).toBe(false);
  });
});
