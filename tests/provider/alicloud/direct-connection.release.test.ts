/**
 * `TairDirectConnection` beyond its emulator tests: delete against a scripted client (./fake-tair.ts,
 * with `ReleaseDirectConnection` added here) and a virtual clock (when it releases, the faults and
 * ambiguous failures of the release, the wait until the endpoint is gone and its deadline), update's
 * SSL precondition and deadline, the refusal of a second endpoint, read without a state, port
 * strings at check, and configure() against the emulator.
 */
import type { Emulator } from "../../../emulator";
import type { AlicloudCloudModule } from "../../../emulator/alicloud";
import * as clientModule from "../../../provider/alicloud/client";
import type { AlicloudClient } from "../../../provider/alicloud/client";
import {
  provider,
  type TairDirectConnectionInputs,
  type TairDirectConnectionOutputs,
} from "../../../provider/alicloud/direct-connection";
import { CloudError, StateError, WaitFailedError, WaitTimeoutError } from "../../../provider/core/errors";
import { rejection } from "../../helpers/errors";
import { progressLines } from "../../helpers/stderr";
import { VirtualClock, usePollScale } from "../../helpers/time";
import { FakeTair, type TairScript, apiError, directNet } from "./fake-tair";
import { clearAlicloudEnv, startAlicloud, withStackConfiguration } from "./helpers";

const ID = "r-dc-fake";
const P = "__provider-source__";
const PREFIX = "mydirect01";
const MINUTE = 60_000;
const PORT_RULE = "port must be a whole number from 1024 to 65535";

usePollScale(0.0001);
const lines = progressLines();
let clock: VirtualClock | undefined;
// Restores the clock and the defaultClient spy.
afterEach(() => jest.restoreAllMocks());

/**
 * Makes `defaultClient()` answer from a scripted instance whose endpoint is listed while `listed`
 * says so (default: until a ReleaseDirectConnection is accepted); every status look moves the
 * virtual clock one minute.
 */
function install(
  script: TairScript & {
    /** The n-th ReleaseDirectConnection: throw to fail it (default: accepted). */
    release?: (n: number) => void;
    /** Whether the n-th DescribeDBInstanceNetInfo lists the endpoint. */
    listed?: (n: number, released: boolean) => boolean;
  } = {},
) {
  clock = new VirtualClock(Date.UTC(2026, 0, 1));
  let released = false;
  const listed = script.listed ?? ((_n: number, gone: boolean) => !gone);
  const tair = new FakeTair(
    { net: (n) => (listed(n, released) ? directNet(PREFIX) : []), skewPerStatusMs: MINUTE, ...script },
    clock,
  );
  const client = {
    ...(tair.client as object),
    releaseDirectConnection: async () => {
      tair.calls.push("ReleaseDirectConnection");
      script.release?.(tair.count("ReleaseDirectConnection"));
      released = true;
      return { RequestId: "REQ" };
    },
  };
  jest.spyOn(clientModule, "defaultClient").mockReturnValue(client as unknown as AlicloudClient);
  return tair;
}

const state = (extra: Partial<TairDirectConnectionOutputs> = {}) =>
  ({
    instanceId: ID,
    connectionStringPrefix: PREFIX,
    port: 6379,
    __provider: P,
    connectionString: `${PREFIX}.redis.rds.aliyuncs.com`,
    ipAddresses: ["10.0.0.2"],
    ...extra,
  }) as TairDirectConnectionOutputs;
const releases = (tair: FakeTair) => tair.count("ReleaseDirectConnection");
const minutesSince = (start: number) => (clock!.now - start) / MINUTE;

