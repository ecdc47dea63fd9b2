/**
 * Huawei Cloud DCS `DcsInstanceSSL` through the real Pulumi engine: up → refresh (no changes) →
 * drift (preview --refresh, refresh, up repairs it) → in-place update → replace → destroy, with the
 * emulator's instances, SSL jobs and request log checked after each step; plus bad input at preview,
 * credentials passed only through (secret) stack configuration, and the size of `__provider`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator, type HuaweicloudModule } from "../../emulator";
import { HUAWEI_DEMO } from "../../emulator/huaweicloud";
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

/** The seeded Redis 6.0 basic edition instance (SSL off at the start). */
const A = HUAWEI_DEMO.sslInstanceId;
/** A second SSL-capable instance, seeded by the test, for the replacement. */
const B = "7d3c1e52-0b8f-4a6e-9c21-5f4e3d2a1b00";
const SECRET_KEY = "demo-sk";

let emu: Emulator;
let dcs: HuaweicloudModule;

/** Every mutating DCS request so far, as `<instance id> <enabled> <status>`. */
function sslPuts(): string[] {
  return emu.requests
    .filter((r) => r.cloud === "huaweicloud" && r.mutating)
    .map((r) => {
      const id = /\/instances\/([^/]+)\/ssl$/.exec(r.path)?.[1] ?? r.path;
      return `${r.op} ${id} ${r.status}`;
    });
}

/** The SSL jobs submitted so far, as `<instance id> <on|off> <status>`. */
function jobs(): string[] {
  const snap = dcs.snapshot() as { jobs: { instanceId: string; wanted: boolean; status: string }[] };
  return snap.jobs.map((j) => `${j.instanceId} ${j.wanted ? "on" : "off"} ${j.status}`);
}

function ssl(instanceId: string): boolean | undefined {
  return dcs.instance(instanceId)?.sslEnabled;
}

