/**
 * In-place resharding of KakaoRedisCluster (provider/kakaocloud/reshard.ts): the provider's diff and
 * update against the emulator (real HTTP on loopback). The planner: reshard.plan.test.ts.
 */
import type { Emulator } from "../../../emulator";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { kakaoClient } from "../../../provider/kakaocloud/client";
import {
  type KakaoRedisClusterInputs,
  type KakaoRedisClusterOutputs,
  provider,
} from "../../../provider/kakaocloud/cluster";
import { ownedOf, reshard } from "../../../provider/kakaocloud/reshard";
import { mutations, startTestEmulator } from "../../helpers/emulator";
import { clusterInputs, upCluster } from "../../helpers/kakao";

let emu: Emulator;
let kakao: KakaocloudModule;

beforeAll(async () => {
  emu = await startTestEmulator({ kakaocloud: { settleMs: { default: 120 } } });
  kakao = emu.clouds.kakaocloud as KakaocloudModule;
});
afterAll(async () => emu.stop());

const A = { id: "subnet-a" };
const B = { id: "subnet-b" };

/** A 3 x 3 target of the 2 x 2 fixture: one more shard, one more replica per shard. */
function grown(base: KakaoRedisClusterInputs): KakaoRedisClusterInputs {
  return {
    ...base,
    shardCount: 3,
    nodeCountPerShard: 3,
    subnetAssignments: [
      { primary: A, replicas: [B, A] },
      { primary: B, replicas: [A, B] },
      { primary: A, replicas: [B, B] },
    ],
  };
}

describe("KakaoRedisCluster resharding", () => {
  it("previews shardCount, nodeCountPerShard and appended assignments as an update, a moved primary as a replace", async () => {
    const base = clusterInputs();
    expect(await provider.diff!("id", base as never, grown(base))).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const moved = { ...base, subnetAssignments: [{ primary: B, replicas: [A] }, base.subnetAssignments[1]] };
    expect((await provider.diff!("id", base as never, moved)).replaces).toEqual(["subnetAssignments"]);
  });

  it("check() still holds subnetAssignments to the new counts", async () => {
    const failures = (await provider.check!({} as never, { ...clusterInputs(), shardCount: 3 } as never))
      .failures;
    expect(failures).toEqual([
      {
        property: "subnetAssignments",
        reason: "needs one assignment per shard: 3 expected (shardCount), 2 given",
      },
    ]);
  });

  it("grows 2 x 2 to 3 x 3 and back in place, keeps the id, never touches a KakaoShard's shard, and outputs the endpoints", async () => {
    const base = clusterInputs({ name: "reshard-grow" });
    const created = await upCluster(base);
    const id = created.id;
    // A shard the cluster does not own (as a KakaoShard adds it), recorded by the next update.
    await kakaoClient().addShard(id, { nodeCount: 2, subnetAssignments: { primary: A, replicas: [B] } });
    const from = emu.requests.length;
    const up = await provider.update!(id, created.outs, grown(base));
    const outs = up.outs as KakaoRedisClusterOutputs;
    const calls = emu.requests
      .slice(from)
      .filter((r) => r.mutating)
      .map((r) => r.op);
    // One change at a time: a replica per existing shard, then the new shard (3 nodes).
    expect(calls).toEqual(["addReplica", "addReplica", "addShard"]);
    expect(outs.clusterId).toBe(id);
    expect(outs.shards).toHaveLength(3);
    expect(outs.shards.map((s) => s.nodes.length)).toEqual([3, 3, 3]);
    expect(outs.shards[2].nodes.map((n) => n.subnetId).sort()).toEqual(["subnet-a", "subnet-b", "subnet-b"]);
    const live = kakao.snapshot().clusters.find((c) => c.id === id)!;
    expect(live.shards).toHaveLength(4);
    const foreignShard = live.shards.find((s) => !outs.shards.some((o) => o.id === s.id))!;
    expect(outs.foreignMembers).toEqual({ shardIds: [foreignShard.id], nodeIds: [] });
    // Connection outputs: every node of the cluster (the foreign shard's too), with the port.
    expect(outs.nodeEndpoints).toHaveLength(3 * 3 + 2);
    expect(outs.nodeEndpoints.filter((e) => e.role === "primary")).toHaveLength(4);
    expect(outs.seedEndpoints).toHaveLength(11);
    expect(outs.seedEndpoints.every((s) => /^10\.184\.\d+\.\d+:6379$/.test(s))).toBe(true);
    expect(outs.seedEndpoints.slice(0, 4)).toEqual(
      outs.nodeEndpoints.filter((e) => e.role === "primary").map((e) => `${e.host}:6379`),
    );

    const read = await provider.read!(id, outs);
    expect(read.props).toEqual(outs);

    const back = await provider.update!(id, outs, { ...base, name: "reshard-grow" });
    const shrunk = back.outs as KakaoRedisClusterOutputs;
    expect(shrunk.shards.map((s) => s.id)).toEqual(outs.shards.slice(0, 2).map((s) => s.id));
    expect(shrunk.shards.map((s) => s.nodes.length)).toEqual([2, 2]);
    const after = kakao.snapshot().clusters.find((c) => c.id === id)!;
    expect(after.shards.map((s) => s.id).sort()).toEqual(
      [...shrunk.shards.map((s) => s.id), foreignShard.id].sort(),
    );
    expect(mutations(emu, "deleteShard").filter((r) => r.path.includes(id))).toHaveLength(1);
    await provider.delete!(id, shrunk as never);
  });

  it("a run killed after an accepted addition leaves it unowned: the next update adds its own and never adopts it", async () => {
    const base = clusterInputs({ name: "reshard-resume" });
    const created = await upCluster(base);
    const client = kakaoClient();
    // The killed run: it got as far as adding the first replica and then died (its update never
    // returned, so the state keeps the outputs of the create).
    await expect(
      reshard(client, created.id, {
        owned: ownedOf(created.outs.shards),
        target: grown(base),
        wait: { timeoutMs: 200 },
      }),
    ).rejects.toThrow(/timed out|did not/i);
    const known = new Set(created.outs.shards.flatMap((s) => s.nodes.map((n) => n.id)));
    const killed = kakao.snapshot().clusters.find((c) => c.id === created.id)!;
    const orphans = killed.shards.flatMap((s) => s.nodes.map((n) => n.id)).filter((n) => !known.has(n));
    expect(orphans.length).toBeGreaterThan(0);
    const up = await provider.update!(created.id, created.outs, grown(base));
    const outs = up.outs as KakaoRedisClusterOutputs;
    const live = kakao.snapshot().clusters.find((c) => c.id === created.id)!;
    expect(outs.shards.map((s) => s.nodes.length)).toEqual([3, 3, 3]);
    expect(live.shards.flatMap((s) => s.nodes)).toHaveLength(9 + orphans.length);
    expect(outs.shards.flatMap((s) => s.nodes.map((n) => n.id))).toEqual(expect.not.arrayContaining(orphans));
    // Reported, not adopted and not deleted.
    expect(outs.foreignMembers).toEqual({ shardIds: [], nodeIds: orphans });
    await provider.delete!(created.id, outs as never);
  });
});
