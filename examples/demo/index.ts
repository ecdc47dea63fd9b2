// The demo stack: every resource of pulumi-managed-redis, against the local emulator
// (`npm run demo`) or the real clouds (see README: set credentials, no endpoint override).
import * as pulumi from "@pulumi/pulumi";
import { KakaoRedisCluster, KakaoReplica, KakaoShard } from "pulumi-managed-redis";

const config = new pulumi.Config();
const subnetA = config.get("kakaoSubnetA") ?? "subnet-demo-a";
const subnetB = config.get("kakaoSubnetB") ?? "subnet-demo-b";

// KakaoCloud: a 2-shard cluster, one extra shard, one extra replica in that shard.
const cluster = new KakaoRedisCluster("cache", {
  name: config.get("kakaoClusterName") ?? "demo-cache",
  description: config.get("kakaoDescription") ?? "pulumi-managed-redis demo",
  version: "7.2.6",
  port: config.getNumber("kakaoPort") ?? 6379,
  shardCount: 2,
  nodeCountPerShard: 2,
  flavorId: config.get("kakaoFlavorId") ?? "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
  parameterGroupId: config.get("kakaoParameterGroupId") ?? "pg-demo",
  subnets: [{ id: subnetA }, { id: subnetB }],
  subnetAssignments: [
    { primary: { id: subnetA }, replicas: [{ id: subnetB }] },
    { primary: { id: subnetB }, replicas: [{ id: subnetA }] },
  ],
  securityGroups: [{ id: config.get("kakaoSecurityGroup") ?? "sg-demo" }],
  user: { name: "app", password: config.getSecret("kakaoRedisPassword") ?? pulumi.secret("demo-encrypted-password") },
  tlsEnabled: true,
  backupSchedule: { cron: "0 3 * * *", retentionLimit: 7 },
});

const shard = new KakaoShard("extra-shard", {
  clusterId: cluster.clusterId,
  nodeCount: 2,
  subnetAssignments: { primary: { id: subnetA }, replicas: [{ id: subnetB }] },
});

const replica = new KakaoReplica("extra-replica", {
  clusterId: cluster.clusterId,
  shardId: shard.shardId,
  subnetId: subnetB,
});

export const kakaoClusterId = cluster.clusterId;
export const kakaoClusterStatus = cluster.status;
export const kakaoShardIds = cluster.shards.apply((s) => s.map((x) => x.id));
export const kakaoExtraShardId = shard.shardId;
export const kakaoExtraReplica = pulumi.interpolate`${replica.nodeId} (${replica.role}, ${replica.endpoint})`;
