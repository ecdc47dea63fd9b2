// The demo stack: every resource of pulumi-managed-redis, against the local emulator
// (`npm run demo`) or the real clouds (see README: set credentials, no endpoint override).
import * as pulumi from "@pulumi/pulumi";
import {
  DcsInstanceSSL,
  InstanceSSL,
  KakaoRedisCluster,
  KakaoReplica,
  KakaoShard,
  TairDirectConnection,
} from "pulumi-managed-redis";

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
  user: {
    name: "app",
    password: config.getSecret("kakaoRedisPassword") ?? pulumi.secret("demo-encrypted-password"),
  },
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
// What a Redis Cluster client connects with: every node as host:port (primaries first), and the port.
export const kakaoPort = cluster.port;
export const kakaoSeedEndpoints = cluster.seedEndpoints;
export const kakaoNodeEndpoints = cluster.nodeEndpoints.apply((nodes) =>
  nodes.map((n) => `${n.host}:${n.port} ${n.role} (shard ${n.shardId})`),
);
export const kakaoExtraShardId = shard.shardId;
export const kakaoExtraReplica = pulumi.interpolate`${replica.nodeId} (${replica.role}, ${replica.endpoint})`;

// Alibaba Cloud Tair: TLS on a standard instance; a direct connection on a cluster instance, whose
// SSL must stay off (the API refuses a direct connection while SSL is on).
const tairSsl = new InstanceSSL("tair-ssl", {
  instanceId: config.get("tairSslInstanceId") ?? "r-demo-standard-01",
  enabled: true,
  certificateRotation: config.get("tairCertificateRotation") ?? "2026-11",
});
const tairDirect = new TairDirectConnection("tair-direct", {
  instanceId: config.get("tairDirectInstanceId") ?? "r-demo-cluster-01",
  connectionStringPrefix: config.get("tairDirectPrefix") ?? "demodirect01",
  port: 6379,
});

export const tairCaCertificateUrl = tairSsl.certDownloadUrl;
export const tairDirectEndpoint = pulumi.interpolate`${tairDirect.connectionString}:${tairDirect.port}`;

// Huawei Cloud DCS: SSL on a Redis 6.0 basic edition instance (seeded in the emulator).
const dcsSsl = new DcsInstanceSSL("dcs-ssl", {
  instanceId: config.get("dcsInstanceId") ?? "5560df16-cebf-4473-95c4-d1b573c16e79",
  enabled: true,
});

export const dcsSslEndpoint = pulumi.interpolate`${dcsSsl.domainName}:${dcsSsl.port}`;
