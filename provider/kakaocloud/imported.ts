/**
 * What a `pulumi import` of a `KakaoRedisCluster` derives from the live shards (its `read` with no
 * stored inputs, ./cluster.ts): the members the imported cluster owns and the subnet assignments of
 * its inputs, so that the code `pulumi import` prints passes the cluster's own check when pasted.
 */
import type { ApiShard } from "./client";
import { assignmentOf, type SubnetAssignment } from "./model";
import type { OwnedShard } from "./reshard";

/**
 * What an imported cluster owns: every shard, and in each its primary and the first
 * `nodeCountPerShard - 1` other nodes as listed (the nodes the derived `subnetAssignments` name). A
 * node beyond those (a `KakaoReplica`'s) is foreign, so the pasted code asks no resharding.
 */
export function importedOwnership(shards: ApiShard[], nodeCountPerShard: number | undefined): OwnedShard[] {
  return shards.map((s) => {
    const nodes = s.nodes ?? [];
    const primary = nodes.find((n) => n.role === "primary") ?? nodes[0];
    const ordered = primary ? [primary, ...nodes.filter((n) => n !== primary)] : [];
    const kept = nodeCountPerShard === undefined ? ordered : ordered.slice(0, Math.max(1, nodeCountPerShard));
    return { id: s.id, nodeIds: kept.map((n) => n.id) };
  });
}

/**
 * Rebuilds subnet assignments from the live shards (for `pulumi import`), `nodeCountPerShard - 1`
 * replicas each: a shard that also holds a node a `KakaoReplica` added keeps its first replicas only,
 * so the derived inputs pass the cluster's own check (one replica list length for every shard) and
 * the code `pulumi import` prints works when pasted.
 */
export function assignmentsOf(shards: ApiShard[], nodeCountPerShard: number | undefined): SubnetAssignment[] {
  return shards.map((s) => {
    const a = assignmentOf(s.nodes ?? []);
    return nodeCountPerShard === undefined
      ? a
      : { ...a, replicas: a.replicas.slice(0, Math.max(0, nodeCountPerShard - 1)) };
  });
}
