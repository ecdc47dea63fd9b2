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

/**
 * A new `KakaoRedisCluster` as one `pulumi up` leaves it: the cluster's create (which answers with
 * the id at once), then its `KakaoClusterSettled` child's create (the wait). `outs` is what the
 * class exposes — the cluster's outputs with the child's status, members and endpoints — and also
 * the state a refresh or update records from then on; `state` is the cluster's own state as the
 * create wrote it (no `shards` yet), `settled` the child's outputs.
 */
export async function upCluster(inputs: KakaoRedisClusterInputs) {
  // Required here, not imported at the top: tests that mock the client set it up first.
  const cluster =
    require("../../provider/kakaocloud/cluster") as typeof import("../../provider/kakaocloud/cluster");
  const child =
    require("../../provider/kakaocloud/cluster-settled") as typeof import("../../provider/kakaocloud/cluster-settled");
  const created = withOuts(await cluster.provider.create(inputs));
  const state = created.outs;
  const settled = withOuts(
    await child.provider.create({ clusterId: created.id, port: state.port, timeouts: state.timeouts }),
  ).outs;
  const { status, shards, foreignMembers, nodeEndpoints, seedEndpoints } = settled;
  return {
    id: created.id,
    outs: { ...state, status, shards, foreignMembers, nodeEndpoints, seedEndpoints },
    state,
    settled,
  };
}
