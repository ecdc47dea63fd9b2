/**
 * `KakaoClusterSettled`: step two of creating a KakaoCloud cluster (step one: `KakaoRedisCluster`'s
 * create, ./cluster.ts, which returns as soon as the API answers with the cluster id). An internal
 * resource that the `KakaoRedisCluster` class creates as its child, after the cluster: its create
 * waits until the cluster and every shard and node in it are `Running`, and outputs the status, the
 * members the cluster's create made (./initial.ts), the members it did not make
 * (`foreignMembers`) and the connection outputs, which the class exposes until the cluster's own
 * state records its members (its first read or update).
 *
 * Safe to repeat: it adds nothing. If a job is killed during the wait, the cluster's id is already
 * in the state; the next `pulumi up` (on any runner) creates this resource again and waits again,
 * and never a second cluster. A recorded status that is not settled (a refresh during the wait)
 * asks for an update, which waits.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { setStackConfig } from "../core/config";
import { StateError } from "../core/errors";
import { plain, type ProviderProps, type Timeouts } from "../core/types";
import { checkWith, timeoutsSchema } from "../core/validation";
import { deadlineAfter, remainingMs, timeoutOf } from "../core/deadline";
import { unseenWaitMs, waitFor } from "../core/waiter";
import { type ApiCluster, type ApiShard, type KakaoClient, kakaoClient } from "./client";
import { connectionOutputs, type NodeEndpoint } from "./endpoints";
import { noteSeen, seenCluster } from "./evidence";
import { initialMembers } from "./initial";
import { type ClusterShard, shardOutputs } from "./model";
import { type ForeignMembers, foreignOf } from "./reshard-plan";
import { settleChildDiff, waitClusterSettled } from "./settle";

/** Plain inputs of {@link KakaoClusterSettled}. */
export interface KakaoClusterSettledInputs {
  /** The cluster (the `KakaoRedisCluster`'s id). */
  clusterId: string;
  /** The cluster's Redis port, for the connection outputs. */
  port: number;
  /** The cluster's timeouts; `create` bounds the wait (default 2 h). */
  timeouts?: Timeouts;
}

/** Outputs of {@link KakaoClusterSettled}. */
export interface KakaoClusterSettledOutputs extends KakaoClusterSettledInputs {
  /** The cluster's status: `Running` once settled. */
  status: string;
  /** The members the cluster's create made, as listed. */
  shards: ClusterShard[];
  /** The listed members the cluster's create did not make. */
  foreignMembers: ForeignMembers;
  /** Every node as `{host, port, role, shardId, nodeId}`. */
  nodeEndpoints: NodeEndpoint[];
  /** `host:port` of every node, primaries first. */
  seedEndpoints: string[];
}

const schema = z
  .object({
    clusterId: z.string().min(1, "is required"),
    port: z.number().int("must be an integer"),
    timeouts: timeoutsSchema,
  })
  .strict();

type Props = KakaoClusterSettledOutputs & ProviderProps;

/** The outputs for the cluster as listed. */
function observe(inputs: KakaoClusterSettledInputs, cluster: ApiCluster, live: ApiShard[]): Props {
  const initial = initialMembers(live);
  return plain({
    ...inputs,
    status: cluster.status ?? "unknown",
    shards: shardOutputs(live, initial),
    foreignMembers: foreignOf(live, initial),
    ...connectionOutputs(live, inputs.port),
  });
}

function gone(clusterId: string): StateError {
  return new StateError(
    "ResourceGone",
    `cluster ${clusterId} no longer exists in KakaoCloud: run \`pulumi refresh\` to drop it from the ` +
      `state, then \`pulumi up\` to create it again`,
  );
}

/**
 * Until a look of this process has found the cluster, it may not be listed yet (the create was
 * accepted, the cloud's reads may lag): waits for it up to `unseenWaitMs()`, then it is gone.
 */
async function untilListed(client: KakaoClient, clusterId: string, timeoutMs: number): Promise<void> {
  if (seenCluster(clusterId)) return;
  const started = Date.now();
  const found = await waitFor<boolean>(
    async () => {
      if (await client.getCluster(clusterId)) return { state: "done", value: true };
      if (Date.now() >= started + unseenWaitMs()) return { state: "done", value: false };
      return { state: "pending", status: "not listed yet" };
    },
    { what: `cluster ${clusterId} to be listed`, timeoutMs },
  );
  if (!found) throw gone(clusterId);
  noteSeen(clusterId);
}

async function settle(inputs: KakaoClusterSettledInputs) {
  const client = kakaoClient();
  const { clusterId } = inputs;
  const timeoutMs = timeoutOf(inputs.timeouts, "create", 2 * 3_600_000);
  const deadline = deadlineAfter(timeoutMs);
  await untilListed(client, clusterId, timeoutMs);
  const live = await waitClusterSettled(client, clusterId, {
    timeoutMs: remainingMs(deadline),
    what: `cluster ${clusterId} to be Running`,
    // Evidence that the create took effect: it makes at least one shard (`shardCount` >= 1), so a
    // look that lists none is from before its members show, whatever status it reads.
    shows: (look) => look.shards.length > 0,
  });
  const cluster = await client.getCluster(clusterId);
  if (!cluster) throw gone(clusterId);
  return { id: clusterId, outs: observe(inputs, cluster, live) };
}

/** The implementation behind {@link KakaoClusterSettled}'s serialized provider. */
export const provider: pulumi.dynamic.ResourceProvider<
  KakaoClusterSettledInputs,
  KakaoClusterSettledOutputs
> = {
  async configure(req) {
    setStackConfig(req.config);
  },

  check: checkWith(schema),

  diff: settleChildDiff(["clusterId"], ["port", "timeouts"]),

  create: settle,

  async read(id, props) {
    const inputs = props as Props;
    const client = kakaoClient();
    const cluster = await client.getCluster(inputs.clusterId);
    if (!cluster) return {};
    return { id, props: observe(inputs, cluster, await client.listShards(inputs.clusterId)) };
  },

  async update(_id, _olds, news) {
    return { outs: (await settle(news)).outs };
  },

  async delete() {
    // Nothing to undo: the cluster itself is deleted by its parent.
  },
};
