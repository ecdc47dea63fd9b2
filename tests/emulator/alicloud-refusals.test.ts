/**
 * The documented Tair refusals the emulator plays from an instance's seed (seeds 000, 001, 002):
 * each answers its API document's HTTP status, code and message in Alibaba's error shape, through
 * a signed request, and changes nothing; the `startTask` and `failNext` hooks play a background
 * task and another client's allocation.
 */
import { randomUUID } from "node:crypto";
import { startEmulator, type Emulator } from "../../emulator";
import { type AlicloudCloudModule, DOCUMENTED_ERRORS } from "../../emulator/alicloud";
import { signRpcV1 } from "../../provider/alicloud/signing";

let emu: Emulator;
let ali: AlicloudCloudModule;

beforeAll(async () => {
  emu = await startEmulator({
    alicloud: {
      settleMs: { default: 50 },
      instances: [
        { instanceId: "r-proxy", characterType: "proxy" },
        { instanceId: "r-old", minorVersion: "outdated" },
        { instanceId: "r-odd", engineVersion: "5.0-tair-rdb" },
        { instanceId: "r-locked", lockMode: "ManualLock" },
        { instanceId: "r-region", regionSupportsSsl: false },
        { instanceId: "r-busy", taskForMs: 60_000 },
        { instanceId: "r-hooks" },
      ],
    },
  });
  ali = emu.clouds.alicloud as AlicloudCloudModule;
});
afterAll(() => emu.stop());

async function rpc(action: string, params: Record<string, string>) {
  const signed = signRpcV1(
    { accessKeyId: "demo-access-key-id", accessKeySecret: "demo-access-key-secret" },
    { method: "POST", params: { Action: action, Version: "2015-01-01", Format: "JSON", ...params } },
    { timestamp: new Date(), nonce: randomUUID() },
  );
  const res = await fetch(`${emu.endpoints.alicloud}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(signed).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const snapshotOf = (id: string) =>
  (ali.snapshot() as { instances: { instanceId: string }[] }).instances.find((i) => i.instanceId === id);

test.each([
  ["r-proxy", "DescribeInstanceSSL", "IncorrectCharacterType", {}],
  ["r-proxy", "ModifyInstanceSSL", "IncorrectCharacterType", { SSLEnabled: "Enable" }],
  ["r-old", "DescribeInstanceSSL", "IncorrectEngineVersion", {}],
  ["r-old", "ModifyInstanceSSL", "IncorrectEngineVersion", { SSLEnabled: "Enable" }],
  ["r-old", "AllocateDirectConnection", "IncorrectMinorVersion", {}],
  ["r-odd", "DescribeInstanceSSL", "InvalidRedisVersionPattern", {}],
  ["r-locked", "ModifyInstanceSSL", "IncorrectDBInstanceLockMode", { SSLEnabled: "Enable" }],
  ["r-region", "ModifyInstanceSSL", "EnabledSSLNotSupport", { SSLEnabled: "Enable" }],
  ["r-busy", "AllocateDirectConnection", "TaskHasExist", {}],
] as [string, string, string, Record<string, string>][])(
  "%s: %s answers %s with its documented status and message, and changes nothing",
  async (id, action, code, params) => {
    const before = snapshotOf(id);
    const { status, body } = await rpc(action, { InstanceId: id, ...params });
    const [documentedStatus, message] = DOCUMENTED_ERRORS[code];
    expect({ status, code: body.Code, message: body.Message }).toEqual({
      status: documentedStatus,
      code,
      message,
    });
    expect(body).toMatchObject({ HostId: "r-kvstore.aliyuncs.com", RequestId: expect.any(String) });
    expect(snapshotOf(id)).toEqual(before);
  },
);

it("a region without SSL still answers DescribeInstanceSSL, and takes SSLEnabled=Disable's own answer", async () => {
  expect((await rpc("DescribeInstanceSSL", { InstanceId: "r-region" })).body.SSLEnabled).toBe("Disable");
  expect((await rpc("ModifyInstanceSSL", { InstanceId: "r-region", SSLEnabled: "Disable" })).body.Code).toBe(
    "SSLDisableStateExistsFault",
  );
});

it("startTask and failNext: TaskHasExist while a task runs, then a queued NetTypeExists once, then success", async () => {
  ali.startTask("r-hooks", 150);
  expect((await rpc("AllocateDirectConnection", { InstanceId: "r-hooks" })).body.Code).toBe("TaskHasExist");
  await new Promise((r) => setTimeout(r, 200));
  ali.failNext("r-hooks", "AllocateDirectConnection", "NetTypeExists");
  const refused = await rpc("AllocateDirectConnection", { InstanceId: "r-hooks" });
  expect([refused.status, refused.body.Code, refused.body.Message]).toEqual([
    400,
    "NetTypeExists",
    "Specified net type already existed",
  ]);
  expect((await rpc("AllocateDirectConnection", { InstanceId: "r-hooks" })).status).toBe(200);
  expect(() => ali.failNext("r-hooks", "AllocateDirectConnection", "NoSuchCode")).toThrow(
    /no documented error/,
  );
});
