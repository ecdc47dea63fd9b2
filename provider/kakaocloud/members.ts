/**
 * Adding one shard or replica node for `KakaoShard` and `KakaoReplica`, step one of two.
 *
 * The add-shard and add-replica calls return only the cluster id, so the new member's id is
 * discovered by listing before and after the call, under the cluster's lock. The create returns as
 * soon as the id is known: the stack's state gets it about one API round trip after the call
 * landed, and the long wait (slot migration "may take several hours") happens in step two, an
 * internal `KakaoMemberSettled` resource (./settled.ts) that is safe to repeat. A job killed during
 * the wait, even on a runner that keeps nothing, leaves the member in the state: the next
 * `pulumi up` waits again instead of adding it again. No local state is needed.
 *
 * What remains is the round trip between the call landing and the id being listed and handed to
 * the engine: a job killed in exactly that window leaves a member the state does not know. The API
 * offers no name, tag or idempotency token to find it by, so it cannot be told apart from members
 * other resources own; the create says at once which id it added (a progress line), so it can be
 * found and deleted (dynamic resources cannot be brought into a stack by `pulumi import`).
 */
import { CloudError, StateError } from "../core/errors";
import { sleep } from "../core/http";
import { logProgress } from "../core/log";
import type { KakaoClient } from "./client";
import { classify, type KakaoWait, mutateWhenSettled, noteMemberPending } from "./settle";

/** A shard or node as listed by the API. */
export interface Member {
  id: string;
  status?: string;
}

/**
 * A creation time in milliseconds since the epoch: an RFC 3339 text, or a number of seconds (below
 * 10^11, i.e. before the year 5138) or milliseconds (the document types `createdAt` both ways).
 * Unknown or unreadable: +Infinity (youngest).
 */
export function createdAtMs(value: string | number | undefined): number {
  if (typeof value === "number")
    return Number.isFinite(value) ? (value < 1e11 ? value * 1000 : value) : Infinity;
  if (typeof value === "string" && value !== "") {
    const n = /^\d+(\.\d+)?$/.test(value) ? createdAtMs(Number(value)) : Date.parse(value);
    return Number.isNaN(n) ? Infinity : n;
  }
  return Infinity;
}

/** Oldest first, by `createdAt` (as a time, whatever its type) then id. */
export function byAge(a: Dated, b: Dated): number {
  const d = createdAtMs(a.createdAt) - createdAtMs(b.createdAt);
  return (Number.isNaN(d) ? 0 : d) || a.id.localeCompare(b.id);
}

/** What {@link byAge} orders. */
export interface Dated {
  id: string;
  /** RFC 3339, or a number (epoch seconds or milliseconds). */
  createdAt?: string | number;
}

/** How long the new member may take to show in the list after an accepted call. */
const APPEAR_MS = 30_000;

/**
 * Adds one shard or node and returns its id (call it under the cluster's lock): lists the members,
 * sends the add call once the cluster is free, and finds the one member that was not there before.
 *
 * `before` is the first attempt's list: after an ambiguous failure (reset, 5xx) the next attempt
 * waits for the cluster to settle and looks again, so a member added by a call whose answer was lost
 * is found instead of being added twice; only when none appeared is the call sent again.
 */
export async function addMember<M extends Member>(opts: {
  kind: "shard" | "replica";
  client: KakaoClient;
  clusterId: string;
  wait: KakaoWait;
  /** For messages: `a shard to cluster c-1`. */
  what: string;
  list: () => Promise<M[]>;
  send: () => Promise<unknown>;
  /**
   * The key under which a look that found the new member not settled is recorded for step two
   * (`noteMemberPending` in ./settle.ts): `<clusterId>/<shardId>[/<nodeId>]`.
   */
  memberKey: (id: string) => string;
}): Promise<M> {
  const { kind, clusterId } = opts;
  let before: Set<string> | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      await mutateWhenSettled(opts.client, clusterId, opts.wait, async () => {
        const now = (await opts.list()).map((m) => m.id);
        before ??= new Set(now);
        if (now.some((m) => !before!.has(m))) return; // an earlier attempt landed after all
        await opts.send();
      });
      break;
    } catch (err) {
      if (!(err instanceof CloudError && err.retryable) || attempt >= 4) throw err;
      logProgress(`adding ${opts.what}: ${err.message}; checking whether it was applied`);
    }
  }
  const started = Date.now();
  const appearBy = started + Math.min(APPEAR_MS, opts.wait.timeoutMs);
  for (;;) {
    const lookedAt = Date.now();
    const added = (await opts.list()).filter((m) => !before!.has(m.id));
    if (added.length === 1) {
      if (classify(added[0].status) !== "settled") noteMemberPending(opts.memberKey(added[0].id), lookedAt);
      return added[0];
    }
    if (added.length > 1 || Date.now() >= appearBy) {
      const [members, parent, member] =
        kind === "shard" ? ["shards", "cluster", "shard"] : ["nodes", "shard", "node"];
      // Nothing reaches the state, and the next `pulumi up` adds a new one: say what to clean up.
      throw new StateError(
        "Conflict",
        `added ${opts.what} but found ${added.length} new ${members}; ` +
          (added.length > 1
            ? `another client changed the ${parent} at the same time (new: ${added.map((m) => m.id).join(", ")}). ` +
              `None of them is in this stack's state: delete the one this stack added before the next \`pulumi up\`, which adds another`
            : `the API accepted the call but listed no new ${member} within ${Math.round((appearBy - started) / 1000)} s. ` +
              `If one shows later it is not in this stack's state: delete it before the next \`pulumi up\`, which adds another`),
      );
    }
    await sleep(500);
  }
}
