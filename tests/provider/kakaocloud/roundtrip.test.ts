/**
 * Round-trip properties of the KakaoCloud resources against the emulator (real HTTP on loopback):
 * generated valid inputs, each optional field present or absent → create → read → diff reports no
 * change and no replacement; a read that reports defaults, lists in another order or extra fields
 * never replaces an input; every result passes the engine's serialization (`Struct.fromJavaScript`).
 */
import * as fc from "fast-check";
import type { Emulator } from "../../../emulator";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { KakaoClient, type ApiCluster } from "../../../provider/kakaocloud/client";
import { provider, type KakaoRedisClusterInputs } from "../../../provider/kakaocloud/cluster";
import { provider as replicaProvider } from "../../../provider/kakaocloud/replica";
import { provider as shardProvider } from "../../../provider/kakaocloud/shard";
import { startTestEmulator } from "../../helpers/emulator";
import { clusterInputs, withOuts } from "../../helpers/kakao";
import { clusterInputsArb, engineSerialized, untilIdle, withoutAbsent } from "./helpers";

jest.setTimeout(240_000);

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator({ kakaocloud: { settleMs: { default: 30 } } });
});
afterAll(() => emu.stop());

const PROVIDER = { __provider: "serialized-provider-text" };
const noChange = { changes: false, replaces: [] };

/** What a real API may answer besides what was sent: defaults, another order, extra fields. */
function embellish(c: ApiCluster): ApiCluster {
  const extra = <T extends { id: string }>(refs: T[] | undefined) =>
    refs && [...refs].reverse().map((r) => ({ ...r, name: `name-of-${r.id}`, status: "active" }));
  return {
    ...c,
    description: c.description ?? "",
    tlsEnabled: c.tlsEnabled ?? false,
    backupSchedule: c.backupSchedule
      ? ({
          ...c.backupSchedule,
          cron: ` ${c.backupSchedule.cron.replace(/ /g, "  ")} `,
          enabled: true,
        } as never)
      : { cron: "0 0 * * *", retentionLimit: 1 },
    subnets: extra(c.subnets),
    securityGroups: extra(c.securityGroups),
    engine: "redis",
    maintenanceWindow: { day: "sun", hour: 3 },
  } as ApiCluster;
}

