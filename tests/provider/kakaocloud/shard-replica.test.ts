import type { Emulator } from "../../../emulator";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { InputError, StateError } from "../../../provider/core/errors";
import { provider as clusterProvider } from "../../../provider/kakaocloud/cluster";
import { provider as replicaProvider, parseReplicaId } from "../../../provider/kakaocloud/replica";
import { provider as settledProvider } from "../../../provider/kakaocloud/settled";
import { provider as shardProvider, parseShardId } from "../../../provider/kakaocloud/shard";
import { mutations, startTestEmulator } from "../../helpers/emulator";
import { clusterInputs, withOuts } from "../../helpers/kakao";
import { thrown } from "../../helpers/errors";

let emu: Emulator;
let kakao: KakaocloudModule;
let clusterId: string;

beforeAll(async () => {
  emu = await startTestEmulator({ kakaocloud: { settleMs: { default: 150 } } });
  kakao = emu.clouds.kakaocloud as KakaocloudModule;
  clusterId = (await clusterProvider.create(clusterInputs({ name: "base" }))).id;
});
afterAll(async () => {
  await emu.stop();
});

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
    const created = withOuts(await shardProvider.create(shardInputs() as never));
    const { clusterId: cid, shardId } = parseShardId(created.id);
    expect(cid).toBe(clusterId);
    expect(created.outs.shardId).toBe(shardId);
    expect(Object.keys(created.outs).sort()).toEqual([
      "clusterId",
      "name",
      "nodeCount",
      "shardId",
      "subnetAssignments",
    ]);
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
      shardProvider.create(shardInputs() as never).then(withOuts),
      shardProvider.create(shardInputs() as never).then(withOuts),
    ]);
    expect(a.id).not.toBe(b.id);
    expect(kakao.created().shard).toBeGreaterThanOrEqual(3);
    await Promise.all([shardProvider.delete!(a.id, a.outs), shardProvider.delete!(b.id, b.outs)]);
  });
});

