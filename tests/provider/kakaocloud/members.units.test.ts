/**
 * Unit tests of ./provider/kakaocloud/members.ts with a scripted client (./fake-kakao-settle.ts):
 * how `createdAtMs` reads creation times, and how `addMember` retries an ambiguous failure (finding
 * a member whose answer was lost instead of adding it twice), gives up, waits for the new member to
 * be listed and reports what to clean up when it cannot tell which member it added.
 */
import { StateError } from "../../../provider/core/errors";
import { addMember, createdAtMs, type Member } from "../../../provider/kakaocloud/members";
import { VirtualClock, usePollScale } from "../../helpers/time";
import { badRequest, FakeKakao, serverError } from "./fake-kakao-settle";

describe("createdAtMs", () => {
  test("numbers: seconds below 10^11, milliseconds from there on, non-finite is youngest", () => {
    expect(createdAtMs(1_700_000_000)).toBe(1_700_000_000_000);
    expect(createdAtMs(99_999_999_999)).toBe(99_999_999_999_000);
    expect(createdAtMs(1e11)).toBe(1e11);
    expect(createdAtMs(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(createdAtMs(NaN)).toBe(Infinity);
    expect(createdAtMs(Infinity)).toBe(Infinity);
  });

  test("texts: numbers of seconds (with a fraction), dates, and nothing readable", () => {
    expect(createdAtMs("1700000000")).toBe(1_700_000_000_000);
    expect(createdAtMs("7")).toBe(7_000);
    expect(createdAtMs("1700000000.25")).toBe(1_700_000_000_250);
    expect(createdAtMs("1700000000.5")).toBe(1_700_000_000_500);
    expect(createdAtMs("1700000000123")).toBe(1_700_000_000_123);
    expect(createdAtMs("2024-01-01T00:00:00Z")).toBe(Date.parse("2024-01-01T00:00:00Z"));
    expect(createdAtMs("2024-01-01 10:00")).toBe(Date.parse("2024-01-01 10:00"));
    expect(createdAtMs("yesterday")).toBe(Infinity);
    expect(createdAtMs("")).toBe(Infinity);
    expect(createdAtMs(undefined)).toBe(Infinity);
  });
});

usePollScale(0.01);
afterEach(() => jest.restoreAllMocks());

/**
 * A member list and an add call: `send` runs `effects[i]` on its i-th call (default: add the next
 * member), `list` answers from `views` once they are set (one per look, the last repeating), else
 * with the members added so far.
 */
function scripted(opts: { effects?: (() => void)[]; views?: Member[][] } = {}) {
  const members: Member[] = [{ id: "001", status: "Running" }];
  let sends = 0;
  let n = 1;
  const views = opts.views ? [...opts.views] : undefined;
  let viewsOn = false;
  return {
    get sends() {
      return sends;
    },
    startViews() {
      viewsOn = true;
    },
    list: async () => {
      if (viewsOn && views) return views.length > 1 ? views.shift()! : views[0];
      return [...members];
    },
    send: async () => {
      const effect = opts.effects?.[sends];
      sends++;
      if (effect) effect();
      else members.push({ id: `00${++n}`, status: "Creating" });
    },
    members,
  };
}

function base(kind: "shard" | "replica", clusterId: string, timeoutMs = 5_000) {
  return {
    kind,
    client: new FakeKakao(["Running"]).client,
    clusterId,
    wait: { timeoutMs },
    what: kind === "shard" ? `a shard to cluster ${clusterId}` : `a replica to shard 001`,
    memberKey: (id: string) => `${clusterId}/${id}`,
  };
}

describe("addMember retries", () => {
  test("a retryable failure is tried four times, then thrown", async () => {
    const fail = () => {
      throw serverError();
    };
    const s = scripted({ effects: [fail, fail, fail, fail, fail] });
    await expect(addMember({ ...base("shard", "m-1"), ...s })).rejects.toThrow("bad gateway");
    expect(s.sends).toBe(4);
  });

  test("a non-retryable failure is thrown at once", async () => {
    const s = scripted({
      effects: [
        () => {
          throw badRequest();
        },
      ],
    });
    await expect(addMember({ ...base("shard", "m-2"), ...s })).rejects.toThrow("nope");
    expect(s.sends).toBe(1);
    const t = scripted({
      effects: [
        () => {
          throw new Error("plain");
        },
      ],
    });
    await expect(addMember({ ...base("shard", "m-2"), ...t })).rejects.toThrow("plain");
    expect(t.sends).toBe(1);
  });

  test("a call whose answer was lost but that landed is found, not sent again", async () => {
    const writes: string[] = [];
    jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const s = scripted({
      effects: [
        () => {
          s.members.push({ id: "002", status: "Creating" });
          throw serverError();
        },
      ],
    });
    const added = await addMember({ ...base("shard", "m-3"), ...s });
    expect(added).toEqual({ id: "002", status: "Creating" });
    expect(s.sends).toBe(1);
    expect(writes.join("")).toContain(
      "adding a shard to cluster m-3: kakaocloud: InternalError: bad gateway (HTTP 502); checking whether it was applied",
    );
  });

  test("a retryable failure that did not land is sent again", async () => {
    const s = scripted({
      effects: [
        () => {
          throw serverError();
        },
      ],
    });
    const added = await addMember({ ...base("shard", "m-4"), ...s });
    expect(added.id).toBe("002");
    expect(s.sends).toBe(2);
  });
});

describe("addMember discovery", () => {
  const nothing = () => undefined;

  test("a member listed only on a later look is returned", async () => {
    const one = { id: "002", status: "Running" };
    const s = scripted({ effects: [() => s.startViews()], views: [[], [one]] });
    const added = await addMember({ ...base("shard", "m-5"), ...s });
    expect(added).toEqual(one);
  });

  test("two new members on the first look: a conflict at once, even if one goes away later", async () => {
    const s = scripted({
      effects: [() => s.startViews()],
      views: [[{ id: "002" }, { id: "003" }], [{ id: "002" }]],
    });
    const err = await addMember({ ...base("shard", "m-6", 60_000), ...s }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toContain("found 2 new shards; another client changed the cluster");
  });

  test("at the appearance deadline exactly, no new member is a conflict", async () => {
    new VirtualClock(1_700_000_000_000);
    const s = scripted({ effects: [() => s.startViews()], views: [[], [{ id: "002" }]] });
    const err = await addMember({ ...base("shard", "m-7", 0), ...s }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toContain(
      "found 0 new shards; the API accepted the call but listed no new shard within the operation's timeout (0 s after the call)",
    );
  });

  test("a replica's messages speak of nodes and the shard", async () => {
    const none = scripted({ effects: [nothing] });
    const err0 = await addMember({ ...base("replica", "m-8", 1), ...none }).catch((e: Error) => e);
    expect((err0 as Error).message).toBe(
      "added a replica to shard 001 but found 0 new nodes; the API accepted the call but listed no new node " +
        "within the operation's timeout (0 s after the call). If one shows later it is not in this stack's state: delete it before the next `pulumi up`, " +
        "which adds another",
    );
    const two = scripted({ effects: [() => two.startViews()], views: [[{ id: "n-4" }, { id: "n-5" }]] });
    const err2 = await addMember({ ...base("replica", "m-8"), ...two }).catch((e: Error) => e);
    expect((err2 as Error).message).toContain(
      "found 2 new nodes; another client changed the shard at the same time (new: n-4, n-5)",
    );
  });
});
