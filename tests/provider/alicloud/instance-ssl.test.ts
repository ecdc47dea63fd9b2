import type { Emulator } from "../../../emulator";
import type { AlicloudCloudModule } from "../../../emulator/alicloud";
import {
  type InstanceSSLInputs,
  type InstanceSSLOutputs,
  provider,
} from "../../../provider/alicloud/instance-ssl";
import { InstanceSSL } from "../../../provider/alicloud/instance-ssl.resource";
import { ManagedRedisError, WaitTimeoutError } from "../../../provider/core/errors";
import { UNKNOWN } from "../../../provider/core/validation";
import { TYPE_TOKENS } from "../../../provider/tokens";
import {
  actions,
  clearAlicloudEnv,
  expectStructSafe,
  failFirst,
  startAlicloud,
  withStackConfiguration,
} from "./helpers";

let emu: Emulator;
let ali: AlicloudCloudModule;
const P = "__provider-source__";

beforeAll(async () => {
  ({ emu, ali } = await startAlicloud({
    instances: [
      { instanceId: "r-ssl-1" },
      { instanceId: "r-ssl-2" },
      { instanceId: "r-ssl-3" },
      { instanceId: "r-ssl-4" },
      { instanceId: "r-ssl-direct" },
      { instanceId: "r-ssl-on", sslEnabled: true },
    ],
  }));
});
afterAll(async () => {
  clearAlicloudEnv();
  await emu.stop();
});
afterEach(() => emu.setFaults(undefined));

const check = (news: Record<string, unknown>) =>
  provider.check!({} as InstanceSSLInputs, news as unknown as InstanceSSLInputs);
/** Inputs as check() leaves them (typed as outputs too: delete and read receive the state). */
const inputs = (extra: Partial<InstanceSSLInputs> & { instanceId: string }) =>
  ({ enabled: true, leaveOnDestroy: false, __provider: P, ...extra }) as unknown as InstanceSSLOutputs;
const create = async (i: InstanceSSLInputs) => {
  const r = await provider.create(i);
  return { id: r.id, outs: r.outs as InstanceSSLOutputs };
};
const modifies = (from: number) => actions(emu, from, "ModifyInstanceSSL");
const sslOf = (id: string) => ali.invoke("DescribeInstanceSSL", { InstanceId: id }).body.SSLEnabled;

describe("InstanceSSL check", () => {
  it("normalises enabled to a boolean and applies defaults", async () => {
    expect(await check({ instanceId: "r-ssl-1", enabled: "Enable", __provider: P })).toEqual({
      inputs: { instanceId: "r-ssl-1", enabled: true, leaveOnDestroy: false, __provider: P },
      failures: [],
    });
    expect((await check({ instanceId: "r-ssl-1", enabled: "Disable" })).inputs).toMatchObject({
      enabled: false,
    });
    expect(
      (
        await check({
          instanceId: "r-ssl-1",
          enabled: false,
          leaveOnDestroy: true,
          certificateRotation: "2026-01",
        })
      ).inputs,
    ).toMatchObject({
      enabled: false,
      leaveOnDestroy: true,
      certificateRotation: "2026-01",
    });
  });

  it.each([
    [{ enabled: "yes" }, "enabled", /true, false, "Enable" or "Disable"/],
    [{ enabled: "Update" }, "enabled", /"Enable" or "Disable"/],
    [{ instanceId: 42 }, "instanceId", /instanceId is required/],
    [{ certificateRotation: "" }, "certificateRotation", /must not be empty/],
    [{ leaveOnDestroy: "no" }, "leaveOnDestroy", /true or false/],
    [{ timeouts: { update: "soon" } }, "timeouts.update", /duration/],
    [{ sslEnabled: true }, "sslEnabled", /unknown property "sslEnabled"/],
  ])("refuses %j at %s", async (extra, property, reason) => {
    const r = await check({ instanceId: "r-ssl-1", enabled: true, ...extra });
    expect(r.failures).toHaveLength(1);
    expect(r.failures![0].property).toBe(property);
    expect(r.failures![0].reason).toMatch(reason);
  });

  it("refuses a missing enabled at check (unknown values arrive as the sentinel), and create refuses it before any call", async () => {
    expect(await check({ instanceId: "r-ssl-1" })).toEqual({
      inputs: { instanceId: "r-ssl-1" },
      failures: [{ property: "enabled", reason: 'enabled is required: true, false, "Enable" or "Disable"' }],
    });
    const from = emu.requests.length;
    await expect(provider.create({ instanceId: "r-ssl-1", __provider: P } as never)).rejects.toThrow(
      /^invalid InstanceSSL inputs: enabled: enabled is required: true, false, "Enable" or "Disable"$/,
    );
    expect(emu.requests.length).toBe(from);
  });

  it("does not judge values unknown during preview", async () => {
    expect((await check({ instanceId: UNKNOWN, enabled: UNKNOWN })).failures).toEqual([]);
    expect((await check({ instanceId: UNKNOWN, enabled: "maybe" })).failures!.map((f) => f.property)).toEqual(
      ["enabled"],
    );
  });
});

