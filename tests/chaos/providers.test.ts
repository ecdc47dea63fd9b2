/**
 * Every resource type's create, update and delete under a seeded fault mix (throttling, busy
 * refusals, 5xx, connection resets and slow answers on reads AND mutations), calling the provider
 * implementations directly against the emulator: every operation succeeds, nothing is created
 * twice, nothing is left over. The fast, in-process half of `npm run chaos`.
 */
import { faultMix, type Emulator, type FaultMix } from "../../emulator";
import { HUAWEI_DEMO } from "../../emulator/huaweicloud";
import { provider as cluster } from "../../provider/kakaocloud/cluster";
import { provider as shard } from "../../provider/kakaocloud/shard";
import { provider as replica } from "../../provider/kakaocloud/replica";
import { provider as direct } from "../../provider/alicloud/direct-connection";
import { provider as tairSsl } from "../../provider/alicloud/instance-ssl";
import { provider as dcsSsl } from "../../provider/huaweicloud/dcs-instance-ssl";
import { setStackConfig } from "../../provider/core/config";
import { startTestEmulator } from "../helpers/emulator";
import { clusterInputs } from "../helpers/kakao";

jest.setTimeout(120_000);

let emu: Emulator;
const savedEnv = { ...process.env };
const P = "exports.handler = shim"; // stands for the serialized provider

beforeAll(async () => {
  emu = await startTestEmulator({
    kakaocloud: { settleMs: { default: 150 } },
    alicloud: { settleMs: { default: 150 } },
    huaweicloud: { settleMs: { default: 150 } },
  });
  setStackConfig(undefined);
});
afterAll(async () => {
  await emu.stop();
  process.env = savedEnv;
});

/** Turns a fault mix on for one block and returns it, off again afterwards. */
async function underFaults<T>(seed: number, rate: number, fn: (mix: FaultMix) => Promise<T>): Promise<T> {
  const mix = faultMix({ seed, rate, delayMs: [20, 200], retryAfterSeconds: 0 });
  emu.setFaults(mix);
  try {
    return await fn(mix);
  } finally {
    emu.setFaults(undefined);
  }
}

/** Live resources the APIs created, without running SSL jobs. */
function live(): Record<string, number> {
  return Object.fromEntries(
    Object.entries(emu.counters().live).filter(([k, n]) => n > 0 && !k.endsWith("sslJob")),
  );
}

