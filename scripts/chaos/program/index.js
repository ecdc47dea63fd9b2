// The chaos stack: every resource type of pulumi-managed-redis against the emulator. Stack
// configuration drives the update step (`step: 2` changes something on every cloud and adds a
// replica; `step: 3` instead reshards the cluster in place from 2 x 2 to 3 shards of 3 nodes) so
// that one program covers create, update, resharding and destroy.
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

const config = new pulumi.Config();
const step = config.getNumber("step") ?? 1;
const subnetA = "subnet-chaos-a";
const subnetB = "subnet-chaos-b";
const reshard = step === 3;
const shardCount = reshard ? 3 : 2;
const nodeCountPerShard = reshard ? 3 : 2;
const subnets = [subnetA, subnetB];

const cluster = new KakaoRedisCluster("cache", {
  name: config.get("clusterName") ?? "chaos-cache",
  description: step === 2 ? "chaos second" : "chaos first",
  version: "7.2.6",
  port: 6379,
  shardCount,
  nodeCountPerShard,
  flavorId: "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
  parameterGroupId: "pg-chaos",
  subnets: [{ id: subnetA }, { id: subnetB }],
  subnetAssignments: Array.from({ length: shardCount }, (_, i) => ({
    primary: { id: subnets[i % 2] },
    replicas: Array.from({ length: nodeCountPerShard - 1 }, (_, j) => ({ id: subnets[(i + j + 1) % 2] })),
  })),
  securityGroups: [{ id: "sg-chaos" }],
  user: { name: "app", password: pulumi.secret("chaos-encrypted-password") },
  tlsEnabled: true,
});
const shard = new KakaoShard("extra-shard", {
  clusterId: cluster.clusterId,
  nodeCount: 2,
  subnetAssignments: { primary: { id: subnetA }, replicas: [{ id: subnetB }] },
});
const replicas = [];
for (let i = 0; i < (step === 2 ? 2 : 1); i++) {
  replicas.push(
    new KakaoReplica(`extra-replica-${i}`, {
      clusterId: cluster.clusterId,
      shardId: shard.shardId,
      subnetId: subnetB,
    }),
  );
}

const direct = new TairDirectConnection("direct", {
  instanceId: "r-demo-cluster-01",
  connectionStringPrefix: "chaosdirect01",
  port: 6379,
  // An interrupted create leaves the endpoint unrecorded: adopt it on the next run.
  adoptExisting: true,
});
const tairSsl = new InstanceSSL("tair-ssl", {
  instanceId: "r-demo-cluster-02",
  enabled: true,
  certificateRotation: step === 2 ? "rotation-2" : "rotation-1",
});
const dcsSsl = new DcsInstanceSSL("dcs-ssl", {
  instanceId: "5560df16-cebf-4473-95c4-d1b573c16e79",
  // The update turns SSL off again: one more job, under faults too.
  enabled: step !== 2,
});

exports.clusterId = cluster.clusterId;
exports.seedEndpoints = cluster.seedEndpoints;
exports.shardId = shard.shardId;
exports.replicaIds = pulumi.all(replicas.map((r) => r.nodeId));
exports.directEndpoint = direct.connectionString;
exports.tairSslExpires = tairSsl.sslExpiredTime;
exports.dcsSslDomain = dcsSsl.domainName;
