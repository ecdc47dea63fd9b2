/**
 * provider/alicloud/direct-endpoint.ts against a scripted client (./fake-tair.ts): matching an endpoint
 * against the inputs, and `allocateAndWait` — the sends, the reconciliation after a lost answer, the
 * "already exists" faults, and the wait for the endpoint (mismatch, timeout, partial failure).
 */
import { CloudError, WaitFailedError } from "../../../provider/core/errors";
import type { DirectEndpoint } from "../../../provider/alicloud/client";
import type { TairDirectConnectionInputs } from "../../../provider/alicloud/direct-connection";
import { allocateAndWait, matches, outputsOf, prefixOf } from "../../../provider/alicloud/direct-endpoint";
import { captureStderr } from "../../helpers/stderr";
import { VirtualClock, usePollScale } from "../../helpers/time";
import { FakeTair, apiError, directNet } from "./fake-tair";

const ID = "r-1";
const PREFIX = "mydirect01";
const inputs: TairDirectConnectionInputs = { instanceId: ID, connectionStringPrefix: PREFIX, port: 6379 };
const HOUR = 3_600_000;
const listedFrom =
  (from: number, prefix = PREFIX) =>
  (n: number) =>
    n >= from ? directNet(prefix) : [];
const lost = () => {
  throw apiError("ServiceUnavailable", 503);
};

usePollScale(0.0001);
let clock: VirtualClock | undefined;
let stderr: ReturnType<typeof captureStderr>;
beforeEach(() => {
  clock = undefined;
  stderr = captureStderr();
});
// Restores the clock and the stderr capture.
afterEach(() => jest.restoreAllMocks());

const run = (fake: FakeTair, deadline = Date.now() + HOUR, ins = inputs) =>
  allocateAndWait(fake.client, ins, { ...ins, __provider: "P" }, deadline);

describe("prefixOf and matches", () => {
  const e: DirectEndpoint = {
    connectionString: `${PREFIX}.redis.rds.aliyuncs.com`,
    port: 6379,
    ipAddresses: [],
  };

  it("takes the first label of an endpoint", () => {
    expect(prefixOf(e.connectionString)).toBe(PREFIX);
    expect(prefixOf("")).toBeUndefined();
    expect(prefixOf(undefined)).toBeUndefined();
  });

  it("matches on prefix and port when the inputs give them", () => {
    expect(matches(undefined, { instanceId: ID })).toBe(false);
    expect(matches(e, { instanceId: ID })).toBe(true);
    expect(matches(e, inputs)).toBe(true);
    expect(matches(e, { instanceId: ID, connectionStringPrefix: "otherprefix1" })).toBe(false);
    expect(matches(e, { instanceId: ID, connectionStringPrefix: "otherprefix1", port: 6379 })).toBe(false);
    expect(matches(e, { instanceId: ID, connectionStringPrefix: PREFIX, port: 6380 })).toBe(false);
  });

  it("builds the outputs with sorted addresses", () => {
    const out = outputsOf(
      { instanceId: ID },
      { ...e, ipAddresses: ["10.0.0.9", "10.0.0.1"], vpcId: "vpc-1" },
    );
    expect(out).toEqual({
      instanceId: ID,
      connectionString: e.connectionString,
      port: 6379,
      ipAddresses: ["10.0.0.1", "10.0.0.9"],
      vpcId: "vpc-1",
    });
  });
});

