/**
 * Every KakaoCloud shard and node has exactly one owner (issue 23), through the providers against the
 * emulator (real HTTP on loopback): a cluster's scale-up never takes over a `KakaoShard` or a
 * `KakaoReplica` with the same layout (1, 3), neither resource deletes the other's member (2), a
 * cluster's own member deleted out of band shows as an update in place and is added again (4), and
 * a member whose cluster is gone is deleted without error (5). `KakaoReplica` exposes its ids.
 */
import type { Emulator } from "../../../emulator";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { kakaoClient } from "../../../provider/kakaocloud/client";
import {
  type KakaoRedisClusterInputs,
  type KakaoRedisClusterOutputs,
  provider as cluster,
} from "../../../provider/kakaocloud/cluster";
import { provider as replica } from "../../../provider/kakaocloud/replica";
import { waitClusterSettled } from "../../../provider/kakaocloud/settle";
import { provider as shard } from "../../../provider/kakaocloud/shard";
import { startTestEmulator } from "../../helpers/emulator";
import { clusterInputs, upCluster, withOuts } from "../../helpers/kakao";

let emu: Emulator;
let kakao: KakaocloudModule;

beforeAll(async () => {
  emu = await startTestEmulator({ kakaocloud: { settleMs: { default: 100 } } });
  kakao = emu.clouds.kakaocloud as KakaocloudModule;
});
afterAll(async () => emu.stop());

const A = { id: "subnet-a" };
const B = { id: "subnet-b" };

/** The live shards of a cluster: `id: node ids`. */
function liveShards(id: string): Map<string, string[]> {
  const c = kakao.snapshot().clusters.find((x) => x.id === id)!;
  return new Map(c.shards.map((s) => [s.id, s.nodes.map((n) => n.id)]));
}
const ownIds = (outs: KakaoRedisClusterOutputs) => outs.shards.map((s) => s.id);
const ownNodes = (outs: KakaoRedisClusterOutputs) => outs.shards.flatMap((s) => s.nodes.map((n) => n.id));
const settled = (id: string) => waitClusterSettled(kakaoClient(), id, { timeoutMs: 10_000 });

/** The cluster inputs with `shardCount` shards: the fixture's two, then (A, [B]) each. */
function withShards(base: KakaoRedisClusterInputs, shardCount: number): KakaoRedisClusterInputs {
  const extra = Array.from({ length: shardCount - 2 }, () => ({ primary: A, replicas: [B] }));
  return {
    ...base,
    shardCount,
    subnetAssignments: [...base.subnetAssignments.slice(0, shardCount), ...extra],
  };
}

async function up(id: string, olds: KakaoRedisClusterOutputs, news: KakaoRedisClusterInputs) {
  return withOuts(await cluster.update!(id, olds, news)).outs as KakaoRedisClusterOutputs;
}

describe("a KakaoShard with the layout of the cluster's next shard (points 1 and 2)", () => {
  it("the scale-up adds the cluster's own shard; neither resource deletes the other's", async () => {
    const base = clusterInputs({ name: "own-shards" });
    const created = await upCluster(base);
    const id = created.id;
    const extraInputs = { clusterId: id, nodeCount: 2, subnetAssignments: { primary: A, replicas: [B] } };
    const extra = withOuts(await shard.create(extraInputs as never));
    const extraShard = extra.outs.shardId;
    await settled(id);

    // 1. shardCount 2 -> 3 with the natural third assignment (A, [B]): the KakaoShard's layout.
    const three = await up(id, created.outs, withShards(base, 3));
    expect(liveShards(id).size).toBe(4);
    expect(ownIds(three)).toHaveLength(3);
    expect(ownIds(three)).not.toContain(extraShard);
    expect(three.foreignMembers).toEqual({ shardIds: [extraShard], nodeIds: [] });
    const read = withOuts({ outs: (await cluster.read!(id, three)).props }).outs as KakaoRedisClusterOutputs;
    expect(read.shardCount).toBe(3);
    expect((await cluster.diff!(id, read, withShards(base, 3))).changes).toBe(false);

    // 2a. Back to 2: the cluster deletes its own third shard, never the KakaoShard's.
    const two = await up(id, read, withShards(base, 2));
    expect(ownIds(two)).toEqual(ownIds(three).slice(0, 2));
    expect([...liveShards(id).keys()].sort()).toEqual([...ownIds(two), extraShard].sort());
    expect((await shard.read!(extra.id, extra.outs)).props).toMatchObject({ shardId: extraShard });

    // 2b. Removing the KakaoShard leaves the cluster's shards: no change to show.
    await shard.delete!(extra.id, extra.outs);
    const after = (await cluster.read!(id, two)).props as KakaoRedisClusterOutputs;
    expect(ownIds(after)).toEqual(ownIds(two));
    expect(after.foreignMembers).toEqual({ shardIds: [], nodeIds: [] });
    expect((await cluster.diff!(id, after, withShards(base, 2))).changes).toBe(false);
    await cluster.delete!(id, after);
  });
});

