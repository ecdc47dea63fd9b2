/**
 * `KakaoMemberSettled`: step two of adding a shard or replica (step one: ./members.ts). An internal
 * resource that `KakaoShard` and `KakaoReplica` create as their child, after themselves: its create
 * waits until the cluster, the member and all its nodes are `Running` (slot migration "may take
 * several hours") and outputs the member's status and nodes, which the parent class exposes, so
 * dependents wait on it.
 *
 * Safe to repeat: it adds nothing. If a job is killed during the wait, the member's id is already in
 * the state; the next `pulumi up` (on any runner) creates this resource again and waits again. A
 * recorded status that is not settled (a refresh during the wait) asks for an update, which waits.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { setStackConfig } from "../core/config";
import { StateError } from "../core/errors";
import { plain, type ProviderProps, type Timeouts } from "../core/types";
import { checkWith, timeoutsSchema } from "../core/validation";
import { timeoutOf } from "../core/deadline";
import { unseenWaitMs } from "../core/waiter";
import { type ApiShard, kakaoClient } from "./client";
import { type ClusterNode, nodeOutput } from "./model";
import { wasListed } from "./evidence";
import { settleChildDiff, waitClusterSettled } from "./settle";

/** Plain inputs of {@link KakaoMemberSettled}. */
export interface KakaoMemberSettledInputs {
  /** `shard` (waits 12 h by default) or `replica` (2 h). */
  kind: "shard" | "replica";
  clusterId: string;
  shardId: string;
  /** For a replica: the node. */
  nodeId?: string;
  /** The parent's timeouts; `create` bounds the wait. */
  timeouts?: Timeouts;
}

/** Outputs of {@link KakaoMemberSettled}. */
export interface KakaoMemberSettledOutputs extends KakaoMemberSettledInputs {
  /** The member's status: `Running` once settled. */
  status: string;
  /** The shard's slot range (a shard). */
  slots?: string;
  /** The shard's nodes, or the one node of a replica. */
  nodes: ClusterNode[];
}

const schema = z
  .object({
    kind: z.enum(["shard", "replica"]),
    clusterId: z.string().min(1, "is required"),
    shardId: z.string().min(1, "is required"),
    nodeId: z.string().min(1).optional(),
    timeouts: timeoutsSchema,
  })
  .strict();

const IDENTITY = ["kind", "clusterId", "shardId", "nodeId"] as const;

type Props = KakaoMemberSettledOutputs & ProviderProps;

function memberId(i: KakaoMemberSettledInputs): string {
  return [i.clusterId, i.shardId, ...(i.nodeId ? [i.nodeId] : [])].join("/");
}

function describe(i: KakaoMemberSettledInputs): string {
  return i.nodeId
    ? `replica ${i.nodeId} of shard ${i.shardId} (cluster ${i.clusterId})`
    : `shard ${i.shardId} of cluster ${i.clusterId}`;
}

/** The outputs for the member as listed, or `undefined` when it is not listed. */
function observe(inputs: KakaoMemberSettledInputs, shard: ApiShard | undefined): Props | undefined {
  if (!shard) return undefined;
  const nodes = (shard.nodes ?? []).filter((n) => !inputs.nodeId || n.id === inputs.nodeId);
  if (inputs.nodeId && nodes.length === 0) return undefined;
  return plain({
    ...inputs,
    status: (inputs.nodeId ? nodes[0].status : shard.status) ?? "unknown",
    slots: inputs.nodeId ? undefined : shard.slots,
    nodes: nodes.map(nodeOutput),
  });
}

async function settle(inputs: KakaoMemberSettledInputs) {
  const client = kakaoClient();
  const fallback = inputs.kind === "shard" ? 12 * 3_600_000 : 2 * 3_600_000;
  // The addition was accepted before this resource was created, so a look of this process that
  // starts from now on and finds the cluster settled ends the wait — if it lists the member: a read
  // that does not list it yet (the cloud's reads may lag) may be from before the addition, and its
  // `Running` proves nothing. Once step one's look listed it in this process, a settled look that
  // does not list it shows that it is gone; otherwise (a re-run) only after unseenWaitMs().
  const started = Date.now();
  const listedBefore = wasListed(memberId(inputs));
  const shards = await waitClusterSettled(client, inputs.clusterId, {
    timeoutMs: timeoutOf(inputs.timeouts, "create", fallback),
    maxIntervalMs: 60_000,
    what: `${describe(inputs)} to settle${inputs.nodeId ? "" : " (slot migration)"}`,
    since: started,
    shows: (look) =>
      listedBefore ||
      observe(
        inputs,
        look.shards.find((s) => s.id === inputs.shardId),
      ) !== undefined ||
      Date.now() >= started + unseenWaitMs(),
  });
  const outs = observe(
    inputs,
    shards.find((s) => s.id === inputs.shardId),
  );
  if (!outs) {
    throw new StateError("ResourceGone", `${describe(inputs)} no longer exists: run \`pulumi refresh\``);
  }
  return { id: memberId(inputs), outs };
}

/** The implementation behind {@link KakaoMemberSettled}'s serialized provider. */
export const provider: pulumi.dynamic.ResourceProvider<KakaoMemberSettledInputs, KakaoMemberSettledOutputs> =
  {
    async configure(req) {
      setStackConfig(req.config);
    },

    check: checkWith(schema),

    diff: settleChildDiff(IDENTITY, ["timeouts"]),

    create: settle,

    async read(id, props) {
      const inputs = props as Props;
      const shard = await kakaoClient().getShard(inputs.clusterId, inputs.shardId);
      const outs = observe(inputs, shard);
      return outs ? { id, props: outs } : {};
    },

    async update(_id, _olds, news) {
      return { outs: (await settle(news)).outs };
    },

    async delete() {
      // Nothing to undo: the member itself is deleted by its parent.
    },
  };
