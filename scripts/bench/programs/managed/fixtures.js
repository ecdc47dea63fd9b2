// Ids shared by the benchmark programs and the benchmark driver (which seeds the emulator with
// them): Alibaba Tair cluster instances and Huawei DCS Redis 6.0 instances; and the 40-resource
// stack both programs declare (`declareStack`).
"use strict";

/** Alibaba instance ids for direct connections and for SSL. */
const tairDirect = (i) => `r-bench-direct-${i}`;
const tairSsl = (i) => `r-bench-ssl-${i}`;
/** Huawei DCS instance ids (UUIDs). */
const dcs = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** How many of each the 40-resource stack declares. */
const COUNTS = { kakaoGroups: 8, tairDirect: 6, tairSsl: 4, dcs: 6 };

/**
 * Declares the 40-resource stack with `make(type, name, args)` (`type` is the class name: each
 * program registers it on its own face) and returns the replicas' node ids. Both programs
 * (programs/managed, programs/plugin) declare the same resources with the same inputs through it.
 */
function declareStack(pulumi, make) {
  const a = { id: "subnet-bench-a" };
  const b = { id: "subnet-bench-b" };
  const ids = [];
  for (let i = 0; i < COUNTS.kakaoGroups; i++) {
    const cluster = make("KakaoRedisCluster", `cache-${i}`, {
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
    const shard = make("KakaoShard", `shard-${i}`, {
      clusterId: cluster.clusterId,
      nodeCount: 2,
      subnetAssignments: { primary: a, replicas: [b] },
    });
    const replica = make("KakaoReplica", `replica-${i}`, {
      clusterId: cluster.clusterId,
      shardId: shard.shardId,
      subnetId: b.id,
    });
    ids.push(replica.nodeId);
  }
  for (let i = 0; i < COUNTS.tairDirect; i++) {
    make("TairDirectConnection", `direct-${i}`, {
      instanceId: tairDirect(i),
      connectionStringPrefix: `benchdirect${i}x`,
      port: 6379,
    });
  }
  for (let i = 0; i < COUNTS.tairSsl; i++) {
    make("InstanceSSL", `tair-ssl-${i}`, { instanceId: tairSsl(i), enabled: true });
  }
  for (let i = 0; i < COUNTS.dcs; i++) {
    make("DcsInstanceSSL", `dcs-ssl-${i}`, { instanceId: dcs(i), enabled: true });
  }
  return ids;
}

module.exports = { tairDirect, tairSsl, dcs, COUNTS, declareStack };
