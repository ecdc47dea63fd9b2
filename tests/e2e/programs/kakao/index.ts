// Driven by stack configuration so one program covers create, in-place update, replace and bad input.
import * as pulumi from "@pulumi/pulumi";
import { KakaoRedisCluster, KakaoReplica, KakaoShard } from "pulumi-managed-redis";

const config = new pulumi.Config();
const cluster = new KakaoRedisCluster("cache", {
  name: config.get("name") ?? "e2e-cache",
  description: config.get("description") ?? "first",
  version: "7.2.6",
  port: config.getNumber("port") ?? 6379,
  shardCount: config.getNumber("shardCount") ?? 2,
  nodeCountPerShard: 2,
  flavorId: "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
  parameterGroupId: "pg-e2e",
  subnets: [{ id: "subnet-a" }, { id: "subnet-b" }],
  subnetAssignments: [
    { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
    { primary: { id: "subnet-b" }, replicas: [{ id: "subnet-a" }] },
  ],
  securityGroups: [{ id: "sg-e2e" }],
  user: { name: "app", password: config.requireSecret("password") },
  tlsEnabled: true,
});
if (config.getBoolean("extras") ?? true) {
  const shard = new KakaoShard("extra-shard", {
    clusterId: cluster.clusterId,
    nodeCount: 2,
    subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
  });
  new KakaoReplica("extra-replica", {
    clusterId: cluster.clusterId,
    shardId: shard.shardId,
    subnetId: "subnet-b",
  });
}
export const clusterId = cluster.clusterId;
