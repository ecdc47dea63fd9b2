/**
 * In-place resharding of a `KakaoRedisCluster`: `shardCount` and `nodeCountPerShard` (and the
 * `subnetAssignments` that follow them) change by adding and deleting shards and replica nodes,
 * never by replacing the cluster.
 *
 * Convergent: every step waits until the cluster is settled, re-reads it and does only what is still
 * missing, one change at a time (KakaoCloud runs one change per cluster). An addition is recognised
 * on the next look by its layout, so a run killed anywhere (even on a runner that keeps nothing) is
 * finished by the next `pulumi up` with nothing added twice: the state still holds the cluster's
 * outputs from before the killed update, and a shard or node that is neither the cluster's nor
 * recorded as someone else's was added by that update.
 *
 * Ownership (see the README): the cluster owns the shards and nodes listed in its `shards` output;
 * `foreignMembers` lists the shards and nodes of the cluster that were there at the cluster's last
 * create or update but are not its own (added by `KakaoShard` / `KakaoReplica`, or outside Pulumi).
 * Resharding never deletes or adopts a foreign member; `shardCount` counts the cluster's own shards.
 *
 * Order of the steps: surplus shards are deleted first (the newest of the cluster's own shards
 * first), then missing replicas are added to every shard, then surplus replicas are deleted (the
 * newest first, never a primary), then missing shards are added (each with `nodeCountPerShard`
 * nodes and its entry of `subnetAssignments`).
 */
import { CloudError, StateError } from "../core/errors";
import { withLock } from "../core/lock";
import { logProgress } from "../core/log";
import type { ApiNode, ApiShard, KakaoClient } from "./client";
import type { SubnetAssignment } from "./model";
import { byAge, type Dated } from "./members";
import { isLeaving, type KakaoWait, mutateWhenSettled, waitClusterSettled } from "./settle";

/** A shard the cluster owns, with the nodes of it that the cluster owns (creation order). */
export interface OwnedShard {
  id: string;
  nodeIds: string[];
}

/** Shards and nodes of the cluster that are not the cluster's own. */
export interface ForeignMembers {
  /** Shards added by `KakaoShard` (or outside Pulumi). */
  shardIds: string[];
  /** Nodes added to the cluster's own shards by `KakaoReplica` (or outside Pulumi). */
  nodeIds: string[];
}

/** What the cluster should look like. */
export interface ShardTarget {
  shardCount: number;
  nodeCountPerShard: number;
  subnetAssignments: SubnetAssignment[];
}

/** One change to the cluster. */
export type ReshardStep =
  | { kind: "deleteShard"; shardId: string }
  | { kind: "addReplica"; shardId: string; subnetId: string }
  | { kind: "deleteReplica"; shardId: string; nodeId: string }
  | { kind: "addShard"; nodeCount: number; assignment: SubnetAssignment };

/** The result of {@link planReshard}: the ownership after adoption and the next change, if any. */
export interface ReshardPlan {
  owned: OwnedShard[];
  /** Members recognised as additions of an earlier (interrupted) step, as `shard 003`. */
  adopted: string[];
  next?: ReshardStep;
}

/** Newest first: by `createdAt` as a time, then id (KakaoCloud shard ids count up: `001`, `002`, ...). */
function newestFirst(a: Dated, b: Dated): number {
  return byAge(b, a);
}

/** The subnets an assignment asks for: the primary's, then one per replica. */
function wantedSubnets(a: SubnetAssignment): string[] {
  return [a.primary.id, ...a.replicas.map((r) => r.id)];
}

/**
 * Matches nodes to the wanted subnets (primary first, then oldest first): returns the subnets no
 * node covers and the nodes no subnet is left for.
 */
function matchSubnets(nodes: ApiNode[], wanted: string[]): { missing: string[]; surplus: ApiNode[] } {
  const missing = [...wanted];
  const surplus: ApiNode[] = [];
  const ordered = [...nodes].sort(
    (a, b) => Number(b.role === "primary") - Number(a.role === "primary") || -newestFirst(a, b),
  );
  for (const n of ordered) {
    const k = missing.indexOf(n.subnet?.id ?? "");
    if (k >= 0) missing.splice(k, 1);
    else surplus.push(n);
  }
  return { missing, surplus };
}

/** Whether a shard has exactly the nodes an addition with this layout creates. */
export function hasLayout(shard: ApiShard, nodeCount: number, a: SubnetAssignment): boolean {
  const nodes = shard.nodes ?? [];
  if (nodes.length !== nodeCount) return false;
  const primary = nodes.find((n) => n.role === "primary") ?? nodes[0];
  if (primary?.subnet?.id !== a.primary.id) return false;
  return matchSubnets(nodes, wantedSubnets(a)).missing.length === 0;
}

/**
 * Decides the next change (pure). First it adopts what an earlier step added: for each missing shard
 * (in `subnetAssignments` order) the newest unrecorded shard with that layout, and for each missing
 * replica of an owned shard the newest unrecorded node in that subnet. `live` must be a settled look.
 */