describe("KakaoRedisCluster round trip", () => {
  it("create → read → diff: no change, no replacement, and refresh reports the same outputs", async () => {
    await fc.assert(
      fc.asyncProperty(clusterInputsArb, async (inputs) => {
        expect((await provider.check!({} as never, inputs)).failures).toBeUndefined();
        const created = await provider.create({ ...inputs, ...PROVIDER });
        const outs = engineSerialized({ ...created.outs, ...PROVIDER });
        // Left out in the program, left out of the outputs (no read-back default).
        for (const k of ["description", "user", "tlsEnabled", "backupSchedule", "timeouts"] as const) {
          expect(k in outs).toBe(k in inputs);
        }
        const read = await provider.read!(created.id, outs as never);
        const refreshed = engineSerialized({ ...read.props, ...PROVIDER });
        expect(refreshed).toEqual(outs); // `pulumi refresh --expect-no-changes`
        expect(
          await provider.diff!(created.id, refreshed as never, { ...inputs, ...PROVIDER }),
        ).toMatchObject(noChange);

        // The same cluster as a real API may report it: defaults, reordered lists, extra fields.
        let embellishedAnswers = 0;
        const spy = jest.spyOn(KakaoClient.prototype, "getCluster").mockImplementation(async function (
          this: KakaoClient,
          id: string,
        ) {
          spy.mockRestore();
          const live = await this.getCluster(id);
          embellishedAnswers += live ? 1 : 0;
          return live && embellish(live);
        });
        const embellished = await provider.read!(created.id, outs as never);
        spy.mockRestore();
        expect(embellishedAnswers).toBe(1); // the read did see the embellished answer
        const again = engineSerialized({ ...embellished.props, ...PROVIDER });
        expect(again).toEqual(outs);
        expect(await provider.diff!(created.id, again as never, { ...inputs, ...PROVIDER })).toMatchObject(
          noChange,
        );
        await provider.delete!(created.id, outs as never);
      }),
      { numRuns: 12 },
    );
  });

  it("removing an optional field never replaces; setting a create-only field to another value does", async () => {
    const optionalFields = ["description", "user", "tlsEnabled", "backupSchedule", "timeouts"] as const;
    await fc.assert(
      fc.asyncProperty(clusterInputsArb, fc.constantFrom(...optionalFields), async (inputs, field) => {
        const full = { ...clusterInputs(), ...inputs };
        const { [field]: _removed, ...without } = full;
        // The state of a created cluster: its own shards recorded, with the layout asked for.
        const shards = full.subnetAssignments.map((x, i) => ({
          id: `00${i + 1}`,
          nodes: [x.primary, ...x.replicas].map((r, j) => ({
            id: `n${i}-${j}`,
            subnetId: r.id,
            role: j ? "replica" : "primary",
          })),
        }));
        const state = { ...full, clusterId: "c", status: "Running", shards };
        const d = await provider.diff!("c", state as never, without);
        expect(d.replaces).toEqual([]);
        expect(d.changes).toBe(full[field] !== undefined); // an update that forgets it, sending nothing
      }),
      { numRuns: 50 },
    );
    const d = await provider.diff!("c", clusterInputs() as never, clusterInputs({ tlsEnabled: false }));
    expect(d).toEqual({ changes: true, replaces: ["tlsEnabled"], deleteBeforeReplace: true });
  });

  it("still reports real drift of a declared field", async () => {
    const inputs = clusterInputs({ name: "drift", description: "declared", tlsEnabled: true });
    const created = withOuts(await provider.create(inputs));
    const spy = jest.spyOn(KakaoClient.prototype, "getCluster").mockImplementation(async function (
      this: KakaoClient,
      id: string,
    ) {
      spy.mockRestore();
      const live = await this.getCluster(id);
      return (
        live && { ...live, description: "console edit", tlsEnabled: false, subnets: [{ id: "subnet-z" }] }
      );
    });
    const read = await provider.read!(created.id, created.outs);
    spy.mockRestore();
    expect(read.props).toMatchObject({
      description: "console edit",
      tlsEnabled: false,
      subnets: [{ id: "subnet-z" }],
    });
    const d = await provider.diff!(created.id, read.props as never, inputs);
    expect(d).toMatchObject({ changes: true, replaces: ["subnets", "tlsEnabled"] });
    await provider.delete!(created.id, created.outs);
  });

  it("serializes the outputs of a create still building and of the update that records its members", async () => {
    const kakao = emu.clouds.kakaocloud as { settle: { set(k: string, ms: number): void } };
    kakao.settle.set("createCluster", 3_000);
    const inputs = withoutAbsent({ ...clusterInputs({ name: "partial" }), description: undefined });
    try {
      const created = withOuts(await provider.create(inputs));
      expect(created.id).toEqual(expect.any(String));
      expect(engineSerialized(created.outs)).toMatchObject({ status: "Creating", clusterId: created.id });
      kakao.settle.set("createCluster", 30);
      const updated = await provider.update!(created.id, created.outs, {
        ...inputs,
        description: "now",
      } as KakaoRedisClusterInputs);
      const outs = engineSerialized(updated.outs);
      expect(outs).toMatchObject({ status: "Running", clusterId: created.id });
      expect(outs.shards).toHaveLength(2); // the update waited, and recorded the create's members
      await provider.delete!(created.id, updated.outs as never);
    } finally {
      kakao.settle.set("createCluster", 30);
    }
  });
});

