/**
 * Shared by the KakaoCloud property and safety tests: the engine's serialization of a provider's
 * results, and fast-check generators of valid inputs with every optional field independently
 * present or absent.
 */
import * as fc from "fast-check";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import type { KakaoRedisClusterInputs } from "../../../provider/kakaocloud/cluster";
import { KAKAO_REDIS_VERSIONS } from "../../../provider/kakaocloud/cluster";
import { FLAVOR } from "../../helpers/kakao";
import { throughEngine } from "../../helpers/roundtrip";

/**
 * What the dynamic-provider host does with every result (create, read, update, partial failure):
 * the shared {@link throughEngine}, typed as a property bag. Throws "Unexpected struct type." on
 * `undefined` and the like; returns the value as the engine would store it.
 */
export function engineSerialized(value: unknown): Record<string, unknown> {
  return throughEngine(value as Record<string, unknown>);
}

/** An optional field: present with a generated value, or left out (the key absent). */
function optional<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq: 2 });
}

/** Drops the keys whose value is `undefined` (a program that leaves them out). */
export function withoutAbsent<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const SUBNETS = ["subnet-a", "subnet-b", "subnet-c"];
let counter = 0;

/** Valid cluster inputs (1-2 shards of 1-3 nodes), each optional field present or absent. */
export const clusterInputsArb: fc.Arbitrary<KakaoRedisClusterInputs> = fc
  .record({
    version: fc.constantFrom(...KAKAO_REDIS_VERSIONS),
    port: fc.integer({ min: 2000, max: 50000 }),
    shardCount: fc.integer({ min: 1, max: 2 }),
    nodeCountPerShard: fc.integer({ min: 1, max: 3 }),
    subnets: fc.subarray(SUBNETS, { minLength: 1 }),
    securityGroups: fc.uniqueArray(fc.constantFrom("sg-1", "sg-2", "sg-3"), { minLength: 1, maxLength: 2 }),
    pick: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
    description: optional(fc.string({ minLength: 1, maxLength: 20 })),
    user: optional(
      fc
        .record({
          name: optional(fc.constantFrom("app", "admin")),
          password: optional(fc.constantFrom("enc-pass-value-1", "enc-pass-value-2")),
        })
        .map(withoutAbsent),
    ),
    tlsEnabled: optional(fc.boolean()),
    backupSchedule: optional(
      fc.record({
        cron: fc.constantFrom("0 3 * * *", "30 1 * * 0", "0 */6 * * *"),
        retentionLimit: fc.integer({ min: 1, max: 35 }),
      }),
    ),
    timeouts: optional(fc.constant({ create: "10m" })),
    parameterGroupId: fc.constantFrom("pg-1", "pg-2"),
  })
  .map((g) => {
    const at = (i: number) => g.subnets[g.pick[i % g.pick.length] % g.subnets.length];
    const inputs: KakaoRedisClusterInputs = {
      name: `prop-${process.pid}-${++counter}`,
      description: g.description,
      version: g.version,
      port: g.port,
      shardCount: g.shardCount,
      nodeCountPerShard: g.nodeCountPerShard,
      flavorId: FLAVOR,
      parameterGroupId: g.parameterGroupId,
      subnets: g.subnets.map((id) => ({ id })),
      subnetAssignments: Array.from({ length: g.shardCount }, (_, s) => ({
        primary: { id: at(s * 3) },
        replicas: Array.from({ length: g.nodeCountPerShard - 1 }, (_, r) => ({ id: at(s * 3 + r + 1) })),
      })),
      securityGroups: g.securityGroups.map((id) => ({ id })),
      user: g.user,
      tlsEnabled: g.tlsEnabled,
      backupSchedule: g.backupSchedule,
      timeouts: g.timeouts,
    };
    return withoutAbsent(inputs);
  });

/**
 * Resolves once the emulator's cluster has no operation running and every shard and node reads
 * `Running` (in the realistic profile members finish after their cluster, which refuses changes
 * until then); rejects after 20 s.
 */
export async function untilIdle(kakao: KakaocloudModule, clusterId: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const c = kakao.snapshot().clusters.find((x) => x.id === clusterId);
    const idle =
      c !== undefined &&
      c.pending === undefined &&
      c.status === "Running" &&
      c.shards.every((s) => s.status === "Running" && s.nodes.every((n) => n.status === "Running"));
    if (idle) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for cluster ${clusterId} to be idle`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
