// A cluster whose shardCount and nodeCountPerShard come from the stack configuration (resharded in
// place), with a KakaoShard (and optionally a KakaoReplica) beside it that resharding must leave alone.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { KakaoRedisCluster, KakaoReplica, KakaoShard } = require("pulumi-managed-redis");

const config = new pulumi.Config();
const shardCount = config.getNumber("shardCount") ?? 2;
const nodeCountPerShard = config.getNumber("nodeCountPerShard") ?? 2;
const subnets = ["subnet-a", "subnet-b"];
const cluster = new KakaoRedisCluster("cache", {
  name: "e2e-reshard",
  version: "7.2.6",
  port: 6379,
  shardCount,
  nodeCountPerShard,
  flavorId: "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
  parameterGroupId: "pg-e2e",
  subnets: subnets.map((id) => ({ id })),
  // Shard i has its primary in subnets[i % 2] and its replicas in the other subnets, round the list.
  subnetAssignments: Array.from({ length: shardCount }, (_, i) => ({
    primary: { id: subnets[i % 2] },
    replicas: Array.from({ length: nodeCountPerShard - 1 }, (_, j) => ({ id: subnets[(i + j + 1) % 2] })),
  })),
  securityGroups: [{ id: "sg-e2e" }],
});
// `extraLayout: next` gives the KakaoShard the layout of the cluster's next own shard (issue 23:
// the cluster must never take it over); `extraShard: false` removes it; `extraReplicaShard` adds a
// KakaoReplica (subnet-b) to that shard of the cluster.
const extraLayout = config.get("extraLayout") ?? "own";
const extra =
  config.getBoolean("extraShard") === false
    ? undefined
    : new KakaoShard("extra-shard", {
        clusterId: cluster.clusterId,
        nodeCount: 2,
        subnetAssignments:
          extraLayout === "next"
            ? { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] }
            : { primary: { id: "subnet-b" }, replicas: [{ id: "subnet-b" }] },
      });
const replicaShard = config.get("extraReplicaShard");
const replica =
  replicaShard &&
  new KakaoReplica("extra-replica", {
    clusterId: cluster.clusterId,
    shardId: replicaShard,
    subnetId: "subnet-b",
  });
exports.clusterId = cluster.clusterId;
exports.ownShards = cluster.shards.apply((s) => s.map((x) => `${x.id}:${x.nodes.length}`));
exports.ownNodes = cluster.shards.apply((s) => s.flatMap((x) => x.nodes.map((n) => n.id)));
exports.foreignMembers = cluster.foreignMembers;
exports.extraShard = extra ? extra.shardId : "none";
exports.extraReplica = replica ? replica.nodeId : "none";
exports.port = cluster.port;
exports.seedEndpoints = cluster.seedEndpoints;
exports.nodeEndpoints = cluster.nodeEndpoints;
