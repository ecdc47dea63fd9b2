/**
 * `KakaoClusterSettled` (provider/kakaocloud/cluster-settled.ts), the wait after a cluster's create,
 * against the emulator: its create waits until the cluster and every member are `Running` and
 * reports the create's members, never a `KakaoShard` added meanwhile; it is safe to repeat (another
 * process, after a kill, waits again and adds nothing); a recorded status that is not settled asks
 * for an update; a cluster that never shows is reported gone; delete touches nothing.
 */
import type { Emulator } from "../../../emulator";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { StateError } from "../../../provider/core/errors";
import { provider as cluster } from "../../../provider/kakaocloud/cluster";
import { provider as settled } from "../../../provider/kakaocloud/cluster-settled";
import { provider as shard } from "../../../provider/kakaocloud/shard";
import { mutations, startTestEmulator } from "../../helpers/emulator";
import { clusterInputs, withOuts } from "../../helpers/kakao";

let emu: Emulator;
let kakao: KakaocloudModule;

beforeAll(async () => {
  emu = await startTestEmulator({ kakaocloud: { settleMs: { default: 100 } } });
  kakao = emu.clouds.kakaocloud as KakaocloudModule;
});
afterAll(async () => emu.stop());

describe("KakaoClusterSettled", () => {
  it("waits for the new cluster and reports the create's members, not a KakaoShard added meanwhile; repeated, it adds nothing", async () => {
    kakao.settle.set("createCluster", 600);
    const created = withOuts(await cluster.create(clusterInputs({ name: "settled-child" })));
    expect(created.outs.status).toBe("Creating");
    // A KakaoShard that takes `cluster.id` runs beside the wait: it adds once the cluster is free.
    const [extra, waited] = await Promise.all([
      shard.create({
        clusterId: created.id,
        nodeCount: 2,
        subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      }),
      settled.create({ clusterId: created.id, port: 6379 }),
    ]);
    const outs = withOuts(waited).outs;
    expect(waited.id).toBe(created.id);
    expect(outs.status).toBe("Running");
    expect(outs.shards.map((s) => [s.id, s.nodes.length])).toEqual([
      ["001", 2],
      ["002", 2],
    ]);
    expect(outs.shards.map((s) => s.id)).not.toContain(extra.outs!.shardId);
    // Another process (a run after a kill) waits again: nothing is added, nothing created twice.
    const before = mutations(emu).length;
    const again = withOuts(await settled.create({ clusterId: created.id, port: 6379 })).outs;
    const members = (o: typeof outs) => o.shards.map((s) => [s.id, s.nodes.map((n) => n.id)]);
    expect(members(again)).toEqual(members(outs));
    expect(mutations(emu)).toHaveLength(before);
    // A refresh lists the KakaoShard as foreign, and the seeds include its nodes.
    const read = (await settled.read!(created.id, outs)).props!;
    expect(members(read)).toEqual(members(outs));
    expect(read.foreignMembers.shardIds).toEqual([extra.outs!.shardId]);
    expect(read.seedEndpoints).toHaveLength(6);
    await settled.delete!(created.id, read);
    expect(mutations(emu)).toHaveLength(before);
    await cluster.delete!(created.id, created.outs);
    kakao.settle.set("createCluster", 100);
  });

  it("asks for an update while its recorded status is not settled, replaces on another cluster", async () => {
    const olds = { clusterId: "c", port: 6379, status: "Running", shards: [] } as never;
    const news = { clusterId: "c", port: 6379 };
    expect(await settled.diff!("c", olds, news)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const creating = { clusterId: "c", port: 6379, status: "Creating" } as never;
    expect((await settled.diff!("c", creating, news)).changes).toBe(true);
    expect((await settled.diff!("c", olds, { ...news, clusterId: "d" })).replaces).toEqual(["clusterId"]);
  });

  it("reports a cluster that never shows as gone (after the unseen wait), and a gone one on read", async () => {
    process.env.PULUMI_MANAGED_REDIS_UNSEEN_WAIT = "300ms";
    try {
      const err = await settled.create({ clusterId: "never-created", port: 6379 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StateError);
      expect(err).toMatchObject({ code: "ResourceGone" });
      expect((err as Error).message).toMatch(
        /cluster never-created no longer exists in KakaoCloud: run `pulumi refresh`/,
      );
    } finally {
      delete process.env.PULUMI_MANAGED_REDIS_UNSEEN_WAIT;
    }
    expect(await settled.read!("never-created", { clusterId: "never-created", port: 6379 } as never)).toEqual(
      {},
    );
  });
});
