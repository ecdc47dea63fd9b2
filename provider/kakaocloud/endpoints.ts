/**
 * Connection outputs of a KakaoCloud Redis cluster: what a Redis Cluster client needs to connect.
 *
 * The API lists each node's private IP (`endpoint`) and role but not the port; the port is the
 * cluster's (`port` of the create call). A cluster-mode client connects to any node and learns the
 * slot map from it, so the seeds are every node of the cluster (primaries first), including the
 * shards and replicas that `KakaoShard` and `KakaoReplica` added.
 */
import type { ApiShard } from "./client";
import { isLeaving } from "./settle";

/** One node of the cluster as a client reaches it. */
export interface NodeEndpoint {
  /** Private IP of the node (the API's `endpoint`). */
  host: string;
  /** The cluster's Redis port. */
  port: number;
  /** `primary` or `replica` as the API reports it (a failover swaps them). */
  role: string;
  /** The shard the node belongs to (e.g. `001`). */
  shardId: string;
  /** The node id. */
  nodeId: string;
}

/** The connection outputs of a cluster. */
export interface ConnectionOutputs {
  /** Every node with an address, ordered by shard id, primaries first. */
  nodeEndpoints: NodeEndpoint[];
  /** `host:port` of every node, primaries first: the seed list of a Redis Cluster client. */
  seedEndpoints: string[];
}

/**
 * The connection outputs of the listed shards. Nodes without an address and nodes being deleted are
 * left out; the order is stable (shard id, role, node name, node id) so that a refresh of an
 * unchanged cluster reports no change.
 */
export function connectionOutputs(shards: readonly ApiShard[], port: number): ConnectionOutputs {
  const nodes: NodeEndpoint[] = [];
  const names = new Map<NodeEndpoint, string>();
  for (const shard of shards) {
    if (isLeaving(shard.status)) continue;
    for (const n of shard.nodes ?? []) {
      if (!n.endpoint || isLeaving(n.status)) continue;
      const e: NodeEndpoint = {
        host: n.endpoint,
        port,
        role: n.role ?? "unknown",
        shardId: shard.id,
        nodeId: n.id,
      };
      nodes.push(e);
      names.set(e, n.name ?? "");
    }
  }
  const rank = (role: string) => (role === "primary" ? 0 : 1);
  nodes.sort(
    (a, b) =>
      byCodePoint(a.shardId, b.shardId) ||
      rank(a.role) - rank(b.role) ||
      byCodePoint(names.get(a)!, names.get(b)!) ||
      byCodePoint(a.nodeId, b.nodeId),
  );
  const primariesFirst = [...nodes].sort((a, b) => rank(a.role) - rank(b.role));
  const seeds = [...new Set(primariesFirst.map((e) => hostPort(e.host, e.port)))];
  return { nodeEndpoints: nodes, seedEndpoints: seeds };
}

/** Compares by code points, the same on every machine (`localeCompare` follows the locale). */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `host:port`, with an IPv6 address in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
