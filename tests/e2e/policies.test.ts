/**
 * The `managed-redis` CrossGuard pack through the real engine: `pulumi preview --policy-pack policies`
 * fails on a program that breaks each mandatory policy (naming the policy), passes on the demo
 * program at the repository root, and follows `--policy-pack-config` (a lower `maxShards` makes the
 * demo fail). Previews only: the emulator must not receive a single request.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { failureOf, pulumiBin, testStack, testStackIn, type TestStack } from "../helpers/pulumi";

jest.setTimeout(600_000);

const bin = pulumiBin();
const describeE2E = bin ? describe : describe.skip;
const ROOT = path.resolve(__dirname, "..", "..");
const PACK = path.join(ROOT, "policies");

let emu: Emulator;

describeE2E("the managed-redis policy pack through the Pulumi engine", () => {
  let violations: TestStack;
  let demo: TestStack;
  let configDir: string;

  beforeAll(async () => {
    emu = await startEmulator();
    violations = await testStack("policy-violations", emu, bin!);
    demo = await testStackIn(ROOT, emu, bin!);
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-policy-config-"));
  });
  afterAll(async () => {
    await violations?.cleanup();
    await demo?.cleanup(); // also removes Pulumi.<stack>.yaml from the repository root
    if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
    await emu?.stop();
  });
  afterEach(() => {
    // A preview never talks to the clouds: check() judges inputs without API calls.
    expect(emu.requests).toEqual([]);
  });

  it("fails the preview of an enabled InstanceSSL and a TairDirectConnection on one instance", async () => {
    await violations.stack.setConfig("violate", { value: "tair" });
    const out = await failureOf(violations.stack.preview({ policyPacks: [PACK] }));
    expect(out).toMatch(/\[mandatory\][^\n]*tair-ssl-direct-connection-exclusive/);
    expect(out).toContain(
      'TairDirectConnection "cluster-direct" allocates a direct connection on Tair instance "r-demo-cluster-01", ' +
        'where InstanceSSL "cluster-tls" enables SSL',
    );
    expect(out).not.toMatch(/\[mandatory\][^\n]*kakao-shard-count/);
  });

  it("fails the preview of a 12-shard cluster with a KakaoShard added to it", async () => {
    await violations.stack.setConfig("violate", { value: "kakao" });
    const out = await failureOf(violations.stack.preview({ policyPacks: [PACK] }));
    expect(out).toMatch(/\[mandatory\][^\n]*kakao-shard-count/);
    expect(out).toMatch(/would have 13 shards: shardCount 12 plus 1 KakaoShard \("thirteenth-shard"\)/);
    expect(out).not.toMatch(/tair-ssl-direct-connection-exclusive/);
  });

  it("passes the preview of the demo program", async () => {
    const res = await demo.stack.preview({ policyPacks: [PACK] });
    // The stack and the six resources: every resource type of the package, so each policy judged something.
    // The stack, the six resources (every type of the package) and the three internal children (two
    // KakaoMemberSettled, one KakaoClusterSettled).
    expect(res.changeSummary).toEqual({ create: 10 });
    expect(res.stdout).toMatch(/Policies:[\s\S]*managed-redis@v0\.1\.0/);
    expect(res.stdout).not.toMatch(/\[mandatory\]/);
  });

  it("follows --policy-pack-config: maxShards 2 makes the demo's 3-shard cluster fail", async () => {
    const file = path.join(configDir, "max-shards-2.json");
    fs.writeFileSync(file, JSON.stringify({ "kakao-shard-count": { maxShards: 2 } }));
    const out = await failureOf(demo.stack.preview({ policyPacks: [PACK], policyPackConfigs: [file] }));
    expect(out).toMatch(/\[mandatory\][^\n]*kakao-shard-count/);
    expect(out).toMatch(/would have 3 shards: shardCount 2 plus 1 KakaoShard \("extra-shard"\)/);
    expect(out).toContain("the 2 shards this policy allows per cluster (maxShards; KakaoCloud allows 12)");
  });
});