describe("KakaoReplica", () => {
  it("adds a replica, discovers the node id, reads it and deletes it", async () => {
    const created = withOuts(
      await replicaProvider.create({ clusterId, shardId: "001", subnetId: "subnet-b" }),
    );
    const { nodeId } = parseReplicaId(created.id);
    expect(created.outs).toMatchObject({ nodeId, clusterId, shardId: "001", subnetId: "subnet-b" });
    expect((await replicaProvider.read!(created.id, created.outs)).props).toEqual(created.outs);
    await replicaProvider.delete!(created.id, created.outs);
    expect(await replicaProvider.read!(created.id, created.outs)).toEqual({});
    expect(mutations(emu, "addReplica")).toHaveLength(1);
  });

  it("refuses to delete a replica that became the primary, saying what to do", async () => {
    const created = withOuts(
      await replicaProvider.create({ clusterId, shardId: "002", subnetId: "subnet-a" }),
    );
    const { nodeId } = parseReplicaId(created.id);
    await settledProvider.create({ kind: "replica", clusterId, shardId: "002", nodeId });
    kakao.failover(clusterId, "002", nodeId);
    const refused = replicaProvider.delete!(created.id, created.outs);
    await expect(refused).rejects.toThrow(/is now the PRIMARY after a failover.*Fail the shard over/s);
    await expect(refused).rejects.toMatchObject({ name: "StateError", code: "Conflict" });
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

function shardIds(cid: string): string[] {
  return kakao
    .snapshot()
    .clusters.find((c) => c.id === cid)!
    .shards.map((s) => s.id);
}

describe("two steps: the id reaches the state at once, the long wait is a step that is safe to repeat", () => {
  jest.setTimeout(60_000);
  let seq = 0;
  const newCluster = async () =>
    (await clusterProvider.create(clusterInputs({ name: `two-step-${++seq}` }))).id;

  it("a short addition over before the settle step starts ends at that step's first look, which lists it", async () => {
    const cid = await newCluster();
    const created = await shardProvider.create(shardInputs({ clusterId: cid }) as never);
    await new Promise((r) => setTimeout(r, 300)); // the 150 ms addition is over: every read says Running
    const started = Date.now();
    const settled = await settledProvider.create({ kind: "shard", clusterId: cid, shardId: "003" });
    // The look lists the shard, all Running: that is the evidence, with no time floor.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(settled.id).toBe(created.id);
    expect(settled.outs).toMatchObject({ status: "Running" });
    // A re-run of the settle step (another runner, after a kill) ends at its first look too.
    const again = Date.now();
    await settledProvider.create({ kind: "shard", clusterId: cid, shardId: "003" });
    expect(Date.now() - again).toBeLessThan(2_000);
  });

  it("returns the new shard's id while its slot migration still runs, and the settle step waits for it", async () => {
    const cid = await newCluster();
    kakao.settle.set("addShard", 1500);
    try {
      const started = Date.now();
      const created = await shardProvider.create(shardInputs({ clusterId: cid }) as never);
      expect(Date.now() - started).toBeLessThan(1200);
      expect(created.id).toBe(`${cid}/003`);
      // The emulator's own record of the operation (a read may still show Running in the realistic profile).
      expect(kakao.snapshot().clusters.find((c) => c.id === cid)!.pending?.kind).toBe("addShard");
      const settled = withOuts(
        await settledProvider.create({ kind: "shard", clusterId: cid, shardId: "003" }),
      );
      expect(settled.id).toBe(`${cid}/003`);
      expect(settled.outs).toMatchObject({ status: "Running", shardId: "003" });
      expect(settled.outs.nodes.map((n) => n.status)).toEqual(["Running", "Running"]);
      expect((await settledProvider.read!(settled.id, settled.outs)).props).toEqual(settled.outs);
    } finally {
      kakao.settle.set("addShard", 150);
    }
  });

  it("a settle step that failed or was cut off is repeated without adding anything again", async () => {
    const cid = await newCluster();
    const posts = mutations(emu, "addReplica").length;
    kakao.settle.set("addReplica", 1000);
    try {
      const created = await replicaProvider.create({ clusterId: cid, shardId: "001", subnetId: "subnet-b" });
      const { nodeId } = parseReplicaId(created.id);
      const inputs = { kind: "replica" as const, clusterId: cid, shardId: "001", nodeId };
      // The wait ends before the node runs (a job killed or timed out during the wait).
      await expect(settledProvider.create({ ...inputs, timeouts: { create: "100ms" } })).rejects.toThrow(
        /timed out/i,
      );
      const again = await settledProvider.create(inputs);
      expect(again.outs).toMatchObject({ status: "Running", nodes: [{ id: nodeId, role: "replica" }] });
      expect(mutations(emu, "addReplica")).toHaveLength(posts + 1);
    } finally {
      kakao.settle.set("addReplica", 150);
    }
  });

  it("asks for an update (another wait) when a refresh recorded a status that had not settled", async () => {
    const inputs = { kind: "shard" as const, clusterId: "c", shardId: "003" };
    const d = await settledProvider.diff!("c/003", { ...inputs, status: "Creating", nodes: [] }, inputs);
    expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const settledOld = { ...inputs, status: "Running", nodes: [] };
    expect((await settledProvider.diff!("c/003", settledOld, inputs)).changes).toBe(false);
    expect(
      (await settledProvider.diff!("c/003", settledOld, { ...inputs, shardId: "004" })).replaces,
    ).toEqual(["shardId"]);
  });

  it("reports a member that is gone as gone", async () => {
    const cid = await newCluster();
    expect(
      await settledProvider.read!(`${cid}/009`, { kind: "shard", clusterId: cid, shardId: "009" } as never),
    ).toEqual({});
    const gone = settledProvider.create({ kind: "shard", clusterId: cid, shardId: "009" });
    await expect(gone).rejects.toThrow(/shard 009 of cluster .* no longer exists/);
    await expect(gone).rejects.toBeInstanceOf(StateError);
    await expect(gone).rejects.toMatchObject({ code: "ResourceGone" });
  });

  it("sends the add call again when its connection was reset before anything was applied: one shard", async () => {
    const cid = await newCluster();
    let resets = 0;
    emu.setFaults((_cloud, _req, op) =>
      op === "addShard" && resets++ === 0 ? { kind: "reset", label: "reset" } : undefined,
    );
    try {
      const created = await shardProvider.create(shardInputs({ clusterId: cid }) as never);
      expect(created.id).toBe(`${cid}/003`);
    } finally {
      emu.setFaults(undefined);
    }
    expect(shardIds(cid)).toEqual(["001", "002", "003"]);
    expect(mutations(emu, "addShard").filter((r) => r.path.includes(cid) && r.status === 201)).toHaveLength(
      1,
    );
  });
});

describe("bad ids and members gone from the cloud", () => {
  it.each([
    [() => parseShardId("c-1"), 'invalid KakaoShard id "c-1": expected "<clusterId>/<shardId>"'],
    [
      () => parseShardId("c-1/001/n-1"),
      'invalid KakaoShard id "c-1/001/n-1": expected "<clusterId>/<shardId>"',
    ],
    [
      () => parseReplicaId("c-1/001"),
      'invalid KakaoReplica id "c-1/001": expected "<clusterId>/<shardId>/<nodeId>"',
    ],
  ])("refuses a malformed id (%#) as InvalidId", (parse, message) => {
    const err = thrown(parse);
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ code: "InvalidId", message });
  });

  it("an update of a shard or replica that is gone says so, as ResourceGone", async () => {
    const shard = shardProvider.update!(`${clusterId}/009`, {} as never, shardInputs() as never);
    await expect(shard).rejects.toThrow(
      `shard 009 of cluster ${clusterId} is in the stack's state but no longer exists in KakaoCloud; ` +
        "run `pulumi refresh` to drop it from the state, then `pulumi up` to add it again",
    );
    await expect(shard).rejects.toMatchObject({ name: "StateError", code: "ResourceGone" });
    const replica = replicaProvider.update!(`${clusterId}/001/n-gone`, {} as never, {
      clusterId,
      shardId: "001",
      subnetId: "subnet-a",
    });
    await expect(replica).rejects.toThrow(
      /^replica n-gone of shard 001 \(cluster .*\) is in the stack's state/,
    );
    await expect(replica).rejects.toBeInstanceOf(StateError);
    await expect(replica).rejects.toMatchObject({ code: "ResourceGone" });
  });
});
