import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../../../emulator";
import type { JournalEntry } from "../../../provider/core/journal";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { provider as clusterProvider } from "../../../provider/kakaocloud/cluster";
import { provider as replicaProvider, parseReplicaId } from "../../../provider/kakaocloud/replica";
import { provider as shardProvider, parseShardId } from "../../../provider/kakaocloud/shard";
import { mutations, startTestEmulator } from "../../helpers/emulator";
import { clusterInputs } from "../../helpers/kakao";

let emu: Emulator;
let kakao: KakaocloudModule;
let clusterId: string;
let journalDir: string;

beforeAll(async () => {
  // The pending-additions journal of this file's creates (and of the child processes below).
  journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "shard-replica-journal-"));
  process.env.PULUMI_MANAGED_REDIS_JOURNAL_DIR = journalDir;
  emu = await startTestEmulator({ kakaocloud: { settleMs: { default: 150 } } });
  kakao = emu.clouds.kakaocloud as KakaocloudModule;
  clusterId = (await clusterProvider.create(clusterInputs({ name: "base" }))).id;
});
afterAll(async () => {
  await emu.stop();
  delete process.env.PULUMI_MANAGED_REDIS_JOURNAL_DIR;
  fs.rmSync(journalDir, { recursive: true, force: true });
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

/** The journal's entries (every file in the directory must be one). */
function journal(): JournalEntry[] {
  return fs.readdirSync(journalDir).map((f) => JSON.parse(fs.readFileSync(path.join(journalDir, f), "utf8")));
}

function shardIds(cid: string): string[] {
  return kakao
    .snapshot()
    .clusters.find((c) => c.id === cid)!
    .shards.map((s) => s.id);
}

function nodeIds(cid: string, shardId: string): string[] {
  const shard = kakao
    .snapshot()
    .clusters.find((c) => c.id === cid)!
    .shards.find((s) => s.id === shardId)!;
  return shard.nodes.map((n) => n.id);
}

/** Progress lines written while `fn` runs. */
async function progress<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    return { result: await fn(), lines };
  } finally {
    spy.mockRestore();
  }
}

/**
 * Runs a create in a process of its own (tests/helpers/create-child.js, the provider's source) and
 * holds it at a point chosen by the test: once `after` has reached the emulator, the child's next
 * `hold` request is held unanswered for `holdMs` (default 1500). With `reset`, the `after` request
 * itself is answered by a closed connection (nothing applied). Resolves once the child waits there;
 * `kill()` then SIGKILLs it, as a cancelled `pulumi up` is killed.
 */
