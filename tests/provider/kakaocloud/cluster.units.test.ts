/**
 * Unit tests of the KakaoRedisCluster provider (provider/kakaocloud/cluster.ts) against a scripted
 * client (./fake-kakao-reshard.ts, put in place of `kakaoClient()`): the outputs of an import and of
 * a read (own shards and nodes only, foreign members that still exist), the update's PATCH, timeouts
 * and "gone" error, resharding only when a reshard field changed, delete's error paths and deadlines,
 * a create that answers with the id at once (nothing waited for), `configure`, and redaction of
 * the secret inputs in the errors of read and update.
 */
import { CloudError } from "../../../provider/core/errors";
import { setting } from "../../../provider/core/config";
import type { KakaoClient } from "../../../provider/kakaocloud/client";
import { type KakaoRedisClusterInputs, provider } from "../../../provider/kakaocloud/cluster";
import { clusterInputs, withOuts } from "../../helpers/kakao";
import { usePollScale } from "../../helpers/time";
import { badRequest, FakeKakaoReshard, fnode, fshard } from "./fake-kakao-reshard";

let mockClient: KakaoClient | undefined;
jest.mock("../../../provider/kakaocloud/client", () => ({
  ...jest.requireActual("../../../provider/kakaocloud/client"),
  kakaoClient: () => mockClient,
}));

usePollScale(0.001);
let n = 0;
/** A fresh scripted cluster (own id) with the 2 x 2 layout of `clusterInputs()`, as the client. */
function cluster(): FakeKakaoReshard {
  const fake = new FakeKakaoReshard(`c-cl-${process.pid}-${++n}`);
  fake.shards = [
    fshard("001", [fnode("n1", "subnet-a", "primary"), fnode("n2", "subnet-b")]),
    fshard("002", [fnode("m1", "subnet-b", "primary"), fnode("m2", "subnet-a")]),
  ];
  mockClient = fake.client;
  return fake;
}
const recorded = [
  { id: "001", nodes: [{ id: "n1" }, { id: "n2" }] },
  { id: "002", nodes: [{ id: "m1" }, { id: "m2" }] },
];
const none = { shardIds: [], nodeIds: [] };
/** The state of the 2 x 2 cluster after its create. */
const olds = (over: Record<string, unknown> = {}) =>
  ({ ...clusterInputs(), shards: recorded, foreignMembers: none, ...over }) as never;
const busy = () =>
  new CloudError({
    cloud: "kakaocloud",
    code: "Conflict",
    message: "cluster is busy",
    httpStatus: 409,
    refused: true,
  });
const notFound = () =>
  new CloudError({ cloud: "kakaocloud", code: "NotFound", message: "no cluster", httpStatus: 404 });

