/**
 * Resharding a KakaoRedisCluster in place through the real Pulumi engine: 2 x 2 → 3 x 3 previews as
 * an update, `pulumi up` is killed during the new shard's slot migration (every process of it), and
 * a runner that keeps nothing (a new PULUMI_HOME) recovers with cancel, refresh
 * --clear-pending-creates and up: same cluster id, the cluster owns exactly the shards and nodes
 * asked for, the killed run's additions stay in the cluster unowned (reported in `foreignMembers`,
 * never adopted or deleted: the README's killed-run window), the KakaoShard beside it untouched,
 * connection outputs current, and a refresh afterwards shows no change.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import type { KakaocloudModule } from "../../emulator/kakaocloud";
import { engine, type EngineStack, UP } from "../helpers/engine";
import { pulumiBin } from "../helpers/pulumi";

jest.setTimeout(600_000);

const { newStack, loadEmulator, emulatorEnv } = engine;

const PROGRAM = path.join(__dirname, "programs", "kakao-reshard");
const bin = pulumiBin();
const describeE2E = bin ? describe : describe.skip;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeE2E("resharding a KakaoCloud cluster in place through the Pulumi engine", () => {
  let emu: Emulator;
  let kakao: KakaocloudModule;
  let stack: EngineStack;
  const ok = async (args: string[]) => {
    const r = await stack.run(args);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${r.out.slice(-4000)}`);
    return r;
  };
  const outputs = async () =>
    JSON.parse((await ok(["stack", "output", "--json", "--show-secrets"])).stdout) as {
      clusterId: string;
      ownShards: string[];
      ownNodes: string[];
      foreignMembers: { shardIds: string[]; nodeIds: string[] };
      extraShard: string;
      port: number;
      seedEndpoints: string[];
      nodeEndpoints: { host: string; port: number; role: string; shardId: string }[];
    };
  const live = () => kakao.snapshot().clusters;
  const accepted = (op: string) =>
    emu.requests.filter((r) => r.op === op && r.status >= 200 && r.status < 300);

  beforeAll(async () => {
    // Loaded from lib/ (as `npm test` builds it), like the engine's provider processes load it.
    emu = await loadEmulator().startEmulator({ kakaocloud: { settleMs: { default: 300 } } });
    kakao = emu.clouds.kakaocloud as KakaocloudModule;
    stack = await newStack(
      PROGRAM,
      { ...emulatorEnv(emu), PULUMI_MANAGED_REDIS_POLL_SCALE: "0.2" },
      {
        label: "e2e-reshard",
      },
    );
  });
  afterAll(async () => {
    await stack?.cleanup();
    await emu?.stop();
  });

  it("creates a 2 x 2 cluster and a KakaoShard beside it", async () => {
    await ok(UP);
    expect(live()).toHaveLength(1);
    expect(live()[0].shards.map((s) => s.nodes.length)).toEqual([2, 2, 2]);
    const out = await outputs();
    expect(out.ownShards).toEqual(["001:2", "002:2"]);
    expect(out.extraShard).toBe("003");
    // The cluster's outputs come from its KakaoClusterSettled child (the wait after the create, which
    // the KakaoShard's addition may come before or after): every own node, maybe the KakaoShard's ...
    expect([4, 6]).toContain(out.seedEndpoints.length);
    // ... and a refresh brings them in the state up to date: every node of the cluster.
    await ok(["refresh", "--yes", "--skip-preview", "--non-interactive"]);
    const state = JSON.parse((await ok(["stack", "export", "--stack", stack.name])).stdout) as {
      deployment: { resources: { type: string; outputs?: { seedEndpoints?: string[] } }[] };
    };
    const settled = state.deployment.resources.find((r) => r.type.endsWith(":KakaoClusterSettled"));
    expect(settled?.outputs?.seedEndpoints).toHaveLength(6);
  });

  it("previews 3 shards of 3 nodes as an update of the cluster, never a replace", async () => {
    await stack.config("shardCount", 3);
    await stack.config("nodeCountPerShard", 3);
    const preview = JSON.parse((await ok(["preview", "--json", "--non-interactive"])).stdout) as {
      steps: { op: string; urn: string; diffReasons?: string[] }[];
    };
    const cluster = preview.steps.filter((s) => s.urn.endsWith("KakaoRedisCluster::cache"));
    expect(cluster.map((s) => s.op)).toEqual(["update"]);
    expect(preview.steps.filter((s) => /replace/.test(s.op))).toEqual([]);
  });

  it("killed during the new shard's slot migration, a fresh runner converges; the killed additions stay unowned, reported", async () => {
    const { id } = live()[0];
    const membersBefore = new Set(live()[0].shards.flatMap((s) => [s.id, ...s.nodes.map((n) => n.id)]));
    kakao.settle.set("addReplica", 1000);
    kakao.settle.set("addShard", 6000);
    const shardsBefore = accepted("addShard").length;
    const replicasBefore = accepted("addReplica").length;
    const p = stack.start(UP);
    const end = Date.now() + 120_000;
    while (accepted("addShard").length === shardsBefore && Date.now() < end) await sleep(50);
    expect(accepted("addShard").length).toBe(shardsBefore + 1);
    await sleep(2500); // 2.5 s into the migration
    p.kill();
    expect((await p.done).signal).toBe("SIGKILL");
    expect(live()[0].status).not.toBe("Running");

    // The next job runs on a runner that keeps nothing: only the state backend and the cloud survive.
    const home = path.join(stack.base, "fresh-home");
    fs.mkdirSync(home);
    stack.env.PULUMI_HOME = home;
    // A new PULUMI_HOME has no stack selected: the job selects it, as a CI job does.
    await ok(["stack", "select", stack.name, "--non-interactive"]);
    kakao.settle.set("addShard", 300);
    await ok(["cancel", "--yes", "--non-interactive", "--stack", stack.name]);
    await ok(["refresh", "--yes", "--skip-preview", "--non-interactive", "--clear-pending-creates"]);
    // What the killed run added: in the cloud, named by no state.
    const killedAdds = live()[0]
      .shards.flatMap((s) => [s.id, ...s.nodes.map((n) => n.id)])
      .filter((m) => !membersBefore.has(m));
    expect(killedAdds.length).toBeGreaterThanOrEqual(3);
    const recover = await ok(UP);
    expect(recover.out).not.toMatch(/adopt|interrupted run/);

    expect(live()).toHaveLength(1);
    expect(live()[0].id).toBe(id);
    // The cluster adds its own members again: 2 replicas and a shard more were accepted.
    expect(accepted("addShard")).toHaveLength(shardsBefore + 2);
    expect(accepted("addReplica")).toHaveLength(replicasBefore + 4);
    const out = await outputs();
    expect(out.clusterId).toBe(id);
    expect(out.ownShards).toEqual(["001:3", "002:3", "005:3"]);
    expect(out.extraShard).toBe("003");
    // The killed run's shard 004 and its two replicas: reported, not adopted, not deleted.
    expect(out.foreignMembers.shardIds).toEqual(["003", "004"]);
    expect(out.foreignMembers.nodeIds).toHaveLength(2);
    for (const m of killedAdds) expect(out.ownNodes).not.toContain(m);
    expect(live()[0].shards.map((s) => s.nodes.length)).toEqual([4, 4, 2, 3, 3]);
    // The recovering run named them in a progress line.
    expect(recover.out).toMatch(/shard 003, shard 004, node \S+, node \S+ not this resource's/);
  });

  it("a refresh afterwards shows no change", async () => {
    await ok(["refresh", "--yes", "--skip-preview", "--non-interactive", "--expect-no-changes"]);
  });

  it("outputs every node as host:port with its role and shard, primaries first", async () => {
    const out = await outputs();
    const nodes = live()[0].shards.flatMap((s) => s.nodes.map((n) => ({ ...n, shardId: s.id })));
    expect(out.port).toBe(6379);
    expect(out.nodeEndpoints).toHaveLength(nodes.length);
    expect(out.nodeEndpoints.map((e) => e.host).sort()).toEqual(nodes.map((n) => n.endpoint).sort());
    for (const e of out.nodeEndpoints) {
      const n = nodes.find((x) => x.endpoint === e.host)!;
      expect(e).toMatchObject({ port: 6379, role: n.role, shardId: n.shardId });
    }
    expect(out.seedEndpoints).toEqual([
      ...out.nodeEndpoints.filter((e) => e.role === "primary").map((e) => `${e.host}:6379`),
      ...out.nodeEndpoints.filter((e) => e.role !== "primary").map((e) => `${e.host}:6379`),
    ]);
  });

  it("shrinks back to 2 x 2 in place: the own shard and replicas go, the KakaoShard and the unowned members stay", async () => {
    await stack.config("shardCount", 2);
    await stack.config("nodeCountPerShard", 2);
    await ok(UP);
    expect(live()[0].shards.map((s) => `${s.id}:${s.nodes.length}`)).toEqual([
      "001:3",
      "002:3",
      "003:2",
      "004:3",
    ]);
    expect((await outputs()).ownShards).toEqual(["001:2", "002:2"]);
    expect((await outputs()).seedEndpoints).toHaveLength(11);
    await ok(["destroy", "--yes", "--skip-preview", "--non-interactive"]);
    expect(kakao.live()).toEqual({ cluster: 0, shard: 0, replica: 0 });
  });
});