describe("KakaoShard and KakaoReplica round trip", () => {
  let clusterId: string;
  beforeAll(async () => {
    clusterId = (await provider.create(clusterInputs({ name: "rt-base", shardCount: 2 }))).id;
  });

  const assignment = fc
    .record({
      nodeCount: fc.integer({ min: 1, max: 3 }),
      primary: fc.constantFrom("subnet-a", "subnet-b"),
      replicas: fc.array(fc.constantFrom("subnet-a", "subnet-b"), { minLength: 2, maxLength: 2 }),
      asList: fc.boolean(),
      timeouts: fc.option(fc.constant({ create: "5m", delete: "5m" }), { nil: undefined }),
    })
    .map((g) => {
      const a = {
        primary: { id: g.primary },
        replicas: g.replicas.slice(0, g.nodeCount - 1).map((id) => ({ id })),
      };
      return withoutAbsent({
        clusterId,
        nodeCount: g.nodeCount,
        subnetAssignments: g.asList ? [a] : a,
        timeouts: g.timeouts,
      });
    });

  it("KakaoShard: create → read → diff reports no change, outputs serialize", async () => {
    await fc.assert(
      fc.asyncProperty(assignment, async (inputs) => {
        expect((await shardProvider.check!({} as never, inputs as never)).failures).toBeUndefined();
        const created = await shardProvider.create(inputs as never);
        const outs = engineSerialized({ ...created.outs, ...PROVIDER });
        expect("timeouts" in outs).toBe("timeouts" in inputs);
        const read = engineSerialized({
          ...(await shardProvider.read!(created.id, outs as never)).props,
          ...PROVIDER,
        });
        expect(read).toEqual(outs);
        expect(await shardProvider.diff!(created.id, read as never, inputs as never)).toMatchObject(noChange);
        // The other form of the same assignment is no change either.
        const a = inputs.subnetAssignments;
        const other = { ...inputs, subnetAssignments: Array.isArray(a) ? a[0] : [a] };
        expect(await shardProvider.diff!(created.id, read as never, other as never)).toMatchObject(noChange);
        await shardProvider.delete!(created.id, outs as never);
      }),
      { numRuns: 5 },
    );
  });

  it("KakaoReplica: create → read → diff reports no change, outputs serialize", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("subnet-a", "subnet-b"),
        fc.constantFrom("001", "002"),
        fc.option(fc.constant({ create: "5m" }), { nil: undefined }),
        async (subnetId, shardId, timeouts) => {
          const inputs = withoutAbsent({ clusterId, shardId, subnetId, timeouts });
          const created = await replicaProvider.create(inputs);
          const outs = engineSerialized({ ...created.outs, ...PROVIDER });
          const read = engineSerialized({
            ...(await replicaProvider.read!(created.id, outs as never)).props,
            ...PROVIDER,
          });
          expect(read).toEqual(outs);
          expect(await replicaProvider.diff!(created.id, read as never, inputs)).toMatchObject(noChange);
          await replicaProvider.delete!(created.id, outs as never);
        },
      ),
      { numRuns: 4 },
    );
  });

  it("a partial failure and an update of a shard or replica serialize too", async () => {
    const kakao = emu.clouds.kakaocloud as { settle: { set(k: string, ms: number): void } };
    const shardInputs = {
      clusterId,
      nodeCount: 2,
      subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
    };
    kakao.settle.set("addShard", 2_000);
    kakao.settle.set("addReplica", 2_000);
    try {
      const replica = (await replicaProvider
        .create({ clusterId, shardId: "001", subnetId: "subnet-b", timeouts: { create: "100ms" } })
        .catch((e) => e)) as { id: string; properties: Record<string, unknown> };
      expect(replica.id).toMatch(/\//);
      expect(() => engineSerialized(replica.properties)).not.toThrow();
      // The replica's addition keeps the cluster busy for 2 s (and its node a moment longer in the
      // realistic profile): a shard added now would wait for it.
      await untilIdle(emu.clouds.kakaocloud as KakaocloudModule, clusterId);
      const shard = (await shardProvider
        .create({ ...shardInputs, timeouts: { create: "100ms" } })
        .catch((e) => e)) as { id: string; properties: Record<string, unknown> };
      expect(shard.id).toMatch(/\//);
      expect(() => engineSerialized(shard.properties)).not.toThrow();
      kakao.settle.set("addShard", 30);
      kakao.settle.set("addReplica", 30);
      const su = await shardProvider.update!(shard.id, shard.properties as never, shardInputs);
      expect(engineSerialized(su.outs)).toMatchObject({ clusterId });
      const ru = await replicaProvider.update!(replica.id, replica.properties as never, {
        clusterId,
        shardId: "001",
        subnetId: "subnet-b",
      });
      expect(engineSerialized(ru.outs)).toMatchObject({ clusterId, shardId: "001" });
      await replicaProvider.delete!(replica.id, ru.outs as never);
      await shardProvider.delete!(shard.id, su.outs as never);
    } finally {
      kakao.settle.set("addShard", 30);
      kakao.settle.set("addReplica", 30);
    }
  });
});
