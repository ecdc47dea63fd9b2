// One cluster, an extra shard and an extra replica, in one of two forms (config `form`): `minimal`
// leaves every optional field out and names its flavor and version by id and number, `full` sets
// every one and names its flavor (`m2a.large`) and version line (`7.2`) through the lookups. `ref` chooses which cluster output the
// shard and replica take as their clusterId (`id` or `clusterId`); `description` and
// `parameterGroupId` drive the in-place updates.
import * as pulumi from "@pulumi/pulumi";
import {
  getKakaoFlavor,
  getKakaoRedisVersion,
  KakaoRedisCluster,
  KakaoReplica,
  KakaoShard,
} from "pulumi-managed-redis";

const config = new pulumi.Config();
const full = config.require("form") === "full";
const subnets = [{ id: "subnet-a" }, { id: "subnet-b" }];
const cluster = new KakaoRedisCluster("cache", {
  name: config.require("name"),
  version: full ? getKakaoRedisVersion({ line: "7.2" }) : "7.0.15",
  port: 6379,
  shardCount: 2,
  nodeCountPerShard: 2,
  flavorId: full
    ? pulumi.output(getKakaoFlavor({ name: "m2a.large" })).id
    : "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
  parameterGroupId: config.get("parameterGroupId") ?? "pg-1",
  subnets,
  subnetAssignments: [
    { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
    { primary: { id: "subnet-b" }, replicas: [{ id: "subnet-a" }] },
  ],
  securityGroups: [{ id: "sg-1" }],
  ...(config.get("description") !== undefined ? { description: config.get("description") } : {}),
  ...(full
    ? {
        description: config.get("description") ?? "first",
        user: { name: "app", password: config.requireSecret("password") },
        tlsEnabled: true,
        backupSchedule: { cron: "0 3 * * *", retentionLimit: 7 },
        timeouts: { create: "30m", update: "30m", delete: "30m" },
      }
    : {}),
});
const clusterId = config.get("ref") === "clusterId" ? cluster.clusterId : cluster.id;
const shard = new KakaoShard("extra-shard", {
  clusterId,
  nodeCount: 2,
  subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
  ...(full ? { timeouts: { create: "30m", delete: "30m" } } : {}),
});
new KakaoReplica("extra-replica", {
  clusterId,
  shardId: shard.shardId,
  subnetId: "subnet-b",
  ...(full ? { timeouts: { create: "30m", delete: "30m" } } : {}),
});
export const id = cluster.clusterId;
