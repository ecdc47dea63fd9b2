/**
 * `KakaoShard`: one more shard in a KakaoCloud Redis cluster.
 *
 * The add-shard call returns only the cluster id, so the new shard's id is discovered by listing
 * the shards before and after, under a lock per cluster (two additions in one provider process
 * never overlap). The create returns as soon as the id is known; the slot migration ("may take
 * several hours", default timeout 12 h) is waited for by the shard's internal `KakaoMemberSettled`
 * child (./members.ts, ./settled.ts), whose outputs the class exposes as `status`, `slots` and
 * `nodes`: a job killed during the migration leaves the shard in the state.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { setStackConfig } from "../core/config";
import { StateError } from "../core/errors";
import { withLock } from "../core/lock";
import { logProgress } from "../core/log";
import { plain, type ProviderProps, type Timeouts } from "../core/types";
import { timeoutOf } from "../core/deadline";
import { diffOf } from "../core/diff";
import { checkWith, timeoutsSchema, validInputs } from "../core/validation";
import { type ApiShard, isNotFound, kakaoClient } from "./client";
import { addMember } from "./members";
import { assignmentOf, assignmentSchema, type SubnetAssignment } from "./model";
import { diffSpecOf, replacingFields } from "./readback";
import { type KakaoWait, mutateWhenSettled, waitClusterSettled } from "./settle";
import { parseShardId } from "./shard.resource";

export { parseShardId };
/** Plain inputs of {@link KakaoShard}. */
export interface KakaoShardInputs {
  /** The cluster to add the shard to. */
  clusterId: string;
  /** Nodes in the new shard (one primary plus replicas). */
  nodeCount: number;
  /** Where the shard's nodes go: `nodeCount - 1` replica subnets. A one-element list is accepted too. */
  subnetAssignments: SubnetAssignment | SubnetAssignment[];
  /** Operation timeouts (defaults: create 12h, delete 12h). */
  timeouts?: Timeouts;
}

/**
 * Outputs of {@link KakaoShard}'s provider. The class also exposes `status`, `slots` and `nodes`,
 * from its `KakaoMemberSettled` child once the shard is `Running`.
 */
export interface KakaoShardOutputs extends KakaoShardInputs {
  /** The shard id within the cluster (e.g. `003`). */
  shardId: string;
  name?: string;
}

/** The input schema, from the API document. */
export const shardSchema = z
  .object({
    clusterId: z.string().min(1, "is required"),
    nodeCount: z.number().int("must be an integer").min(1, "must be at least 1"),
    subnetAssignments: z.union([
      assignmentSchema,
      z.array(assignmentSchema).length(1, "takes exactly one assignment (one shard)"),
    ]),
    timeouts: timeoutsSchema,
  })
  .strict()
  .superRefine((v, ctx) => {
    const a = Array.isArray(v.subnetAssignments) ? v.subnetAssignments[0] : v.subnetAssignments;
    if (a && a.replicas.length !== v.nodeCount - 1) {
      ctx.addIssue({
        code: "custom",
        path: Array.isArray(v.subnetAssignments)
          ? ["subnetAssignments", 0, "replicas"]
          : ["subnetAssignments", "replicas"],
        message: `needs nodeCount - 1 = ${v.nodeCount - 1} replica subnets, ${a.replicas.length} given`,
      });
    }
  });

/** Every input field and how it compares (see ./readback.ts); all but `timeouts` replace. */
const FIELDS = replacingFields<KakaoShardInputs>({
  clusterId: "scalar",
  nodeCount: "scalar",
  subnetAssignments: "scalar",
});

/** The one assignment, whichever form it was given in, with the replica subnets in a fixed order. */
function layoutOf(value: unknown): unknown {
  const a = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (!a || typeof a !== "object" || Array.isArray(a)) return a;
  const { primary, replicas } = a as Partial<SubnetAssignment>;
  return {
    primary: primary && { id: primary.id },
    replicas: Array.isArray(replicas) ? replicas.map((r) => ({ id: r?.id })).sort(byId) : replicas,
  };
}

function byId(a: { id?: string }, b: { id?: string }): number {
  return String(a.id).localeCompare(String(b.id));
}

type Props = KakaoShardOutputs & ProviderProps;

function waits(inputs: KakaoShardInputs): { create: KakaoWait; delete: KakaoWait } {
  // Long operations: the proportional schedule capped at 60 s keeps a two-hour migration near 160
  // looks (a fixed 10-second schedule makes 720) while a short one is still seen within ~10%.
  const base = { maxIntervalMs: 60_000 } as const;
  return {
    create: { ...base, timeoutMs: timeoutOf(inputs.timeouts, "create", 12 * 3_600_000) },
    delete: { ...base, timeoutMs: timeoutOf(inputs.timeouts, "delete", 12 * 3_600_000) },
  };
}

