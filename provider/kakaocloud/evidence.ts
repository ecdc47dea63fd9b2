/**
 * Evidence that a change the KakaoCloud API accepted took effect. No document bounds how long a
 * read may lag behind an accepted change — a read right after it may show the cluster as it was
 * before, `Running` and all — so a wait after a change ends on a look that shows the change, never
 * on a guess of the lag: the new shard or node listed, the deleted one no longer listed, the
 * patched fields read back. The client records each accepted mutation here (./client.ts), with the
 * look of the cluster it started from, so every caller — `KakaoShard`, `KakaoReplica`, resharding,
 * an update, a delete — waits by the same rule.
 *
 * The one exception is a call whose answer was lost (a reset, a 5xx): a look that does not show it
 * cannot tell "not applied" from "not visible yet", so it counts as not applied after
 * `unseenWaitMs()` (../core/waiter.ts: an input, default 30 s), and the caller's next look
 * decides.
 */
import { unseenWaitMs } from "../core/waiter";
import type { ApiCluster, ApiShard } from "./client";

/** One look at a cluster: the cluster and its shards (with their nodes), as read together. */
export interface ClusterLook {
  cluster: ApiCluster;
  shards: ApiShard[];
}

/** A change the API accepted (or may have: `unsure`), and what a look shows once it took effect. */
export interface AcceptedChange {
  /** When the answer arrived (ms). */
  at: number;
  /** In words, for progress lines: `shard 003 to be deleted`. */
  what: string;
  shows(look: ClusterLook): boolean;
  /** The answer was lost: the change may not have been applied. */
  unsure?: boolean;
}

const accepted = new Map<string, AcceptedChange[]>();
const latest = new Map<string, ClusterLook>();
const seen = new Set<string>();

/** Records a look at a cluster (the latest one is what the next accepted change starts from). */
export function noteLook(clusterId: string, look: ClusterLook): void {
  latest.set(clusterId, look);
  seen.add(clusterId);
}

/** Records that a look found the cluster (its members not listed). */
export function noteSeen(clusterId: string): void {
  seen.add(clusterId);
}

/** Whether a look of this process has found the cluster (a new cluster may not be listed at once). */
export function seenCluster(clusterId: string): boolean {
  return seen.has(clusterId);
}

/** The latest look of this process at the cluster, if any. */
export function lastLook(clusterId: string): ClusterLook | undefined {
  return latest.get(clusterId);
}

/** Records an accepted change of a cluster (the client calls this after each mutation's answer). */
export function noteAccepted(clusterId: string, change: Omit<AcceptedChange, "at">): void {
  const list = accepted.get(clusterId) ?? [];
  list.push({ ...change, at: Date.now() });
  // A wait needs the changes accepted since it started; older ones only matter for a while.
  if (list.length > 64) list.splice(0, list.length - 64);
  accepted.set(clusterId, list);
}

const listed = new Set<string>();

/**
 * Records that a look of this process listed a new member (`<clusterId>/<shardId>[/<nodeId>]`):
 * a later look that does not list it shows that it is gone, not that the read lags.
 */
export function noteListed(member: string): void {
  listed.add(member);
}

/** Whether a look of this process listed the member (see {@link noteListed}). */
export function wasListed(member: string): boolean {
  return listed.has(member);
}

/**
 * The first change accepted at or after `since` that `look` (made at `lookedAt`) does not show yet,
 * as words; `undefined` when the look shows them all. An unsure change counts as shown once
 * `unseenWaitMs()` have passed since its failed call.
 */
export function unshownChange(
  clusterId: string,
  since: number,
  look: ClusterLook,
  lookedAt = Date.now(),
): string | undefined {
  for (const change of accepted.get(clusterId) ?? []) {
    if (change.at < since || change.shows(look)) continue;
    if (change.unsure && lookedAt >= change.at + unseenWaitMs()) continue;
    return change.what;
  }
  return undefined;
}

const ids = (items: { id: string }[] | undefined) => new Set((items ?? []).map((m) => m.id));

/** Evidence of an added shard: a shard listed that the look before the call did not list. */
export function shardAdded(before: ClusterLook | undefined): AcceptedChange["shows"] {
  const known = ids(before?.shards);
  return (look) => look.shards.some((s) => !known.has(s.id));
}

/** Evidence of a deleted shard: it is no longer listed. */
export function shardGone(shardId: string): AcceptedChange["shows"] {
  return (look) => !look.shards.some((s) => s.id === shardId);
}

/** Evidence of an added node: the shard lists a node the look before the call did not list. */
export function nodeAdded(shardId: string, before: ClusterLook | undefined): AcceptedChange["shows"] {
  const known = ids(before?.shards.find((s) => s.id === shardId)?.nodes);
  return (look) => (look.shards.find((s) => s.id === shardId)?.nodes ?? []).some((n) => !known.has(n.id));
}

/** Evidence of a deleted node: the shard no longer lists it. */
export function nodeGone(shardId: string, nodeId: string): AcceptedChange["shows"] {
  return (look) => !(look.shards.find((s) => s.id === shardId)?.nodes ?? []).some((n) => n.id === nodeId);
}

/** Evidence of a PATCH: every patched field reads back its new value. */
export function fieldsRead(patch: {
  description?: string;
  parameterGroupId?: string;
}): AcceptedChange["shows"] {
  return ({ cluster }) =>
    (patch.description === undefined || (cluster.description ?? "") === patch.description) &&
    (patch.parameterGroupId === undefined || cluster.parameterGroupId === patch.parameterGroupId);
}
