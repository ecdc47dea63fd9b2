/**
 * Alibaba Cloud's official Node.js SDKs as oracles of the emulator: the generated R-kvstore client
 * (`@alicloud/r-kvstore20150101`, ACS3-HMAC-SHA256 and HMAC-SHA1 with `signatureAlgorithm: "v2"`),
 * the generic `@alicloud/openapi-client` `callApi` and `@alicloud/pop-core` (v1 RPC, GET and POST),
 * each pointed at the bare endpoint the emulator prints. Every documented operation succeeds and
 * the documented error codes come back through each SDK's own error type.
 */
import { type Emulator, startEmulator } from "../../emulator";
import type { AlicloudCloudModule } from "../../emulator/alicloud";
import { ALI_CLIENTS, type AliCall, aliErrorCode } from "./alicloud-clients";

let emu: Emulator;
let ali: AlicloudCloudModule;
const covered = { operations: new Set<string>(), errors: new Set<string>() };

beforeAll(async () => {
  emu = await startEmulator({ alicloud: { settleMs: { default: 200 } } });
  ali = emu.clouds.alicloud;
});
afterAll(async () => {
  await emu.stop();
  // Printed so the README's figures can be measured, not guessed.
  process.stdout.write(
    `alicloud SDK coverage: ${ALI_CLIENTS.length} clients, ${covered.operations.size} operations, ` +
      `${covered.errors.size} error codes (${[...covered.errors].sort().join(", ")})\n`,
  );
});

async function ok(call: AliCall, action: string, params: Record<string, string>) {
  const body = await call(action, params);
  covered.operations.add(action);
  return body;
}

async function refused(call: AliCall, action: string, params: Record<string, string>): Promise<string> {
  const code = await call(action, params).then(
    () => "no error",
    (e: unknown) => aliErrorCode(e),
  );
  covered.errors.add(code);
  return code;
}

