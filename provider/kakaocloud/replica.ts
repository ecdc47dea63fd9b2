/**
 * `KakaoReplica`: one more replica node in a shard of a KakaoCloud Redis cluster.
 *
 * The add-replica call returns only the cluster id, so the new node's id is discovered by listing
 * the shard's nodes before and after, under the cluster's lock. The create returns as soon as the
 * id is known; the wait until the node runs happens in its internal `KakaoMemberSettled` child
 * (./members.ts, ./settled.ts), whose outputs the class exposes as `role`, `endpoint` and `status`.
 * A node that became the primary after a failover cannot be deleted (the API refuses it): delete
 * says so and what to do.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CloudError, StateError } from "../core/errors";
import { setStackConfig } from "../core/config";
import { withLock } from "../core/lock";
import { logProgress } from "../core/log";
import { plain, type ProviderProps, type Timeouts } from "../core/types";
import { timeoutOf } from "../core/deadline";
import { diffOf } from "../core/diff";
import { checkWith, timeoutsSchema, validInputs } from "../core/validation";
import { type ApiNode, isNotFound, kakaoClient } from "./client";
import { addMember } from "./members";
import { diffSpecOf, replacingFields } from "./readback";
import { mutateWhenSettled, waitClusterSettled } from "./settle";
import { parseReplicaId } from "./replica.resource";

export { parseReplicaId };
/** Plain inputs of {@link KakaoReplica}. */
export interface KakaoReplicaInputs {
  /** The cluster. */
  clusterId: string;
  /** The shard within the cluster (e.g. `001`, or `KakaoShard.shardId`). */
  shardId: string;
  /** Subnet to place the replica in. */
  subnetId: string;
  /** Operation timeouts (defaults: create 2h, delete 2h). */
  timeouts?: Timeouts;
}

/**
 * Outputs of {@link KakaoReplica}'s provider. The class also exposes `role`, `endpoint` and `status`,
 * from its `KakaoMemberSettled` child once the node is `Running`.
 */
export interface KakaoReplicaOutputs extends KakaoReplicaInputs {
  /** The node id. */
  nodeId: string;
  name?: string;
}

/** The input schema, from the API document. */
export const replicaSchema = z
  .object({
    clusterId: z.string().min(1, "is required"),
    shardId: z.string().min(1, "is required"),
    subnetId: z.string().min(1, "is required"),
    timeouts: timeoutsSchema,
  })
  .strict();

/** Every input field and how it compares (see ./readback.ts); all but `timeouts` replace. */
const FIELDS = replacingFields<KakaoReplicaInputs>({
  clusterId: "scalar",
  shardId: "scalar",
  subnetId: "scalar",
});

type Props = KakaoReplicaOutputs & ProviderProps;

/** Only what does not change while the node settles: a refresh after the wait shows no change. */
function outputs(inputs: KakaoReplicaInputs, node: ApiNode | undefined, nodeId: string): KakaoReplicaOutputs {
  return plain({ ...inputs, nodeId, name: node?.name });
}

function waitMs(inputs: KakaoReplicaInputs, op: "create" | "delete"): number {
  return timeoutOf(inputs.timeouts, op, 2 * 3_600_000);
}

