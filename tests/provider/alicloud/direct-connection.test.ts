import type { Emulator } from "../../../emulator";
import type { AlicloudCloudModule } from "../../../emulator/alicloud";
import {
  provider,
  type TairDirectConnectionInputs,
  type TairDirectConnectionOutputs,
} from "../../../provider/alicloud/direct-connection";
import { TairDirectConnection } from "../../../provider/alicloud/direct-connection.resource";
import { StateError } from "../../../provider/core/errors";
import { UNKNOWN } from "../../../provider/core/validation";
import { TYPE_TOKENS } from "../../../provider/tokens";
import { actions, clearAlicloudEnv, expectStructSafe, failFirst, paramsOf, startAlicloud } from "./helpers";

let emu: Emulator;
let ali: AlicloudCloudModule;
const P = "__provider-source__";

beforeAll(async () => {
  ({ emu, ali } = await startAlicloud({
    instances: [
      { instanceId: "r-dc-1", shards: 3 },
      { instanceId: "r-dc-2" },
      { instanceId: "r-dc-3" },
      { instanceId: "r-dc-4" },
      { instanceId: "r-dc-5" },
      { instanceId: "r-dc-ssl", sslEnabled: true },
      { instanceId: "r-dc-standard", architecture: "standard" },
      { instanceId: "r-dc-classic", networkType: "CLASSIC" },
    ],
  }));
});
afterAll(async () => {
  clearAlicloudEnv();
  await emu.stop();
});
afterEach(() => emu.setFaults(undefined));

const check = (news: Record<string, unknown>) =>
  provider.check!({} as TairDirectConnectionInputs, news as unknown as TairDirectConnectionInputs);
/** Inputs as check() leaves them (typed as outputs too: delete and read receive the state). */
const inputs = (extra: Partial<TairDirectConnectionInputs> & { instanceId: string }) =>
  ({ port: 6379, __provider: P, ...extra }) as unknown as TairDirectConnectionOutputs;
const create = async (i: TairDirectConnectionInputs) => {
  const r = await provider.create(i);
  return { id: r.id, outs: r.outs as TairDirectConnectionOutputs };
};

async function cleanup(instanceId: string): Promise<void> {
  ali.completeAll();
  await provider.delete!(instanceId, inputs({ instanceId }));
  expect(ali.live().directConnection).toBe(0);
}