describe("under a seeded fault mix", () => {
  it("KakaoRedisCluster, KakaoShard and KakaoReplica: created once each, updated, deleted, nothing left", async () => {
    const mix = await underFaults(101, 0.3, async (m) => {
      const inputs = { ...clusterInputs({ name: "chaos-kakao" }), __provider: P } as ReturnType<
        typeof clusterInputs
      >;
      const c = await cluster.create(inputs);
      const s = await shard.create({
        clusterId: c.id,
        nodeCount: 2,
        subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      });
      const shardId = s.outs!.shardId;
      const r = await replica.create({ clusterId: c.id, shardId, subnetId: "subnet-b" });
      const news = { ...inputs, description: "changed under faults" };
      await cluster.update!(c.id, c.outs!, news);
      expect(emu.clouds.kakaocloud.snapshot().clusters[0].description).toBe("changed under faults");
      await replica.delete!(r.id, r.outs!);
      await shard.delete!(s.id, s.outs!);
      await cluster.delete!(c.id, c.outs!);
      return m;
    });
    expect(emu.clouds.kakaocloud.created()).toEqual({ cluster: 1, shard: 1, replica: 1 });
    expect(live()).toEqual({});
    expect(mix.total()).toBeGreaterThan(5);
    expect(mix.events.some((e) => e.mutating)).toBe(true);
  });

  it("TairDirectConnection and InstanceSSL: one allocation, one enable, one renewal, all undone", async () => {
    const mix = await underFaults(202, 0.3, async (m) => {
      const d = await direct.create({
        instanceId: "r-demo-cluster-01",
        connectionStringPrefix: "chaosdirect01",
        port: 6379,
      });
      const sslInputs = (
        await tairSsl.check!({} as never, { instanceId: "r-demo-cluster-02", enabled: true } as never)
      ).inputs!;
      const s = await tairSsl.create(sslInputs);
      const rotated = { ...sslInputs, certificateRotation: "2027-01" };
      const u = await tairSsl.update!(s.id, s.outs!, rotated);
      await tairSsl.delete!(s.id, u.outs!);
      await direct.delete!(d.id, d.outs!);
      return m;
    });
    expect(emu.clouds.alicloud.created()).toMatchObject({
      directConnection: 1,
      sslEnable: 1,
      sslUpdate: 1,
      sslDisable: 1,
    });
    expect(live()).toEqual({});
    expect(mix.total()).toBeGreaterThan(5);
  });

  it("DcsInstanceSSL: on, off and on again with exactly one job per change", async () => {
    const id = HUAWEI_DEMO.sslInstanceId;
    const mix = await underFaults(303, 0.35, async (m) => {
      const inputs = { instanceId: id, enabled: true, leaveOnDestroy: false, __provider: P };
      const c = await dcsSsl.create(inputs);
      const off = await dcsSsl.update!(c.id, c.outs!, { ...inputs, enabled: false });
      const on = await dcsSsl.update!(c.id, off.outs!, inputs);
      await dcsSsl.delete!(c.id, on.outs!);
      return m;
    });
    expect(emu.clouds.huaweicloud.created()).toEqual({ sslJob: 4 });
    expect(live()).toEqual({});
    expect(mix.total()).toBeGreaterThan(3);
  });

  it("a reset or 5xx on the first try of every create (the API did not act): looked up, sent again, applied once", async () => {
    const before = { ...emu.counters().created };
    const mix = faultMix({
      seed: 404,
      rate: 1,
      kinds: ["reset", "error5xx"],
      ops: ["createCluster", "addShard", "addReplica", "setSsl", "AllocateDirectConnection"],
      maxConsecutive: 1, // the first try of each fails, the second goes through
    });
    emu.setFaults(mix);
    try {
      const c = await cluster.create({
        ...clusterInputs({ name: "chaos-first-try" }),
        __provider: P,
      } as never);
      const s = await shard.create({
        clusterId: c.id,
        nodeCount: 2,
        subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      });
      const r = await replica.create({ clusterId: c.id, shardId: s.outs!.shardId, subnetId: "subnet-b" });
      const d = await direct.create({
        instanceId: "r-demo-cluster-01",
        connectionStringPrefix: "chaosfirst01",
        port: 6379,
      });
      const ssl = {
        instanceId: HUAWEI_DEMO.sslInstanceId,
        enabled: true,
        leaveOnDestroy: false,
        __provider: P,
      };
      const h = await dcsSsl.create(ssl);
      emu.setFaults(undefined);
      await dcsSsl.delete!(h.id, h.outs!);
      await direct.delete!(d.id, d.outs!);
      await replica.delete!(r.id, r.outs!);
      await shard.delete!(s.id, s.outs!);
      await cluster.delete!(c.id, c.outs!);
    } finally {
      emu.setFaults(undefined);
    }
    expect(mix.byKind().reset + mix.byKind().error5xx).toBe(5);
    const created = emu.counters().created;
    const grew = (k: string) => (created[k] ?? 0) - (before[k] ?? 0);
    expect([grew("kakaocloud:cluster"), grew("kakaocloud:shard"), grew("kakaocloud:replica")]).toEqual([
      1, 1, 1,
    ]);
    expect(grew("alicloud:directConnection")).toBe(1);
    expect(grew("huaweicloud:sslJob")).toBe(2); // on, then off at delete
    expect(live()).toEqual({});
  });
});
