/**
 * The KakaoCloud provider against a cloud whose reads lag far behind (the realistic profile with
 * `readLagMs` 8 s, longer than any time the provider could guess; each read a real earlier state,
 * every write reaching the cloud at once): every wait must end on evidence that its change took
 * effect — the new member listed, the deleted one gone, the new value read back — and never on a
 * stale `Running`. A fast clock (tests/helpers/time.ts) runs the emulator and the provider ten times
 * faster than real time.
 */
import type { Emulator } from "../../../emulator";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { provider as clusterProvider } from "../../../provider/kakaocloud/cluster";
import { provider as replicaProvider } from "../../../provider/kakaocloud/replica";
import { provider as settledProvider } from "../../../provider/kakaocloud/settled";
import { provider as shardProvider, parseShardId } from "../../../provider/kakaocloud/shard";
import { startTestEmulator } from "../../helpers/emulator";
import { clusterInputs, upCluster, withOuts } from "../../helpers/kakao";
import { FastClock } from "../../helpers/time";

const LAG_MS = 8_000;
let emu: Emulator;
let kakao: KakaocloudModule;
let clock: FastClock;

beforeAll(async () => {
  clock = new FastClock(10);
  emu = await startTestEmulator({
    profile: "realistic",
    seed: Number(process.env.EMULATOR_SEED ?? 5),
    readLagMs: LAG_MS,
    kakaocloud: { settleMs: { default: 1_500 } },
  });
  kakao = emu.clouds.kakaocloud;
});
afterAll(async () => {
  await emu.stop();
  clock.restore();
});

const live = (id: string) => kakao.snapshot().clusters.find((c) => c.id === id);

describe(`KakaoCloud with reads lagging up to ${LAG_MS / 1000} s`, () => {
  let cluster: Awaited<ReturnType<NonNullable<typeof clusterProvider.create>>> & { outs: never };
  const inputs = clusterInputs({
    name: "lagging",
    subnets: [{ id: "subnet-a" }, { id: "subnet-b" }, { id: "subnet-c" }],
  });

  it("a create (and its KakaoClusterSettled child) waits until the new cluster and all its members read Running", async () => {
    cluster = (await upCluster(inputs)) as unknown as typeof cluster;
    const outs = cluster.outs as unknown as { status: string; shards: { id: string }[] };
    expect(outs.status).toBe("Running");
    expect(outs.shards.map((s) => s.id).sort()).toEqual(["001", "002"]);
    expect(live(cluster.id)?.pending).toBeUndefined();
  });

  it("a PATCH waits until the new values read back", async () => {
    const news = { ...inputs, description: "now lagging", parameterGroupId: "pg-2" };
    const { outs } = withOuts(await clusterProvider.update!(cluster.id, cluster.outs, news));
    expect(outs).toMatchObject({ description: "now lagging", parameterGroupId: "pg-2", status: "Running" });
    cluster = { ...cluster, outs: outs as never };
  });

  it("adding a KakaoShard waits until it is listed and settled; deleting it until it is gone", async () => {
    const shard = withOuts(
      await shardProvider.create({
        clusterId: cluster.id,
        nodeCount: 2,
        subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      } as never),
    );
    const { shardId } = parseShardId(shard.id);
    const settled = withOuts(
      await settledProvider.create({ kind: "shard", clusterId: cluster.id, shardId } as never),
    );
    expect(settled.outs).toMatchObject({ status: "Running", shardId });
    await shardProvider.delete!(shard.id, shard.outs);
    expect(live(cluster.id)?.shards.map((s) => s.id)).not.toContain(shardId);
  });

  it("adding a KakaoReplica and deleting it", async () => {
    const replica = withOuts(
      await replicaProvider.create({ clusterId: cluster.id, shardId: "001", subnetId: "subnet-b" } as never),
    );
    const nodeId = replica.id.split("/")[2];
    await settledProvider.create({ kind: "replica", clusterId: cluster.id, shardId: "001", nodeId } as never);
    await replicaProvider.delete!(replica.id, replica.outs);
    expect(
      live(cluster.id)
        ?.shards.find((s) => s.id === "001")
        ?.nodes.map((n) => n.id),
    ).not.toContain(nodeId);
  });

  it("resharding adds a shard and a replica per shard, then removes them again", async () => {
    const grown = {
      ...(cluster.outs as object),
      ...inputs,
      description: "now lagging",
      parameterGroupId: "pg-2",
      shardCount: 3,
      nodeCountPerShard: 3,
      subnetAssignments: [
        { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }, { id: "subnet-c" }] },
        { primary: { id: "subnet-b" }, replicas: [{ id: "subnet-a" }, { id: "subnet-c" }] },
        { primary: { id: "subnet-c" }, replicas: [{ id: "subnet-a" }, { id: "subnet-b" }] },
      ],
    };
    const up = withOuts(await clusterProvider.update!(cluster.id, cluster.outs, grown as never));
    const shards = (up.outs as unknown as { shards: { id: string; nodes: unknown[] }[] }).shards;
    expect(shards.map((s) => s.nodes.length)).toEqual([3, 3, 3]);
    const down = withOuts(
      await clusterProvider.update!(cluster.id, up.outs, {
        ...grown,
        ...inputs,
        description: "now lagging",
        parameterGroupId: "pg-2",
      } as never),
    );
    const back = (down.outs as unknown as { shards: { id: string; nodes: unknown[] }[] }).shards;
    expect(back.map((s) => s.nodes.length)).toEqual([2, 2]);
    expect(live(cluster.id)?.shards).toHaveLength(2);
    cluster = { ...cluster, outs: down.outs as never };
  });

  it("deleting the cluster waits until it is gone", async () => {
    await clusterProvider.delete!(cluster.id, cluster.outs);
    expect(live(cluster.id)).toBeUndefined();
  });
});
