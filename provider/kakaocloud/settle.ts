/**
 * Waiting on KakaoCloud clusters: a cluster has settled when it and every shard and node in it are
 * `Running` (api-facts: with cluster mode on, shards and nodes carry their cluster's status, and a
 * waiter that looks only at the parent moves on while a member is still being created).
 */
import { type Observation, STATUS_LAG_MS, waitFor, type WaitOptions } from "../core/waiter";
import { type ApiShard, isBusy, type KakaoClient } from "./client";

/** Status classification (api-facts): settled, failed, or still working. */
export function classify(status: string | undefined): "settled" | "failed" | "pending" {
  if (!status) return "pending";
  if (/^(running|available)$/i.test(status)) return "settled";
  if (/error|fail/i.test(status)) return "failed";
  return "pending";
}

/** Whether a shard's or node's status means it is on its way out (`Deleting`, `Deleted`). */
export function isLeaving(status: string | undefined): boolean {
  return /delet/i.test(status ?? "");
}

/** The first member (shard or node) that has not settled, as `shard 002 Creating`, or undefined. */
export function unsettledMember(
  shards: ApiShard[],
): { label: string; state: "failed" | "pending" } | undefined {
  for (const shard of shards) {
    const s = classify(shard.status);
    if (s !== "settled") return { label: `shard ${shard.id} ${shard.status ?? "unknown"}`, state: s };
    for (const node of shard.nodes ?? []) {
      const n = classify(node.status);
      if (n !== "settled")
        return { label: `node ${node.name ?? node.id} ${node.status ?? "unknown"}`, state: n };
    }
  }
  return undefined;
}

/** Wait options shared by the KakaoCloud resources. */
export type KakaoWait = Pick<WaitOptions, "timeoutMs" | "maxIntervalMs" | "signal">;

/**
 * Per cluster, the latest look in this process that found the cluster and every member `Running`:
 * when it started and the shards it listed. KakaoCloud runs one change at a time per cluster, so a
 * look that started after a change was accepted and found everything `Running` proves that change
 * finished — even when the cluster is busy with the next change by the time its own waiter looks.
 */
const lastSettled = new Map<string, { at: number; shards: ApiShard[] }>();
const listeners = new Map<string, Set<() => void>>();

function observedSettled(clusterId: string, at: number, shards: ApiShard[]): void {
  const known = lastSettled.get(clusterId);
  if (!known || known.at < at) lastSettled.set(clusterId, { at, shards });
  for (const wake of listeners.get(clusterId) ?? []) wake();
}

function onSettled(clusterId: string, wake: () => void): () => void {
  let set = listeners.get(clusterId);
  if (!set) listeners.set(clusterId, (set = new Set()));
  set.add(wake);
  return () => {
    set.delete(wake);
    if (set.size === 0 && listeners.get(clusterId) === set) listeners.delete(clusterId);
  };
}

/**
 * Per member (`<clusterId>/<shardId>[/<nodeId>]`), when a look of this process that started after
 * the member's addition was accepted saw the member not `Running`: step one of an addition
 * (./members.ts) records it, and step two (./settled.ts), which starts after it, takes it as its
 * evidence that the change became visible — its first look that finds everything `Running` then ends
 * the wait, instead of the {@link STATUS_LAG_MS} floor (a short addition is over before step two
 * starts). A process that saw nothing (another runner) keeps the floor.
 */
const pendingSeen = new Map<string, number>();

/** Records that a look started at `at` (after the addition was accepted) saw `member` not settled. */
export function noteMemberPending(member: string, at: number): void {
  pendingSeen.set(member, Math.max(at, pendingSeen.get(member) ?? at));
}

/** When a look of this process saw `member` not settled (see {@link noteMemberPending}), once. */
export function takeMemberPending(member: string): number | undefined {
  const at = pendingSeen.get(member);
  pendingSeen.delete(member);
  return at;
}

