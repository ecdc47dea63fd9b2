// A full KakaoCloud topology: a 12-shard cluster with one replica per shard, plus added shards
// (each with a replica of its own) and added replicas in existing shards. Sizes come from the
// stack configuration: `extraShards` (default 2) and `extraReplicas` (default 2).
"use strict";
const pulumi = require("@pulumi/pulumi");
const { KakaoRedisCluster, KakaoShard, KakaoReplica } = require("pulumi-managed-redis");

const config = new pulumi.Config();
const a = { id: "subnet-topo-a" };
const b = { id: "subnet-topo-b" };
const SHARDS = 12;
const cluster = new KakaoRedisCluster("cache", {
  name: "topology-cache",
  version: "7.2.6",
  port: 6379,
  shardCount: SHARDS,
  nodeCountPerShard: 2,
  flavorId: "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
  parameterGroupId: "pg-topology",
  subnets: [a, b],
  subnetAssignments: Array.from({ length: SHARDS }, (_, i) =>
    i % 2 ? { primary: b, replicas: [a] } : { primary: a, replicas: [b] },
  ),
  securityGroups: [{ id: "sg-topology" }],
  user: { name: "app", password: pulumi.secret("topology-encrypted-password") },
  tlsEnabled: true,
});
const nodes = [];
for (let i = 0; i < (config.getNumber("extraShards") ?? 2); i++) {
  const shard = new KakaoShard(`extra-shard-${i}`, {
    clusterId: cluster.clusterId,
    nodeCount: 2,
    subnetAssignments: { primary: a, replicas: [b] },
  });
  nodes.push(
    new KakaoReplica(`extra-shard-${i}-replica`, {
      clusterId: cluster.clusterId,
      shardId: shard.shardId,
      subnetId: a.id,
    }),
  );
}
for (let i = 0; i < (config.getNumber("extraReplicas") ?? 2); i++) {
  const shardId = String(i + 1).padStart(3, "0");
  nodes.push(
    new KakaoReplica(`extra-replica-${i}`, { clusterId: cluster.clusterId, shardId, subnetId: b.id }),
  );
}
exports.clusterId = cluster.clusterId;
exports.nodes = pulumi.all(nodes.map((n) => n.nodeId));