/** The implementation behind {@link KakaoReplica}'s serialized provider. */
export const provider: pulumi.dynamic.ResourceProvider<KakaoReplicaInputs, KakaoReplicaOutputs> = {
  async configure(req) {
    setStackConfig(req.config);
  },

  check: checkWith(replicaSchema),

  diff: diffOf(diffSpecOf(FIELDS)),

  async create(inputs) {
    validInputs(replicaSchema, inputs, "KakaoReplica");
    const client = kakaoClient();
    const { clusterId, shardId, subnetId } = inputs;
    const wait = { timeoutMs: waitMs(inputs, "create") };
    const lock = { timeoutMs: wait.timeoutMs, what: `changes of cluster ${clusterId}` };
    const node = await withLock(
      clusterId,
      () =>
        addMember({
          kind: "replica",
          client,
          clusterId,
          wait,
          what: `a replica to shard ${shardId} of cluster ${clusterId}`,
          list: () => client.listNodes(clusterId, shardId),
          memberKey: (id) => `${clusterId}/${shardId}/${id}`,
          send: () => client.addReplica(clusterId, shardId, subnetId),
        }),
      lock,
    );
    const id = `${clusterId}/${shardId}/${node.id}`;
    // Said at once: the id reaches the state when this returns; its child waits for the node to run.
    logProgress(`replica added: resource id ${id}; waiting for it to run next`);
    return { id, outs: outputs(inputs, node, node.id) };
  },

  async read(id, props) {
    const { clusterId, shardId, nodeId } = parseReplicaId(id);
    const node = await kakaoClient().getNode(clusterId, shardId, nodeId);
    if (!node) return {};
    const prior = (props ?? {}) as Partial<Props>;
    const inputs: KakaoReplicaInputs = {
      ...prior,
      clusterId,
      shardId,
      subnetId: node.subnet?.id ?? prior.subnetId ?? "",
    };
    return { id, props: outputs(inputs, node, nodeId) };
  },

  async update(id, _olds, news) {
    // Only `timeouts` updates in place; it needs no API call.
    const { clusterId, shardId, nodeId } = parseReplicaId(id);
    const node = await kakaoClient().getNode(clusterId, shardId, nodeId);
    if (!node) {
      throw new StateError(
        "ResourceGone",
        `replica ${nodeId} of shard ${shardId} (cluster ${clusterId}) is in the stack's state but no longer ` +
          `exists in KakaoCloud; run \`pulumi refresh\` to drop it from the state, then \`pulumi up\` to add it again`,
      );
    }
    return { outs: outputs(news, node, nodeId) };
  },

  async delete(id, props) {
    const { clusterId, shardId, nodeId } = parseReplicaId(id);
    const client = kakaoClient();
    const wait = { timeoutMs: waitMs(props, "delete") };
    // The lock covers the delete call only (see KakaoShard's delete): the wait runs outside it.
    let sentAt: number | undefined;
    const sent = await withLock(
      clusterId,
      async () => {
        const node = await client.getNode(clusterId, shardId, nodeId);
        if (!node) return false;
        if (node.role === "primary") throw primaryError(clusterId, shardId, nodeId);
        try {
          await mutateWhenSettled(client, clusterId, wait, () => {
            sentAt = Date.now();
            return client.deleteNode(clusterId, shardId, nodeId);
          });
          return true;
        } catch (err) {
          if (isNotFound(err) || !(await client.getCluster(clusterId))) return false;
          // The role may have changed between the look and the call: the API refuses a primary.
          if (
            err instanceof CloudError &&
            (err.httpStatus === 400 || err.httpStatus === 409 || err.httpStatus === 422)
          ) {
            const now = await client.getNode(clusterId, shardId, nodeId);
            if (now?.role === "primary") throw primaryError(clusterId, shardId, nodeId);
          }
          throw err;
        }
      },
      { timeoutMs: wait.timeoutMs, what: `changes of cluster ${clusterId}` },
    );
    // Ends once a look no longer lists the node, with the cluster settled (see KakaoShard's delete).
    if (sent)
      await waitClusterSettled(client, clusterId, {
        ...wait,
        what: `replica ${nodeId} to be removed`,
        acceptedAt: sentAt,
      });
  },
};

function primaryError(clusterId: string, shardId: string, nodeId: string): StateError {
  return new StateError(
    "Conflict",
    `node ${nodeId} of shard ${shardId} (cluster ${clusterId}) is now the PRIMARY after a failover, and ` +
      `KakaoCloud cannot delete a primary node. Fail the shard over to another node first and run the command ` +
      `again, or keep this node: remove it from the stack with \`pulumi state delete <urn>\` and delete a ` +
      `replica instead.`,
  );
}