describe("delete", () => {
  it("releases an endpoint still being allocated (no endpoint listed yet, instance NetworkModifying)", async () => {
    const tair = install({ status: (n) => (n === 1 ? "NetworkModifying" : "Normal"), listed: () => false });
    await provider.delete!(ID, state());
    expect(releases(tair)).toBe(1);
  });

  it("waits out a busy answer, saying what it retries", async () => {
    const tair = install({
      release: (n) => {
        if (n === 1) throw apiError("TaskHasExist", 403, `ReleaseDirectConnection ${ID}`);
      },
    });
    await provider.delete!(ID, state());
    expect(releases(tair)).toBe(2);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^ReleaseDirectConnection on ${ID}: .*; retrying$`)),
    );
  });

  it("resends a release that failed ambiguously (a 5xx) while the endpoint is still listed", async () => {
    const tair = install({
      release: (n) => {
        if (n === 1) throw apiError("ServiceUnavailable", 503, `ReleaseDirectConnection ${ID}`);
      },
      // The failed attempt released nothing: listed until the second one.
      listed: () => releases(tair) < 2,
    });
    await provider.delete!(ID, state());
    expect(releases(tair)).toBe(2);
  });

  it("takes NetTypeNotExists (released in between) as done", async () => {
    const tair = install({
      release: () => {
        throw apiError("NetTypeNotExists", 400, `ReleaseDirectConnection ${ID}`);
      },
      listed: (n) => n === 1,
    });
    await provider.delete!(ID, state());
    expect(releases(tair)).toBe(1);
  });

  it("surfaces any other fault of the release as it is", async () => {
    const tair = install({
      release: () => {
        throw apiError("OperationDenied", 400, `ReleaseDirectConnection ${ID}`);
      },
      listed: () => true,
    });
    const err = await rejection(provider.delete!(ID, state()));
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ code: "OperationDenied" });
    expect(releases(tair)).toBe(1);
  });

  it("fails at once when the instance turns to a terminal status after the release, naming the wait", async () => {
    const tair = install({ status: () => (releases(tair) > 0 ? "Error" : "Normal") });
    const err = await rejection<WaitFailedError>(provider.delete!(ID, state()));
    expect(err).toBeInstanceOf(WaitFailedError);
    expect(err.message).toBe(
      `direct connection of ${ID} to be released failed with status Error: instance ${ID} is Error, ` +
        "which does not turn into Normal by waiting: the instance is in an error state; " +
        "look at it in the Alibaba Cloud console or ask Alibaba Cloud support",
    );
  });

  it("waits while the endpoint is still listed, and gives up at its own deadline", async () => {
    // Still listed for 20 minutes after the release: past the 10 minutes asked for, within the default 30.
    const tair = install({ listed: (n) => n <= 21 });
    const start = clock!.now;
    const err = await rejection<WaitTimeoutError>(
      provider.delete!(ID, state({ timeouts: { delete: "10m" } })),
    );
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err.message).toMatch(
      new RegExp(
        `^timed out after \\d+s waiting for direct connection of ${ID} to be released ` +
          `\\(last status: Normal, direct endpoint still listed\\);`,
      ),
    );
    expect(minutesSince(start)).toBeLessThanOrEqual(11);
    expect(tair.count("DescribeDBInstanceNetInfo")).toBeGreaterThan(5);
  });
});

describe("update", () => {
  it("of a settled endpoint does not look at SSL (an update only changes timeouts)", async () => {
    const tair = install({ ssl: true });
    const { outs } = await provider.update!(ID, state(), state({ timeouts: { delete: "10m" } }));
    expect(outs).toMatchObject({
      connectionString: `${PREFIX}.redis.rds.aliyuncs.com`,
      timeouts: { delete: "10m" },
    });
    expect(tair.count("DescribeInstanceSSL")).toBe(0);
    expect(tair.count("AllocateDirectConnection")).toBe(0);
  });

  it("that has to allocate again refuses before allocating when SSL is enabled", async () => {
    const tair = install({ ssl: true, listed: () => false });
    const err = await rejection(provider.update!(ID, state(), state()));
    expect(err).toBeInstanceOf(StateError);
    expect(err.message).toMatch(new RegExp(`^instance ${ID} has SSL encryption enabled`));
    expect(tair.count("AllocateDirectConnection")).toBe(0);
  });

  it("gives up at its own deadline while the instance stays busy", async () => {
    // NetworkModifying for 20 minutes: past the 10 minutes asked for, within the default 30.
    const tair = install({
      status: (n) => (n <= 20 ? "NetworkModifying" : "Normal"),
      listed: () => tair.allocations.length > 0,
    });
    const start = clock!.now;
    const err = await rejection<WaitTimeoutError>(
      provider.update!(ID, state(), state({ timeouts: { update: "10m" } })),
    );
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err.message).toContain(`waiting for instance ${ID} to be Normal before AllocateDirectConnection`);
    expect(minutesSince(start)).toBeLessThanOrEqual(11);
    expect(tair.count("AllocateDirectConnection")).toBe(0);
  });
});

describe("create and read", () => {
  it("refuses a second endpoint that does not match, naming what was asked for (any port)", async () => {
    install({ net: () => directNet("otherpfx01", 6380) });
    const err = await rejection(
      provider.create({
        instanceId: ID,
        connectionStringPrefix: "wantedpfx1",
        adoptExisting: true,
        __provider: P,
      } as TairDirectConnectionInputs),
    );
    expect(err).toBeInstanceOf(StateError);
    expect(err.message).toBe(
      `instance ${ID} already has a direct connection (otherpfx01.redis.rds.aliyuncs.com:6380), ` +
        "and an instance has at most one: it does not match the inputs (prefix wantedpfx1, port (any)): " +
        "set connectionStringPrefix and port to the live values",
    );
  });

  it("read without any state (an import) derives the inputs from the live endpoint", async () => {
    install({ net: () => directNet("livedirect1", 6390) });
    const read = await provider.read!(ID, undefined as never);
    expect(read.inputs).toStrictEqual({ instanceId: ID, connectionStringPrefix: "livedirect1", port: 6390 });
    expect(read.props).toMatchObject({ connectionString: "livedirect1.redis.rds.aliyuncs.com", port: 6390 });
  });
});

describe("check", () => {
  it.each([" 6380", "6380 ", "+6380", "6380e0"])("refuses the port string %j (digits only)", async (port) => {
    const r = await provider.check!(
      {} as TairDirectConnectionInputs,
      { instanceId: ID, port } as unknown as TairDirectConnectionInputs,
    );
    expect(r.failures).toEqual([{ property: "port", reason: PORT_RULE }]);
  });
});

describe("configure", () => {
  let emu: Emulator;
  beforeAll(async () => {
    let ali: AlicloudCloudModule;
    ({ emu, ali } = await startAlicloud({ instances: [{ instanceId: "r-dc-conf" }] }));
    expect(ali.invoke("AllocateDirectConnection", { InstanceId: "r-dc-conf" }).status).toBe(200);
    ali.completeAll();
  });
  afterAll(async () => {
    clearAlicloudEnv();
    await emu.stop();
  });

  it("uses credentials and endpoint from the stack configuration", async () => {
    await withStackConfiguration(provider, async () => {
      const read = await provider.read!("r-dc-conf", {} as never);
      expect(read.props?.connectionString).toMatch(/\.redis\.rds\.aliyuncs\.com$/);
    });
  });
});
