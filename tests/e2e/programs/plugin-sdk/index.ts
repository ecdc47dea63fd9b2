// A TypeScript program on the plugin face: the classes of the generated SDK register the tokens
// managed-redis:<cloud>:<Type>, served by the provider plugin that Pulumi.yaml names.
import * as pulumi from "@pulumi/pulumi";
import { alicloud, huaweicloud, kakaocloud } from "pulumi-managed-redis/plugin";

const config = new pulumi.Config();

const cluster = new kakaocloud.KakaoRedisCluster("cluster", {
  name: "sdk-cluster",
  description: config.get("description") ?? "first",
  version: "7.2.6",
  port: 6379,
  shardCount: 1,
  nodeCountPerShard: 2,
  flavorId: "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
  parameterGroupId: "pg-e2e",
  subnets: [{ id: "subnet-a" }, { id: "subnet-b" }],
  subnetAssignments: [{ primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] }],
  securityGroups: [{ id: "sg-e2e" }],
  user: { name: "app", password: config.requireSecret("password") },
  tlsEnabled: true,
  timeouts: { create: "20m" },
});

const dcs = new huaweicloud.DcsInstanceSSL("dcs", {
  instanceId: config.require("dcsInstanceId"),
  enabled: true,
});

const tair = new alicloud.InstanceSSL("tair", {
  instanceId: "r-demo-standard-01",
  enabled: true,
  certificateRotation: "2026-01",
});

export const clusterId = cluster.id;
export const clusterStatus = cluster.status;
export const shardCount = cluster.shards.apply((s) => s?.length);
export const dcsDomainName = dcs.domainName;
export const tairSslEnabled = tair.sslEnabled;