describe("InstanceSSL diff", () => {
  const olds = {
    instanceId: "r-ssl-1",
    enabled: true,
    leaveOnDestroy: false,
    sslEnabled: true,
  } as InstanceSSLOutputs;
  const diff = (news: Partial<InstanceSSLInputs>) =>
    provider.diff!("r-ssl-1", olds, { ...olds, ...news } as InstanceSSLInputs);

  it("replaces only on instanceId; enabled, rotation and options update in place", async () => {
    expect(await diff({})).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(await diff({ enabled: "Enable" as never })).toMatchObject({ changes: false });
    expect(await diff({ instanceId: "r-ssl-2" })).toEqual({
      changes: true,
      replaces: ["instanceId"],
      deleteBeforeReplace: false,
    });
    expect(await diff({ enabled: false })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await diff({ certificateRotation: "2027" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await diff({ leaveOnDestroy: true })).toMatchObject({ changes: true, replaces: [] });
    expect(await diff({ enabled: UNKNOWN as never })).toMatchObject({ changes: true, replaces: [] });
  });

  it("reads an empty timeouts object, and a state without leaveOnDestroy, as the defaults (no change)", async () => {
    expect(await diff({ timeouts: {} })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const { leaveOnDestroy: _l, ...older } = olds;
    expect(
      await provider.diff!("r-ssl-1", older as InstanceSSLOutputs, { ...olds } as InstanceSSLInputs),
    ).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });
});

describe("InstanceSSL lifecycle", () => {
  it("enables SSL, reads it back, renews the certificate, and deletes back to disabled", async () => {
    const from = emu.requests.length;
    const created = await create(inputs({ instanceId: "r-ssl-1", certificateRotation: "v1" }));
    expect(created.id).toBe("r-ssl-1");
    expect(created.outs).toMatchObject({
      instanceId: "r-ssl-1",
      enabled: true,
      certificateRotation: "v1",
      __provider: P,
      sslEnabled: true,
      certCommonName: "r-ssl-1.redis.rds.aliyuncs.com",
      sslExpiredTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      certDownloadUrl: expect.stringMatching(/^https:\/\//),
    });
    // A rotation value on create does not renew: one Enable only.
    expect(modifies(from).map((m) => m.status)).toEqual([200]);
    expect(ali.created().sslEnable).toBe(1);
    expect(ali.created().sslUpdate).toBe(0);
    // The conflict check ran before the mutation.
    expect(
      actions(emu, from)
        .map((a) => a.op)
        .indexOf("DescribeDBInstanceNetInfo"),
    ).toBeLessThan(
      actions(emu, from)
        .map((a) => a.op)
        .indexOf("ModifyInstanceSSL"),
    );

    expectStructSafe(created.outs);
    const read = await provider.read!("r-ssl-1", created.outs);
    expectStructSafe(read);
    expect(read.props).toMatchObject({
      enabled: true,
      sslEnabled: true,
      sslExpiredTime: created.outs.sslExpiredTime,
      certificateRotation: "v1",
    });

    const rotated = await provider.update!("r-ssl-1", created.outs, {
      ...created.outs,
      certificateRotation: "v2",
    });
    expect(ali.created().sslUpdate).toBe(1);
    expect(rotated.outs?.sslExpiredTime).not.toBe(created.outs.sslExpiredTime);
    expect(rotated.outs?.certificateRotation).toBe("v2");

    const beforeDelete = emu.requests.length;
    await provider.delete!("r-ssl-1", rotated.outs!);
    expect(modifies(beforeDelete)).toHaveLength(1);
    expect(sslOf("r-ssl-1")).toBe("Disable");
    expect(ali.live().sslEnabled).toBe(0);
  });

  it("does not call ModifyInstanceSSL when the instance already has the wanted state (e.g. after an import)", async () => {
    const from = emu.requests.length;
    const created = await create(inputs({ instanceId: "r-ssl-on", leaveOnDestroy: true }));
    expect(created.outs.sslEnabled).toBe(true);
    expect(modifies(from)).toHaveLength(0);
    const imported = await provider.read!("r-ssl-on", {} as never);
    expect(imported.inputs).toStrictEqual({ instanceId: "r-ssl-on", enabled: true, leaveOnDestroy: false });
    expectStructSafe(imported);
    // leaveOnDestroy: deleting sends nothing and SSL stays on.
    await provider.delete!("r-ssl-on", created.outs);
    expect(modifies(from)).toHaveLength(0);
    expect(sslOf("r-ssl-on")).toBe("Enable");
  });

  it("treats the state-exists faults as success", async () => {
    // Someone enabled SSL between our read and our request: the API answers SSLEnabledStateExistsFault.
    emu.setFaults(
      failFirst("ModifyInstanceSSL", "SSLEnabledStateExistsFault", 400, 1, () => ali.setSsl("r-ssl-2", true)),
    );
    const from = emu.requests.length;
    const created = await create(inputs({ instanceId: "r-ssl-2" }));
    expect(created.outs.sslEnabled).toBe(true);
    expect(modifies(from).map((m) => m.fault)).toEqual(["SSLEnabledStateExistsFault"]);
    emu.setFaults(
      failFirst("ModifyInstanceSSL", "SSLDisableStateExistsFault", 400, 1, () =>
        ali.setSsl("r-ssl-2", false),
      ),
    );
    await provider.delete!("r-ssl-2", created.outs);
    expect(sslOf("r-ssl-2")).toBe("Disable");
  });

  it("retries a throttled ModifyInstanceSSL and applies it once", async () => {
    emu.setFaults(failFirst("ModifyInstanceSSL", "Throttling.User", 400));
    const before = ali.created().sslEnable;
    const from = emu.requests.length;
    const created = await create(inputs({ instanceId: "r-ssl-3" }));
    expect(created.outs.sslEnabled).toBe(true);
    expect(modifies(from).map((m) => m.fault ?? m.status)).toEqual(["Throttling.User", 200]);
    expect(ali.created().sslEnable).toBe(before + 1);
    await provider.delete!("r-ssl-3", created.outs);
  });

  it("waits out IncorrectDBInstanceState and a busy status instead of failing", async () => {
    ali.setBusy("r-ssl-4", "MinorVersionUpgrading", 100);
    emu.setFaults(failFirst("ModifyInstanceSSL", "IncorrectDBInstanceState", 403));
    const from = emu.requests.length;
    const created = await create(inputs({ instanceId: "r-ssl-4", timeouts: { create: "20s" } }));
    expect(created.outs.sslEnabled).toBe(true);
    expect(modifies(from).map((m) => m.status)).toEqual([403, 200]);
    await provider.delete!("r-ssl-4", created.outs);
  });

  it("refuses to enable SSL while a direct connection exists, before any mutation", async () => {
    expect(ali.invoke("AllocateDirectConnection", { InstanceId: "r-ssl-direct" }).status).toBe(200);
    ali.completeAll();
    const from = emu.requests.length;
    await expect(create(inputs({ instanceId: "r-ssl-direct" }))).rejects.toThrow(
      /r-ssl-direct has a direct connection .*release the direct connection first \(delete the TairDirectConnection\)/,
    );
    await expect(create(inputs({ instanceId: "r-ssl-direct" }))).rejects.toMatchObject({
      name: "StateError",
      code: "Conflict",
    });
    expect(modifies(from)).toHaveLength(0);
    // Disabled SSL is fine with a direct connection.
    const off = await create(inputs({ instanceId: "r-ssl-direct", enabled: false }));
    expect(off.outs.sslEnabled).toBe(false);
    // No certificate fields while SSL is off, and nothing undefined for the engine to choke on.
    expect(off.outs).toStrictEqual({
      instanceId: "r-ssl-direct",
      enabled: false,
      leaveOnDestroy: false,
      __provider: P,
      sslEnabled: false,
      certCommonName: "r-ssl-direct.redis.rds.aliyuncs.com",
    });
    expectStructSafe(off.outs);
    expect(modifies(from)).toHaveLength(0);
    expect(ali.invoke("ReleaseDirectConnection", { InstanceId: "r-ssl-direct" }).status).toBe(200);
    ali.completeAll();
  });

  it("shows drift on read and repairs it on update", async () => {
    const created = await create(inputs({ instanceId: "r-ssl-2" }));
    ali.setSsl("r-ssl-2", false); // changed in the console
    const read = await provider.read!("r-ssl-2", created.outs);
    expect(read.props).toMatchObject({ enabled: false, sslEnabled: false });
    // The required `enabled` follows (state and inputs), so the next preview shows it changing back.
    expect(read.inputs).toStrictEqual({ instanceId: "r-ssl-2", enabled: false, leaveOnDestroy: false });
    const d = await provider.diff!("r-ssl-2", read.props!, inputs({ instanceId: "r-ssl-2" }));
    expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const from = emu.requests.length;
    const repaired = await provider.update!("r-ssl-2", read.props!, inputs({ instanceId: "r-ssl-2" }));
    expect(repaired.outs?.sslEnabled).toBe(true);
    expect(modifies(from).map((m) => m.status)).toEqual([200]);
    expect(sslOf("r-ssl-2")).toBe("Enable");
    // Rotation while disabled sends nothing; disabling sends Disable.
    const disabled = await provider.update!(
      "r-ssl-2",
      repaired.outs!,
      inputs({ instanceId: "r-ssl-2", enabled: false }),
    );
    expect(disabled.outs?.sslEnabled).toBe(false);
    const before = emu.requests.length;
    await provider.update!(
      "r-ssl-2",
      disabled.outs!,
      inputs({ instanceId: "r-ssl-2", enabled: false, certificateRotation: "x" }),
    );
    expect(modifies(before)).toHaveLength(0);
  });

  it("rejects with a partial failure (id and properties) when the wait times out after the change was accepted", async () => {
    ali.settle.set("modifySSL", 60_000);
    try {
      const err = await provider
        .create(inputs({ instanceId: "r-ssl-3", timeouts: { create: "300ms" } }))
        .catch((e) => e);
      expect(err).toMatchObject({
        id: "r-ssl-3",
        properties: {
          instanceId: "r-ssl-3",
          enabled: true,
          leaveOnDestroy: false,
          __provider: P,
          timeouts: { create: "300ms" },
        },
        reasons: [
          expect.stringMatching(
            /timed out .*SSL of r-ssl-3 to be Enabled \(last status: (SSLModifying|Normal, SSL Disable)\)/,
          ),
        ],
      });
      expect(err.message).toContain(err.reasons[0]);
      expectStructSafe(err.properties);
    } finally {
      ali.settle.set("modifySSL", 60);
      ali.completeAll();
    }
    expect(sslOf("r-ssl-3")).toBe("Enable");
    await provider.delete!("r-ssl-3", inputs({ instanceId: "r-ssl-3" }));
    expect(sslOf("r-ssl-3")).toBe("Disable");
  });

  it("rejects a delete whose accepted change does not settle with the wait's class and code, not a partial failure", async () => {
    const created = await create(inputs({ instanceId: "r-ssl-3", timeouts: { delete: "300ms" } }));
    ali.settle.set("modifySSL", 60_000);
    try {
      const err = await provider.delete!("r-ssl-3", created.outs).catch((e) => e);
      expect(err).toBeInstanceOf(ManagedRedisError);
      expect(err).toMatchObject({ code: "WaitTimeout", cause: expect.any(WaitTimeoutError) });
      expect(err.message).toMatch(
        /^timed out .*SSL of r-ssl-3 to be Disabled .*\(the resource r-ssl-3 exists and is recorded in the state; run `pulumi up` again to continue\)$/,
      );
      expect(err.id).toBeUndefined();
    } finally {
      ali.settle.set("modifySSL", 60);
      ali.completeAll();
    }
    expect(sslOf("r-ssl-3")).toBe("Disable");
  });

  it("reports a missing instance as gone and deletes it as a no-op", async () => {
    expect(
      await provider.read!("r-missing", inputs({ instanceId: "r-missing" }) as InstanceSSLOutputs),
    ).toEqual({});
    await provider.delete!("r-missing", inputs({ instanceId: "r-missing" }) as InstanceSSLOutputs);
    await expect(create(inputs({ instanceId: "r-missing" }))).rejects.toMatchObject({
      code: "InvalidInstanceId.NotFound",
    });
  });

  it("uses credentials and endpoint from the stack configuration given to configure()", async () => {
    await withStackConfiguration(provider, async () => {
      const read = await provider.read!("r-ssl-on", {} as never);
      expect(read.id).toBe("r-ssl-on");
    });
  });
});

describe("InstanceSSL resource class", () => {
  it("carries its type token", () => {
    expect(InstanceSSL.__pulumiType).toBe(TYPE_TOKENS.InstanceSSL);
  });
});