describe("read", () => {
  it("imports by id alone: assignments and shards from the listing, a shard without nodes, an unknown status", async () => {
    const fake = cluster();
    fake.shards[1] = fshard("002", undefined);
    fake.status = undefined as never;
    fake.info = { name: "imported", port: 6379 };
    const { props } = await provider.read!(fake.clusterId, undefined as never);
    expect(props!.subnetAssignments).toEqual([
      { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      { primary: { id: "" }, replicas: [] },
    ]);
    expect(props!.shards.map((s: { nodes: unknown[] }) => s.nodes.length)).toEqual([2, 0]);
    expect(props!.status).toBe("unknown");
    expect(props!.name).toBe("imported");
  });

  it("imports a cluster with a KakaoReplica's extra node: nodeCountPerShard - 1 replicas each, the extra node foreign, the pasted inputs no change", async () => {
    const fake = cluster();
    fake.shards[0].nodes!.push(fnode("n3", "subnet-b"));
    fake.info = { ...clusterInputs(), nodeCountPerShard: 2 } as never;
    const { props } = await provider.read!(fake.clusterId, undefined as never);
    expect(props!.nodeCountPerShard).toBe(2);
    expect(props!.subnetAssignments).toEqual([
      { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      { primary: { id: "subnet-b" }, replicas: [{ id: "subnet-a" }] },
    ]);
    expect(props!.shards[0].nodes.map((x: { id: string }) => x.id)).toEqual(["n1", "n2"]);
    expect(props!.foreignMembers.nodeIds).toEqual(["n3"]);
    // The code `pulumi import` prints holds the derived inputs: declaring them is no change.
    const read = props as unknown as Record<string, unknown>;
    const pasted = Object.fromEntries(
      Object.keys(clusterInputs())
        .filter((k) => read[k] !== undefined)
        .map((k) => [k, read[k]]),
    ) as unknown as KakaoRedisClusterInputs;
    expect((await provider.check!({} as never, pasted as never)).failures ?? []).toEqual([]);
    expect((await provider.diff!(fake.clusterId, props as never, pasted)).changes).toBe(false);
  });

  it("reports only the recorded shards and nodes that exist, and the foreign members that still exist", async () => {
    const fake = cluster();
    fake.shards[0].nodes!.push(fnode("n3", "subnet-b"));
    fake.shards.push(fshard("003", [fnode("k1", "subnet-a", "primary")]));
    const prior = olds({
      shards: [...recorded, { id: "009", nodes: [{ id: "z1" }] }],
      foreignMembers: { shardIds: ["003", "008"], nodeIds: ["n3", "x9"] },
    });
    const { props } = await provider.read!(fake.clusterId, prior);
    expect(
      props!.shards.map((s: { id: string; nodes: { id: string }[] }) => [s.id, s.nodes.map((x) => x.id)]),
    ).toEqual([
      ["001", ["n1", "n2"]],
      ["002", ["m1", "m2"]],
    ]);
    expect(props!.foreignMembers).toEqual({ shardIds: ["003"], nodeIds: ["n3"] });
    expect(props!.status).toBe("Running");
  });

  it("never shows a secret input in the error of a failed look", async () => {
    const fake = cluster();
    const secret = `read-secret-${process.pid}-${n}`;
    fake.lookError = () => badRequest(`password ${secret} rejected`);
    const err = await provider.read!(fake.clusterId, olds({ user: { name: "app", password: secret } })).catch(
      (e) => e,
    );
    expect(err.message).toContain("password *** rejected");
  });
});

describe("update", () => {
  it("patches a changed parameter group and reports the real status", async () => {
    const fake = cluster();
    const { outs } = withOuts(
      await provider.update!(fake.clusterId, olds(), {
        ...clusterInputs(),
        parameterGroupId: "pg-2",
      }),
    );
    expect(fake.calls).toEqual([{ op: "updateCluster", body: { parameterGroupId: "pg-2" } }]);
    expect(outs.parameterGroupId).toBe("pg-2");
    expect(outs.shards.map((s: { id: string }) => s.id)).toEqual(["001", "002"]);
  });

  it("sends nothing when the description goes from left out to empty", async () => {
    const fake = cluster();
    await provider.update!(fake.clusterId, olds({ description: undefined }), {
      ...clusterInputs(),
      description: "",
    });
    expect(fake.calls).toEqual([]);
  });

  it("never shows a secret input in its errors", async () => {
    const fake = cluster();
    const secret = `update-secret-${process.pid}-${n}`;
    fake.lookError = () => badRequest(`password ${secret} rejected`);
    const news = clusterInputs({ user: { name: "app", password: secret } });
    const err = await provider.update!(fake.clusterId, olds(), news).catch((e) => e);
    expect(err.message).toContain("password *** rejected");
  });

  it("keeps to timeouts.update while waiting for the cluster to be free, and to settle", async () => {
    const timeouts = { update: "50ms" };
    const free = cluster();
    free.status = "Scaling";
    await expect(
      provider.update!(free.clusterId, olds(), clusterInputs({ parameterGroupId: "pg-2", timeouts })),
    ).rejects.toThrow(`waiting for cluster ${free.clusterId} to be free for the next change`);
    expect(free.calls).toEqual([]);
    const settle = cluster();
    settle.status = "Scaling";
    await expect(provider.update!(settle.clusterId, olds(), clusterInputs({ timeouts }))).rejects.toThrow(
      `waiting for cluster ${settle.clusterId} to settle (Running)`,
    );
  });

  it("reshards within timeouts.update, and a failure after an accepted addition records it (partial failure)", async () => {
    const fake = cluster();
    fake.stuckAfterMutation = true;
    const news = clusterInputs({
      shardCount: 3,
      subnetAssignments: [
        ...clusterInputs().subnetAssignments,
        { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      ],
      timeouts: { update: "1s" },
    });
    const err = await provider.update!(fake.clusterId, olds(), news).catch((e) => e);
    expect(err.message).toContain(`waiting for cluster ${fake.clusterId} to settle (resharding)`);
    expect(fake.ops()).toEqual(["addShard"]);
    // The engine records these properties: the new shard is the cluster's from now on.
    const added = fake.shards[2].id;
    expect(err.id).toBe(fake.clusterId);
    expect(err.properties.shards.map((s: { id: string }) => s.id)).toEqual(["001", "002", added]);
    expect(err.properties.foreignMembers).toEqual({ shardIds: [], nodeIds: [] });
    expect(err.properties.status).toBe("Resharding");
    // The next preview still shows an update until the cluster has all it asks for.
    const noMore = await provider.diff!(fake.clusterId, err.properties, news);
    expect(noMore.changes).toBe(false);
    const grownMore = {
      ...news,
      shardCount: 4,
      subnetAssignments: [...news.subnetAssignments, news.subnetAssignments[0]],
    };
    expect((await provider.diff!(fake.clusterId, err.properties, grownMore)).changes).toBe(true);
  });

  it("a failure before any accepted addition is the error itself (nothing new to record)", async () => {
    const fake = cluster();
    fake.fail(badRequest("no capacity"));
    const news = clusterInputs({
      shardCount: 3,
      subnetAssignments: [
        ...clusterInputs().subnetAssignments,
        { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      ],
    });
    const err = await provider.update!(fake.clusterId, olds(), news).catch((e) => e);
    expect(err).toMatchObject({ name: "CloudError", message: expect.stringContaining("no capacity") });
    expect(err.properties).toBeUndefined();
  });

  it("adds a lost own shard again even when no reshard field changed, never adopting an unrecorded one", async () => {
    const fake = cluster();
    const { outs } = withOuts(
      await provider.update!(fake.clusterId, olds({ shards: [recorded[0]] }), clusterInputs()),
    );
    expect(fake.ops()).toEqual(["addShard"]);
    const added = fake.shards[2].id;
    expect(outs.shards.map((s: { id: string }) => s.id)).toEqual(["001", added]);
    expect(outs.foreignMembers).toEqual({ shardIds: ["002"], nodeIds: [] });
  });

  it("records the create's members when its wait failed (no shards recorded), and adds nothing", async () => {
    const fake = cluster();
    const { outs } = withOuts(
      await provider.update!(fake.clusterId, olds({ shards: undefined }), clusterInputs()),
    );
    expect(fake.calls).toEqual([]);
    expect(outs.shards.map((s: { id: string }) => s.id)).toEqual(["001", "002"]);
    expect(outs.foreignMembers).toEqual(none);
  });

  it("computes foreignMembers from the live listing, whatever an older state recorded", async () => {
    const fake = cluster();
    fake.shards.push(fshard("003", [fnode("k1", "subnet-a", "primary")]));
    const prior = olds({ foreignMembers: { shardIds: ["003", "007"], nodeIds: ["gone"] } });
    const { outs } = withOuts(await provider.update!(fake.clusterId, prior, clusterInputs()));
    expect(outs.foreignMembers).toEqual({ shardIds: ["003"], nodeIds: [] });
  });

  it("says the cluster is gone, with or without a name, when it disappears", async () => {
    const tail =
      " is in the stack's state but no longer exists in KakaoCloud; run `pulumi refresh` to drop it (and what " +
      "depends on it) from the state, then `pulumi up` to create it again";
    const late = cluster();
    late.goneFromLook = 3; // after the existence check and the settle wait
    await expect(provider.update!(late.clusterId, olds(), clusterInputs({ name: "named" }))).rejects.toThrow(
      `cluster ${late.clusterId} ("named")${tail}`,
    );
    const early = cluster();
    early.goneFromLook = 1;
    const err = await provider.update!(early.clusterId, olds(), {
      ...clusterInputs(),
      name: undefined,
    } as never).catch((e) => e);
    expect(err).toMatchObject({
      name: "StateError",
      code: "ResourceGone",
      message: `cluster ${early.clusterId}${tail}`,
    });
  });
});

describe("delete", () => {
  it("waits until the cluster is gone, and takes a 404 as gone", async () => {
    const fake = cluster();
    await provider.delete!(fake.clusterId, olds());
    expect(fake.ops()).toEqual(["deleteCluster"]);
    const already = cluster();
    already.fail(notFound());
    await expect(provider.delete!(already.clusterId, olds())).resolves.toBeUndefined();
  });

  it("passes on an error other than 404", async () => {
    const fake = cluster();
    fake.fail(badRequest("cannot delete now"));
    await expect(provider.delete!(fake.clusterId, olds())).rejects.toThrow(/cannot delete now/);
  });

  it("keeps to timeouts.delete while the cluster stays busy, and while it does not go", async () => {
    const timeouts = { delete: "50ms" };
    const fake = cluster();
    fake.fail(busy(), { times: 100_000 });
    // A second, not 50 ms: under load (parallel jest workers) the first look alone may take longer.
    // The deadline may pass on the API's "busy" answer or in the settle wait after it (the fake reads
    // Scaling once after each refusal): either way the delete gives up, saying why, within the second.
    const started = Date.now();
    const refused = await provider.delete!(fake.clusterId, olds({ timeouts: { delete: "1s" } })).catch(
      (e) => e,
    );
    expect(String(refused)).toMatch(/cluster is busy|timed out after \d+s waiting for cluster .* to be free/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake.ops().filter((op) => op === "deleteCluster").length).toBeGreaterThan(0);
    const stays = cluster();
    stays.apply = false;
    await expect(provider.delete!(stays.clusterId, olds({ timeouts }))).rejects.toThrow(
      `waiting for cluster ${stays.clusterId} to be deleted`,
    );
  });
});

describe("create and configure", () => {
  it("a create answers with the cluster's id at once: status Creating, its members not recorded yet, nothing waited for", async () => {
    const fake = cluster();
    // A cluster that never settles: the create does not wait for it (its KakaoClusterSettled child does).
    fake.status = "Error";
    const inputs: KakaoRedisClusterInputs = clusterInputs({ name: `units-create-${process.pid}` });
    const created = await provider.create(inputs);
    expect(fake.ops()).toEqual(["createCluster"]);
    expect(created.id).toBe(fake.clusterId);
    expect(created.outs).toMatchObject({
      clusterId: fake.clusterId,
      status: "Creating",
      foreignMembers: none,
      nodeEndpoints: [],
      seedEndpoints: [],
    });
    expect(created.outs!.foreignMembers).toStrictEqual(none);
    // No members recorded yet (not "none owned"): the next read or update records the create's members.
    expect(created.outs).not.toHaveProperty("shards");
  });

  it("the create's state: a read changes nothing, an update refuses, when no creation time can be read", async () => {
    const fake = cluster();
    fake.shards = fake.shards.map((sh) => ({
      ...sh,
      createdAt: undefined,
      nodes: sh.nodes!.map((nd) => ({ ...nd, createdAt: undefined })),
    }));
    // The state the create wrote: no `shards`.
    const state = { ...clusterInputs(), clusterId: fake.clusterId, status: "Creating", foreignMembers: none };
    const read = await provider.read!(fake.clusterId, state as never);
    expect(read.props).toEqual(state);
    const err = await provider.update!(
      fake.clusterId,
      state as never,
      clusterInputs({ shardCount: 3 }),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "StateError", code: "Conflict" });
    expect((err as Error).message).toContain(
      `cannot tell which shards of cluster ${fake.clusterId} its create made`,
    );
    expect(fake.ops()).toEqual([]);
  });

  it("configure hands the stack configuration to the settings", async () => {
    await provider.configure!({
      config: { get: (k: string) => (k === "managed-redis:unitsProbe" ? "from-config" : undefined) },
    } as never);
    try {
      expect(setting("unitsProbe", [])).toBe("from-config");
    } finally {
      await provider.configure!({ config: undefined } as never);
    }
    expect(setting("unitsProbe", [])).toBeUndefined();
  });
});