/** Waits (bounded) until the instance is `Normal` again. */
async function settled(call: AliCall, id: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const body = await call("DescribeInstanceAttribute", { InstanceId: id });
    if (body.Instances.DBInstanceAttribute[0].InstanceStatus === "Normal") return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${id} did not settle`);
}

describe.each(ALI_CLIENTS)("%s against the bare endpoint", (_name, make) => {
  let call: AliCall;
  beforeAll(() => {
    call = make(emu.endpoints.alicloud);
  });

  it("DescribeInstanceAttribute carries the fields a user looks at, typed as the SDK model", async () => {
    const body = await ok(call, "DescribeInstanceAttribute", { InstanceId: "r-demo-cluster-02" });
    expect(typeof body.RequestId).toBe("string");
    const a = body.Instances.DBInstanceAttribute[0];
    expect(a).toMatchObject({
      InstanceId: "r-demo-cluster-02",
      InstanceName: "orders cache",
      InstanceStatus: "Normal",
      Engine: "Redis",
      EngineVersion: "5.0",
      ArchitectureType: "cluster",
      ChargeType: "PrePaid",
      ShardCount: 4,
      ZoneId: "cn-hangzhou-h",
      RegionId: "cn-hangzhou",
      Tags: {
        Tag: [
          { Key: "env", Value: "demo" },
          { Key: "team", Value: "payments" },
        ],
      },
    });
    expect(a.InstanceClass).toMatch(/^redis\./);
    expect(typeof a.Capacity).toBe("number");
    expect(typeof a.Port).toBe("number");
    expect(a.CreateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("enables, renews and disables SSL; refuses a repeated state", async () => {
    const id = "r-demo-cluster-02";
    expect((await ok(call, "DescribeInstanceSSL", { InstanceId: id })).SSLEnabled).toBe("Disable");
    expect(await refused(call, "ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "Disable" })).toBe(
      "SSLDisableStateExistsFault",
    );
    const task = await ok(call, "ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "Enable" });
    expect(task.TaskId).toBeTruthy();
    expect(await refused(call, "ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "Update" })).toBe(
      "IncorrectDBInstanceState",
    );
    await settled(call, id);
    expect(await refused(call, "ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "Enable" })).toBe(
      "SSLEnabledStateExistsFault",
    );
    const ssl = await ok(call, "DescribeInstanceSSL", { InstanceId: id });
    expect(ssl.SSLEnabled).toBe("Enable");
    expect(ssl.SSLExpiredTime).toMatch(/^\d{4}-/);
    await ok(call, "ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "Update" });
    await settled(call, id);
    await ok(call, "ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "Disable" });
    await settled(call, id);
    expect(await refused(call, "ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "On" })).toBe(
      "InvalidParameters.Format",
    );
  });

  it("allocates, reads back and releases a direct connection", async () => {
    const id = "r-demo-cluster-01";
    expect(await refused(call, "ReleaseDirectConnection", { InstanceId: id })).toBe("NetTypeNotExists");
    expect(
      await refused(call, "AllocateDirectConnection", { InstanceId: id, ConnectionString: "bad-prefix!" }),
    ).toBe("InvalidConnectionString");
    await ok(call, "AllocateDirectConnection", {
      InstanceId: id,
      ConnectionString: "sdkdirect01",
      Port: "6380",
    });
    await settled(call, id);
    expect(await refused(call, "AllocateDirectConnection", { InstanceId: id })).toBe(
      "DirectConnectionAlreadyExists",
    );
    const net = await ok(call, "DescribeDBInstanceNetInfo", { InstanceId: id });
    const direct = net.NetInfoItems.InstanceNetInfo.filter(
      (n: { DirectConnection: number }) => n.DirectConnection === 1,
    );
    expect(direct.length).toBe(2);
    expect(direct[0].ConnectionString).toMatch(/^sdkdirect01\./);
    expect(direct[0].Port).toBe("6380");
    await ok(call, "ReleaseDirectConnection", { InstanceId: id });
    await settled(call, id);
    const after = await call("DescribeDBInstanceNetInfo", { InstanceId: id });
    expect(
      after.NetInfoItems.InstanceNetInfo.every((n: { DirectConnection: number }) => n.DirectConnection === 0),
    ).toBe(true);
  });

  it("answers unknown instances, classic networks and unsupported architectures with the documented codes", async () => {
    expect(await refused(call, "DescribeInstanceAttribute", { InstanceId: "r-nope" })).toBe(
      "InvalidInstanceId.NotFound",
    );
    expect(await refused(call, "AllocateDirectConnection", { InstanceId: "r-nope" })).toBe(
      "InvalidDbInstanceId.NotFound",
    );
    expect(await refused(call, "AllocateDirectConnection", { InstanceId: "r-demo-classic-01" })).toBe(
      "InvalidVPCParamGroup",
    );
    expect(await refused(call, "AllocateDirectConnection", { InstanceId: "r-demo-standard-01" })).toBe(
      "InvalidConnType",
    );
    expect(
      await refused(call, "AllocateDirectConnection", { InstanceId: "r-demo-cluster-01", Port: "80" }),
    ).toBe("InvalidParameters.Format");
  });
});

describe.each(ALI_CLIENTS)("%s with wrong credentials", (_name, make) => {
  it("is refused with InvalidAccessKeyId.NotFound or SignatureDoesNotMatch", async () => {
    const wrongId = make(emu.endpoints.alicloud, { accessKeyId: "someone-else" });
    expect(await refused(wrongId, "DescribeInstanceSSL", { InstanceId: "r-demo-cluster-01" })).toBe(
      "InvalidAccessKeyId.NotFound",
    );
    const wrongSecret = make(emu.endpoints.alicloud, { accessKeySecret: "not-the-secret" });
    expect(await refused(wrongSecret, "DescribeInstanceSSL", { InstanceId: "r-demo-cluster-01" })).toBe(
      "SignatureDoesNotMatch",
    );
    expect(ali.live().directConnection).toBe(0);
  });
});
