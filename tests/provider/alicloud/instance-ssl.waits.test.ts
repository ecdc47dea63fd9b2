/**
 * `InstanceSSL` against a scripted client (./fake-tair.ts, with `ModifyInstanceSSL` and a changing
 * `DescribeInstanceSSL` added here) and a virtual clock: what the wait after an accepted change takes
 * as done (the SSL state, a renewed certificate, a status change), what it says when it times out,
 * which ModifyInstanceSSL faults count as success, the reconciliation after an ambiguous failure, the
 * direct-endpoint check, and the small decisions of diff, read, update and delete.
 */
import * as clientModule from "../../../provider/alicloud/client";
import type { AlicloudClient, SslChange, SslInfo } from "../../../provider/alicloud/client";
import {
  type InstanceSSLInputs,
  type InstanceSSLOutputs,
  provider,
} from "../../../provider/alicloud/instance-ssl";
import { CloudError, ManagedRedisError } from "../../../provider/core/errors";
import type { PartialFailure } from "../../../provider/core/partial";
import { rejection } from "../../helpers/errors";
import { progressLines } from "../../helpers/stderr";
import { VirtualClock, usePollScale } from "../../helpers/time";
import { FakeTair, apiError, directNet } from "./fake-tair";

const ID = "r-ssl-fake";
const P = "__provider-source__";
const MINUTE = 60_000;
const T1 = "2026-08-05T09:05:53Z";
const T2 = "2027-08-05T09:05:53Z";

usePollScale(0.0001);
const lines = progressLines();
let clock: VirtualClock;
beforeEach(() => {
  clock = new VirtualClock(Date.UTC(2026, 0, 1));
});
// Restores the clock and the defaultClient spy.
afterEach(() => jest.restoreAllMocks());

interface SslScript {
  /** Status of the n-th DescribeInstanceAttribute (default Normal); may change `ssl` or throw. */
  status?: (n: number, ssl: SslInfo) => string;
  /** The n-th ModifyInstanceSSL: may change `ssl`, throw to fail it (default: accepted, nothing changes). */
  modify?: (n: number, change: SslChange, ssl: SslInfo) => void;
  /** Net info of DescribeDBInstanceNetInfo (default none). */
  net?: typeof directNet;
}

/**
 * Makes `defaultClient()` answer from a scripted instance whose SSL starts as `start`; every status
 * look moves the virtual clock one minute.
 */
function install(start: SslInfo, script: SslScript = {}) {
  const ssl: SslInfo = { ...start };
  const tair = new FakeTair(
    {
      status: (n) => script.status?.(n, ssl) ?? "Normal",
      net: script.net ? () => script.net!("directssl01") : undefined,
      skewPerStatusMs: MINUTE,
    },
    clock,
  );
  const changes: SslChange[] = [];
  const client = {
    ...(tair.client as object),
    describeInstanceSSL: async (): Promise<SslInfo> => {
      tair.calls.push("DescribeInstanceSSL");
      return { ...ssl };
    },
    modifyInstanceSSL: async (_id: string, change: SslChange) => {
      tair.calls.push("ModifyInstanceSSL");
      changes.push(change);
      script.modify?.(changes.length, change, ssl);
      return { RequestId: "REQ" };
    },
  };
  jest.spyOn(clientModule, "defaultClient").mockReturnValue(client as unknown as AlicloudClient);
  return { tair, changes, ssl };
}

/** Inputs as check() leaves them (typed as outputs too: update and delete receive the state). */
const inputs = (extra: Partial<InstanceSSLInputs> = {}) =>
  ({
    instanceId: ID,
    enabled: true,
    leaveOnDestroy: false,
    __provider: P,
    ...extra,
  }) as unknown as InstanceSSLOutputs;
const state = (extra: Partial<InstanceSSLOutputs> = {}) =>
  ({ ...inputs(), sslEnabled: true, ...extra }) as InstanceSSLOutputs;
const update = async (olds: InstanceSSLOutputs, news: InstanceSSLOutputs) =>
  (await provider.update!(ID, olds, news)).outs as InstanceSSLOutputs;
const lost = () => {
  throw apiError("ServiceUnavailable", 503, `ModifyInstanceSSL ${ID}`);
};
/** Virtual minutes since `start`. */
const minutesSince = (start: number) => (clock.now - start) / MINUTE;

