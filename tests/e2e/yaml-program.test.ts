/**
 * Pulumi YAML through the provider plugin face, with the real CLI, its YAML language host
 * (`pulumi-language-yaml`, built by scripts/ensure-pulumi.sh) and the launcher of this package
 * (`bin/pulumi-resource-managed-redis`, named in the program's `plugins: providers:`):
 * tests/e2e/programs/yaml declares all six resources (a KakaoCloud cluster with a KakaoShard and a
 * KakaoReplica on it, a Tair direct connection and InstanceSSL, a DcsInstanceSSL) and runs
 * up → refresh → preview --expect-no-changes → destroy against the emulator; and
 * tests/e2e/programs/yaml-violation (SSL and a direct connection on one Tair instance) is refused by
 * the policy pack in `pulumi preview --policy-pack`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  startEmulator,
  type AlicloudCloudModule,
  type Emulator,
  type HuaweicloudModule,
  type KakaocloudModule,
} from "../../emulator";
import { HUAWEI_DEMO } from "../../emulator/huaweicloud";
import { failureOf, pulumiBin, stateFileText, testStack, type TestStack } from "../helpers/pulumi";
import { changesOf } from "../helpers/steps";

jest.setTimeout(600_000);

const bin = pulumiBin();
const describeE2E = bin ? describe : describe.skip;
const ROOT = path.resolve(__dirname, "..", "..");
const PACK = path.join(ROOT, "policies");
/** The plugin's launcher, as the YAML programs name its folder (`path: ../../../../bin`). */
const LAUNCHER = path.join(ROOT, "bin", "pulumi-resource-managed-redis");
const PASSWORD = "e2e-yaml-password";

const TYPES = [
  "managed-redis:kakaocloud:KakaoRedisCluster",
  "managed-redis:kakaocloud:KakaoShard",
  "managed-redis:kakaocloud:KakaoReplica",
  "managed-redis:alicloud:InstanceSSL",
  "managed-redis:alicloud:TairDirectConnection",
  "managed-redis:huaweicloud:DcsInstanceSSL",
];

let emu: Emulator;

interface TairInstance {
  instanceId: string;
  sslEnabled: boolean;
  directConnection?: { prefix: string; port: number };
}

function tair(id: string): TairInstance | undefined {
  const snap = (emu.clouds.alicloud as AlicloudCloudModule).snapshot() as { instances: TairInstance[] };
  return snap.instances.find((i) => i.instanceId === id);
}

const kakao = () => emu.clouds.kakaocloud as KakaocloudModule;
const dcsSsl = () =>
  (emu.clouds.huaweicloud as HuaweicloudModule).instance(HUAWEI_DEMO.sslInstanceId)?.sslEnabled;
const mutations = () => emu.requests.filter((r) => r.mutating).map((r) => `${r.cloud} ${r.op}`);

describeE2E("a Pulumi YAML program on the provider plugin", () => {
  let t: TestStack;

  beforeAll(async () => {
    if (!fs.existsSync(LAUNCHER) || !fs.existsSync(path.join(ROOT, "lib", "provider"))) {
      throw new Error(`${LAUNCHER} or lib/ is missing: run \`npm run build\` first`);
    }
    emu = await startEmulator({
      kakaocloud: { settleMs: { default: 300 } },
      alicloud: { settleMs: { default: 250 } },
      huaweicloud: { settleMs: { sslJob: 250 } },
    });
    t = await testStack("yaml", emu, bin!);
    await t.stack.setConfig("redisPassword", { value: PASSWORD, secret: true });
  });
  afterAll(async () => {
    await t?.cleanup();
    await emu?.stop();
  });

  it("creates all six resources with pulumi up", async () => {
    const res = await t.stack.up();
    expect(res.summary.result).toBe("succeeded");
    const clusters = kakao().snapshot().clusters;
    expect(clusters).toHaveLength(1);
    expect(clusters[0].shards).toHaveLength(3);
    expect(clusters[0].shards.flatMap((s) => s.nodes)).toHaveLength(7);
    expect(kakao().created()).toEqual({ cluster: 1, shard: 1, replica: 1 });
    expect(kakao().passwordMatches(clusters[0].id, PASSWORD)).toBe(true);
    expect(tair("r-demo-standard-01")?.sslEnabled).toBe(true);
    expect(tair("r-demo-cluster-01")?.directConnection).toMatchObject({ prefix: "yamldirect01", port: 6379 });
    expect(dcsSsl()).toBe(true);
    expect(res.outputs.clusterId.value).toBe(clusters[0].id);
    expect(res.outputs.tairSslEnabled.value).toBe(true);
  });

  it("records the six plugin tokens, without __provider and without the password in plaintext", async () => {
    const { deployment } = await t.stack.exportStack();
    const resources = deployment.resources as { type: string; inputs?: Record<string, unknown> }[];
    expect(resources.filter((r) => r.type.startsWith("managed-redis:")).map((r) => r.type)).toEqual(
      expect.arrayContaining(TYPES),
    );
    expect(resources.filter((r) => r.type.startsWith("pulumi-nodejs:"))).toEqual([]);
    for (const r of resources) expect(r.inputs?.__provider).toBeUndefined();
    const text = stateFileText(t);
    expect(text).toContain("e2e-yaml-cache");
    expect(text).not.toContain(PASSWORD);
  });

  it("refreshes with no changes", async () => {
    const res = await t.stack.refresh();
    expect(changesOf(res.summary)).toEqual({});
  });

  it("previews no changes (--expect-no-changes)", async () => {
    const res = await t.stack.preview({ expectNoChanges: true });
    expect(changesOf({ resourceChanges: res.changeSummary })).toEqual({});
  });

  it("destroys everything", async () => {
    const res = await t.stack.destroy();
    expect(res.summary.result).toBe("succeeded");
    expect(kakao().live()).toEqual({ cluster: 0, shard: 0, replica: 0 });
    expect(tair("r-demo-cluster-01")?.directConnection).toBeUndefined();
  });
});

describeE2E("the policy pack on a Pulumi YAML program", () => {
  let t: TestStack;

  beforeAll(async () => {
    emu = await startEmulator();
    t = await testStack("yaml-violation", emu, bin!);
  });
  afterAll(async () => {
    await t?.cleanup();
    await emu?.stop();
  });

  it("refuses SSL and a direct connection on one Tair instance in preview", async () => {
    const out = await failureOf(t.stack.preview({ policyPacks: [PACK] }));
    expect(out).toMatch(/\[mandatory\][^\n]*tair-ssl-direct-connection-exclusive/);
    expect(out).toContain(
      'TairDirectConnection "cluster-direct" allocates a direct connection on Tair instance "r-demo-cluster-01", ' +
        'where InstanceSSL "cluster-tls" enables SSL',
    );
    expect(mutations()).toEqual([]);
  });
});
