/**
 * The planner of in-place resharding (./reshard.ts runs it): which shards and nodes the cluster
 * owns (only those its `shards` output names: ownership is recorded, never inferred), which entry
 * of `subnetAssignments` each own shard stands for, and the next change. Pure functions.
 */
import { StateError } from "../core/errors";
import type { ApiNode, ApiShard } from "./client";
import type { ClusterShard, SubnetAssignment } from "./model";
import { byAge, type Dated } from "./members";
import { isLeaving } from "./settle";

/** A shard the cluster owns, with the nodes of it that the cluster owns (creation order). */
export interface OwnedShard {
  id: string;
  nodeIds: string[];
}

/**
 * Shards and nodes of the cluster that its state does not name: `KakaoShard`'s and `KakaoReplica`'s
 * members, members added outside Pulumi, or additions of a run killed before its update returned.
 */
export interface ForeignMembers {
  /** Shards the cluster does not own. */
  shardIds: string[];
  /** Nodes of the cluster's own shards that the cluster does not own. */
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

/** The result of {@link planReshard}: the recorded members that still exist and the next change, if any. */
export interface ReshardPlan {
  owned: OwnedShard[];
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

/**
 * Decides the next change (pure). Only the recorded members count: a shard or node that `owned`
 * does not name is never adopted, deleted or counted, whatever its layout. `live` must be a settled
 * look. The returned `owned` keeps the recorded members that still exist.
 */
export function planReshard(
  live: readonly ApiShard[],
  owned: readonly OwnedShard[],
  target: ShardTarget,
): ReshardPlan {
  const own = ownedLive(live, owned);
  const byId = new Map(live.map((s) => [s.id, s]));
  const nodesOf = (o: OwnedShard) =>
    (byId.get(o.id)!.nodes ?? []).filter((n) => o.nodeIds.includes(n.id) && !isLeaving(n.status));
  const result = (next?: ReshardStep): ReshardPlan => ({ owned: own, next });
  const slot = slotsOf(
    own.map((o) => primarySubnet(nodesOf(o))),
    target,
  );
  const placed = own.map((o, k) => ({ o, i: slot[k] })).filter(({ i }) => i >= 0);
  if (placed.length < own.length) {
    const surplus = own.filter((_, k) => slot[k] < 0).map((o) => byId.get(o.id)!);
    // Deleting a shard deletes every node in it: never one that holds a node another resource owns.
    const unowned = (s: ApiShard) =>
      (s.nodes ?? []).filter((n) => !own.find((o) => o.id === s.id)!.nodeIds.includes(n.id));
    const newest = surplus.filter((s) => unowned(s).length === 0).sort(newestFirst)[0];
    if (!newest) {
      const s = surplus[0];
      throw new StateError(
        "Conflict",
        `shard ${s.id} is to be deleted (shardCount ${target.shardCount}) but holds node ` +
          `${unowned(s)[0].id}, which the cluster does not own (a KakaoReplica's, or added outside this ` +
          `resource): deleting the shard would delete it too. Remove that KakaoReplica (or the node) first`,
      );
    }
    return result({ kind: "deleteShard", shardId: newest.id });
  }
  for (const { o, i } of placed) {
    const { missing } = matchSubnets(nodesOf(o), wantedSubnets(target.subnetAssignments[i]));
    if (missing.length > 0) return result({ kind: "addReplica", shardId: o.id, subnetId: missing[0] });
  }
  for (const { o, i } of placed) {
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
  const free = target.subnetAssignments.findIndex((_, i) => i < target.shardCount && !slot.includes(i));
  if (free >= 0) {
    return result({
      kind: "addShard",
      nodeCount: target.nodeCountPerShard,
      assignment: target.subnetAssignments[free],
    });
  }
  return result();
}

/** The subnet of a shard's primary (or, when no node says so, its first node's). */
function primarySubnet(nodes: ApiNode[]): string {
  return (nodes.find((n) => n.role === "primary") ?? nodes[0])?.subnet?.id ?? "";
}

/**
 * Which entry of `subnetAssignments` each own shard (in the recorded order, given by its primary's
 * subnet) stands for; -1: none (surplus). A shard keeps its position when its primary fits it, else
 * takes a free entry its primary fits (an own shard lost and added again leaves the order changed),
 * else its position if free, else the first free one. Entries beyond `shardCount` are never taken.
 */
export function slotsOf(primaries: readonly string[], target: ShardTarget): number[] {
  const n = Math.min(target.shardCount, target.subnetAssignments.length);
  const slot = primaries.map(() => -1);
  const taken = new Set<number>();
  const fits = (k: number, i: number) => target.subnetAssignments[i]?.primary?.id === primaries[k];
  const passes: ((k: number) => number)[] = [
    (k) => (k < n && fits(k, k) ? k : -1),
    (k) => [...Array(n).keys()].find((i) => !taken.has(i) && fits(k, i)) ?? -1,
    (k) => (k < n && !taken.has(k) ? k : -1),
    (_k) => [...Array(n).keys()].find((i) => !taken.has(i)) ?? -1,
  ];
  for (const pass of passes) {
    primaries.forEach((_, k) => {
      if (slot[k] >= 0) return;
      const i = pass(k);
      if (i >= 0 && !taken.has(i)) {
        slot[k] = i;
        taken.add(i);
      }
    });
  }
  return slot;
}

/** The recorded members that `live` still lists, in the recorded order. */
export function ownedLive(live: readonly ApiShard[], owned: readonly OwnedShard[]): OwnedShard[] {
  const byId = new Map(live.map((s) => [s.id, s]));
  return owned
    .filter((o) => byId.has(o.id))
    .map((o) => {
      const ids = new Set((byId.get(o.id)!.nodes ?? []).map((n) => n.id));
      return { id: o.id, nodeIds: o.nodeIds.filter((n) => ids.has(n)) };
    });
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

/**
 * Whether the recorded shards (a cluster's `shards` output, as the last read or update left it)
 * already have the layout of `target`: no resharding step is due. A layout the planner refuses (a
 * primary outside the assignment) is not satisfied either.
 */
export function ownedSatisfies(shards: readonly ClusterShard[], target: ShardTarget): boolean {
  const live: ApiShard[] = shards.map((s) => ({
    id: s.id,
    status: s.status,
    nodes: s.nodes.map((n) => ({
      id: n.id,
      role: n.role,
      status: n.status,
      ...(n.subnetId === undefined ? {} : { subnet: { id: n.subnetId } }),
    })),
  }));
  try {
    return planReshard(live, ownedOf(shards), target).next === undefined;
  } catch {
    return false;
  }
}