describe("the wait after an accepted change", () => {
  it("does not take a Normal status as done while SSL still reads the old state", async () => {
    // Look 1 before the send, look 2 still reads SSL off (the status lags behind), look 3 reads it on.
    const { tair } = install(
      { enabled: false },
      { status: (n, ssl) => (n === 3 && (ssl.enabled = true), "Normal") },
    );
    const { outs } = await provider.create(inputs());
    expect(outs).toMatchObject({ enabled: true, sslEnabled: true });
    expect(tair.count("DescribeInstanceSSL")).toBe(3);
  });

  it("waits for the renewed certificate when the status never leaves Normal, and renews without looking for a direct endpoint", async () => {
    const { tair, changes } = install(
      { enabled: true, expiredTime: T1 },
      { status: (n, ssl) => (n === 3 && (ssl.expiredTime = T2), "Normal"), net: directNet },
    );
    const outs = await update(
      state({ certificateRotation: "v1", sslExpiredTime: T1 }),
      inputs({ certificateRotation: "v2" }),
    );
    expect(outs).toMatchObject({ certificateRotation: "v2", sslEnabled: true, sslExpiredTime: T2 });
    expect(changes).toEqual([{ enabled: true, renew: true }]);
    expect(tair.count("DescribeDBInstanceNetInfo")).toBe(0);
  });

  it("takes a status change as the renewal when the cloud reports the same expiry afterwards", async () => {
    const { changes } = install(
      { enabled: true, expiredTime: T1 },
      { status: (n) => (n === 2 ? "SSLModifying" : "Normal") },
    );
    const start = clock.now;
    const outs = await update(
      state({ certificateRotation: "v1" }),
      inputs({ certificateRotation: "v2", timeouts: { update: "10m" } }),
    );
    expect(outs).toMatchObject({ sslEnabled: true, sslExpiredTime: T1 });
    expect(changes).toHaveLength(1);
    // Three status looks: before the send, SSLModifying, Normal.
    expect(minutesSince(start)).toBe(3);
  });

  it("enables SSL without waiting for a new certificate when the old expiry is still reported", async () => {
    // SSL off still reports the expiry of the last certificate, and enabling it again keeps it.
    install({ enabled: false, expiredTime: T1 }, { modify: (_n, _c, ssl) => (ssl.enabled = true) });
    const start = clock.now;
    const { outs } = await provider.create(inputs({ timeouts: { create: "10m" } }));
    expect(outs).toMatchObject({ sslEnabled: true, sslExpiredTime: T1 });
    expect(minutesSince(start)).toBe(2);
  });

  it.each([
    ["SSL", { enabled: false }, {}, "Enabled", "Normal, SSL Disable"],
    [
      "the certificate",
      { enabled: true, expiredTime: T1 },
      { certificateRotation: "v1" },
      "Updated",
      "Normal, certificate not renewed yet",
    ],
  ])(
    "gives up at the update's own deadline when %s does not change, naming the last status",
    async (_what, start, olds, word, last) => {
      // The change shows only after 20 minutes: past the 10 minutes asked for, within the default 40.
      install(start, {
        status: (n, ssl) => {
          if (n === 21) Object.assign(ssl, { enabled: true, expiredTime: T2 });
          return "Normal";
        },
      });
      const t0 = clock.now;
      const err = await rejection<PartialFailure>(
        update(
          state({ ...olds, enabled: start.enabled }),
          inputs({ certificateRotation: "v2", timeouts: { update: "10m" } }),
        ),
      );
      expect(err.id).toBe(ID);
      expect(err.reasons[0]).toMatch(
        new RegExp(
          `^timed out after \\d+s waiting for SSL of ${ID} to be ${word} \\(last status: ${last}\\);`,
        ),
      );
      expect(minutesSince(t0)).toBeLessThanOrEqual(11);
    },
  );
});

describe("ModifyInstanceSSL faults", () => {
  it.each([
    ["enabling", "SSLDisableStateExistsFault", true],
    ["disabling", "SSLEnabledStateExistsFault", false],
    ["enabling", "InvalidParameter", true],
    ["disabling", "InvalidParameter", false],
  ])(
    "%s SSL surfaces %s as it is: not success, and not a partial failure (nothing was accepted)",
    async (_what, code, enabled) => {
      const { tair } = install(
        { enabled: !enabled },
        {
          modify: () => {
            throw apiError(code, 400, `ModifyInstanceSSL ${ID}`);
          },
        },
      );
      const err = await rejection(update(state({ enabled: !enabled }), inputs({ enabled })));
      expect(err).toBeInstanceOf(CloudError);
      expect(err).toMatchObject({ code });
      expect(err).not.toHaveProperty("id");
      expect(tair.count("ModifyInstanceSSL")).toBe(1);
    },
  );
});