/**
 * Waits until the cluster and all its shards and nodes are `Running`; resolves with the shards.
 * Rejects with `WaitFailedError` on a failed status or when the cluster disappears.
 *
 * With `acceptedAt` (the time, in ms, just before the change waited for was sent), the wait ends
 * only on evidence that the change took effect (the rule for every wait after an accepted change):
 * all `Running` **and** either a look since then saw the cluster or a member not `Running` (the
 * change became visible, then finished), or {@link STATUS_LAG_MS} have passed since `acceptedAt`
 * (a change that became visible and finished between two looks is over by then). A stale `Running`
 * read during the lag therefore never ends the wait.
 *
 * With `since` (the time, in ms, by which the change waited for had been accepted), a look made by
 * another waiter of this process on the same cluster that started later and found it settled ends
 * this wait at once, with that look's shards: a shard whose migration finished while other
 * additions queue up on the cluster returns then, not when the queue drains. With `acceptedAt` too,
 * that look must also have started after this wait saw the change, or after the lag.
 *
 * With `changeSeenAt` (when an earlier look of this process, started after `acceptedAt`, saw the
 * change), the wait starts as if it had seen the change itself then.
 */
export async function waitClusterSettled(
  client: KakaoClient,
  clusterId: string,
  wait: KakaoWait & { what?: string; since?: number; acceptedAt?: number; changeSeenAt?: number },
): Promise<ApiShard[]> {
  const { since, acceptedAt, changeSeenAt, ...options } = wait;
  // When this wait first saw the change (a status other than Running); undefined until then.
  let sawChangeAt: number | undefined = changeSeenAt;
  const proven = (at: number) =>
    acceptedAt === undefined ||
    (sawChangeAt !== undefined && at >= sawChangeAt) ||
    at >= acceptedAt + STATUS_LAG_MS;
  return waitFor(
    async (): Promise<Observation<ApiShard[]>> => {
      const seen = lastSettled.get(clusterId);
      if (since !== undefined && seen && seen.at > since && proven(seen.at))
        return { state: "done", value: seen.shards, status: "Running" };
      const at = Date.now();
      const cluster = await client.getCluster(clusterId);
      if (!cluster)
        return { state: "failed", status: "NotFound", detail: `cluster ${clusterId} no longer exists` };
      const c = classify(cluster.status);
      if (c === "failed") return { state: "failed", status: cluster.status ?? "unknown" };
      if (c === "pending") {
        sawChangeAt ??= at;
        return { state: "pending", status: `cluster ${cluster.status}` };
      }
      const shards = await client.listShards(clusterId);
      const member = unsettledMember(shards);
      if (!member) {
        if (!proven(at)) return { state: "pending", status: "Running (the accepted change not yet visible)" };
        observedSettled(clusterId, at, shards);
        return { state: "done", value: shards, status: cluster.status };
      }
      if (member.state === "failed") return { state: "failed", status: member.label };
      sawChangeAt ??= at;
      return { state: "pending", status: member.label };
    },
    {
      what: wait.what ?? `cluster ${clusterId} to settle (Running)`,
      ...options,
      wake: since === undefined ? undefined : (now) => onSettled(clusterId, now),
    },
  );
}

/** Waits until the cluster no longer exists. */
export async function waitClusterGone(
  client: KakaoClient,
  clusterId: string,
  wait: KakaoWait,
): Promise<void> {
  await waitFor(
    async (): Promise<Observation<void>> => {
      const cluster = await client.getCluster(clusterId);
      if (!cluster) return { state: "done", value: undefined };
      if (classify(cluster.status) === "failed")
        return { state: "failed", status: cluster.status ?? "unknown" };
      return { state: "pending", status: cluster.status ?? "unknown" };
    },
    { what: `cluster ${clusterId} to be deleted`, ...wait },
  );
}

/**
 * Runs a mutation once the cluster has settled; if the API still answers that the cluster is busy
 * (another change started in between), waits for it to settle again and retries, until the deadline.
 * With `settleFirst: false` the mutation is tried at once and the wait happens only on "busy".
 */
export async function mutateWhenSettled<T>(
  client: KakaoClient,
  clusterId: string,
  wait: KakaoWait,
  mutate: () => Promise<T>,
  opts: { settleFirst?: boolean } = {},
): Promise<T> {
  const deadline = Date.now() + wait.timeoutMs;
  let settle = opts.settleFirst ?? true;
  for (;;) {
    if (settle) {
      await waitClusterSettled(client, clusterId, {
        ...wait,
        timeoutMs: Math.max(1, deadline - Date.now()),
        what: `cluster ${clusterId} to be free for the next change`,
        // Another waiter's look that finds the cluster settled from now on frees it for this change
        // (if a third change gets in first, the call answers "busy" and this waits again).
        since: Date.now(),
      });
    }
    try {
      return await mutate();
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) throw err;
      settle = true;
    }
  }
}
