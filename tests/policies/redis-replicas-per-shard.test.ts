import { redisReplicasPerShard as policy } from "../../policies/src/redis-replicas-per-shard";
import {
  UNKNOWN,
  clusterProps,
  instanceSslProps,
  messages,
  resourceArgs,
  runResource,
  shardProps,
} from "./util";

describe("redis-replicas-per-shard", () => {
  it("is advisory, with minReplicas configurable (default 1)", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.configSchema?.properties.minReplicas).toMatchObject({
      type: "integer",
      minimum: 0,
      default: 1,
    });
  });

  it("passes shards with a replica", async () => {
    expect(
      await runResource(policy, resourceArgs("KakaoRedisCluster", clusterProps({ nodeCountPerShard: 2 }))),
    ).toEqual({
      violations: [],
      previewNotes: [],
    });
    expect(await runResource(policy, resourceArgs("KakaoShard", shardProps()))).toEqual({
      violations: [],
      previewNotes: [],
    });
  });

  it("flags a cluster with a single node per shard", async () => {
    const out = await runResource(
      policy,
      resourceArgs("KakaoRedisCluster", clusterProps({ nodeCountPerShard: 1 }), { name: "cache" }),
    );
    expect(messages(out)).toEqual([
      'KakaoRedisCluster "cache" has nodeCountPerShard 1, that is 0 replicas per shard; this policy asks for at ' +
        "least 1 (minReplicas). Set nodeCountPerShard to at least 2 so that a replica can take over when a primary fails.",
    ]);
  });

  it("flags a KakaoShard with a single node", async () => {
    const out = await runResource(
      policy,
      resourceArgs("KakaoShard", shardProps({ nodeCount: 1 }), { name: "extra" }),
    );
    expect(messages(out)).toEqual([
      'KakaoShard "extra" has nodeCount 1, that is 0 replicas; this policy asks for at least 1 (minReplicas). ' +
        "Set nodeCount to at least 2 so that a replica can take over when a primary fails.",
    ]);
  });

  it("applies minReplicas from the configuration", async () => {
    const args = resourceArgs("KakaoRedisCluster", clusterProps({ nodeCountPerShard: 2 }), {
      name: "cache",
      config: { minReplicas: 2 },
    });
    expect(messages(await runResource(policy, args))).toEqual([
      expect.stringContaining(
        "nodeCountPerShard 2, that is 1 replica per shard; this policy asks for at least 2",
      ),
    ]);
    const relaxed = resourceArgs("KakaoRedisCluster", clusterProps({ nodeCountPerShard: 1 }), {
      config: { minReplicas: 0 },
    });
    expect((await runResource(policy, relaxed)).violations).toEqual([]);
  });

  it("says it cannot count replicas unknown at preview", async () => {
    const out = await runResource(
      policy,
      resourceArgs("KakaoShard", shardProps({ nodeCount: UNKNOWN }), { name: "extra" }),
    );
    expect(out).toEqual({
      violations: [],
      previewNotes: [
        'The nodeCount of KakaoShard "extra" is not known yet, so its replicas cannot be counted during preview.',
      ],
    });
  });

  it("is not applicable to other resources", async () => {
    const out = await runResource(policy, resourceArgs("InstanceSSL", instanceSslProps()));
    expect(out.notApplicable).toBe("only KakaoRedisCluster and KakaoShard have replicas per shard");
  });
});
