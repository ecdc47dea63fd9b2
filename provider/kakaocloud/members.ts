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
import { deadlineAfter, remainingMs } from "../core/deadline";
import { CloudError, StateError, WaitFailedError, WaitTimeoutError } from "../core/errors";
import { logProgress } from "../core/log";
import { waitFor } from "../core/waiter";
import type { KakaoClient } from "./client";
import { noteListed } from "./evidence";
import { type KakaoWait, mutateWhenSettled } from "./settle";

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

/**
 * Adds one shard or node and returns it (call it under the cluster's lock): lists the members,
 * sends the add call once the cluster is free, and waits until exactly one member that was not
 * there before is listed — the evidence that the call took effect, however long the cloud's reads
 * lag — bounded by the operation's own timeout (`wait.timeoutMs`, from the start of the call).
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
   * The key under which the new member is recorded as listed for step two (`noteListed` in
   * ./evidence.ts): `<clusterId>/<shardId>[/<nodeId>]`.
   */
  memberKey: (id: string) => string;
}): Promise<M> {
  const { kind, clusterId } = opts;
  const deadline = deadlineAfter(opts.wait.timeoutMs);
  let before: Set<string> | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      await mutateWhenSettled(
        opts.client,
        clusterId,
        { ...opts.wait, timeoutMs: remainingMs(deadline) },
        async () => {
          const now = (await opts.list()).map((m) => m.id);
          before ??= new Set(now);
          if (now.some((m) => !before!.has(m))) return; // an earlier attempt landed after all
          await opts.send();
        },
      );
      break;
    } catch (err) {
      if (!(err instanceof CloudError && err.retryable) || attempt >= 4) throw err;
      logProgress(`adding ${opts.what}: ${err.message}; checking whether it was applied`);
    }
  }
  const [members, parent, member] =
    kind === "shard" ? ["shards", "cluster", "shard"] : ["nodes", "shard", "node"];
  const started = Date.now();
  let added: M[] = [];
  try {
    const found = await waitFor<M>(
      async () => {
        added = (await opts.list()).filter((m) => !before!.has(m.id));
        if (added.length === 1) return { state: "done", value: added[0] };
        if (added.length > 1) return { state: "failed", status: `${added.length} new ${members}` };
        return { state: "pending", status: `no new ${member} listed yet` };
      },
      {
        what: `the ${member} added (${opts.what}) to be listed`,
        timeoutMs: remainingMs(deadline),
        maxIntervalMs: opts.wait.maxIntervalMs,
        signal: opts.wait.signal,
      },
    );
    noteListed(opts.memberKey(found.id));
    return found;
  } catch (err) {
    if (!(err instanceof WaitTimeoutError || err instanceof WaitFailedError)) throw err;
    // Nothing reaches the state, and the next `pulumi up` adds a new one: say what to clean up.
    throw new StateError(
      "Conflict",
      `added ${opts.what} but found ${added.length} new ${members}; ` +
        (added.length > 1
          ? `another client changed the ${parent} at the same time (new: ${added.map((m) => m.id).join(", ")}). ` +
            `None of them is in this stack's state: delete the one this stack added before the next \`pulumi up\`, which adds another`
          : `the API accepted the call but listed no new ${member} within the operation's timeout ` +
            `(${Math.round((Date.now() - started) / 1000)} s after the call). ` +
            `If one shows later it is not in this stack's state: delete it before the next \`pulumi up\`, which adds another`),
      { cause: err },
    );
  }
}
