/**
 * The documented Tair error codes as a user meets them through the two resources, each played by
 * the emulator from an instance's state (its character type, minor version, engine version, lock
 * mode, region, a background task) or the `failNext` hook: what create says (what to do next),
 * whether it is waited out, and that an instance on which SSL is not available fails only its own
 * `InstanceSSL`, never the refresh or the direct connection of the rest of the stack
 * (terraform-provider-alicloud #9971).
 */
import type { Emulator } from "../../../emulator";
import { type AlicloudCloudModule, DOCUMENTED_ERRORS } from "../../../emulator/alicloud";
import {
  provider as direct,
  type TairDirectConnectionInputs,
} from "../../../provider/alicloud/direct-connection";
import { provider as ssl, type InstanceSSLInputs } from "../../../provider/alicloud/instance-ssl";
import { CloudError } from "../../../provider/core/errors";
import { actions, clearAlicloudEnv, startAlicloud } from "./helpers";

let emu: Emulator;
let ali: AlicloudCloudModule;

beforeAll(async () => {
  ({ emu, ali } = await startAlicloud({
    instances: [
      { instanceId: "r-proxy-type", characterType: "proxy" },
      { instanceId: "r-old-minor", minorVersion: "outdated" },
      { instanceId: "r-odd-version", engineVersion: "5.0-tair-rdb" },
      { instanceId: "r-locked", lockMode: "LockByExpiration" },
      { instanceId: "r-no-ssl-region", regionSupportsSsl: false },
      { instanceId: "r-task" },
      { instanceId: "r-task-long" },
      { instanceId: "r-race" },
    ],
  }));
});
afterAll(async () => {
  clearAlicloudEnv();
  await emu.stop();
});

const sslInputs = (instanceId: string, extra: Partial<InstanceSSLInputs> = {}) =>
  ({ instanceId, enabled: true, leaveOnDestroy: false, ...extra }) as InstanceSSLInputs;
const directInputs = (instanceId: string, extra: Partial<TairDirectConnectionInputs> = {}) =>
  ({ instanceId, ...extra }) as TairDirectConnectionInputs;

async function failure(work: Promise<unknown>): Promise<CloudError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CloudError);
  return err as CloudError;
}

/** What the user reads for a code: the API's code, HTTP status and message, then what to do. */
function expectDocumented(err: CloudError, code: string, todo: RegExp): void {
  const [status, message] = DOCUMENTED_ERRORS[code];
  expect(err.code).toBe(code);
  expect(err.httpStatus).toBe(status);
  expect(err.message).toContain(message);
  expect(err.message).toMatch(todo);
  expect(err.retryable).toBe(false);
}

describe("an instance on which SSL is not available", () => {
  test.each([
    [
      "r-proxy-type",
      "IncorrectCharacterType",
      /not available for this instance's type.*remove the InstanceSSL/,
    ],
    ["r-old-minor", "IncorrectEngineVersion", /update its minor version and try again/],
    [
      "r-odd-version",
      "InvalidRedisVersionPattern",
      /not available for this instance's engine or proxy version/,
    ],
  ])("%s: InstanceSSL create fails with %s and says what to do", async (id, code, todo) => {
    const from = emu.requests.length;
    expectDocumented(await failure(ssl.create(sslInputs(id))), code, todo);
    expect(actions(emu, from, "ModifyInstanceSSL")).toEqual([]);
  });

  test.each(["r-proxy-type", "r-old-minor", "r-odd-version"])(
    "%s: refresh of an InstanceSSL reads SSL as off instead of failing; destroy and enabled: false have nothing to do",
    async (id) => {
      const state = { ...sslInputs(id), sslEnabled: true, __provider: "p" } as never;
      const read = await ssl.read!(id, state);
      expect(read.id).toBe(id);
      expect(read.props).toMatchObject({ instanceId: id, enabled: false, sslEnabled: false });
      const from = emu.requests.length;
      await ssl.delete!(id, state);
      // enabled: false asks for what the instance has: created without a change.
      const off = await ssl.create(sslInputs(id, { enabled: false }));
      expect(off.outs).toMatchObject({ instanceId: id, enabled: false, sslEnabled: false });
      expect(actions(emu, from, "ModifyInstanceSSL")).toEqual([]);
    },
  );

  it("does not block a TairDirectConnection on that instance (its SSL precondition reads as off)", async () => {
    const created = await direct.create(directInputs("r-proxy-type"));
    expect(created.outs).toMatchObject({ instanceId: "r-proxy-type", connectionString: expect.any(String) });
    await direct.delete!("r-proxy-type", created.outs!);
  });
});