describe("TairDirectConnection check", () => {
  it("leaves an absent port absent (the cloud's default), keeps __provider and accepts a numeric string port", async () => {
    expect(await check({ instanceId: "r-dc-1", __provider: P })).toEqual({
      inputs: { instanceId: "r-dc-1", __provider: P },
      failures: [],
    });
    const r = await check({
      instanceId: "r-dc-1",
      port: "6380",
      connectionStringPrefix: "redisdirect123",
      timeouts: { create: "45m" },
    });
    expect(r.failures).toEqual([]);
    expect(r.inputs).toMatchObject({
      port: 6380,
      connectionStringPrefix: "redisdirect123",
      timeouts: { create: "45m" },
    });
  });

  it.each([
    [{ instanceId: "r dc" }, "instanceId", /instance id/],
    [{ connectionStringPrefix: "short12" }, "connectionStringPrefix", /8 to 40 characters/],
    [{ connectionStringPrefix: "a".repeat(41) }, "connectionStringPrefix", /8 to 40/],
    [{ connectionStringPrefix: "1redisdirect" }, "connectionStringPrefix", /lowercase letter first/],
    [{ connectionStringPrefix: "RedisDirect1" }, "connectionStringPrefix", /lowercase/],
    [{ connectionStringPrefix: "redis-direct" }, "connectionStringPrefix", /lowercase letters and digits/],
    [{ port: 1023 }, "port", /at least 1024/],
    [{ port: 65536 }, "port", /at most 65535/],
    [{ port: 6379.5 }, "port", /whole number from 1024 to 65535/],
    [{ port: true }, "port", /whole number from 1024 to 65535/],
    [{ port: "63x9" }, "port", /1024 to 65535/],
    [{ timeouts: { create: "5 minutes" } }, "timeouts.create", /duration such as "30m"/],
    [{ timeouts: "5m" }, "timeouts", /create, update and delete/],
    [
      { timeouts: { later: "5m" } },
      "timeouts.later",
      /unknown property "later"; allowed: create, update, delete/,
    ],
    [
      { connectionString: "x.redis.rds.aliyuncs.com" },
      "connectionString",
      /unknown property "connectionString"/,
    ],
  ])("refuses %j at %s", async (extra, property, reason) => {
    const r = await check({ instanceId: "r-dc-1", ...extra });
    expect(r.failures).toHaveLength(1);
    expect(r.failures![0].property).toBe(property);
    expect(r.failures![0].reason).toMatch(reason);
  });

  it("refuses a missing instanceId at check (unknown values arrive as the sentinel), and create refuses it before any call", async () => {
    expect((await check({ port: 6379 })).failures).toEqual([
      {
        property: "instanceId",
        reason: "instanceId is required: the id of a Tair cluster instance, e.g. r-bp1zxszhcgatnx****",
      },
    ]);
    const from = emu.requests.length;
    await expect(provider.create({ port: 6379, __provider: P } as never)).rejects.toThrow(
      "invalid TairDirectConnection inputs: instanceId: instanceId is required: the id of a Tair cluster instance, e.g. r-bp1zxszhcgatnx****",
    );
    expect(emu.requests.length).toBe(from);
  });

  it("does not judge values unknown during preview", async () => {
    const r = await check({ instanceId: UNKNOWN, connectionStringPrefix: UNKNOWN, port: 80, __provider: P });
    expect(r.failures).toEqual([
      {
        property: "port",
        reason: "port must be at least 1024 (port must be a whole number from 1024 to 65535)",
      },
    ]);
    expect((await check({ instanceId: UNKNOWN, port: UNKNOWN })).failures).toEqual([]);
  });

  it("hands inputs holding an unknown value back as they came, for the up to check again", async () => {
    const news = {
      instanceId: "r-dc-1",
      connectionStringPrefix: "demodirect01",
      port: UNKNOWN,
      __provider: P,
    };
    const r = await check(news);
    expect(r.failures).toEqual([]);
    expect(r.inputs).toEqual(news);
  });
});