describe("after an ambiguous ModifyInstanceSSL failure (a 5xx: the change may have been applied)", () => {
  it("does not resend while the instance reads SSLModifying (the change is under way)", async () => {
    const { tair } = install(
      { enabled: false },
      {
        modify: (n) => (n === 1 ? lost() : undefined),
        status: (n, ssl) => {
          if (n === 2 || n === 3) return "SSLModifying";
          if (n === 4) ssl.enabled = true;
          return "Normal";
        },
      },
    );
    const { outs } = await provider.create(inputs());
    expect(outs).toMatchObject({ sslEnabled: true });
    expect(tair.count("ModifyInstanceSSL")).toBe(1);
  });

  it("does not resend once SSL already reads the wanted state", async () => {
    const { tair } = install(
      { enabled: false },
      {
        modify: (_n, _c, ssl) => {
          ssl.enabled = true;
          lost();
        },
      },
    );
    const { outs } = await provider.create(inputs());
    expect(outs).toMatchObject({ sslEnabled: true });
    expect(tair.count("ModifyInstanceSSL")).toBe(1);
  });

  it("resends when the instance is Normal and SSL still reads the old state, saying so", async () => {
    const { changes } = install(
      { enabled: false },
      { modify: (n, _c, ssl) => (n === 1 ? lost() : (ssl.enabled = true)) },
    );
    const { outs } = await provider.create(inputs());
    expect(outs).toMatchObject({ sslEnabled: true });
    expect(changes).toEqual([{ enabled: true }, { enabled: true }]);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^ModifyInstanceSSL Enable on ${ID}: .*; retrying$`)),
    );
  });
});

describe("the direct-endpoint check", () => {
  it("is made only to enable SSL: disabling it goes ahead while a direct endpoint is listed", async () => {
    const { tair, changes } = install(
      { enabled: true },
      { net: directNet, modify: (_n, _c, ssl) => (ssl.enabled = false) },
    );
    const outs = await update(state(), inputs({ enabled: false }));
    expect(outs).toMatchObject({ enabled: false, sslEnabled: false });
    expect(changes).toEqual([{ enabled: false }]);
    expect(tair.count("DescribeDBInstanceNetInfo")).toBe(0);
  });
});

describe("diff, read, update and delete", () => {
  it("diff reports a change of timeouts alone as an in-place update", async () => {
    const olds = state({ timeouts: { update: "10m" } });
    expect(await provider.diff!(ID, olds, inputs({ timeouts: { update: "20m" } }))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await provider.diff!(ID, olds, inputs())).toMatchObject({ changes: true });
    expect(await provider.diff!(ID, olds, inputs({ timeouts: { update: "10m" } }))).toMatchObject({
      changes: false,
    });
  });

  it("read without any state (an import) derives the inputs from the live setting", async () => {
    install({ enabled: true, expiredTime: T1 });
    const read = await provider.read!(ID, undefined as never);
    expect(read.inputs).toStrictEqual({ instanceId: ID, enabled: true, leaveOnDestroy: false });
    expect(read.props).toMatchObject({ sslEnabled: true, sslExpiredTime: T1 });
  });

  it.each([
    ["kept", "v1", { leaveOnDestroy: true }],
    ["removed", undefined, {}],
  ])(
    "an update with certificateRotation %s does not renew the certificate",
    async (_what, rotation, extra) => {
      const { tair } = install({ enabled: true, expiredTime: T1 });
      const outs = await update(
        state({ certificateRotation: "v1" }),
        inputs({ certificateRotation: rotation, ...extra }),
      );
      expect(outs).toMatchObject({ sslEnabled: true, sslExpiredTime: T1, ...extra });
      expect(tair.count("ModifyInstanceSSL")).toBe(0);
    },
  );

  it("delete reports an error of the wait that is not the provider's own as WaitFailed, with the cause", async () => {
    const cause = new Error("socket closed by the peer");
    install(
      { enabled: true },
      {
        status: (n) => {
          if (n === 2) throw cause;
          return "Normal";
        },
      },
    );
    const err = await rejection<ManagedRedisError>(provider.delete!(ID, state()));
    expect(err).toBeInstanceOf(ManagedRedisError);
    expect(err.code).toBe("WaitFailed");
    expect(err.cause).toBe(cause);
    expect(err.message).toBe(
      `socket closed by the peer (the resource ${ID} exists and is recorded in the state; run \`pulumi up\` again to continue)`,
    );
  });
});
