/**
 * Unit tests of ./provider/kakaocloud/settle.ts with a scripted client (./fake-kakao-settle.ts):
 * status classification and member labels, the settle children's `diff`, the outcomes and messages of `waitClusterSettled`,
 * `waitClusterGone` and `mutateWhenSettled`, the evidence rule after an accepted change (at its
 * exact boundaries, with a frozen clock), and how looks of one waiter end or wake the others.
 */
import { WaitFailedError, WaitTimeoutError } from "../../../provider/core/errors";
import {
  classify,
  isLeaving,
  mutateWhenSettled,
  settleChildDiff,
  unsettledMember,
  waitClusterGone,
  waitClusterSettled,
} from "../../../provider/kakaocloud/settle";
import { noteAccepted, shardGone } from "../../../provider/kakaocloud/evidence";
import { UNKNOWN } from "../../../provider/core/validation";
import { rejection } from "../../helpers/errors";
import { VirtualClock, usePollScale } from "../../helpers/time";
import { badRequest, busyError, FakeKakao, running, sleep, within } from "./fake-kakao-settle";

afterEach(() => jest.restoreAllMocks());

describe("settleChildDiff (KakaoMemberSettled, KakaoClusterSettled)", () => {
  const diff = settleChildDiff(["clusterId", "shardId"], ["port", "timeouts"]);
  const olds = { __provider: "old text", clusterId: "c", shardId: "001", port: 6379, status: "Running" };
  const news = { __provider: "new text", clusterId: "c", shardId: "001", port: 6379 };
  const none = { changes: false, replaces: [], deleteBeforeReplace: false };

  test("no change when what it waits for and its in-place fields are the same and it settled", async () => {
    expect(await diff("id", olds, news)).toEqual(none);
  });
  test("another value of an identity field replaces it", async () => {
    expect(await diff("id", olds, { ...news, shardId: "002" })).toEqual({
      changes: true,
      replaces: ["shardId"],
      deleteBeforeReplace: false,
    });
  });
  test("an identity field unknown at preview (its parent replaced) replaces it; an in-place one updates", async () => {
    expect(await diff("id", olds, { ...news, clusterId: UNKNOWN })).toEqual({
      changes: true,
      replaces: ["clusterId"],
      deleteBeforeReplace: false,
    });
    expect(await diff("id", olds, { ...news, port: UNKNOWN })).toEqual({ ...none, changes: true });
  });
  test("another value of an in-place field, or a recorded status not settled, is an update", async () => {
    expect(await diff("id", olds, { ...news, port: 6380 })).toEqual({ ...none, changes: true });
    expect(await diff("id", olds, { ...news, timeouts: { create: "1h" } })).toEqual({
      ...none,
      changes: true,
    });
    expect(await diff("id", { ...olds, status: "Creating" }, news)).toEqual({ ...none, changes: true });
    expect(await diff("id", { ...olds, status: undefined }, news)).toEqual({ ...none, changes: true });
  });
});

describe("classify, isLeaving, unsettledMember", () => {
  test("classify: only a whole running/available is settled; error or fail is failed", () => {
    expect(classify(undefined)).toBe("pending");
    expect(classify("")).toBe("pending");
    expect(classify("Running")).toBe("settled");
    expect(classify("AVAILABLE")).toBe("settled");
    expect(classify("NotRunning")).toBe("pending");
    expect(classify("Running-ish")).toBe("pending");
    expect(classify("CreateFailed")).toBe("failed");
    expect(classify("Error")).toBe("failed");
    expect(classify("Creating")).toBe("pending");
  });

  test("isLeaving: Deleting and Deleted, nothing else", () => {
    expect(isLeaving("Deleting")).toBe(true);
    expect(isLeaving("deleted")).toBe(true);
    expect(isLeaving("Running")).toBe(false);
    expect(isLeaving(undefined)).toBe(false);
  });

  test("unsettledMember: labels the first shard or node not settled", () => {
    expect(unsettledMember([running("001"), { id: "002", status: "Running" }])).toBeUndefined();
    expect(unsettledMember([running("001"), { id: "002" }])).toEqual({
      label: "shard 002 unknown",
      state: "pending",
    });
    expect(unsettledMember([running("001", "Error")])).toEqual({ label: "shard 001 Error", state: "failed" });
    expect(
      unsettledMember([
        { id: "001", status: "Running", nodes: [{ id: "n-1", name: "redis-1", status: "Creating" }] },
      ]),
    ).toEqual({ label: "node redis-1 Creating", state: "pending" });
    expect(unsettledMember([{ id: "001", status: "Running", nodes: [{ id: "n-1" }] }])).toEqual({
      label: "node n-1 unknown",
      state: "pending",
    });
  });
});