describe("ModifyInstanceSSL refusals", () => {
  it("IncorrectDBInstanceLockMode: a locked instance is not waited for; the message says how to unlock it", async () => {
    const from = emu.requests.length;
    const err = await failure(ssl.create(sslInputs("r-locked")));
    expectDocumented(err, "IncorrectDBInstanceLockMode", /the instance is locked .*unlock it/);
    expect(actions(emu, from, "ModifyInstanceSSL")).toHaveLength(1);
  });

  it("EnabledSSLNotSupport (404): the region has no SSL; not taken for a missing instance", async () => {
    const err = await failure(ssl.create(sslInputs("r-no-ssl-region")));
    expectDocumented(err, "EnabledSSLNotSupport", /not available in this instance's region/);
    // Disabling is no request for SSL: the same instance takes enabled: false (nothing to change).
    const off = await ssl.create(sslInputs("r-no-ssl-region", { enabled: false }));
    expect(off.outs).toMatchObject({ sslEnabled: false });
  });
});

describe("AllocateDirectConnection refusals", () => {
  it("IncorrectMinorVersion: refused at once, with the upgrade to make", async () => {
    const from = emu.requests.length;
    const err = await failure(direct.create(directInputs("r-old-minor")));
    expectDocumented(err, "IncorrectMinorVersion", /update the instance to the latest minor version/);
    expect(actions(emu, from, "AllocateDirectConnection")).toHaveLength(1);
  });

  it("TaskHasExist: another task runs, so the allocation waits and is sent again, once", async () => {
    ali.startTask("r-task", 400);
    const from = emu.requests.length;
    const created = await direct.create(directInputs("r-task"));
    expect(created.outs).toMatchObject({
      connectionString: expect.stringContaining(".redis.rds.aliyuncs.com"),
    });
    expect(actions(emu, from, "AllocateDirectConnection").map((a) => a.status)).toEqual(
      expect.arrayContaining([400, 200]),
    );
    expect(actions(emu, from, "AllocateDirectConnection").filter((a) => a.status === 200)).toHaveLength(1);
    await direct.delete!("r-task", created.outs!);
  });

  it("TaskHasExist past the deadline: the create fails saying another task runs and to retry", async () => {
    ali.startTask("r-task-long", 60_000);
    const err = await failure(direct.create(directInputs("r-task-long", { timeouts: { create: "1s" } })));
    expect(err.code).toBe("TaskHasExist");
    expect(err.httpStatus).toBe(400);
    expect(err.message).toContain(DOCUMENTED_ERRORS.TaskHasExist[1]);
    expect(err.message).toMatch(/another task is running on the instance; wait until it is Normal and retry/);
  });

  it("NetTypeExists: another client's allocation not listed yet; refused with adoptExisting named", async () => {
    ali.failNext("r-race", "AllocateDirectConnection", "NetTypeExists");
    const from = emu.requests.length;
    const err = await failure(direct.create(directInputs("r-race")));
    expectDocumented(
      err,
      "NetTypeExists",
      /adopt it once it is listed \(TairDirectConnection adoptExisting: true\)/,
    );
    expect(actions(emu, from, "AllocateDirectConnection")).toHaveLength(1);
    expect(ali.live().directConnection).toBe(0);
  });
});