describe("TairDirectConnection diff", () => {
  const olds = {
    instanceId: "r-dc-1",
    port: 6379,
    connectionString: "rdc1direct.redis.rds.aliyuncs.com",
    ipAddresses: [],
  } as unknown as TairDirectConnectionOutputs;
  const diff = (news: Partial<TairDirectConnectionInputs>) =>
    provider.diff!("r-dc-1", olds, { ...(olds as object), ...news } as TairDirectConnectionInputs);

  it("reports nothing when inputs are equal, whatever the provider", async () => {
    expect(await diff({ __provider: "other" } as never)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    // No prefix asked for: the cloud's own prefix is not a change.
    expect((await diff({})).changes).toBe(false);
  });

  it("replaces (delete first) on instanceId, prefix or port", async () => {
    expect(await diff({ instanceId: "r-dc-2" })).toEqual({
      changes: true,
      replaces: ["instanceId"],
      deleteBeforeReplace: true,
    });
    expect(await diff({ connectionStringPrefix: "otherprefix1" })).toEqual({
      changes: true,
      replaces: ["connectionStringPrefix"],
      deleteBeforeReplace: true,
    });
    expect(await diff({ connectionStringPrefix: "rdc1direct" })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await diff({ port: 6380 })).toEqual({
      changes: true,
      replaces: ["port"],
      deleteBeforeReplace: true,
    });
  });

  it("reads an empty timeouts object and adoptExisting: false as their absence (no change)", async () => {
    expect(await diff({ timeouts: {} })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await diff({ adoptExisting: false })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates in place on timeouts and adoptExisting only, and flags unknowns", async () => {
    expect(await diff({ timeouts: { create: "1h" } })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await diff({ adoptExisting: true })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    // An id unknown at preview (a dependent during its parent's in-place update) is no change.
    expect(await diff({ instanceId: UNKNOWN })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    // Any other unknown value may change: an update, never a replacement.
    for (const field of ["port", "connectionStringPrefix", "timeouts"] as const) {
      expect(await diff({ [field]: UNKNOWN })).toEqual({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
    }
  });

  it("accepts whatever the cloud reports for a field the program left out", async () => {
    const live = { ...olds, port: 6390, connectionString: "cloudchosen1.redis.rds.aliyuncs.com" };
    const news = { instanceId: "r-dc-1", __provider: P } as unknown as TairDirectConnectionInputs;
    expect(await provider.diff!("r-dc-1", live, news)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
});

describe("TairDirectConnection lifecycle", () => {
  it("creates, reads (also from the id alone), updates and deletes a direct connection", async () => {
    const from = emu.requests.length;
    const created = await create(
      inputs({ instanceId: "r-dc-1", connectionStringPrefix: "rdc1direct", port: 6380 }),
    );
    expect(created.id).toBe("r-dc-1");
    expect(created.outs).toEqual({
      instanceId: "r-dc-1",
      connectionStringPrefix: "rdc1direct",
      port: 6380,
      __provider: P,
      connectionString: "rdc1direct.redis.rds.aliyuncs.com",
      ipAddresses: ["10.0.1.11", "10.0.1.12", "10.0.1.13"],
      vpcId: "vpc-demo0001",
      vSwitchId: "vsw-demo0001",
    });
    const mutations = emu.requests.slice(from).filter((r) => r.mutating);
    expect(mutations.map((r) => [r.op, r.status])).toEqual([["AllocateDirectConnection", 200]]);
    // The SSL precondition is read before anything is sent.
    expect(actions(emu, from)[0].op).toBe("DescribeInstanceSSL");

    const read = await provider.read!("r-dc-1", created.outs);
    // The engine adds __provider back to what read returns.
    const { __provider: _p, ...live } = created.outs as typeof created.outs & { __provider: string };
    // No inputs: the engine keeps the program's own (a read never writes the API's values into them).
    expect(read).toEqual({ id: "r-dc-1", props: live });
    const imported = await provider.read!("r-dc-1", {} as never);
    expect(imported.inputs).toStrictEqual({
      instanceId: "r-dc-1",
      connectionStringPrefix: "rdc1direct",
      port: 6380,
    });
    expectStructSafe(imported);
    expectStructSafe(read);
    expectStructSafe(created.outs);
    expect(imported.props?.connectionString).toBe("rdc1direct.redis.rds.aliyuncs.com");

    const beforeUpdate = emu.requests.length;
    // The engine passes the checked inputs as `news` (never the outputs).
    const updated = await provider.update!(
      "r-dc-1",
      created.outs,
      inputs({
        instanceId: "r-dc-1",
        connectionStringPrefix: "rdc1direct",
        port: 6380,
        timeouts: { delete: "10m" },
      }),
    );
    expect(updated.outs?.timeouts).toEqual({ delete: "10m" });
    expect(emu.requests.slice(beforeUpdate).filter((r) => r.mutating)).toHaveLength(0);

    const beforeDelete = emu.requests.length;
    await provider.delete!("r-dc-1", created.outs);
    expect(actions(emu, beforeDelete, "ReleaseDirectConnection").map((a) => a.status)).toEqual([200]);
    expect(await provider.read!("r-dc-1", created.outs)).toEqual({});
    // Deleting again is a no-op (already gone): nothing is sent.
    const again = emu.requests.length;
    await provider.delete!("r-dc-1", created.outs);
    expect(emu.requests.slice(again).filter((r) => r.mutating)).toHaveLength(0);
    expect(ali.created().directConnection).toBe(1);
    expect(ali.live().directConnection).toBe(0);
  });

  it("refuses before allocating when SSL is enabled", async () => {
    const from = emu.requests.length;
    await expect(create(inputs({ instanceId: "r-dc-ssl" }))).rejects.toThrow(
      /r-dc-ssl has SSL encryption enabled.*disable SSL first \(InstanceSSL enabled=false\)/,
    );
    await expect(create(inputs({ instanceId: "r-dc-ssl" }))).rejects.toMatchObject({
      name: "StateError",
      code: "Conflict",
    });
    expect(actions(emu, from, "AllocateDirectConnection")).toHaveLength(0);
  });

  it.each([
    ["r-dc-standard", "InvalidConnType", /only for cluster instances/],
    ["r-dc-classic", "InvalidVPCParamGroup", /SwitchNetwork/],
    ["r-missing", "InvalidInstanceId.NotFound", /check instanceId/],
  ])("surfaces the documented fault of %s (%s) without retrying it", async (instanceId, code, hint) => {
    const from = emu.requests.length;
    const err = await create(inputs({ instanceId })).catch((e) => e);
    expect(err).toMatchObject({ code });
    expect(err.message).toMatch(hint);
    expect(actions(emu, from, "AllocateDirectConnection").length).toBeLessThanOrEqual(1);
    expect(err.id).toBeUndefined();
  });

  it("refuses a second direct connection on the same instance, naming adoptExisting (not `pulumi import`, which dynamic resources lack)", async () => {
    await create(inputs({ instanceId: "r-dc-2", connectionStringPrefix: "rdc2direct" }));
    const from = emu.requests.length;
    const refusal = create(inputs({ instanceId: "r-dc-2", connectionStringPrefix: "rdc2other1" }));
    await expect(refusal).rejects.toThrow(
      /already has a direct connection \(rdc2direct\.redis\.rds\.aliyuncs\.com:6379\).*adopt it with adoptExisting: true/,
    );
    await expect(refusal).rejects.not.toThrow(/pulumi import/);
    await expect(refusal).rejects.toBeInstanceOf(StateError);
    await expect(refusal).rejects.toMatchObject({ code: "Conflict" });
    expect(actions(emu, from, "AllocateDirectConnection")).toHaveLength(0);
    // A prefix taken by another instance is the cloud's ConnectionStringAlreadyExists.
    await expect(
      create(inputs({ instanceId: "r-dc-3", connectionStringPrefix: "rdc2direct" })),
    ).rejects.toMatchObject({
      code: "ConnectionStringAlreadyExists",
    });
    await cleanup("r-dc-2");
  });

  it("adopts an existing endpoint only when asked and when it matches (import stand-in)", async () => {
    expect(
      ali.invoke("AllocateDirectConnection", {
        InstanceId: "r-dc-4",
        ConnectionString: "consoledirect1",
        Port: "6390",
      }).status,
    ).toBe(200);
    ali.completeAll();
    const from = emu.requests.length;
    await expect(create(inputs({ instanceId: "r-dc-4", port: 6390 }))).rejects.toThrow(
      /adopt it with adoptExisting: true/,
    );
    await expect(create(inputs({ instanceId: "r-dc-4", adoptExisting: true }))).rejects.toThrow(
      /does not match the inputs \(prefix \(any\), port 6379\): set connectionStringPrefix and port to the live values/,
    );
    const adopted = await create(
      inputs({
        instanceId: "r-dc-4",
        connectionStringPrefix: "consoledirect1",
        port: 6390,
        adoptExisting: true,
      }),
    );
    expect(adopted.outs).toMatchObject({
      connectionString: "consoledirect1.redis.rds.aliyuncs.com",
      port: 6390,
      adoptExisting: true,
    });
    expect(emu.requests.slice(from).filter((r) => r.mutating)).toHaveLength(0);
    await provider.delete!("r-dc-4", adopted.outs);
    expect(actions(emu, from, "ReleaseDirectConnection").map((a) => a.status)).toEqual([200]);
    expect(await provider.read!("r-dc-4", adopted.outs)).toEqual({});
  });

  it("retries a throttled allocation once and applies it only once", async () => {
    emu.setFaults(failFirst("AllocateDirectConnection", "Throttling.User", 400));
    const before = ali.created().directConnection;
    const from = emu.requests.length;
    const created = await create(inputs({ instanceId: "r-dc-3" }));
    expect(created.outs.connectionString).toMatch(/\.redis\.rds\.aliyuncs\.com$/);
    expect(actions(emu, from, "AllocateDirectConnection")).toEqual([
      { op: "AllocateDirectConnection", status: 400, fault: "Throttling.User" },
      { op: "AllocateDirectConnection", status: 200, fault: undefined },
    ]);
    expect(ali.created().directConnection).toBe(before + 1);
    await cleanup("r-dc-3");
  });

  it("waits out a busy instance (status and InstanceStatus.NotSupport answers) before allocating", async () => {
    ali.setBusy("r-dc-4", "Changing", 120);
    emu.setFaults(failFirst("AllocateDirectConnection", "InstanceStatus.NotSupport", 403));
    const from = emu.requests.length;
    await create(inputs({ instanceId: "r-dc-4", timeouts: { create: "20s" } }));
    const allocs = actions(emu, from, "AllocateDirectConnection");
    expect(allocs.map((a) => a.status)).toEqual([403, 200]);
    // It looked at the status (Changing) before the first attempt.
    expect(emu.requests.slice(from).some((r) => r.op === "DescribeInstanceAttribute")).toBe(true);
    await cleanup("r-dc-4");
  });

  it("resends an allocation whose connection was reset before it reached the API", async () => {
    let reset = true;
    emu.setFaults((cloud, _req, op) => {
      if (cloud === "alicloud" && op === "AllocateDirectConnection" && reset) {
        reset = false;
        return { kind: "reset", label: "reset" };
      }
      return undefined;
    });
    const before = ali.created().directConnection;
    const from = emu.requests.length;
    await create(inputs({ instanceId: "r-dc-5" }));
    expect(actions(emu, from, "AllocateDirectConnection").map((a) => a.fault ?? a.status)).toEqual([
      "reset",
      200,
    ]);
    expect(ali.created().directConnection).toBe(before + 1);
    await cleanup("r-dc-5");
  });

  it("does not resend an allocation that was applied although its answer was lost", async () => {
    let lose = true;
    emu.setFaults((cloud, req, op) => {
      if (cloud === "alicloud" && op === "AllocateDirectConnection" && lose) {
        lose = false;
        const p = paramsOf(req);
        expect(
          ali.invoke("AllocateDirectConnection", { InstanceId: p.InstanceId, Port: p.Port }).status,
        ).toBe(200);
        return { kind: "reset", label: "answer lost" };
      }
      return undefined;
    });
    const before = ali.created().directConnection;
    const from = emu.requests.length;
    const created = await create(inputs({ instanceId: "r-dc-5" }));
    expect(created.outs.ipAddresses.length).toBeGreaterThan(0);
    expect(actions(emu, from, "AllocateDirectConnection")).toHaveLength(1);
    expect(ali.created().directConnection).toBe(before + 1);
    await cleanup("r-dc-5");
  });

  it("rejects with a partial failure (id and properties) when the wait times out after the allocation", async () => {
    ali.settle.set("allocateDirect", 60_000);
    try {
      const err = await provider
        .create(
          inputs({
            instanceId: "r-dc-3",
            connectionStringPrefix: "rdc3slow01",
            timeouts: { create: "400ms" },
          }),
        )
        .catch((e) => e);
      expect(err).toMatchObject({
        id: "r-dc-3",
        properties: {
          instanceId: "r-dc-3",
          connectionStringPrefix: "rdc3slow01",
          port: 6379,
          __provider: P,
          timeouts: { create: "400ms" },
        },
      });
      expect(err.message).toMatch(
        /timed out .* waiting for direct connection of r-dc-3 to be ready \(last status: (NetworkModifying|Normal, direct endpoint not listed yet)\)/,
      );
      expect(err.message).toContain(err.reasons[0]);
      expectStructSafe(err.properties);
      expect(ali.created().directConnection).toBeGreaterThan(0);
      // The next `pulumi up` updates the recorded resource: it waits again instead of allocating twice.
      ali.settle.set("allocateDirect", 60);
      ali.completeAll();
      const from = emu.requests.length;
      const converged = await provider.update!("r-dc-3", err.properties, err.properties);
      expect(converged.outs?.connectionString).toBe("rdc3slow01.redis.rds.aliyuncs.com");
      expect(actions(emu, from, "AllocateDirectConnection")).toHaveLength(0);
    } finally {
      ali.settle.set("allocateDirect", 60);
    }
    await cleanup("r-dc-3");
  });

  it("reports a connection released outside Pulumi as gone, and a missing instance as gone", async () => {
    const created = await create(inputs({ instanceId: "r-dc-2" }));
    expect(ali.invoke("ReleaseDirectConnection", { InstanceId: "r-dc-2" }).status).toBe(200);
    ali.completeAll();
    expect(await provider.read!("r-dc-2", created.outs)).toEqual({});
    expect(await provider.read!("r-missing", created.outs)).toEqual({});
    await provider.delete!("r-missing", created.outs);
  });
});

describe("TairDirectConnection resource class", () => {
  it("carries its type token", () => {
    expect(TairDirectConnection.__pulumiType).toBe(TYPE_TOKENS.TairDirectConnection);
    expect(TairDirectConnection.__pulumiType).toBe("pulumi-nodejs:dynamic/alicloud:TairDirectConnection");
  });
});
