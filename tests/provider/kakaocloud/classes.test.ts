/**
 * The resource classes' id outputs (item 2 of issue 11): `KakaoRedisCluster.clusterId` and
 * `KakaoShard.shardId`/`clusterId` come from the resource id, which the engine keeps known while an
 * update is previewed, never from the provider's outputs (unknown then). With Pulumi's mocks, the
 * provider outputs below carry other values (or none): the class must still give the id's.
 */
import * as pulumi from "@pulumi/pulumi";

pulumi.runtime.setMocks(
  {
    newResource: (args) => ({
      id: args.type.endsWith("KakaoShard") ? "cluster-from-id/007" : "cluster-from-id",
      // Outputs that disagree with the id: what the class exposes must not come from here.
      state: { ...args.inputs, clusterId: "from-outputs", shardId: "from-outputs" },
    }),
    call: () => ({}),
  },
  "project",
  "stack",
  false,
);

// Loaded after setMocks, as Pulumi's mocks require.
const { KakaoRedisCluster, KakaoShard } = require("../../../provider") as typeof import("../../../provider");

const known = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

it("KakaoRedisCluster.clusterId is the resource id", async () => {
  const cluster = new KakaoRedisCluster("c", {
    name: "c",
    version: "7.2.6",
    port: 6379,
    shardCount: 1,
    nodeCountPerShard: 1,
    flavorId: "f",
    parameterGroupId: "pg",
    subnets: [{ id: "s" }],
    subnetAssignments: [{ primary: { id: "s" }, replicas: [] }],
    securityGroups: [{ id: "sg" }],
  });
  expect(await known(cluster.clusterId)).toBe("cluster-from-id");
  expect(await known(cluster.id)).toBe("cluster-from-id");
});

it("KakaoShard.shardId and clusterId come from the resource id", async () => {
  const shard = new KakaoShard("s", {
    clusterId: "cluster-from-id",
    nodeCount: 1,
    subnetAssignments: { primary: { id: "s" }, replicas: [] },
  });
  expect(await known(shard.shardId)).toBe("007");
  expect(await known(shard.clusterId)).toBe("cluster-from-id");
});
