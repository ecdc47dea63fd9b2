/**
 * Waiting on KakaoCloud clusters: a cluster has settled when it and every shard and node in it are
 * `Running` (docs/cloud-facts.md: with cluster mode on, shards and nodes carry their cluster's status, and a
 * waiter that looks only at the parent moves on while a member is still being created), and, after
 * a change, when a look shows that the change took effect (./evidence.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import { deadlineAfter, remainingMs } from "../core/deadline";
import { diffOf } from "../core/diff";
import { type Observation, waitFor, type WaitOptions } from "../core/waiter";
import { type ApiShard, isBusy, type KakaoClient } from "./client";
import { type ClusterLook, noteLook, noteSeen, seenCluster, unshownChange } from "./evidence";

/** Status classification (docs/cloud-facts.md): settled, failed, or still working. */
export function classify(status: string | undefined): "settled" | "failed" | "pending" {
  if (!status) return "pending";
  if (/^(running|available)$/i.test(status)) return "settled";
  if (/error|fail/i.test(status)) return "failed";
  return "pending";
}

/**
 * The `diff` of a settle child (`KakaoMemberSettled`, `KakaoClusterSettled`): another value of an
 * `identity` field (what it waits for) replaces it; a recorded status that is not settled (a refresh
 * during the wait, a failed wait) or another value of an `inPlace` field asks for an update, which
 * waits again.
 */
export function settleChildDiff(
  identity: readonly string[],
  inPlace: readonly string[],
): NonNullable<pulumi.dynamic.ResourceProvider["diff"]> {
  // What it waits for is another thing when an identity field is unknown at preview (its parent
  // replaced): that replaces it too.
  const fields = diffOf<Record<string, unknown>, Record<string, unknown>>({
    replaces: identity.map((key) => ({ key, unknown: "replace" })),
    inPlace,
  });
  return async (id, olds, news) => {
    const diff = await fields(id, olds as Record<string, unknown>, news as Record<string, unknown>);
    const unsettled = classify((olds as { status?: string }).status) !== "settled";
    return { ...diff, changes: diff.changes || unsettled };
  };
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
 * when it started and what it found. KakaoCloud runs one change at a time per cluster, so a look
 * that started after a change was accepted, shows it, and found everything `Running` proves that
 * change finished — even when the cluster is busy with the next change by the time its own waiter
 * looks.
 */
const lastSettled = new Map<string, { at: number; look: ClusterLook }>();
const listeners = new Map<string, Set<() => void>>();

function observedSettled(clusterId: string, at: number, look: ClusterLook): void {
  const known = lastSettled.get(clusterId);
  if (!known || known.at < at) lastSettled.set(clusterId, { at, look });
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

/** What {@link waitClusterSettled} accepts besides the deadline. */
export interface SettleWait extends KakaoWait {
  /** For progress lines and errors (default `cluster <id> to settle (Running)`). */
  what?: string;
  /**
   * The time (ms) by which the change waited for had been accepted: a look made by another waiter
   * of this process on the same cluster that started later, found it settled and shows the
   * change(s) ends this wait at once, with that look's shards (a shard whose migration finished
   * while other additions queue up returns then, not when the queue drains).
   */
  since?: number;
  /**
   * The time (ms) just before the change waited for was sent: the wait ends only on a look that
   * shows every change the client recorded as accepted since (./evidence.ts: the new member listed,
   * the deleted one gone, the patched fields read back) with everything `Running` — never on a
   * stale `Running` read, however long the cloud's reads lag. Until a look of this process has
   * found the cluster, it may also not be listed yet (a new cluster).
   */
  acceptedAt?: number;
  /** More evidence the look must show (e.g. the member a `KakaoMemberSettled` waits for is listed). */
  shows?(look: ClusterLook): boolean;
}

/**
 * Waits until the cluster and all its shards and nodes are `Running` and the look shows the
 * evidence asked for ({@link SettleWait}); resolves with the shards. Rejects with `WaitFailedError`
 * on a failed status or when a cluster already seen disappears; the deadline is the operation's own
 * (`timeoutMs`), never a guess of how long the cloud's reads lag.
 */
export async function waitClusterSettled(
  client: KakaoClient,
  clusterId: string,
  wait: SettleWait,
): Promise<ApiShard[]> {
  const { since, acceptedAt, shows, what, ...options } = wait;
  const unshown = (look: ClusterLook, at: number): string | undefined => {
    const change = acceptedAt === undefined ? undefined : unshownChange(clusterId, acceptedAt, look, at);
    return change ?? (shows && !shows(look) ? "the evidence asked for" : undefined);
  };
  return waitFor(
    async (): Promise<Observation<ApiShard[]>> => {
      const seen = lastSettled.get(clusterId);
      if (since !== undefined && seen && seen.at > since && unshown(seen.look, seen.at) === undefined)
        return { state: "done", value: seen.look.shards, status: "Running" };
      const at = Date.now();
      const cluster = await client.getCluster(clusterId);
      if (!cluster) {
        if (acceptedAt !== undefined && !seenCluster(clusterId))
          return { state: "pending", status: "not listed yet" };
        return { state: "failed", status: "NotFound", detail: `cluster ${clusterId} no longer exists` };
      }
      const c = classify(cluster.status);
      if (c === "failed") return { state: "failed", status: cluster.status ?? "unknown" };
      if (c === "pending") {
        noteSeen(clusterId);
        return { state: "pending", status: `cluster ${cluster.status}` };
      }
      const look: ClusterLook = { cluster, shards: await client.listShards(clusterId) };
      noteLook(clusterId, look);
      const member = unsettledMember(look.shards);
      if (member) {
        if (member.state === "failed") return { state: "failed", status: member.label };
        return { state: "pending", status: member.label };
      }
      const missing = unshown(look, at);
      if (missing) return { state: "pending", status: `Running, waiting for ${missing}` };
      observedSettled(clusterId, at, look);
      return { state: "done", value: look.shards, status: cluster.status };
    },
    {
      what: what ?? `cluster ${clusterId} to settle (Running)`,
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
  const deadline = deadlineAfter(wait.timeoutMs);
  let settle = opts.settleFirst ?? true;
  for (;;) {
    if (settle) {
      await waitClusterSettled(client, clusterId, {
        ...wait,
        timeoutMs: remainingMs(deadline),
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