async function heldCreate(
  kind: "shard" | "replica",
  inputs: object,
  opts: { after: string; hold: string; reset?: boolean; holdMs?: number },
): Promise<{ pid: number; kill(): Promise<void> }> {
  const from = emu.requests.length;
  emu.setFaults((_cloud, _req, op) => {
    if (opts.reset && op === opts.after) return { kind: "reset", label: "reset" };
    const sent = emu.requests.slice(from).some((r) => r.op === opts.after);
    return sent && op === opts.hold ? { kind: "delay", ms: opts.holdMs ?? 1500, label: "held" } : undefined;
  });
  const script = path.join(__dirname, "../../helpers/create-child.js");
  const child = spawn(process.execPath, [script, kind, JSON.stringify(inputs)], {
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_code, signal) => r(signal)));
  const kill = async () => {
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    // Let the held request end (its answer goes nowhere) so that no timer outlives the test.
    while (emu.requests.slice(from).some((r) => r.fault === "held" && r.status === 0)) {
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    const end = Date.now() + 30_000;
    while (!emu.requests.slice(from).some((r) => r.fault === "held")) {
      if (Date.now() > end || child.exitCode !== null) {
        throw new Error(`the child never reached the held ${opts.hold} request:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  } finally {
    emu.setFaults(undefined);
  }
  return { pid: child.pid!, kill };
}

/** {@link heldCreate}, then SIGKILL: the run dies after the cloud accepted the addition. */
async function killedCreate(
  kind: "shard" | "replica",
  inputs: object,
  opts: { after: string; hold: string; reset?: boolean },
): Promise<void> {
  await (await heldCreate(kind, inputs, opts)).kill();
}

describe("a create killed after the cloud accepted the addition (pending-additions journal)", () => {
  jest.setTimeout(60_000);
  let seq = 0;
  const newCluster = async () =>
    (await clusterProvider.create(clusterInputs({ name: `killed-${++seq}` }))).id;

  it("adopts the shard a killed create added before it learned its id: exactly one new shard", async () => {
    const cid = await newCluster();
    const inputs = shardInputs({ clusterId: cid });
    await killedCreate("shard", inputs, { after: "addShard", hold: "listShards" });
    // The killed run wrote its entry before the call and died before it learned the new id.
    expect(journal()).toEqual([
      expect.objectContaining({ kind: "shard", clusterId: cid, before: ["001", "002"] }),
    ]);
    expect(journal()[0].addedId).toBeUndefined();
    expect(shardIds(cid)).toEqual(["001", "002", "003"]);
    const posts = mutations(emu, "addShard").length;

    const { result, lines } = await progress(() => shardProvider.create(inputs as never));
    expect(result.id).toBe(`${cid}/003`);
    expect(result.outs).toMatchObject({ shardId: "003", status: "Running" });
    expect(lines.join("")).toMatch(
      /found shard 003 added by an interrupted run; adopting it instead of adding another/,
    );
    expect(mutations(emu, "addShard")).toHaveLength(posts);
    expect(shardIds(cid)).toEqual(["001", "002", "003"]);
    expect(journal()).toEqual([]);
  });

  it("adopts the replica a killed create added and had recorded: exactly one new node", async () => {
    const cid = await newCluster();
    const inputs = { clusterId: cid, shardId: "001", subnetId: "subnet-b" };
    const original = nodeIds(cid, "001");
    await killedCreate("replica", inputs, { after: "addReplica", hold: "getCluster" });
    const added = nodeIds(cid, "001").filter((n) => !original.includes(n));
    expect(added).toHaveLength(1);
    // Killed while waiting for the node to run: the entry already holds the new node's id.
    expect(journal()).toEqual([
      expect.objectContaining({ kind: "replica", clusterId: cid, shardId: "001", addedId: added[0] }),
    ]);
    const posts = mutations(emu, "addReplica").length;

    const { result, lines } = await progress(() => replicaProvider.create(inputs));
    expect(result.id).toBe(`${cid}/001/${added[0]}`);
    expect(result.outs).toMatchObject({ nodeId: added[0], role: "replica", status: "Running" });
    expect(lines.join("")).toMatch(/found replica .* added by an interrupted run; adopting it/);
    expect(mutations(emu, "addReplica")).toHaveLength(posts);
    expect(nodeIds(cid, "001")).toEqual([...original, added[0]]);
    expect(journal()).toEqual([]);
  });

  it("discards an entry whose call never landed and adds the shard once", async () => {
    const cid = await newCluster();
    const inputs = shardInputs({ clusterId: cid });
    // The add call's connection is reset (nothing applied) and the run is killed before it retries.
    await killedCreate("shard", inputs, { after: "addShard", hold: "getCluster", reset: true });
    expect(journal()).toEqual([expect.objectContaining({ kind: "shard", clusterId: cid })]);
    expect(shardIds(cid)).toEqual(["001", "002"]);

    const { result, lines } = await progress(() => shardProvider.create(inputs as never));
    expect(lines.join("")).toMatch(
      /had started adding a shard to cluster .* but it never appeared; adding it now/,
    );
    expect(result.id).toBe(`${cid}/003`);
    expect(shardIds(cid)).toEqual(["001", "002", "003"]);
    expect(mutations(emu, "addShard").filter((r) => r.path.includes(cid) && r.status === 201)).toHaveLength(
      1,
    );
    expect(journal()).toEqual([]);
  });

  it("two shards with the same inputs, one done and one killed: the killed one's shard is adopted, no third", async () => {
    const cid = await newCluster();
    const inputs = shardInputs({ clusterId: cid });
    const done = await shardProvider.create(inputs as never); // in the state before the kill
    expect(done.id).toBe(`${cid}/003`);
    await killedCreate("shard", inputs, { after: "addShard", hold: "listShards" });
    expect(shardIds(cid)).toEqual(["001", "002", "003", "004"]);

    const recovered = await shardProvider.create(inputs as never);
    expect(recovered.id).toBe(`${cid}/004`);
    expect(shardIds(cid)).toEqual(["001", "002", "003", "004"]);
    expect(journal()).toEqual([]);
  });

  it("two shards with the same inputs, both pending when killed: one adopted, one added, no third", async () => {
    const cid = await newCluster();
    const inputs = shardInputs({ clusterId: cid });
    // The first had its shard and was waiting for the migration; the second had not started.
    await killedCreate("shard", inputs, { after: "addShard", hold: "getCluster" });
    expect(journal()).toEqual([expect.objectContaining({ clusterId: cid, addedId: "003" })]);
    const posts = mutations(emu, "addShard").length;

    const [a, b] = await Promise.all([
      shardProvider.create(inputs as never),
      shardProvider.create(inputs as never),
    ]);
    expect([a.id, b.id].sort()).toEqual([`${cid}/003`, `${cid}/004`]);
    expect(mutations(emu, "addShard")).toHaveLength(posts + 1);
    expect(shardIds(cid)).toEqual(["001", "002", "003", "004"]);
    expect(journal()).toEqual([]);
  });

  it("leaves an addition that another live run on this host is still making to that run", async () => {
    const cid = await newCluster();
    const inputs = shardInputs({ clusterId: cid });
    const other = await heldCreate("shard", inputs, { after: "addShard", hold: "listShards", holdMs: 5000 });
    try {
      expect(journal()).toEqual([
        expect.objectContaining({ clusterId: cid, owner: expect.objectContaining({ pid: other.pid }) }),
      ]);
      const ours = await shardProvider.create(inputs as never);
      expect(ours.id).toBe(`${cid}/004`); // not the other run's 003
    } finally {
      await other.kill();
    }
    // Once that run is gone, its shard is adopted by the next create.
    const recovered = await shardProvider.create(inputs as never);
    expect(recovered.id).toBe(`${cid}/003`);
    expect(shardIds(cid)).toEqual(["001", "002", "003", "004"]);
    expect(journal()).toEqual([]);
  });

  it("removes the entry when the add call is refused (nothing added)", async () => {
    const cid = await newCluster();
    const inputs = shardInputs({
      clusterId: cid,
      subnetAssignments: { primary: { id: "subnet-zz" }, replicas: [{ id: "subnet-b" }] },
    });
    await expect(shardProvider.create(inputs as never)).rejects.toThrow(/not one of the cluster's subnets/);
    expect(journal()).toEqual([]);
    expect(shardIds(cid)).toEqual(["001", "002"]);
  });
});
