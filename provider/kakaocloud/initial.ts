/**
 * Which members of a KakaoCloud cluster its create made (its initial members), told from the
 * members added later by the creation time the API lists for every shard and node (`createdAt`).
 *
 * The cluster's create returns as soon as the API answers with the cluster id (./cluster.ts), so
 * the members it made are recorded later: by the internal `KakaoClusterSettled` child (the wait,
 * ./cluster-settled.ts) for the class's outputs, and by the cluster's own next read or update in
 * its `shards` output (the ownership resharding and drift use). By then a `KakaoShard`, a
 * `KakaoReplica` or someone outside Pulumi may have added members, so listing is not enough; the
 * rule is evidence the cloud keeps, the same whenever and wherever it is applied:
 *
 * 1. The create's members share one creation instant: the API stamps the shards and nodes a
 *    create makes with the same `createdAt` (the list-shards sample of the API document lists
 *    every shard and node of a new cluster with one time; the emulator does the same).
 * 2. A member added later was created after that instant: the API accepts an addition only while
 *    the cluster is `Running` (it answers "busy" otherwise), and the cluster reads `Running` only
 *    once everything its create made exists — a create takes minutes, far more than the
 *    resolution of `createdAt` (a second in the document's samples, a millisecond in the
 *    emulator's).
 *
 * So the initial members are exactly the shards whose `createdAt` is the earliest any listed
 * shard has, with their nodes of that same instant: a member of another resource (or added outside
 * Pulumi) is never among them, whatever its layout and whenever the rule is applied. A member
 * whose creation time cannot be read is never counted as initial (reported in `foreignMembers`,
 * never touched). What is left: if every shard the create made were deleted outside Pulumi before
 * the cluster's first read or update (the only time the rule is applied: afterwards its `shards`
 * output records its members), the earliest shard left would be a later one, and counted as the
 * cluster's.
 */
import type { ApiShard } from "./client";
import { createdAtMs } from "./members";
import type { OwnedShard } from "./reshard-plan";

/**
 * The members of `live` (a settled listing of the cluster's shards) that the cluster's create
 * made, by the rule of this module; `[]` when no shard has a readable creation time.
 */
export function initialMembers(live: readonly ApiShard[]): OwnedShard[] {
  const first = Math.min(...live.map((s) => createdAtMs(s.createdAt)));
  if (!Number.isFinite(first)) return [];
  return live
    .filter((s) => createdAtMs(s.createdAt) === first)
    .map((s) => ({
      id: s.id,
      nodeIds: (s.nodes ?? []).filter((n) => createdAtMs(n.createdAt) === first).map((n) => n.id),
    }));
}
