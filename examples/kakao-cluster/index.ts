// A KakaoCloud Redis cluster with cluster mode enabled, one extra shard and one extra replica.
//
//   pulumi config set managed-redis:kakaoApplicationCredentialId <id>
//   pulumi config set --secret managed-redis:kakaoApplicationCredentialSecret <secret>
//   pulumi config set --secret redisPassword <encrypted password>
//   pulumi config set subnetA <subnet id>; pulumi config set subnetB <subnet id>
//   pulumi config set securityGroup <id>; pulumi config set parameterGroupId <id>
//   pulumi config set flavorName <name>   # optional: a flavor name of your account (default m2a.large)
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import {
  getKakaoFlavor,
  getKakaoRedisVersion,
  KakaoRedisCluster,
  KakaoReplica,
  KakaoShard,
} from "pulumi-managed-redis";

const config = new pulumi.Config();
const subnetA = config.require("subnetA");
const subnetB = config.require("subnetB");
// Flavors and versions by name, looked up in the cloud (the same credentials as the resources).
const flavor = getKakaoFlavor({ name: config.get("flavorName") ?? "m2a.large" });

const cluster = new KakaoRedisCluster("cache", {
  name: config.get("clusterName") ?? "cache",
  description: "session cache",
  version: getKakaoRedisVersion({ line: "7.2" }),
  port: 6379,
  shardCount: 2,
  nodeCountPerShard: 2,
  flavorId: pulumi.output(flavor).id,
  parameterGroupId: config.require("parameterGroupId"),
  subnets: [{ id: subnetA }, { id: subnetB }],
  subnetAssignments: [
    { primary: { id: subnetA }, replicas: [{ id: subnetB }] },
    { primary: { id: subnetB }, replicas: [{ id: subnetA }] },
  ],
  securityGroups: [{ id: config.require("securityGroup") }],
  user: { name: "app", password: config.requireSecret("redisPassword") },
  tlsEnabled: true,
  backupSchedule: { cron: "0 3 * * *", retentionLimit: 7 },
});

const extraShard = new KakaoShard("extra-shard", {
  clusterId: cluster.clusterId,
  nodeCount: 2,
  subnetAssignments: { primary: { id: subnetA }, replicas: [{ id: subnetB }] },
});

const extraReplica = new KakaoReplica("extra-replica", {
  clusterId: cluster.clusterId,
  shardId: extraShard.shardId,
  subnetId: subnetB,
});

export const clusterId = cluster.clusterId;
export const shards = cluster.shards;
// Connection outputs: the seed list for a Redis Cluster client and every node with its role.
export const seedEndpoints = cluster.seedEndpoints;
export const nodeEndpoints = cluster.nodeEndpoints;
export const extraShardId = extraShard.shardId;
export const extraReplicaEndpoint = extraReplica.endpoint;