describe("allocateAndWait", () => {
  it("allocates with the inputs and waits until the endpoint is listed", async () => {
    // Net #1: before the send; #2: first look of the wait (not listed yet); #3: listed.
    const fake = new FakeTair({ net: listedFrom(3) });
    const out = await run(fake);
    expect(fake.allocations).toEqual([{ instanceId: ID, connectionString: PREFIX, port: 6379 }]);
    expect(out.connectionString).toBe(`${PREFIX}.redis.rds.aliyuncs.com`);
    expect(out.ipAddresses).toEqual(["10.0.0.2"]);
    expect(fake.count("DescribeDBInstanceNetInfo")).toBe(3);
  });

  it("fails the wait on an endpoint other than the one requested, as a partial failure", async () => {
    const fake = new FakeTair({ net: listedFrom(2, "otherprefix1") });
    await expect(run(fake)).rejects.toMatchObject({
      id: ID,
      message: expect.stringContaining(
        `direct connection of ${ID} to be ready failed with status mismatch: the direct endpoint is otherprefix1.redis.rds.aliyuncs.com:6379, not the one requested`,
      ),
    });
  });

  it("times out with the last status when the endpoint never shows", async () => {
    const fake = new FakeTair();
    await expect(run(fake, Date.now() + 120)).rejects.toMatchObject({
      id: ID,
      properties: { instanceId: ID, __provider: "P" },
      message: expect.stringContaining("(last status: Normal, direct endpoint not listed yet)"),
    });
  });

  it("says which wait a terminal status ended, before sending anything", async () => {
    const fake = new FakeTair({ status: () => "Released" });
    const err = await run(fake).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitFailedError);
    expect((err as Error).message).toContain(
      `instance ${ID} to be Normal before AllocateDirectConnection failed`,
    );
    expect(fake.count("AllocateDirectConnection")).toBe(0);
  });

  it("after a lost answer, keeps looking and does not resend once the endpoint shows", async () => {
    // Reconcile: net #2 not listed, net #3 listed -> already; no second send.
    const fake = new FakeTair({ net: listedFrom(3), allocate: lost });
    await run(fake);
    expect(fake.count("AllocateDirectConnection")).toBe(1);
  });

  it("takes NetworkModifying after a lost answer as applied", async () => {
    clock = new VirtualClock();
    const fake = new FakeTair(
      {
        status: (n) => (n === 2 || n === 3 ? "NetworkModifying" : "Normal"),
        net: listedFrom(4),
        allocate: (n) => (n === 1 ? lost() : undefined),
        skewPerStatusMs: 3000,
      },
      clock,
    );
    await run(fake);
    expect(fake.count("AllocateDirectConnection")).toBe(1);
  });

  it("gives the reconciliation no more than the time left before the deadline", async () => {
    clock = new VirtualClock();
    const fake = new FakeTair({ allocate: lost, skewPerStatusMs: 1500 }, clock);
    const err = await run(fake, Date.now() + 2000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).code).toBe("ServiceUnavailable");
    // One status read before the send, one look of the reconciliation (already past its 500 ms).
    expect(fake.calls).toEqual([
      "DescribeDBInstanceNetInfo",
      "DescribeInstanceAttribute",
      "AllocateDirectConnection",
      "DescribeInstanceAttribute",
      "DescribeDBInstanceNetInfo",
    ]);
  });

  it("throws an error of the reconciliation itself instead of resending", async () => {
    const fake = new FakeTair({
      status: (n) => {
        if (n === 2) throw apiError("InvalidInstanceId.NotFound", 404, `DescribeInstanceAttribute ${ID}`);
        return "Normal";
      },
      allocate: lost,
    });
    await expect(run(fake)).rejects.toMatchObject({ code: "InvalidInstanceId.NotFound" });
    expect(fake.count("AllocateDirectConnection")).toBe(1);
  });

  it.each(["DirectConnectionAlreadyExists", "ConnectionStringAlreadyExists"])(
    "after a lost answer, takes %s as that attempt applied",
    async (code) => {
      clock = new VirtualClock();
      // Net #1 before the send, #2 and #3 during the reconciliation (times out: 3 s per look), then the
      // wait: #4 not listed, #5 listed. Looking again at the fault (#4) would see nothing.
      const fake = new FakeTair(
        {
          net: listedFrom(5),
          allocate: (n) => {
            throw n === 1 ? apiError("ServiceUnavailable", 503) : apiError(code);
          },
          skewPerStatusMs: 3000,
        },
        clock,
      );
      const out = await run(fake);
      expect(out.connectionString).toBe(`${PREFIX}.redis.rds.aliyuncs.com`);
      expect(fake.count("AllocateDirectConnection")).toBe(2);
      expect(stderr.lines()).toContain(
        `AllocateDirectConnection on ${ID}: alicloud AllocateDirectConnection r-1: ServiceUnavailable`,
      );
      expect(stderr.lines()).toContain("; retrying");
    },
  );

  it("after a lost answer, still throws a fault other than already-exists", async () => {
    clock = new VirtualClock();
    const fake = new FakeTair(
      {
        net: listedFrom(5),
        allocate: (n) => {
          throw n === 1 ? apiError("ServiceUnavailable", 503) : apiError("InvalidConnType");
        },
        skewPerStatusMs: 3000,
      },
      clock,
    );
    await expect(run(fake)).rejects.toMatchObject({ code: "InvalidConnType" });
  });

  it.each(["DirectConnectionAlreadyExists", "ConnectionStringAlreadyExists"])(
    "takes %s as done when the listed endpoint is the one requested",
    async (code) => {
      const fake = new FakeTair({
        net: listedFrom(2),
        allocate: () => {
          throw apiError(code);
        },
      });
      const out = await run(fake);
      expect(out.port).toBe(6379);
      expect(fake.count("AllocateDirectConnection")).toBe(1);
    },
  );

  it("throws already-exists when the listed endpoint is another one", async () => {
    const fake = new FakeTair({
      net: listedFrom(2, "otherprefix1"),
      allocate: () => {
        throw apiError("DirectConnectionAlreadyExists");
      },
    });
    const err = await run(fake).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).code).toBe("DirectConnectionAlreadyExists");
  });

  it("does not allocate when the requested endpoint is already listed", async () => {
    const fake = new FakeTair({ net: listedFrom(1) });
    await run(fake);
    expect(fake.count("AllocateDirectConnection")).toBe(0);
  });
});