export function planReshard(
  live: readonly ApiShard[],
  owned: readonly OwnedShard[],
  foreign: ForeignMembers,
  target: ShardTarget,
): ReshardPlan {
  const byId = new Map(live.map((s) => [s.id, s]));
  const own: OwnedShard[] = owned
    .filter((o) => byId.has(o.id))
    .map((o) => {
      const ids = new Set((byId.get(o.id)!.nodes ?? []).map((n) => n.id));
      return { id: o.id, nodeIds: o.nodeIds.filter((n) => ids.has(n)) };
    });
  const foreignShards = new Set(foreign.shardIds);
  const foreignNodes = new Set(foreign.nodeIds);
  const adopted: string[] = [];

  while (own.length < target.shardCount) {
    const a = target.subnetAssignments[own.length];
    const taken = new Set(own.map((o) => o.id));
    const found = live
      .filter((s) => !taken.has(s.id) && !foreignShards.has(s.id) && !isLeaving(s.status))
      .filter((s) => hasLayout(s, target.nodeCountPerShard, a))
      .sort(newestFirst)[0];
    if (!found) break;
    own.push({ id: found.id, nodeIds: (found.nodes ?? []).map((n) => n.id) });
    adopted.push(`shard ${found.id}`);
  }

  const nodesOf = (o: OwnedShard) =>
    (byId.get(o.id)!.nodes ?? []).filter((n) => o.nodeIds.includes(n.id) && !isLeaving(n.status));
  own.forEach((o, i) => {
    if (i >= target.shardCount) return;
    let { missing } = matchSubnets(nodesOf(o), wantedSubnets(target.subnetAssignments[i]));
    const unrecorded = (byId.get(o.id)!.nodes ?? [])
      .filter((n) => !o.nodeIds.includes(n.id) && !foreignNodes.has(n.id) && !isLeaving(n.status))
      .sort(newestFirst);
    for (const n of unrecorded) {
      const k = missing.indexOf(n.subnet?.id ?? "");
      if (k < 0) continue;
      missing = missing.filter((_, j) => j !== k);
      o.nodeIds.push(n.id);
      adopted.push(`node ${n.id} of shard ${o.id}`);
    }
  });

  const result = (next?: ReshardStep): ReshardPlan => ({ owned: own, adopted, next });
  if (own.length > target.shardCount) {
    const newest = own
      .map((o) => byId.get(o.id)!)
      .slice(target.shardCount)
      .sort(newestFirst)[0];
    return result({ kind: "deleteShard", shardId: newest.id });
  }
  const kept = own.slice(0, target.shardCount);
  for (const [i, o] of kept.entries()) {
    const { missing } = matchSubnets(nodesOf(o), wantedSubnets(target.subnetAssignments[i]));
    if (missing.length > 0) return result({ kind: "addReplica", shardId: o.id, subnetId: missing[0] });
  }
  for (const [i, o] of kept.entries()) {
    const { surplus } = matchSubnets(nodesOf(o), wantedSubnets(target.subnetAssignments[i]));
    if (surplus.length === 0) continue;
    const replica = surplus.filter((n) => n.role !== "primary").sort(newestFirst)[0];
    if (!replica) {
      throw new StateError(
        "Conflict",
        `shard ${o.id}: its primary (node ${surplus[0].id}, subnet ${surplus[0].subnet?.id}) is not in ` +
          `subnetAssignments[${i}], and KakaoCloud cannot delete a primary: fail the shard over to a node ` +
          `in a listed subnet first, or list the primary's subnet again`,
      );
    }
    return result({ kind: "deleteReplica", shardId: o.id, nodeId: replica.id });
  }
  if (own.length < target.shardCount) {
    return result({
      kind: "addShard",
      nodeCount: target.nodeCountPerShard,
      assignment: target.subnetAssignments[own.length],
    });
  }
  return result();
}

/** The members of `live` that are not owned: what {@link ForeignMembers} records after a step. */
export function foreignOf(live: readonly ApiShard[], owned: readonly OwnedShard[]): ForeignMembers {
  const own = new Map(owned.map((o) => [o.id, new Set(o.nodeIds)]));
  return {
    shardIds: live.filter((s) => !own.has(s.id)).map((s) => s.id),
    nodeIds: live.flatMap((s) =>
      own.has(s.id) ? (s.nodes ?? []).filter((n) => !own.get(s.id)!.has(n.id)).map((n) => n.id) : [],
    ),
  };
}

/** A step in words, for progress lines and errors. */
export function describeStep(step: ReshardStep): string {
  switch (step.kind) {
    case "addShard":
      return `adding a shard of ${step.nodeCount} nodes (primary in ${step.assignment.primary.id})`;
    case "deleteShard":
      return `deleting shard ${step.shardId} (slot migration)`;
    case "addReplica":
      return `adding a replica to shard ${step.shardId} in ${step.subnetId}`;
    case "deleteReplica":
      return `deleting replica ${step.nodeId} of shard ${step.shardId}`;
  }
}

