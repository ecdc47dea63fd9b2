import type { Emulator } from "../../../emulator";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { provider as clusterProvider } from "../../../provider/kakaocloud/cluster";
import { provider as replicaProvider, parseReplicaId } from "../../../provider/kakaocloud/replica";
import { provider as shardProvider, parseShardId } from "../../../provider/kakaocloud/shard";
import { mutations, startTestEmulator } from "../../helpers/emulator";
import { clusterInputs } from "../../helpers/kakao";

let emu: Emulator;
let kakao: KakaocloudModule;
let clusterId: string;

beforeAll(async () => {
  emu = await startTestEmulator({ kakaocloud: { settleMs: { default: 150 } } });
  kakao = emu.clouds.kakaocloud as KakaocloudModule;
  clusterId = (await clusterProvider.create(clusterInputs({ name: "base" }))).id;
});
afterAll(() => emu.stop());

const shardInputs = (over: Record<string, unknown> = {}) => ({
  clusterId,
  nodeCount: 2,
  subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
  ...over,
});

describe("KakaoShard", () => {
  it("checks the document's rules", async () => {
    const check = async (inputs: unknown) =>
      (await shardProvider.check!({} as never, inputs as never)).failures ?? [];
    expect(await check(shardInputs())).toEqual([]);
    expect(await check(shardInputs({ subnetAssignments: [shardInputs().subnetAssignments] }))).toEqual([]);
    expect(await check(shardInputs({ nodeCount: 3 }))).toEqual([
      { property: "subnetAssignments.replicas", reason: "needs nodeCount - 1 = 2 replica subnets, 1 given" },
    ]);
    expect((await check(shardInputs({ nodeCount: 0 })))[0].property).toBe("nodeCount");
    expect((await check(shardInputs({ clusterId: "" })))[0]).toEqual({
      property: "clusterId",
      reason: "is required",
    });
  });

  it("every input change replaces the shard", async () => {
    const d = await shardProvider.diff!(
      "c/001",
      shardInputs() as never,
      shardInputs({ nodeCount: 3 }) as never,
    );
    expect(d).toEqual({ changes: true, replaces: ["nodeCount"], deleteBeforeReplace: true });
  });

  it("adds a shard, discovers its id, waits for slot migration, reads it back and deletes it", async () => {
    const created = await shardProvider.create(shardInputs() as never);
    const { clusterId: cid, shardId } = parseShardId(created.id);
    expect(cid).toBe(clusterId);
    expect(created.outs.shardId).toBe(shardId);
    expect(created.outs.status).toBe("Running");
    expect(created.outs.nodes).toHaveLength(2);
    const live = kakao.snapshot().clusters.find((c) => c.id === clusterId)!;
    expect(live.shards.map((s) => s.id)).toContain(shardId);
    expect(mutations(emu, "addShard")).toHaveLength(1);

    const read = await shardProvider.read!(created.id, created.outs);
    expect(read.props).toEqual(created.outs);
    const imported = await shardProvider.read!(created.id, {} as never);
    expect(imported.props).toMatchObject({ clusterId, nodeCount: 2, shardId });

    await shardProvider.delete!(created.id, created.outs);
    expect(
      kakao
        .snapshot()
        .clusters.find((c) => c.id === clusterId)!
        .shards.map((s) => s.id),
    ).not.toContain(shardId);
    expect(await shardProvider.read!(created.id, created.outs)).toEqual({});
  });

  it("adds two shards to one cluster at once without confusing their ids", async () => {
    const [a, b] = await Promise.all([
      shardProvider.create(shardInputs() as never),
      shardProvider.create(shardInputs() as never),
    ]);
    expect(a.id).not.toBe(b.id);
    expect(kakao.created().shard).toBeGreaterThanOrEqual(3);
    await Promise.all([shardProvider.delete!(a.id, a.outs), shardProvider.delete!(b.id, b.outs)]);
  });
});

describe("KakaoReplica", () => {
  it("adds a replica, discovers the node id, reads it and deletes it", async () => {
    const created = await replicaProvider.create({ clusterId, shardId: "001", subnetId: "subnet-b" });
    const { nodeId } = parseReplicaId(created.id);
    expect(created.outs).toMatchObject({ nodeId, role: "replica", status: "Running" });
    expect((await replicaProvider.read!(created.id, created.outs)).props).toEqual(created.outs);
    await replicaProvider.delete!(created.id, created.outs);
    expect(await replicaProvider.read!(created.id, created.outs)).toEqual({});
    expect(mutations(emu, "addReplica")).toHaveLength(1);
  });

  it("refuses to delete a replica that became the primary, saying what to do", async () => {
    const created = await replicaProvider.create({ clusterId, shardId: "002", subnetId: "subnet-a" });
    const { nodeId } = parseReplicaId(created.id);
    kakao.failover(clusterId, "002", nodeId);
    await expect(replicaProvider.delete!(created.id, created.outs)).rejects.toThrow(
      /is now the PRIMARY after a failover.*Fail the shard over/s,
    );
    const shard = kakao
      .snapshot()
      .clusters.find((c) => c.id === clusterId)!
      .shards.find((s) => s.id === "002")!;
    expect(shard.nodes.some((n) => n.id === nodeId)).toBe(true);
    // After failing back, delete works.
    const other = shard.nodes.find((n) => n.id !== nodeId)!;
    kakao.failover(clusterId, "002", other.id);
    await replicaProvider.delete!(created.id, created.outs);
  });

  it("checks inputs and treats every change but timeouts as a replacement", async () => {
    const failures = (
      await replicaProvider.check!({} as never, { clusterId, shardId: "", subnetId: "s" } as never)
    ).failures;
    expect(failures).toEqual([{ property: "shardId", reason: "is required" }]);
    const d = await replicaProvider.diff!(
      "x",
      { clusterId, shardId: "001", subnetId: "a" } as never,
      {
        clusterId,
        shardId: "001",
        subnetId: "b",
        timeouts: { create: "1h" },
      } as never,
    );
    expect(d.replaces).toEqual(["subnetId"]);
  });
});