describe("waitClusterSettled outcomes", () => {
  usePollScale(0.01);

  test("a cluster that no longer exists fails the wait, named by the default what", async () => {
    const fake = new FakeKakao([null]);
    await expect(waitClusterSettled(fake.client, "c-gone", { timeoutMs: 1_000 })).rejects.toThrow(
      new WaitFailedError(
        "cluster c-gone to settle (Running)",
        "NotFound",
        "cluster c-gone no longer exists",
      ),
    );
  });

  test("a failed cluster status fails the wait with that status, under the caller's what", async () => {
    const fake = new FakeKakao(["Error"]);
    const err = await waitClusterSettled(fake.client, "c-err", { timeoutMs: 1_000, what: "my thing" }).catch(
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(WaitFailedError);
    expect((err as Error).message).toBe("my thing failed with status Error");
    expect(fake.requests).toEqual(["getCluster"]);
  });

  test("a busy cluster times out with its status as the last one", async () => {
    const fake = new FakeKakao(["Scaling"]);
    const err = await waitClusterSettled(fake.client, "c-busy", { timeoutMs: 60 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toContain(
      "waiting for cluster c-busy to settle (Running) (last status: cluster Scaling)",
    );
  });

  test("a Running cluster with a member still being created keeps waiting on that member", async () => {
    const fake = new FakeKakao(["Running"], [[running("001"), running("002", "Creating")]]);
    const err = await waitClusterSettled(fake.client, "c-member", { timeoutMs: 60 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toContain("(last status: shard 002 Creating)");
  });

  test("a member that failed fails the wait, named by its label", async () => {
    const fake = new FakeKakao(["Running"], [[running("001"), running("002", "Error")]]);
    await expect(waitClusterSettled(fake.client, "c-mfail", { timeoutMs: 1_000 })).rejects.toThrow(
      "cluster c-mfail to settle (Running) failed with status shard 002 Error",
    );
    const fake2 = new FakeKakao(
      ["Running"],
      [[{ id: "001", status: "Running", nodes: [{ id: "n", status: "Failed" }] }]],
    );
    await expect(waitClusterSettled(fake2.client, "c-nfail", { timeoutMs: 1_000 })).rejects.toThrow(
      "failed with status node n Failed",
    );
  });

  test("resolves with the shards once the members settle, not before", async () => {
    const fake = new FakeKakao(
      ["Running"],
      [[running("001", "Creating")], [running("001", "Creating")], [running("001")]],
    );
    const shards = await waitClusterSettled(fake.client, "c-later", { timeoutMs: 5_000 });
    expect(shards).toEqual([running("001")]);
    expect(fake.looks).toBe(3);
  });
});

describe("waitClusterSettled after an accepted change", () => {
  usePollScale(0.01);

  test("a Running look that does not show the accepted change never ends the wait, however long", async () => {
    const clock = new VirtualClock(1_700_000_000_000);
    const fake = new FakeKakao(["Running"], [[running("001"), running("009")]]);
    // Every look is a minute later: no time after the acceptance makes a stale look count.
    fake.afterGetCluster = () => clock.advance(60_000);
    const acceptedAt = clock.now;
    noteAccepted("c-stale", { what: "shard 009 to be no longer listed", shows: shardGone("009") });
    const err = await waitClusterSettled(fake.client, "c-stale", {
      timeoutMs: 600_000,
      acceptedAt,
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toContain(
      "(last status: Running, waiting for shard 009 to be no longer listed)",
    );
    expect(fake.looks).toBeGreaterThanOrEqual(10);
  });

  test("the first settled look that shows the change ends the wait", async () => {
    const fake = new FakeKakao(
      ["Running"],
      [[running("001"), running("009")], [running("001"), running("009", "Deleting")], [running("001")]],
    );
    const acceptedAt = Date.now();
    noteAccepted("c-gone", { what: "shard 009 to be no longer listed", shows: shardGone("009") });
    const shards = await waitClusterSettled(fake.client, "c-gone", { timeoutMs: 2_000, acceptedAt });
    expect(shards).toEqual([running("001")]);
    expect(fake.looks).toBe(3);
  });

  test("changes accepted before the wait's acceptedAt are not waited for", async () => {
    noteAccepted("c-old", { what: "never shown", shows: () => false });
    const fake = new FakeKakao(["Running"]);
    await waitClusterSettled(fake.client, "c-old", { timeoutMs: 1_000, acceptedAt: Date.now() + 1 });
    expect(fake.looks).toBe(1);
  });

  test("a member not yet Running keeps the wait going; the next settled look ends it", async () => {
    const fake = new FakeKakao(["Running"], [[running("001", "Creating")], [running("001")]]);
    const started = Date.now();
    const shards = await waitClusterSettled(fake.client, "c-seen", {
      timeoutMs: 2_000,
      acceptedAt: Date.now(),
    });
    expect(shards).toEqual([running("001")]);
    expect(fake.looks).toBe(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test("a change whose answer was lost counts as not applied exactly unseenWait after its call", async () => {
    const clock = new VirtualClock(1_700_000_000_000);
    process.env.PULUMI_MANAGED_REDIS_UNSEEN_WAIT = "10s";
    try {
      noteAccepted("c-lost", { what: "the new shard to be listed", shows: () => false, unsure: true });
      const fake = new FakeKakao(["Running"]);
      // Each look is 1 ms later than the one before; the first starts 9.998 s after the call.
      clock.advance(9_998);
      fake.afterGetCluster = () => clock.advance(1);
      await waitClusterSettled(fake.client, "c-lost", { timeoutMs: 60_000, acceptedAt: clock.now - 9_998 });
      expect(fake.looks).toBe(3); // at +9998 and +9999 not yet; at +10000 it counts
    } finally {
      delete process.env.PULUMI_MANAGED_REDIS_UNSEEN_WAIT;
    }
  });

  test("a new cluster not listed yet is waited for; one seen before and gone is a failure", async () => {
    const fake = new FakeKakao([null, null, "Creating", "Running"]);
    await waitClusterSettled(fake.client, "c-new", { timeoutMs: 2_000, acceptedAt: Date.now() });
    expect(fake.looks).toBe(4);
    const gone = new FakeKakao([null]);
    const err = await rejection(
      waitClusterSettled(gone.client, "c-new", { timeoutMs: 2_000, acceptedAt: Date.now() }),
    );
    expect(err).toBeInstanceOf(WaitFailedError);
    expect(err.message).toContain("no longer exists");
  });

  test("a recorded look made at exactly `since` does not end the wait; a later one does", async () => {
    const clock = new VirtualClock(1_700_000_000_000);
    const fake = new FakeKakao(["Running"]);
    const first = await waitClusterSettled(fake.client, "c-since", { timeoutMs: 1_000 });
    const own = await waitClusterSettled(fake.client, "c-since", { timeoutMs: 1_000, since: clock.now });
    expect(own).not.toBe(first);
    expect(fake.looks).toBe(2);
    const taken = await waitClusterSettled(fake.client, "c-since", {
      timeoutMs: 1_000,
      since: clock.now - 1,
    });
    expect(taken).toBe(first); // the look at `since` found it settled too, but no later than the first
    expect(fake.looks).toBe(2);
  });

  test("of two settled looks at the same time the first is kept; a later one replaces it", async () => {
    const clock = new VirtualClock(1_700_000_000_000);
    const fake = new FakeKakao(["Running"]);
    const a = await waitClusterSettled(fake.client, "c-order", { timeoutMs: 1_000 });
    const b = await waitClusterSettled(fake.client, "c-order", { timeoutMs: 1_000 });
    expect(b).not.toBe(a);
    expect(await waitClusterSettled(fake.client, "c-order", { timeoutMs: 1_000, since: clock.now - 1 })).toBe(
      a,
    );
    clock.advance(1);
    const c = await waitClusterSettled(fake.client, "c-order", { timeoutMs: 1_000 });
    expect(await waitClusterSettled(fake.client, "c-order", { timeoutMs: 1_000, since: clock.now - 1 })).toBe(
      c,
    );
    expect(fake.looks).toBe(3);
  });

  test("another waiter's later look that does not show the change does not end it, even after `since`", async () => {
    const clock = new VirtualClock(1_700_000_000_000);
    const slow = new FakeKakao(["Running"]);
    const cid = "c-before-seen";
    const accepted = clock.now;
    noteAccepted(cid, {
      what: "shard 002 to be listed",
      shows: (look) => look.shards.some((x) => x.id === "002"),
    });
    // Another waiter's look starts at accepted+10, finds Running, but is recorded only later.
    clock.advance(10);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const other = {
      ...slow.client,
      getCluster: async (id: string) => (await gate, { id, status: "Running" }),
    };
    const otherLook = waitClusterSettled(other as never, cid, { timeoutMs: 1_000 });
    // The other look (started at +10) is recorded without shard 002; this wait's looks list it.
    clock.advance(10);
    const fake = new FakeKakao(["Scaling", "Running"], [[running("001"), running("002")]]);
    const mine = waitClusterSettled(fake.client, cid, {
      timeoutMs: 1_000,
      since: accepted,
      acceptedAt: accepted,
    });
    await sleep(5);
    release();
    const recorded = await otherLook;
    clock.advance(10);
    const shards = await mine;
    expect(shards).not.toBe(recorded);
    expect(fake.looks).toBe(2);
  });
});

describe("wake-ups between waiters (intervals of 4 s)", () => {
  usePollScale(10);

  test("a settled look wakes every waiter with `since` on the cluster", async () => {
    const fake = new FakeKakao(["Scaling"]);
    const since = Date.now();
    const a = waitClusterSettled(fake.client, "c-wake2", { timeoutMs: 60_000, since });
    const b = waitClusterSettled(fake.client, "c-wake2", { timeoutMs: 60_000, since });
    await sleep(30);
    fake.clusters = ["Running"];
    const c = await waitClusterSettled(fake.client, "c-wake2", { timeoutMs: 60_000 });
    expect(await within(a, 1_000)).toBe(c);
    expect(await within(b, 1_000)).toBe(c);
  });

  test("a waiter that gave up does not take the others' wake-ups with it", async () => {
    const fake = new FakeKakao(["Scaling"]);
    const since = Date.now();
    const a = waitClusterSettled(fake.client, "c-wake3", { timeoutMs: 50, since }).catch((e: Error) => e);
    const b = waitClusterSettled(fake.client, "c-wake3", { timeoutMs: 60_000, since });
    expect(await a).toBeInstanceOf(WaitTimeoutError);
    fake.clusters = ["Running"];
    const c = await waitClusterSettled(fake.client, "c-wake3", { timeoutMs: 60_000 });
    expect(await within(b, 1_000)).toBe(c);
  });

  test("a waiter without `since` is not woken by another look", async () => {
    const fake = new FakeKakao(["Scaling", "Running"]);
    const abort = new AbortController();
    let done = false;
    const a = waitClusterSettled(fake.client, "c-nowake", { timeoutMs: 60_000, signal: abort.signal }).then(
      () => (done = true),
      () => "aborted",
    );
    await sleep(30);
    await waitClusterSettled(fake.client, "c-nowake", { timeoutMs: 60_000 });
    await sleep(150);
    expect(done).toBe(false);
    expect(fake.requests).toEqual(["getCluster", "getCluster", "listShards"]);
    abort.abort();
    expect(await a).toBe("aborted");
  });
});

describe("waitClusterGone", () => {
  usePollScale(0.01);

  test("resolves once the cluster is gone", async () => {
    const fake = new FakeKakao(["Deleting", null]);
    await expect(waitClusterGone(fake.client, "c-del", { timeoutMs: 1_000 })).resolves.toBeUndefined();
    expect(fake.looks).toBe(2);
  });

  test("a failed status fails the wait", async () => {
    const fake = new FakeKakao(["Deleting", "DeleteFailed"]);
    await expect(waitClusterGone(fake.client, "c-delf", { timeoutMs: 1_000 })).rejects.toThrow(
      new WaitFailedError("cluster c-delf to be deleted", "DeleteFailed"),
    );
  });

  test("times out with the last status, or unknown", async () => {
    const msg = async (status: string | undefined) =>
      (await rejection(waitClusterGone(new FakeKakao([status]).client, "c-delt", { timeoutMs: 40 }))).message;
    expect(await msg("Deleting")).toContain(
      "waiting for cluster c-delt to be deleted (last status: Deleting)",
    );
    expect(await msg(undefined)).toContain("waiting for cluster c-delt to be deleted (last status: unknown)");
  });
});

describe("mutateWhenSettled", () => {
  usePollScale(0.01);

  test("by default waits for the cluster to settle before the call", async () => {
    const fake = new FakeKakao(["Scaling", "Scaling", "Running"]);
    const looksAtCall: number[] = [];
    const out = await mutateWhenSettled(fake.client, "c-mut", { timeoutMs: 2_000 }, async () => {
      looksAtCall.push(fake.looks);
      return "sent";
    });
    expect(out).toBe("sent");
    expect(looksAtCall).toEqual([3]);
  });

  test("settleFirst: false calls at once", async () => {
    const fake = new FakeKakao(["Scaling"]);
    const out = await mutateWhenSettled(fake.client, "c-mut0", { timeoutMs: 2_000 }, async () => fake.looks, {
      settleFirst: false,
    });
    expect(out).toBe(0);
  });

  test("the settle wait says the cluster must be free for the next change", async () => {
    const fake = new FakeKakao(["Error"]);
    await expect(
      mutateWhenSettled(fake.client, "c-mutf", { timeoutMs: 2_000 }, async () => 1),
    ).rejects.toThrow("cluster c-mutf to be free for the next change failed with status Error");
  });

  test("the settle wait keeps the caller's deadline", async () => {
    const fake = new FakeKakao(["Scaling"]);
    const out = await within(
      mutateWhenSettled(fake.client, "c-mutd", { timeoutMs: 100 }, async () => 1),
      1_500,
    );
    expect(out).toBeInstanceOf(WaitTimeoutError);
  });

  test("busy: waits for the cluster again and retries; another error is thrown at once", async () => {
    const fake = new FakeKakao(["Running"]);
    let calls = 0;
    const out = await mutateWhenSettled(fake.client, "c-mutb", { timeoutMs: 2_000 }, async () => {
      if (++calls === 1) throw busyError();
      return calls;
    });
    expect(out).toBe(2);
    calls = 0;
    await expect(
      mutateWhenSettled(fake.client, "c-mutb", { timeoutMs: 2_000 }, async () => {
        calls++;
        throw badRequest();
      }),
    ).rejects.toThrow("nope");
    expect(calls).toBe(1);
  });

  test("busy at the deadline is thrown, not retried", async () => {
    new VirtualClock(1_700_000_000_000);
    const fake = new FakeKakao(["Running"]);
    let calls = 0;
    const err = await mutateWhenSettled(
      fake.client,
      "c-mutdl",
      { timeoutMs: 0 },
      async () => {
        if (++calls === 1) throw busyError();
        return calls;
      },
      { settleFirst: false },
    ).catch((e: Error) => e);
    expect(err).toMatchObject({ httpStatus: 409, refused: true });
    expect(calls).toBe(1);
  });
});