describe("a KakaoReplica in the subnet of the cluster's next replica (point 3)", () => {
  it("nodeCountPerShard 2 -> 3 -> 2 adds and deletes the cluster's own node, never the KakaoReplica's", async () => {
    const base = clusterInputs({ name: "own-nodes" });
    const created = await upCluster(base);
    const id = created.id;
    const extra = withOuts(await replica.create({ clusterId: id, shardId: "001", subnetId: "subnet-b" }));
    const extraNode = extra.outs.nodeId;
    await settled(id);
    const three = {
      ...base,
      nodeCountPerShard: 3,
      subnetAssignments: [
        { primary: A, replicas: [B, B] },
        { primary: B, replicas: [A, A] },
      ],
    };
    const grown = await up(id, created.outs, three);
    expect(grown.shards.map((s) => s.nodes.length)).toEqual([3, 3]);
    expect(ownNodes(grown)).not.toContain(extraNode);
    expect(liveShards(id).get("001")).toHaveLength(4);
    expect(grown.foreignMembers).toEqual({ shardIds: [], nodeIds: [extraNode] });

    const back = await up(id, grown, base);
    expect(back.shards.map((s) => s.nodes.length)).toEqual([2, 2]);
    expect(liveShards(id).get("001")).toContain(extraNode);
    expect(liveShards(id).get("001")).toHaveLength(3);
    expect((await replica.read!(extra.id, extra.outs)).props).toMatchObject({ nodeId: extraNode });
    await replica.delete!(extra.id, extra.outs);
    await cluster.delete!(id, back);
  });
});

