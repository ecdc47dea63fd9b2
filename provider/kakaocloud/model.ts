/**
 * The shapes the KakaoCloud resources share: id references, subnet assignments, and the shards and
 * nodes as the outputs report them. The resource files (cluster, shard, replica, settled) import
 * them from here, so that none imports another for its types.
 */
import { z } from "zod";
import type { ApiNode, ApiShard } from "./client";
import type { OwnedShard } from "./reshard-plan";

/** A reference to a subnet or security group by id. */
export interface IdRef {
  id: string;
}

/** Where one shard's nodes go: the primary's subnet and one subnet per replica. */
export interface SubnetAssignment {
  primary: IdRef;
  replicas: IdRef[];
}

/** A node of a shard, as reported in the outputs. */
export interface ClusterNode {
  id: string;
  name?: string;
  role?: string;
  endpoint?: string;
  subnetId?: string;
  status?: string;
}

/** A shard of the cluster, as reported in the outputs. */
export interface ClusterShard {
  id: string;
  name?: string;
  slots?: string;
  status?: string;
  nodes: ClusterNode[];
}

/** The schema of an {@link IdRef} input. */
export const idRefSchema = z.object({ id: z.string().min(1, "must be a non-empty id") }).strict();

/** The schema of a {@link SubnetAssignment} input. */
export const assignmentSchema = z.object({ primary: idRefSchema, replicas: z.array(idRefSchema) }).strict();

/** A listed node as it appears in the outputs (of `KakaoRedisCluster`, `KakaoShard`, `KakaoReplica`). */
export function nodeOutput(n: ApiNode): ClusterNode {
  return {
    id: n.id,
    name: n.name,
    role: n.role,
    endpoint: n.endpoint,
    subnetId: n.subnet?.id,
    status: n.status,
  };
}

/**
 * The subnet assignment a listed shard's nodes follow (for `pulumi import` and a read without a
 * recorded one): the primary (or, when no node says so, the first node) and the others' subnets.
 */
export function assignmentOf(nodes: ApiNode[]): SubnetAssignment {
  const primary = nodes.find((n) => n.role === "primary") ?? nodes[0];
  return {
    primary: { id: primary?.subnet?.id ?? "" },
    replicas: nodes.filter((n) => n !== primary).map((n) => ({ id: n.subnet?.id ?? "" })),
  };
}

/**
 * Shapes the shards for the outputs; `owned` keeps only the cluster's own shards and nodes as they
 * are listed (a member deleted out of band drops out), in its order. Without `owned`: every shard.
 */
export function shardOutputs(shards: readonly ApiShard[], owned?: readonly OwnedShard[]): ClusterShard[] {
  const ownedShards = owned ? new Map(owned.map((s) => [s.id, new Set(s.nodeIds)])) : undefined;
  const listed = new Map(shards.map((s) => [s.id, s]));
  return (owned ? owned.map((o) => listed.get(o.id)).filter((s) => s !== undefined) : shards).map((s) => ({
    id: s.id,
    name: s.name,
    slots: s.slots,
    status: s.status,
    nodes: (s.nodes ?? []).filter((n) => !ownedShards || ownedShards.get(s.id)!.has(n.id)).map(nodeOutput),
  }));
}
