// A cluster whose shardCount and nodeCountPerShard come from the stack configuration (resharded in
// place), with a KakaoShard beside it that resharding must leave alone.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { KakaoRedisCluster, KakaoShard } = require("pulumi-managed-redis");

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
const extra = new KakaoShard("extra-shard", {
  clusterId: cluster.clusterId,
  nodeCount: 2,
  subnetAssignments: { primary: { id: "subnet-b" }, replicas: [{ id: "subnet-b" }] },
});
exports.clusterId = cluster.clusterId;
exports.ownShards = cluster.shards.apply((s) => s.map((x) => `${x.id}:${x.nodes.length}`));
exports.extraShard = extra.shardId;
exports.port = cluster.port;
exports.seedEndpoints = cluster.seedEndpoints;
exports.nodeEndpoints = cluster.nodeEndpoints;