/** Only what does not change while the shard settles: a refresh after the wait shows no change. */
function outputs(inputs: KakaoShardInputs, shard: ApiShard | undefined, shardId: string): KakaoShardOutputs {
  return plain({ ...inputs, shardId, name: shard?.name });
}

/** The implementation behind {@link KakaoShard}'s serialized provider. */
export const provider: pulumi.dynamic.ResourceProvider<KakaoShardInputs, KakaoShardOutputs> = {
  async configure(req) {
    setStackConfig(req.config);
  },

  check: checkWith(shardSchema),

  // The assignment compares in one form, whichever form it was given in.
  diff: diffOf({
    ...diffSpecOf(FIELDS, { subnetAssignments: layoutOf }),
    deleteBeforeReplace: true,
  }),

  async create(inputs) {
    validInputs(shardSchema, inputs, "KakaoShard");
    const client = kakaoClient();
    const w = waits(inputs);
    const { clusterId } = inputs;
    const assignment = Array.isArray(inputs.subnetAssignments)
      ? inputs.subnetAssignments[0]
      : inputs.subnetAssignments;
    const lock = { timeoutMs: w.create.timeoutMs, what: `changes of cluster ${clusterId}` };
    const shard = await withLock(
      clusterId,
      () =>
        addMember({
          kind: "shard",
          client,
          clusterId,
          wait: w.create,
          what: `a shard to cluster ${clusterId}`,
          list: () => client.listShards(clusterId),
          memberKey: (id) => `${clusterId}/${id}`,
          send: () =>
            client.addShard(clusterId, { nodeCount: inputs.nodeCount, subnetAssignments: assignment }),
        }),
      lock,
    );
    const id = `${clusterId}/${shard.id}`;
    // Said at once: the id reaches the state when this returns; its child waits for the migration.
    logProgress(`shard added: resource id ${id}; waiting for its slot migration next`);
    return { id, outs: outputs(inputs, shard, shard.id) };
  },

  async read(id, props) {
    const { clusterId, shardId } = parseShardId(id);
    const client = kakaoClient();
    const shard = await client.getShard(clusterId, shardId);
    if (!shard) return {};
    const prior = (props ?? {}) as Partial<Props>;
    const nodes = shard.nodes ?? [];
    const inputs: KakaoShardInputs = {
      ...prior,
      clusterId,
      nodeCount: prior.nodeCount ?? nodes.length,
      subnetAssignments: prior.subnetAssignments ?? assignmentOf(nodes),
    };
    return { id, props: outputs(inputs, shard, shardId) };
  },

  async update(id, _olds, news) {
    // Only `timeouts` updates in place; it needs no API call.
    const { clusterId, shardId } = parseShardId(id);
    const shard = await kakaoClient().getShard(clusterId, shardId);
    if (!shard) {
      throw new StateError(
        "ResourceGone",
        `shard ${shardId} of cluster ${clusterId} is in the stack's state but no longer exists in KakaoCloud; ` +
          `run \`pulumi refresh\` to drop it from the state, then \`pulumi up\` to add it again`,
      );
    }
    return { outs: outputs(news, shard, shardId) };
  },

  async delete(id, props) {
    const { clusterId, shardId } = parseShardId(id);
    const client = kakaoClient();
    // A member whose cluster is gone went with it (the cluster deleted first, out of band or by a
    // destroy that did not order the two): nothing to delete.
    if (!(await client.getCluster(clusterId))) return;
    const w = waits(props);
    // The lock covers the delete call only: a removal never confuses another addition's discovery
    // of its new shard, and a wait of hours must not hold up every other change of the cluster.
    let sentAt: number | undefined;
    const sent = await withLock(
      clusterId,
      async () => {
        try {
          await mutateWhenSettled(client, clusterId, w.delete, () => {
            sentAt = Date.now();
            return client.deleteShard(clusterId, shardId);
          });
          return true;
        } catch (err) {
          if (isNotFound(err) || !(await client.getCluster(clusterId))) return false;
          throw err;
        }
      },
      { timeoutMs: w.delete.timeoutMs, what: `changes of cluster ${clusterId}` },
    );
    if (!sent) return;
    // Ends once a look no longer lists the shard (the client recorded the delete as accepted), with
    // the cluster settled: a read from before the delete, `Running` and listing it, never ends it.
    await waitClusterSettled(client, clusterId, {
      ...w.delete,
      what: `shard ${shardId} of cluster ${clusterId} to be removed (slot migration)`,
      acceptedAt: sentAt,
    });
  },
};
