/**
 * The shapes the KakaoCloud resources share: id references, subnet assignments, and the shards and
 * nodes as the outputs report them. The resource files (cluster, shard, replica, settled) import
 * them from here, so that none imports another for its types.
 */
import { z } from "zod";
import type { ApiNode } from "./client";

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
