/**
 * Every KakaoCloud shard and node has exactly one owner (issue 23), through the real Pulumi engine
 * and the emulator, with the program of kakaocloud-reshard.test.ts configured so that the
 * `KakaoShard` has exactly the layout of the cluster's next own shard:
 *
 * 1. the first ordinary scale-up adds the cluster's own shard and never takes over the KakaoShard;
 * 2. neither resource deletes the other's shard (scale-down, then removing the KakaoShard), and
 *    refresh and preview see no change;
 * 3. the same with a KakaoReplica and nodeCountPerShard 2 → 3 → 2;
 * 4. a cluster's own node deleted out of band shows as an update in place on refresh and preview,
 *    and `pulumi up` adds it again;
 * 5. with the cluster deleted out of band, `pulumi destroy` deletes the KakaoShard without error.
 */
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import type { KakaocloudModule } from "../../emulator/kakaocloud";
import { kakaoClient } from "../../provider/kakaocloud/client";
import { engine, type EngineStack, UP } from "../helpers/engine";
import { pulumiBin } from "../helpers/pulumi";

jest.setTimeout(600_000);

const { newStack, loadEmulator, emulatorEnv } = engine;

const PROGRAM = path.join(__dirname, "programs", "kakao-reshard");
const bin = pulumiBin();
const describeE2E = bin ? describe : describe.skip;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeE2E("one owner per KakaoCloud shard and node, through the Pulumi engine", () => {
  let emu: Emulator;
  let kakao: KakaocloudModule;
  let stack: EngineStack;
  const saved = { ...process.env };
  const ok = async (args: string[]) => {
    const r = await stack.run(args);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${r.out.slice(-4000)}`);
    return r;
  };
  const outputs = async () =>
    JSON.parse((await ok(["stack", "output", "--json"])).stdout) as {
      clusterId: string;
      ownShards: string[];
      ownNodes: string[];
      foreignMembers: { shardIds: string[]; nodeIds: string[] };
      extraShard: string;
      extraReplica: string;
    };
  const cluster = () => kakao.snapshot().clusters[0];
  const shardIds = () => cluster().shards.map((s) => s.id);
  const noChanges = async () => {
    await ok(["refresh", "--yes", "--skip-preview", "--non-interactive", "--expect-no-changes"]);
    await ok(["preview", "--non-interactive", "--expect-no-changes"]);
  };
  const settled = async () => {
    for (let i = 0; i < 200 && cluster() && !isSettled(); i++) await sleep(50);
  };
  const isSettled = () =>
    cluster().status === "Running" &&
    cluster().shards.every((s) => s.status === "Running" && s.nodes.every((n) => n.status === "Running"));

  beforeAll(async () => {
    emu = await loadEmulator().startEmulator({ kakaocloud: { settleMs: { default: 300 } } });
    kakao = emu.clouds.kakaocloud as KakaocloudModule;
    const env = { ...emulatorEnv(emu), PULUMI_MANAGED_REDIS_POLL_SCALE: "0.2" };
    // The out-of-band calls of this test go through the provider's own client.
    Object.assign(process.env, env);
    stack = await newStack(PROGRAM, env, { label: "e2e-ownership" });
    await stack.config("extraLayout", "next");
  });
  afterAll(async () => {
    await stack?.cleanup();
    await emu?.stop();
    process.env = saved;
  });

  it("1. the first ordinary scale-up adds the cluster's own shard, never the KakaoShard's", async () => {
    await ok(UP);
    expect(shardIds()).toEqual(["001", "002", "003"]);
    expect((await outputs()).extraShard).toBe("003");
    // Created in the same program, after the cluster's create answered: never the cluster's.
    expect((await outputs()).ownShards).toEqual(["001:2", "002:2"]);
    await noChanges();
    await stack.config("shardCount", 3);
    const up = await ok(UP);
    expect(up.out).not.toMatch(/adopt|interrupted run/);
    const out = await outputs();
    expect(shardIds()).toEqual(["001", "002", "003", "004"]);
    expect(out.ownShards).toEqual(["001:2", "002:2", "004:2"]);
    expect(out.foreignMembers).toEqual({ shardIds: ["003"], nodeIds: [] });
    await noChanges();
  });

  it("2. neither resource deletes the other's shard", async () => {
    await stack.config("shardCount", 2);
    await ok(UP);
    expect(shardIds()).toEqual(["001", "002", "003"]);
    expect((await outputs()).ownShards).toEqual(["001:2", "002:2"]);
    await noChanges(); // the KakaoShard is not dropped by refresh nor created again
    await stack.config("extraShard", false);
    await ok(UP);
    expect(shardIds()).toEqual(["001", "002"]);
    expect((await outputs()).ownShards).toEqual(["001:2", "002:2"]);
    await noChanges();
  });

  it("3. the same with a KakaoReplica: nodeCountPerShard 2 -> 3 -> 2 never adopts or deletes its node", async () => {
    await stack.config("extraReplicaShard", "001");
    await ok(UP);
    const node = (await outputs()).extraReplica;
    await stack.config("nodeCountPerShard", 3);
    const up = await ok(UP);
    expect(up.out).not.toMatch(/adopt|interrupted run/);
    let out = await outputs();
    expect(out.ownShards).toEqual(["001:3", "002:3"]);
    expect(out.ownNodes).not.toContain(node);
    expect(out.foreignMembers).toEqual({ shardIds: [], nodeIds: [node] });
    expect(cluster().shards[0].nodes).toHaveLength(4);
    await stack.config("nodeCountPerShard", 2);
    await ok(UP);
    out = await outputs();
    expect(out.ownShards).toEqual(["001:2", "002:2"]);
    expect(cluster().shards[0].nodes.map((n) => n.id)).toContain(node);
    await noChanges();
    await ok(["config", "rm", "--stack", stack.name, "extraReplicaShard"]);
    await ok(UP);
  });

  it("4. a cluster's own node deleted out of band shows as an update in place, and up adds it again", async () => {
    const { clusterId } = await outputs();
    const lost = cluster().shards[1].nodes.find((n) => n.role !== "primary")!;
    await kakaoClient().deleteNode(clusterId, "002", lost.id);
    await settled();
    expect(cluster().shards[1].nodes).toHaveLength(1);
    // The realistic profile's reads lag behind the cloud (emu.profile.readLagMs): a refresh sees the
    // delete once they caught up.
    await sleep(emu.profile.readLagMs);
    // Seen by a refresh (before, it reported no change) ...
    const refresh = await stack.run([
      "refresh",
      "--yes",
      "--skip-preview",
      "--non-interactive",
      "--expect-no-changes",
    ]);
    expect(refresh.code).not.toBe(0);
    await ok(["refresh", "--yes", "--skip-preview", "--non-interactive"]);
    // ... and by preview, as an update of the cluster, never a replacement.
    const preview = JSON.parse((await ok(["preview", "--json", "--non-interactive"])).stdout) as {
      steps: { op: string; urn: string }[];
    };
    expect(preview.steps.filter((s) => s.urn.endsWith("KakaoRedisCluster::cache")).map((s) => s.op)).toEqual([
      "update",
    ]);
    expect(preview.steps.filter((s) => /replace|create|delete/.test(s.op))).toEqual([]);
    await ok(UP);
    expect(cluster().shards[1].nodes).toHaveLength(2);
    expect((await outputs()).ownShards).toEqual(["001:2", "002:2"]);
    await noChanges();
  });

  it("5. with the cluster deleted out of band, destroy deletes the KakaoShard without error", async () => {
    await ok(["config", "rm", "--stack", stack.name, "extraShard"]);
    await ok(UP);
    const { clusterId, extraShard } = await outputs();
    expect(shardIds()).toContain(extraShard);
    await kakaoClient().deleteCluster(clusterId);
    for (let i = 0; i < 200 && kakao.snapshot().clusters.length > 0; i++) await sleep(50);
    expect(kakao.snapshot().clusters).toEqual([]);
    await ok(["destroy", "--yes", "--skip-preview", "--non-interactive"]);
    expect(kakao.live()).toEqual({ cluster: 0, shard: 0, replica: 0 });
  });
});
