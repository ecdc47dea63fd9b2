/**
 * Alibaba Cloud Tair `InstanceSSL` and `TairDirectConnection` through the real Pulumi engine: up →
 * refresh (no changes) → drift (refresh and preview show it, up repairs it) → in-place update
 * (certificate renewal) → replace (direct-connection port) → destroy, with the emulator's instances,
 * counters and request log checked after each step; plus bad input at preview, the SSL /
 * direct-connection conflict, credentials passed only through (secret) stack configuration, and the
 * size of `__provider`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type AlicloudCloudModule, type Emulator } from "../../emulator";
import {
  credentialsInStackConfig,
  failureOf,
  providerSizes,
  pulumiBin,
  stateFileText,
  testStack,
  type TestStack,
} from "../helpers/pulumi";
import { changesOf } from "../helpers/steps";

jest.setTimeout(600_000);

const bin = pulumiBin();
const describeE2E = bin ? describe : describe.skip;

const SSL_INSTANCE = "r-demo-standard-01";
const DIRECT_INSTANCE = "r-demo-cluster-01";
const SECRET = "demo-access-key-secret";

let emu: Emulator;
let ali: AlicloudCloudModule;

interface InstanceSnapshot {
  instanceId: string;
  status: string;
  sslEnabled: boolean;
  sslExpiredTime?: string;
  directConnection?: { prefix: string; port: number; ips: string[] };
}

function instance(id: string): InstanceSnapshot {
  const snap = ali.snapshot() as { instances: InstanceSnapshot[] };
  const found = snap.instances.find((i) => i.instanceId === id);
  if (!found) throw new Error(`no instance ${id} in the emulator`);
  return found;
}

/** Every mutating Tair request so far, as `<Action> <HTTP status>`. */
function mutations(): string[] {
  return emu.requests.filter((r) => r.cloud === "alicloud" && r.mutating).map((r) => `${r.op} ${r.status}`);
}

/** Instances (other than the two the program manages) must stay untouched. */
function othersUntouched(): void {
  const snap = ali.snapshot() as { instances: InstanceSnapshot[] };
  for (const i of snap.instances.filter(
    (x) => x.instanceId !== SSL_INSTANCE && x.instanceId !== DIRECT_INSTANCE,
  )) {
    expect(i).toMatchObject({ status: "Normal", sslEnabled: false, directConnection: undefined });
  }
}

