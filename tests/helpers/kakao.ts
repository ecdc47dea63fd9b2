import type { KakaoRedisClusterInputs } from "../../provider/kakaocloud/cluster";

/** A flavor the emulator knows (the document's sample id). */
export const FLAVOR = "3830ebad-ea2f-4822-8a7d-9e301c86a58d";

export function clusterInputs(overrides: Partial<KakaoRedisClusterInputs> = {}): KakaoRedisClusterInputs {
  return {
    name: "test-cluster",
    description: "test",
    version: "7.2.6",
    port: 6379,
    shardCount: 2,
    nodeCountPerShard: 2,
    flavorId: FLAVOR,
    parameterGroupId: "pg-1",
    subnets: [{ id: "subnet-a" }, { id: "subnet-b" }],
    subnetAssignments: [
      { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      { primary: { id: "subnet-b" }, replicas: [{ id: "subnet-a" }] },
    ],
    securityGroups: [{ id: "sg-1" }],
    user: { name: "app", password: "encrypted-password-value" },
    tlsEnabled: true,
    backupSchedule: { cron: "0 3 * * *", retentionLimit: 7 },
    ...overrides,
  };
}

/**
 * A provider call's result whose `outs` the test goes on to use: fails the test when there are none
 * (the dynamic-provider API types `outs` optional) and returns the result typed with them present.
 */
export function withOuts<R extends { outs?: unknown }>(result: R): R & { outs: NonNullable<R["outs"]> } {
  expect(result.outs).toBeDefined();
  return result as R & { outs: NonNullable<R["outs"]> };
}
