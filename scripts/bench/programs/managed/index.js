// 40 resources of this package: 8 KakaoCloud clusters, each with an extra shard and an extra
// replica in it (24), 6 Tair direct connections, 4 Tair SSL settings and 6 DCS SSL settings.
"use strict";
const pulumi = require("@pulumi/pulumi");
const {
  KakaoRedisCluster,
  KakaoShard,
  KakaoReplica,
  TairDirectConnection,
  InstanceSSL,
  DcsInstanceSSL,
} = require("pulumi-managed-redis");
const f = require("./fixtures");

const a = { id: "subnet-bench-a" };
const b = { id: "subnet-bench-b" };
const ids = [];
for (let i = 0; i < f.COUNTS.kakaoGroups; i++) {
  const cluster = new KakaoRedisCluster(`cache-${i}`, {
    name: `bench-cache-${i}`,
    description: "bench",
    version: "7.2.6",
    port: 6379,
    shardCount: 2,
    nodeCountPerShard: 2,
    flavorId: "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
    parameterGroupId: "pg-bench",
    subnets: [a, b],
    subnetAssignments: [
      { primary: a, replicas: [b] },
      { primary: b, replicas: [a] },
    ],
    securityGroups: [{ id: "sg-bench" }],
    user: { name: "app", password: pulumi.secret("bench-encrypted-password") },
    tlsEnabled: true,
  });
  const shard = new KakaoShard(`shard-${i}`, {
    clusterId: cluster.clusterId,
    nodeCount: 2,
    subnetAssignments: { primary: a, replicas: [b] },
  });
  const replica = new KakaoReplica(`replica-${i}`, {
    clusterId: cluster.clusterId,
    shardId: shard.shardId,
    subnetId: b.id,
  });
  ids.push(replica.nodeId);
}
for (let i = 0; i < f.COUNTS.tairDirect; i++) {
  new TairDirectConnection(`direct-${i}`, {
    instanceId: f.tairDirect(i),
    connectionStringPrefix: `benchdirect${i}x`,
    port: 6379,
  });
}
for (let i = 0; i < f.COUNTS.tairSsl; i++) {
  new InstanceSSL(`tair-ssl-${i}`, { instanceId: f.tairSsl(i), enabled: true });
}
for (let i = 0; i < f.COUNTS.dcs; i++) {
  new DcsInstanceSSL(`dcs-ssl-${i}`, { instanceId: f.dcs(i), enabled: true });
}
exports.replicas = pulumi.all(ids);
