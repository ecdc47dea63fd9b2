// The 40 resources of programs/managed through the plugin face: the same inputs, registered as
// `pulumi.CustomResource`s by token (`managed-redis:<cloud>:<Type>`) with no SDK, the launcher named
// in Pulumi.yaml (`plugins: providers:`). Each resource declares its outputs (the schema's
// properties that are not inputs), as a generated SDK does and as the dynamic classes do.
// `fixtures.js` is copied in from programs/managed by the benchmark driver.
"use strict";
const pulumi = require("@pulumi/pulumi");
const schema = require("pulumi-managed-redis/plugin/schema.json");
const f = require("./fixtures");

function resource(type, name, args) {
  const spec = schema.resources[`managed-redis:${type}`];
  const props = { ...args };
  for (const k of Object.keys(spec.properties)) if (!(k in spec.inputProperties)) props[k] = undefined;
  return new pulumi.CustomResource(`managed-redis:${type}`, name, props);
}

const a = { id: "subnet-bench-a" };
const b = { id: "subnet-bench-b" };
const ids = [];
for (let i = 0; i < f.COUNTS.kakaoGroups; i++) {
  const cluster = resource("kakaocloud:KakaoRedisCluster", `cache-${i}`, {
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
  const shard = resource("kakaocloud:KakaoShard", `shard-${i}`, {
    clusterId: cluster.clusterId,
    nodeCount: 2,
    subnetAssignments: { primary: a, replicas: [b] },
  });
  const replica = resource("kakaocloud:KakaoReplica", `replica-${i}`, {
    clusterId: cluster.clusterId,
    shardId: shard.shardId,
    subnetId: b.id,
  });
  ids.push(replica.nodeId);
}
for (let i = 0; i < f.COUNTS.tairDirect; i++) {
  resource("alicloud:TairDirectConnection", `direct-${i}`, {
    instanceId: f.tairDirect(i),
    connectionStringPrefix: `benchdirect${i}x`,
    port: 6379,
  });
}
for (let i = 0; i < f.COUNTS.tairSsl; i++) {
  resource("alicloud:InstanceSSL", `tair-ssl-${i}`, { instanceId: f.tairSsl(i), enabled: true });
}
for (let i = 0; i < f.COUNTS.dcs; i++) {
  resource("huaweicloud:DcsInstanceSSL", `dcs-ssl-${i}`, { instanceId: f.dcs(i), enabled: true });
}
exports.replicas = pulumi.all(ids);