describeE2E("Alibaba Cloud Tair through the Pulumi engine", () => {
  let t: TestStack;

  beforeAll(async () => {
    emu = await startEmulator({ alicloud: { settleMs: { default: 250 } } });
    ali = emu.clouds.alicloud;
    t = await testStack("tair", emu, bin!);
    // Endpoint, AccessKey and its secret (secret) only through the stack configuration.
    await credentialsInStackConfig(t, emu, "alicloud");
  });
  afterAll(async () => {
    await t?.cleanup();
    await emu?.stop();
  });

  it("enables SSL on one instance and allocates a direct connection on another", async () => {
    const res = await t.stack.up();
    expect(res.summary.result).toBe("succeeded");
    expect(changesOf(res.summary)).toEqual({ create: 3 }); // the stack and the two resources
    expect(instance(SSL_INSTANCE)).toMatchObject({ status: "Normal", sslEnabled: true });
    expect(instance(SSL_INSTANCE).directConnection).toBeUndefined();
    expect(instance(DIRECT_INSTANCE)).toMatchObject({
      status: "Normal",
      sslEnabled: false,
      directConnection: { prefix: "e2edirect01", port: 6379 },
    });
    expect(instance(DIRECT_INSTANCE).directConnection!.ips).toHaveLength(2);
    othersUntouched();
    expect(mutations().sort()).toEqual(["AllocateDirectConnection 200", "ModifyInstanceSSL 200"]);
    expect(ali.created()).toEqual({ directConnection: 1, sslEnable: 1, sslDisable: 0, sslUpdate: 0 });
    expect(res.outputs.directEndpoint.value).toBe("e2edirect01.redis.rds.aliyuncs.com:6379");
    expect(res.outputs.directIps.value).toEqual(instance(DIRECT_INSTANCE).directConnection!.ips);
    expect(res.outputs.sslEnabled.value).toBe(true);
    expect(res.stdout).not.toContain(SECRET);
  });

  it("refreshes with no changes", async () => {
    const res = await t.stack.refresh();
    expect(changesOf(res.summary)).toEqual({});
    expect(mutations()).toHaveLength(2);
  });

  it("keeps the AccessKey secret out of the state and the stack configuration in plaintext", async () => {
    const state = stateFileText(t);
    expect(state).toContain("e2edirect01"); // the state file was found and holds the resources
    expect(state).not.toContain(SECRET);
    const config = fs.readFileSync(path.join(t.workDir, `Pulumi.${t.stack.name}.yaml`), "utf8");
    expect(config).toMatch(/managed-redis:alicloudAccessKeySecret:\s+secure: /);
    expect(config).not.toContain(SECRET);
  });

  it("stores a small __provider", async () => {
    const sizes = providerSizes((await t.stack.exportStack()).deployment);
    expect(Object.keys(sizes).sort()).toEqual([
      "pulumi-nodejs:dynamic/alicloud:InstanceSSL",
      "pulumi-nodejs:dynamic/alicloud:TairDirectConnection",
    ]);
    process.stdout.write(`__provider bytes per resource type: ${JSON.stringify(sizes)}\n`);
    for (const size of Object.values(sizes)) expect(size).toBeLessThanOrEqual(2400);
  });

  it("sees SSL turned off outside Pulumi, and puts it back", async () => {
    ali.setSsl(SSL_INSTANCE, false);
    const refresh = await t.stack.refresh();
    expect(changesOf(refresh.summary)).toEqual({ update: 1 });
    const preview = await t.stack.preview({ diff: true });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    expect(preview.stdout).toMatch(/~ enabled\s*: false => true/);
    expect(mutations()).toHaveLength(2); // neither refreshing nor previewing changed anything
    expect(instance(SSL_INSTANCE).sslEnabled).toBe(false);

    const res = await t.stack.up();
    expect(changesOf(res.summary)).toEqual({ update: 1 });
    expect(instance(SSL_INSTANCE)).toMatchObject({ status: "Normal", sslEnabled: true });
    expect(mutations().slice(2)).toEqual(["ModifyInstanceSSL 200"]);
    expect(ali.created()).toMatchObject({ sslEnable: 2, sslUpdate: 0 });
  });

  it("renews the certificate in place when certificateRotation changes", async () => {
    const expiredBefore = instance(SSL_INSTANCE).sslExpiredTime;
    await t.stack.setConfig("certificateRotation", { value: "2026-02" });
    const res = await t.stack.up();
    expect(changesOf(res.summary)).toEqual({ update: 1 });
    expect(mutations().slice(3)).toEqual(["ModifyInstanceSSL 200"]);
    expect(ali.created()).toEqual({ directConnection: 1, sslEnable: 2, sslDisable: 0, sslUpdate: 1 });
    expect(instance(SSL_INSTANCE).sslEnabled).toBe(true);
    expect(instance(SSL_INSTANCE).sslExpiredTime).not.toBe(expiredBefore);
    expect(res.outputs.sslExpiredTime.value).toBe(instance(SSL_INSTANCE).sslExpiredTime);
  });

  it("refuses a port below 1024 at preview, with no mutating call", async () => {
    const before = emu.requests.filter((r) => r.mutating).length;
    await t.stack.setConfig("directPort", { value: "80" });
    try {
      const out = await failureOf(t.stack.preview());
      expect(out).toMatch(/property port value \{80\} has a problem: port must be at least 1024/);
      expect(emu.requests.filter((r) => r.mutating).length).toBe(before);
    } finally {
      await t.stack.removeConfig("directPort");
    }
  });

  it("replaces the direct connection (release first) when its port changes", async () => {
    await t.stack.setConfig("directPort", { value: "6380" });
    const res = await t.stack.up();
    expect(changesOf(res.summary)).toEqual({ replace: 1 });
    // deleteBeforeReplace: an instance has one direct connection, so the old one goes first.
    expect(mutations().slice(4)).toEqual(["ReleaseDirectConnection 200", "AllocateDirectConnection 200"]);
    expect(instance(DIRECT_INSTANCE)).toMatchObject({
      status: "Normal",
      directConnection: { prefix: "e2edirect01", port: 6380 },
    });
    expect(ali.created()).toMatchObject({ directConnection: 2 });
    expect(ali.live()).toEqual({ directConnection: 1, sslEnabled: 1 });
    expect(res.outputs.directEndpoint.value).toBe("e2edirect01.redis.rds.aliyuncs.com:6380");
  });

  it("refuses to enable SSL on the instance that has the direct connection", async () => {
    const before = mutations().length;
    await t.stack.setConfig("conflict", { value: "true" });
    try {
      const out = await failureOf(t.stack.up());
      expect(out).toContain(
        `instance ${DIRECT_INSTANCE} has a direct connection (e2edirect01.redis.rds.aliyuncs.com), ` +
          "and SSL cannot be enabled while it exists: release the direct connection first",
      );
      expect(mutations().length).toBe(before); // refused before any ModifyInstanceSSL
      expect(instance(DIRECT_INSTANCE)).toMatchObject({
        sslEnabled: false,
        directConnection: { prefix: "e2edirect01", port: 6380 },
      });
      const deployment = (await t.stack.exportStack()).deployment as { resources: { urn: string }[] };
      expect(deployment.resources.map((r) => r.urn).filter((u) => u.endsWith("::conflicting-tls"))).toEqual(
        [],
      );
    } finally {
      await t.stack.removeConfig("conflict");
    }
  });

  it("turns SSL off and releases the direct connection on destroy", async () => {
    const res = await t.stack.destroy();
    expect(res.summary.result).toBe("succeeded");
    expect(mutations().slice(6).sort()).toEqual(["ModifyInstanceSSL 200", "ReleaseDirectConnection 200"]);
    expect(instance(SSL_INSTANCE)).toMatchObject({ status: "Normal", sslEnabled: false });
    expect(instance(DIRECT_INSTANCE)).toMatchObject({ status: "Normal", sslEnabled: false });
    expect(instance(DIRECT_INSTANCE).directConnection).toBeUndefined();
    othersUntouched();
    expect(ali.live()).toEqual({ directConnection: 0, sslEnabled: 0 });
    expect(ali.created()).toEqual({ directConnection: 2, sslEnable: 2, sslDisable: 1, sslUpdate: 1 });
  });
});