describe("a cluster's own member deleted out of band (point 4)", () => {
  it("drops out of the read, shows as an update in place (never a replacement), and up adds it again", async () => {
    const base = clusterInputs({ name: "own-drift" });
    const created = await upCluster(base);
    const id = created.id;
    const outs = created.outs as KakaoRedisClusterOutputs;
    const lost = outs.shards[1].nodes.find((n) => n.role !== "primary")!;
    await kakaoClient().deleteNode(id, "002", lost.id);
    await settled(id);

    const refreshed = (await cluster.read!(id, outs)).props as KakaoRedisClusterOutputs;
    expect(ownNodes(refreshed)).not.toContain(lost.id);
    expect(refreshed.nodeCountPerShard).toBe(1);
    expect(refreshed.shardCount).toBe(2);
    expect(await cluster.diff!(id, refreshed, base)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    // A second refresh keeps showing it.
    const again = (await cluster.read!(id, refreshed)).props as KakaoRedisClusterOutputs;
    expect((await cluster.diff!(id, again, base)).changes).toBe(true);

    const repaired = await up(id, again, base);
    expect(repaired.shards.map((s) => s.nodes.length)).toEqual([2, 2]);
    expect(liveShards(id).get("002")).toHaveLength(2);
    const clean = (await cluster.read!(id, repaired)).props as KakaoRedisClusterOutputs;
    expect(clean.nodeCountPerShard).toBe(2);
    expect((await cluster.diff!(id, clean, base)).changes).toBe(false);

    // A whole own shard lost: the same.
    await kakaoClient().deleteShard(id, "001");
    await settled(id);
    const noShard = (await cluster.read!(id, clean)).props as KakaoRedisClusterOutputs;
    expect(noShard.shardCount).toBe(1);
    expect((await cluster.diff!(id, noShard, base)).replaces).toEqual([]);
    const back = await up(id, noShard, base);
    expect(back.shards).toHaveLength(2);
    expect(liveShards(id).size).toBe(2);
    await cluster.delete!(id, back);
  });
});

describe("a member whose cluster is gone (point 5)", () => {
  it("KakaoShard and KakaoReplica delete succeed and send nothing", async () => {
    const created = await upCluster(clusterInputs({ name: "own-gone" }));
    const id = created.id;
    const s = withOuts(
      await shard.create({ clusterId: id, nodeCount: 2, subnetAssignments: { primary: A, replicas: [B] } }),
    );
    const r = withOuts(await replica.create({ clusterId: id, shardId: "001", subnetId: "subnet-b" }));
    await settled(id);
    await cluster.delete!(id, created.outs);
    const from = emu.requests.length;
    await expect(shard.delete!(s.id, s.outs)).resolves.toBeUndefined();
    await expect(replica.delete!(r.id, r.outs)).resolves.toBeUndefined();
    expect(emu.requests.slice(from).filter((q) => q.mutating)).toEqual([]);
  });
});

describe("the create's members, recorded after the create answered with the id (./initial.ts)", () => {
  it("a KakaoShard and a KakaoReplica added before the cluster recorded its members are never counted", async () => {
    const base = clusterInputs({ name: "own-after-create" });
    const created = await upCluster(base);
    const id = created.id;
    // The same program's KakaoShard (the cluster's next shard's layout) and a KakaoReplica.
    const extra = withOuts(
      await shard.create({ clusterId: id, nodeCount: 2, subnetAssignments: { primary: A, replicas: [B] } }),
    );
    const r = withOuts(await replica.create({ clusterId: id, shardId: "001", subnetId: "subnet-b" }));
    await settled(id);
    const own = (outs: KakaoRedisClusterOutputs) => [ownIds(outs), ownNodes(outs)];
    // The child's members (what the class shows) and the first update's record are the create's.
    expect(own(created.outs)).toEqual([["001", "002"], expect.any(Array)]);
    expect(ownNodes(created.outs)).toHaveLength(4);
    expect(ownIds(created.outs)).not.toContain(extra.outs.shardId);
    expect(ownNodes(created.outs)).not.toContain(r.outs.nodeId);
    // A refresh leaves the create's state as it is; the first update records the same members.
    expect((await cluster.read!(id, created.state)).props).toEqual(created.state);
    expect((await cluster.diff!(id, created.state, base)).changes).toBe(false);
    const updated = await up(id, created.state, { ...base, description: "recorded" });
    expect(own(updated)).toEqual(own(created.outs));
    expect(updated.foreignMembers).toEqual({ shardIds: [extra.outs.shardId], nodeIds: [r.outs.nodeId] });
    // Scaling to 3 adds the cluster's own third shard beside the KakaoShard.
    const three = await up(id, updated, withShards({ ...base, description: "recorded" }, 3));
    expect(ownIds(three)).toHaveLength(3);
    expect(ownIds(three)).not.toContain(extra.outs.shardId);
    expect(liveShards(id).size).toBe(4);
    await cluster.delete!(id, three);
  });

  it("an own node lost before the cluster recorded its members: a refresh records what is left, and up adds it again", async () => {
    const base = clusterInputs({ name: "own-lost-early" });
    const created = await upCluster(base);
    const id = created.id;
    const lost = created.outs.shards[1].nodes.find((n) => n.role === "replica")!.id;
    await kakaoClient().deleteNode(id, "002", lost);
    await settled(id);
    const read = (await cluster.read!(id, created.state)).props as KakaoRedisClusterOutputs;
    expect(read.nodeCountPerShard).toBe(1);
    expect(ownNodes(read)).not.toContain(lost);
    expect(ownIds(read)).toEqual(["001", "002"]);
    const d = await cluster.diff!(id, read, base);
    expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const fixed = await up(id, read, base);
    expect(fixed.shards.map((s) => s.nodes.length)).toEqual([2, 2]);
    expect(liveShards(id).get("002")).toHaveLength(2);
    await cluster.delete!(id, fixed);
  });
});