function send(client: KakaoClient, clusterId: string, step: ReshardStep): Promise<void> {
  switch (step.kind) {
    case "addShard":
      return client.addShard(clusterId, { nodeCount: step.nodeCount, subnetAssignments: step.assignment });
    case "deleteShard":
      return client.deleteShard(clusterId, step.shardId);
    case "addReplica":
      return client.addReplica(clusterId, step.shardId, step.subnetId);
    case "deleteReplica":
      return client.deleteNode(clusterId, step.shardId, step.nodeId);
  }
}

/** What {@link reshard} leaves: the ownership and the settled shards of its last look. */
export interface ReshardResult {
  owned: OwnedShard[];
  foreign: ForeignMembers;
  shards: ApiShard[];
}

/**
 * Brings the cluster to `target`, one change at a time, under the cluster's lock. `foreign`
 * undefined (a state written before resharding existed) means: everything not owned is foreign.
 * After an ambiguous failure of a call (reset, 5xx) the next look decides whether it was applied.
 */
export async function reshard(
  client: KakaoClient,
  clusterId: string,
  opts: { owned: OwnedShard[]; foreign?: ForeignMembers; target: ShardTarget; wait: KakaoWait },
): Promise<ReshardResult> {
  const deadline = Date.now() + opts.wait.timeoutMs;
  const remaining = () => ({ ...opts.wait, timeoutMs: Math.max(1, deadline - Date.now()) });
  return withLock(clusterId, async () => {
    let owned = opts.owned;
    let foreign = opts.foreign;
    let added: ReshardStep | undefined;
    let ambiguous = 0;
    // When the last step was sent: the next wait needs evidence that it took effect.
    let sentAt: number | undefined;
    for (;;) {
      const live = await waitClusterSettled(client, clusterId, {
        ...remaining(),
        what: `cluster ${clusterId} to settle (resharding)`,
        acceptedAt: sentAt,
      });
      sentAt = undefined;
      foreign ??= foreignOf(live, owned);
      const plan = planReshard(live, owned, foreign, opts.target);
      owned = plan.owned;
      if (plan.adopted.length > 0) {
        logProgress(
          added
            ? `resharding cluster ${clusterId}: ${plan.adopted.join(", ")} recorded as the cluster's`
            : `resharding cluster ${clusterId}: found ${plan.adopted.join(", ")} added by an interrupted run; ` +
                `adopting them as the cluster's instead of adding more`,
        );
      } else if (added) {
        throw new StateError(
          "Conflict",
          `resharding cluster ${clusterId}: the call succeeded (${describeStep(added)}) but no new member ` +
            `with that layout appeared; another client changed the cluster at the same time: run \`pulumi refresh\``,
        );
      }
      added = undefined;
      if (!plan.next) return { owned, foreign: foreignOf(live, owned), shards: live };
      const step = plan.next;
      logProgress(`resharding cluster ${clusterId}: ${describeStep(step)}`);
      try {
        await mutateWhenSettled(client, clusterId, remaining(), () => {
          sentAt = Date.now();
          return send(client, clusterId, step);
        });
        if (step.kind === "addShard" || step.kind === "addReplica") added = step;
        ambiguous = 0;
      } catch (err) {
        if (!(err instanceof CloudError && err.retryable) || ++ambiguous >= 4) throw err;
        logProgress(`resharding cluster ${clusterId}: ${err.message}; checking whether it was applied`);
      }
    }
  });
}

/**
 * Whether a change of `subnetAssignments` can be made in place: every shard that stays keeps its
 * primary's subnet (KakaoCloud cannot move a primary; replica subnets can change by adding and
 * deleting replicas).
 */
export function assignmentsReshardable(olds: SubnetAssignment[], news: SubnetAssignment[]): boolean {
  const common = Math.min(olds?.length ?? 0, news?.length ?? 0);
  for (let i = 0; i < common; i++) if (olds[i]?.primary?.id !== news[i]?.primary?.id) return false;
  return true;
}

/** The ownership recorded in a cluster's `shards` output. */
export function ownedOf(
  shards: readonly { id: string; nodes?: readonly { id: string }[] }[] | undefined,
): OwnedShard[] {
  return (shards ?? []).map((s) => ({ id: s.id, nodeIds: (s.nodes ?? []).map((n) => n.id) }));
}

/** Keeps the recorded foreign members that still exist. */
export function stillForeign(foreign: ForeignMembers, live: readonly ApiShard[]): ForeignMembers {
  const shardIds = new Set(live.map((s) => s.id));
  const nodeIds = new Set(live.flatMap((s) => (s.nodes ?? []).map((n) => n.id)));
  return {
    shardIds: foreign.shardIds.filter((id) => shardIds.has(id)),
    nodeIds: foreign.nodeIds.filter((id) => nodeIds.has(id)),
  };
}
