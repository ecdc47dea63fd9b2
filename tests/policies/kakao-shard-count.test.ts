import type { PolicyResource } from "@pulumi/policy";
import { kakaoShardCount as policy } from "../../policies/src/kakao-shard-count";
import {
  UNKNOWN,
  assignment,
  clusterProps,
  messages,
  runStack,
  shardProps,
  stackArgs,
  stackResource,
  urnOf,
} from "./util";

function cluster(overrides: Record<string, unknown> = {}, name = "cache"): PolicyResource {
  return stackResource("KakaoRedisCluster", name, clusterProps(overrides));
}

/** A KakaoShard whose clusterId is the (unknown) clusterId output of `target`. */
function shardOf(
  target: PolicyResource,
  name: string,
  overrides: Record<string, unknown> = {},
): PolicyResource {
  return stackResource("KakaoShard", name, shardProps(overrides), {
    propertyDependencies: { clusterId: [target] },
  });
}

/** A cluster with `count` shards of 3 nodes. */
function clusterWithShards(count: number, overrides: Record<string, unknown> = {}): PolicyResource {
  return cluster({
    shardCount: count,
    subnetAssignments: Array.from({ length: count }, () => assignment(2)),
    ...overrides,
  });
}

describe("kakao-shard-count", () => {
  it("is mandatory, with maxShards configurable from 1 to 12 (default 12)", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.configSchema?.properties.maxShards).toMatchObject({
      type: "integer",
      minimum: 1,
      maximum: 12,
      default: 12,
    });
  });

  it("passes a compliant cluster with a shard added to it", async () => {
    const c = cluster();
    const out = await runStack(policy, stackArgs([c, shardOf(c, "extra")]));
    expect(out).toEqual({ violations: [], previewNotes: [] });
  });

  it("passes 12 shards: 1 declared plus 11 KakaoShards", async () => {
    const c = clusterWithShards(1);
    const shards = Array.from({ length: 11 }, (_, i) => shardOf(c, `s${i}`));
    const out = await runStack(policy, stackArgs([c, ...shards]));
    expect(out).toEqual({ violations: [], previewNotes: [] });
  });

  it("refuses shardCount above 12", async () => {
    const out = await runStack(policy, stackArgs([clusterWithShards(13)]));
    expect(out.violations).toEqual([
      {
        message:
          'KakaoRedisCluster "cache" declares shardCount 13, more than the 12 shards KakaoCloud allows per cluster. ' +
          "Set shardCount to at most 12, or spread the data over several clusters.",
        urn: urnOf("KakaoRedisCluster", "cache"),
      },
    ]);
  });

  it("refuses shardCount 0", async () => {
    const out = await runStack(policy, stackArgs([cluster({ shardCount: 0, subnetAssignments: [] })]));
    expect(messages(out)).toEqual([
      'KakaoRedisCluster "cache" declares shardCount 0: a KakaoCloud Redis cluster has 1 to 12 shards. ' +
        "Set shardCount to a whole number from 1 to 12.",
    ]);
  });

  it("applies a lower maxShards from the configuration", async () => {
    const out = await runStack(policy, stackArgs([clusterWithShards(5)], { maxShards: 4 }));
    expect(messages(out)).toEqual([
      'KakaoRedisCluster "cache" declares shardCount 5, more than the 4 shards this policy allows per cluster ' +
        "(maxShards; KakaoCloud allows 12). Set shardCount to at most 4, or spread the data over several clusters.",
    ]);
  });

  it("never raises the limit above KakaoCloud's 12", async () => {
    const out = await runStack(policy, stackArgs([clusterWithShards(13)], { maxShards: 20 }));
    expect(messages(out)).toEqual([
      expect.stringContaining("more than the 12 shards KakaoCloud allows per cluster"),
    ]);
  });

  it("counts the shards the cluster reports as not its own that no KakaoShard names (a killed run's)", async () => {
    const c = clusterWithShards(10, { foreignMembers: { shardIds: ["011", "012"], nodeIds: [] } });
    const named = stackResource("KakaoShard", "named", shardProps({ shardId: "011" }), {
      propertyDependencies: { clusterId: [c] },
    });
    // 10 own + the KakaoShard's 011 + the unowned 012: 12, within the limit.
    expect(await runStack(policy, stackArgs([c, named]))).toEqual({ violations: [], previewNotes: [] });
    const extra = shardOf(c, "extra");
    expect(messages(await runStack(policy, stackArgs([c, named, extra])))).toEqual([
      'KakaoRedisCluster "cache" would have 13 shards: shardCount 10 plus 2 KakaoShards ("named" and "extra") plus ' +
        "1 shard the cluster does not own (foreignMembers: 012; added outside the stack or by a killed run: delete " +
        "them if nobody needs them). That is more than the 12 shards KakaoCloud allows per cluster: lower shardCount " +
        "or remove KakaoShard resources.",
    ]);
    // Unknown during a preview of the cluster's update: nothing counted.
    const changing = clusterWithShards(12, { foreignMembers: UNKNOWN });
    expect((await runStack(policy, stackArgs([changing]))).violations).toEqual([]);
  });

  it("refuses KakaoShards that take the cluster beyond 12 shards, whichever order they appear in", async () => {
    const c = clusterWithShards(11);
    const expected =
      'KakaoRedisCluster "cache" would have 13 shards: shardCount 11 plus 2 KakaoShards ("a" and "b"). ' +
      "That is more than the 12 shards KakaoCloud allows per cluster: lower shardCount or remove KakaoShard resources.";
    const forward = await runStack(policy, stackArgs([c, shardOf(c, "a"), shardOf(c, "b")]));
    expect(forward.violations).toEqual([{ message: expected, urn: urnOf("KakaoRedisCluster", "cache") }]);
    const backward = await runStack(policy, stackArgs([shardOf(c, "a"), shardOf(c, "b"), c]));
    expect(messages(backward)).toEqual([expected]);
  });

  it("finds a shard's cluster by equal clusterId values once the cluster exists", async () => {
    const c = clusterWithShards(12, { clusterId: "qwerqwer-7347-4d87-a49f-e705e91db2fb" });
    const s = stackResource(
      "KakaoShard",
      "late",
      shardProps({ clusterId: "qwerqwer-7347-4d87-a49f-e705e91db2fb" }),
    );
    const out = await runStack(policy, stackArgs([c, s]));
    expect(messages(out)).toEqual([
      'KakaoRedisCluster "cache" would have 13 shards: shardCount 12 plus 1 KakaoShard ("late"). ' +
        "That is more than the 12 shards KakaoCloud allows per cluster: lower shardCount or remove KakaoShard resources.",
    ]);
  });

  it("counts shards added to a cluster outside the stack against 11", async () => {
    const shards = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        stackResource("KakaoShard", `s${i}`, shardProps({ clusterId: "ext-cluster" })),
      );
    expect(await runStack(policy, stackArgs(shards(11)))).toEqual({ violations: [], previewNotes: [] });
    const out = await runStack(policy, stackArgs(shards(12)));
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0].urn).toBeUndefined();
    expect(out.violations[0].message).toMatch(
      /^12 KakaoShards \("s0", .* and "s11"\) add shards to cluster "ext-cluster", which is not managed in this stack; /,
    );
    expect(out.violations[0].message).toContain("Remove KakaoShard resources so that at most 11 target it.");
  });

  it("refuses a cluster without one subnet assignment per shard", async () => {
    const out = await runStack(policy, stackArgs([cluster({ subnetAssignments: [assignment(2)] })]));
    expect(messages(out)).toEqual([
      'KakaoRedisCluster "cache" has 1 subnet assignment for shardCount 2: give exactly one subnet assignment per shard.',
    ]);
  });

  it("refuses an assignment whose replicas do not match nodeCountPerShard - 1", async () => {
    const out = await runStack(
      policy,
      stackArgs([cluster({ subnetAssignments: [assignment(2), assignment(1)] })]),
    );
    expect(messages(out)).toEqual([
      'KakaoRedisCluster "cache" subnetAssignments[1] lists 1 replica subnet, but nodeCountPerShard 3 needs 2 ' +
        "(nodeCountPerShard - 1, one per replica node). Give 2 entries in subnetAssignments[1].replicas.",
    ]);
  });

  it("accepts a KakaoShard assignment as an object or a one-element array", async () => {
    const c = cluster();
    const out = await runStack(
      policy,
      stackArgs([c, shardOf(c, "obj"), shardOf(c, "arr", { subnetAssignments: [assignment(2)] })]),
    );
    expect(out).toEqual({ violations: [], previewNotes: [] });
  });

  it("refuses a KakaoShard with two assignments", async () => {
    const c = cluster();
    const out = await runStack(
      policy,
      stackArgs([c, shardOf(c, "two", { subnetAssignments: [assignment(2), assignment(2)] })]),
    );
    expect(out.violations).toEqual([
      {
        message:
          'KakaoShard "two" gives 2 subnet assignments: a KakaoShard adds exactly one shard, so give exactly one ' +
          "assignment ({primary, replicas}).",
        urn: urnOf("KakaoShard", "two"),
      },
    ]);
  });

  it("refuses a KakaoShard whose replicas do not match nodeCount - 1", async () => {
    const c = cluster();
    const out = await runStack(
      policy,
      stackArgs([
        c,
        shardOf(c, "s", { nodeCount: 2 }),
        shardOf(c, "t", { subnetAssignments: [assignment(0)] }),
      ]),
    );
    expect(messages(out)).toEqual([
      'KakaoShard "s" lists 2 replica subnets, but nodeCount 2 needs 1 (nodeCount - 1, one per replica node). ' +
        "Give 1 entry in subnetAssignments.replicas.",
      'KakaoShard "t" lists 0 replica subnets, but nodeCount 3 needs 2 (nodeCount - 1, one per replica node). ' +
        "Give 2 entries in subnetAssignments[0].replicas.",
    ]);
  });

  it("does not crash on values unknown at preview and says what it could not check", async () => {
    const c = cluster({ shardCount: UNKNOWN, nodeCountPerShard: UNKNOWN });
    const orphan = stackResource("KakaoShard", "orphan", shardProps({ subnetAssignments: UNKNOWN }));
    const out = await runStack(policy, stackArgs([c, shardOf(c, "extra"), orphan]));
    expect(out.violations).toEqual([]);
    expect(out.previewNotes).toEqual([
      'The subnetAssignments of KakaoShard "orphan" are not known yet, so they cannot be checked during preview.',
      'The cluster of KakaoShard "orphan" is not known yet (its clusterId is not computed from one KakaoRedisCluster ' +
        "of this stack), so the shard total of that cluster cannot be checked during preview.",
      'The shardCount of KakaoRedisCluster "cache" is not known yet, so its shards cannot be counted during preview.',
      'The nodeCountPerShard of KakaoRedisCluster "cache" is not known yet, so its replica subnets cannot be ' +
        "checked during preview.",
    ]);
  });

  it("still reports what is known next to what is not", async () => {
    const c = clusterWithShards(14, { nodeCountPerShard: UNKNOWN });
    const out = await runStack(policy, stackArgs([c]));
    expect(messages(out)).toEqual([expect.stringContaining("declares shardCount 14")]);
    expect(out.previewNotes).toHaveLength(1);
  });

  it("is not applicable to a stack without KakaoCloud clusters or shards", async () => {
    const out = await runStack(
      policy,
      stackArgs([stackResource("KakaoReplica", "r", { clusterId: "c", shardId: "001" })]),
    );
    expect(out.notApplicable).toBe("the stack has no KakaoRedisCluster and no KakaoShard");
  });
});