describeE2E("Huawei Cloud DCS through the Pulumi engine", () => {
  let t: TestStack;

  beforeAll(async () => {
    emu = await startEmulator({ huaweicloud: { settleMs: { sslJob: 250 } } });
    dcs = emu.clouds.huaweicloud;
    dcs.addInstance({ instanceId: B, name: "dcs-e2e-replacement", engineVersion: "6.0" });
    t = await testStack("dcs", emu, bin!);
    // Endpoint, AK and SK (secret) only through the stack configuration: the environment is blanked.
    await credentialsInStackConfig(t, emu, "huaweicloud");
  });
  afterAll(async () => {
    await t?.cleanup();
    await emu?.stop();
  });

  it("turns SSL on with one job", async () => {
    const res = await t.stack.up();
    expect(res.summary.result).toBe("succeeded");
    expect(changesOf(res.summary)).toEqual({ create: 2 }); // the stack and the resource
    expect(ssl(A)).toBe(true);
    expect(ssl(B)).toBe(false);
    expect(sslPuts()).toEqual([`setSsl ${A} 200`]);
    expect(jobs()).toEqual([`${A} on SUCCESS`]);
    expect(res.outputs.sslEnabled.value).toBe(true);
    expect(res.outputs.sslDomainName.value).toContain(A);
    expect(res.stdout).not.toContain(SECRET_KEY);
  });

  it("refreshes with no changes", async () => {
    const res = await t.stack.refresh();
    expect(changesOf(res.summary)).toEqual({});
    expect(sslPuts()).toHaveLength(1);
  });

  it("keeps the secret key out of the state and the stack configuration in plaintext", async () => {
    const state = stateFileText(t);
    expect(state).toContain(`demo-project/${A}`); // the state file was found and holds the resource
    expect(state).not.toContain(SECRET_KEY);
    const config = fs.readFileSync(path.join(t.workDir, `Pulumi.${t.stack.name}.yaml`), "utf8");
    expect(config).toMatch(/managed-redis:huaweicloudSecretKey:\s+secure: /);
    expect(config).not.toContain(SECRET_KEY);
  });

  it("stores a small __provider", async () => {
    const sizes = providerSizes((await t.stack.exportStack()).deployment);
    expect(Object.keys(sizes)).toEqual(["pulumi-nodejs:dynamic/huaweicloud:DcsInstanceSSL"]);
    process.stdout.write(`__provider bytes per resource type: ${JSON.stringify(sizes)}\n`);
    for (const size of Object.values(sizes)) expect(size).toBeLessThanOrEqual(2400);
  });

  it("sees SSL turned off outside Pulumi, and puts it back", async () => {
    dcs.setSsl(A, false);
    const preview = await t.stack.preview({ refresh: true, diff: true });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    // The refresh part shows the live value, the update part what the program declares.
    expect(preview.stdout).toMatch(/~ enabled\s*: true => false/);
    expect(preview.stdout).toMatch(/DcsInstanceSSL: \(update\)[\s\S]*enabled\s*: true/);
    const refresh = await t.stack.refresh();
    expect(changesOf(refresh.summary)).toEqual({ update: 1 });
    expect(sslPuts()).toHaveLength(1); // neither previewing nor refreshing changed anything
    expect(ssl(A)).toBe(false);

    const res = await t.stack.up();
    expect(changesOf(res.summary)).toEqual({ update: 1 });
    expect(ssl(A)).toBe(true);
    expect(sslPuts()).toEqual([`setSsl ${A} 200`, `setSsl ${A} 200`]);
    expect(jobs()).toEqual([`${A} on SUCCESS`, `${A} on SUCCESS`]);
  });

  it("turns SSL off in place", async () => {
    await t.stack.setConfig("enabled", { value: "false" });
    const res = await t.stack.up();
    expect(changesOf(res.summary)).toEqual({ update: 1 });
    expect(ssl(A)).toBe(false);
    expect(ssl(B)).toBe(false);
    expect(sslPuts().slice(2)).toEqual([`setSsl ${A} 200`]);
    expect(jobs().slice(2)).toEqual([`${A} off SUCCESS`]);
    expect(res.outputs.sslEnabled.value).toBe(false);
  });

  it("refuses an instance id that is not a UUID at preview, with no mutating call", async () => {
    const before = emu.requests.filter((r) => r.mutating).length;
    await t.stack.setConfig("instanceId", { value: "not-a-uuid" });
    try {
      const out = await failureOf(t.stack.preview());
      expect(out).toMatch(
        /property instanceId value \{not-a-uuid\} has a problem: instanceId must be a DCS instance id, a UUID/,
      );
      expect(emu.requests.filter((r) => r.mutating).length).toBe(before);
    } finally {
      await t.stack.removeConfig("instanceId");
    }
  });

  it("replaces the resource when the instance changes", async () => {
    await t.stack.setConfig("instanceId", { value: B });
    await t.stack.setConfig("enabled", { value: "true" });
    const res = await t.stack.up();
    expect(changesOf(res.summary)).toEqual({ replace: 1 });
    expect(ssl(B)).toBe(true);
    expect(ssl(A)).toBe(false);
    // The new instance was switched on; the old one was already off, so deleting it sent nothing.
    expect(sslPuts().slice(3)).toEqual([`setSsl ${B} 200`]);
    expect(jobs().slice(3)).toEqual([`${B} on SUCCESS`]);
    const state = (await t.stack.exportStack()).deployment as { resources: { type: string; id?: string }[] };
    const ids = state.resources.filter((r) => r.type.endsWith(":DcsInstanceSSL")).map((r) => r.id);
    expect(ids).toEqual([`demo-project/${B}`]);
  });

  it("turns SSL off on destroy and leaves nothing behind", async () => {
    const res = await t.stack.destroy();
    expect(res.summary.result).toBe("succeeded");
    expect(ssl(A)).toBe(false);
    expect(ssl(B)).toBe(false);
    expect(sslPuts().slice(4)).toEqual([`setSsl ${B} 200`]);
    expect(jobs()).toEqual([
      `${A} on SUCCESS`,
      `${A} on SUCCESS`,
      `${A} off SUCCESS`,
      `${B} on SUCCESS`,
      `${B} off SUCCESS`,
    ]);
    expect(emu.counters().live).toMatchObject({ "huaweicloud:sslJob": 0, "huaweicloud:sslEnabled": 0 });
    expect(emu.counters().created).toMatchObject({ "huaweicloud:sslJob": 5 });
  });
});
