// Breaks one mandatory policy of the managed-redis pack, chosen by the stack configuration `violate`:
//   tair  - an enabled InstanceSSL and a TairDirectConnection on the same Tair instance
//           (tair-ssl-direct-connection-exclusive)
//   kakao - a 12-shard KakaoRedisCluster plus a KakaoShard added to it: 13 shards (kakao-shard-count);
//           each resource alone passes its own check(), only the stack as a whole is wrong.
// Only ever previewed: nothing here is meant to be created.
import * as pulumi from "@pulumi/pulumi";
import { InstanceSSL, KakaoRedisCluster, KakaoShard, TairDirectConnection } from "pulumi-managed-redis";

const config = new pulumi.Config();
const violate = config.require("violate");

if (violate === "tair") {
  const instanceId = "r-demo-cluster-01";
  new InstanceSSL("cluster-tls", { instanceId, enabled: true });
  new TairDirectConnection("cluster-direct", { instanceId, connectionStringPrefix: "e2edirect01" });
} else if (violate === "kakao") {
  const shardCount = 12;
  const cluster = new KakaoRedisCluster("big-cache", {
    name: "e2e-big-cache",
    version: "7.2.6",
    port: 6379,
    shardCount,
    nodeCountPerShard: 2,
    flavorId: "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
    parameterGroupId: "pg-e2e",
    subnets: [{ id: "subnet-a" }, { id: "subnet-b" }],
    subnetAssignments: Array.from({ length: shardCount }, () => ({
      primary: { id: "subnet-a" },
      replicas: [{ id: "subnet-b" }],
    })),
    securityGroups: [{ id: "sg-e2e" }],
    user: { name: "app", password: pulumi.secret("e2e-encrypted-password") },
    tlsEnabled: true,
  });
  new KakaoShard("thirteenth-shard", {
    clusterId: cluster.clusterId,
    nodeCount: 2,
    subnetAssignments: { primary: { id: "subnet-b" }, replicas: [{ id: "subnet-a" }] },
  });
} else {
  throw new Error(`violate must be "tair" or "kakao", not ${JSON.stringify(violate)}`);
}
