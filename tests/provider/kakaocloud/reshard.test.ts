/**
 * In-place resharding of KakaoRedisCluster (provider/kakaocloud/reshard.ts): the pure planner, and
 * the provider's diff and update against the emulator (real HTTP on loopback).
 */
import type { Emulator } from "../../../emulator";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { kakaoClient } from "../../../provider/kakaocloud/client";
import {
  type KakaoRedisClusterInputs,
  type KakaoRedisClusterOutputs,
  provider,
} from "../../../provider/kakaocloud/cluster";
import type { ApiNode, ApiShard } from "../../../provider/kakaocloud/client";
import { planReshard, reshard } from "../../../provider/kakaocloud/reshard";
import { mutations, startTestEmulator } from "../../helpers/emulator";
import { clusterInputs, withOuts } from "../../helpers/kakao";

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

const node = (id: string, subnet: string, role = "replica", createdAt = "2026-01-01T00:00:00Z") => ({
  id,
  subnet: { id: subnet },
  role,
  status: "Running",
  createdAt,
  endpoint: `10.0.0.${id.length}`,
});
const shard = (id: string, nodes: ApiNode[], createdAt = "2026-01-01T00:00:00Z"): ApiShard => ({
  id,
  status: "Running",
  createdAt,
  nodes,
});

describe("planReshard", () => {
  const target = {
    shardCount: 2,
    nodeCountPerShard: 2,
    subnetAssignments: [
      { primary: A, replicas: [B] },
      { primary: B, replicas: [A] },
    ],
  };
  const s1 = shard("001", [node("n1", "subnet-a", "primary"), node("n2", "subnet-b")]);
  const owned1 = [{ id: "001", nodeIds: ["n1", "n2"] }];

  it("adopts the newest unrecorded shard with the missing layout, never a foreign one", () => {
    const older = shard(
      "002",
      [node("m1", "subnet-b", "primary"), node("m2", "subnet-a")],
      "2026-01-01T00:00:01Z",
    );
    const newer = shard(
      "003",
      [node("k1", "subnet-b", "primary"), node("k2", "subnet-a")],
      "2026-01-01T00:00:02Z",
    );
    const p = planReshard([s1, older, newer], owned1, { shardIds: [], nodeIds: [] }, target);
    expect(p.owned.map((o) => o.id)).toEqual(["001", "003"]);
    expect(p.adopted).toEqual(["shard 003"]);
    expect(p.next).toBeUndefined();
    const q = planReshard([s1, older, newer], owned1, { shardIds: ["003"], nodeIds: [] }, target);
    expect(q.owned.map((o) => o.id)).toEqual(["001", "002"]);
  });

  it("adds a missing shard when no unrecorded shard has its layout", () => {
    const other = shard("002", [node("m1", "subnet-a", "primary"), node("m2", "subnet-a")]);
    const p = planReshard([s1, other], owned1, { shardIds: [], nodeIds: [] }, target);
    expect(p.adopted).toEqual([]);
    expect(p.next).toEqual({ kind: "addShard", nodeCount: 2, assignment: target.subnetAssignments[1] });
  });

  it("shrinks by deleting the newest own shard and the newest own replica, never a foreign member or a primary", () => {
    const s2 = shard(
      "002",
      [node("m1", "subnet-b", "primary"), node("m2", "subnet-a")],
      "2026-01-02T00:00:00Z",
    );
    const s3 = shard("003", [node("k1", "subnet-a", "primary")], "2026-01-03T00:00:00Z");
    const owned = [
      { id: "001", nodeIds: ["n1", "n2"] },
      { id: "002", nodeIds: ["m1", "m2"] },
    ];
    const one = { shardCount: 1, nodeCountPerShard: 1, subnetAssignments: [{ primary: A, replicas: [] }] };
    const foreign = { shardIds: ["003"], nodeIds: [] };
    expect(planReshard([s1, s2, s3], owned, foreign, one).next).toEqual({
      kind: "deleteShard",
      shardId: "002",
    });
    const extra = node("n3", "subnet-b", "replica", "2026-01-05T00:00:00Z");
    const withForeignNode = shard("001", [...s1.nodes!, extra]);
    const p = planReshard([withForeignNode, s3], owned1, { shardIds: ["003"], nodeIds: ["n3"] }, one);
    expect(p.next).toEqual({ kind: "deleteReplica", shardId: "001", nodeId: "n2" });
  });

  it("adds the missing replica of every shard before deleting anything", () => {
    const three = {
      shardCount: 1,
      nodeCountPerShard: 3,
      subnetAssignments: [{ primary: A, replicas: [B, B] }],
    };
    expect(planReshard([s1], owned1, { shardIds: [], nodeIds: [] }, three).next).toEqual({
      kind: "addReplica",
      shardId: "001",
      subnetId: "subnet-b",
    });
  });

  it("refuses to delete a primary that left the assignment's subnets", () => {
    const moved = { shardCount: 1, nodeCountPerShard: 1, subnetAssignments: [{ primary: B, replicas: [] }] };
    // After a failover the node in subnet-b is the primary: the old primary (now a replica) can go.
    const failedOver = shard("001", [node("n1", "subnet-a", "replica"), node("n2", "subnet-b", "primary")]);
    const p = planReshard([failedOver], owned1, { shardIds: [], nodeIds: [] }, moved);
    expect(p.next).toEqual({ kind: "deleteReplica", shardId: "001", nodeId: "n1" });
    const notFailedOver = shard("001", [node("n1", "subnet-a", "primary"), node("n2", "subnet-b")]);
    expect(() => planReshard([notFailedOver], owned1, { shardIds: [], nodeIds: [] }, moved)).toThrow(
      /KakaoCloud cannot delete a primary/,
    );
    expect(() => planReshard([notFailedOver], owned1, { shardIds: [], nodeIds: [] }, moved)).toThrow(
      expect.objectContaining({ name: "StateError", code: "Conflict" }),
    );
  });
});

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
    const created = withOuts(await provider.create(base));
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

  it("a second update from the outputs before an interrupted one finishes it with nothing added twice", async () => {
    const base = clusterInputs({ name: "reshard-resume" });
    const created = withOuts(await provider.create(base));
    const client = kakaoClient();
    // The interrupted run: it got as far as adding the first replica and then died (its update never
    // returned, so the state keeps the outputs of the create).
    await expect(
      reshard(client, created.id, {
        owned: created.outs.shards.map((s) => ({ id: s.id, nodeIds: s.nodes.map((n) => n.id) })),
        foreign: created.outs.foreignMembers,
        target: grown(base),
        wait: { timeoutMs: 200 },
      }),
    ).rejects.toThrow(/timed out|did not/i);
    const from = emu.requests.length;
    const up = await provider.update!(created.id, created.outs, grown(base));
    const outs = up.outs as KakaoRedisClusterOutputs;
    const live = kakao.snapshot().clusters.find((c) => c.id === created.id)!;
    expect(live.shards.map((s) => s.nodes.length)).toEqual([3, 3, 3]);
    expect(outs.shards.map((s) => s.nodes.length)).toEqual([3, 3, 3]);
    expect(outs.foreignMembers).toEqual({ shardIds: [], nodeIds: [] });
    const later = emu.requests
      .slice(from)
      .filter((r) => r.mutating)
      .map((r) => r.op);
    expect(later.length).toBeLessThan(3);
    await provider.delete!(created.id, outs as never);
  });
});
