/**
 * The inputs and outputs of `KakaoRedisCluster`: their types, the input schema of the API document,
 * the create request body built from them, and how each input field compares in `diff()` and
 * `read()` (see ./readback.ts).
 */
import { z } from "zod";
import type { ArgsOf, Timeouts } from "../core/types";
import { timeoutsSchema } from "../core/validation";
import { cronSchema } from "./cron";
import type { NodeEndpoint } from "./endpoints";
import { assignmentSchema, type ClusterShard, type IdRef, idRefSchema, type SubnetAssignment } from "./model";
import type { FieldKind, FieldRules } from "./readback";
import type { ForeignMembers } from "./reshard";

import { KAKAO_REDIS_VERSIONS, type KnownKakaoRedisVersion } from "./versions";

export { KAKAO_REDIS_VERSIONS, type KnownKakaoRedisVersion };

/** Plain inputs of {@link KakaoRedisCluster}, as the provider receives them. */
export interface KakaoRedisClusterInputs {
  /** Cluster name (unique in the project). Changing it replaces the cluster. */
  name: string;
  /** Free-text description; updates in place. */
  description?: string;
  /**
   * Redis version, major.minor.patch: one KakaoCloud offers (`getKakaoRedisVersions()`, e.g. 7.2.11,
   * 7.2.6, 7.0.15, 6.2.20); `pulumi up` checks it against the cloud's list (`getKakaoRedisVersion({ line:
   * "7.2" })` picks the newest of a line).
   */
  version: KnownKakaoRedisVersion | (string & {});
  /** Redis port, 2000 to 50000. */
  port: number;
  /**
   * Number of the cluster's own shards, 1 to 12. Updates in place: shards are added or (the newest
   * of the cluster's own first) deleted (./reshard.ts). Shards of `KakaoShard` resources count on top.
   */
  shardCount: number;
  /** Nodes per shard of the cluster's own shards (one primary plus replicas); updates in place. */
  nodeCountPerShard: number;
  /** Flavor id (`GET /v1/redis/flavors`; `getKakaoFlavor({ name: "m2a.large" })` finds it by name). */
  flavorId: string;
  /** Parameter group to attach; updates in place, may not be emptied. */
  parameterGroupId: string;
  /** Subnets available for placement. */
  subnets: IdRef[];
  /**
   * One assignment per shard; each has `nodeCountPerShard - 1` replicas. Updates in place as long as
   * every shard that stays keeps its primary's subnet.
   */
  subnetAssignments: SubnetAssignment[];
  /** Security groups to attach. */
  securityGroups: IdRef[];
  /** Database user; `password` must be the encrypted value or hash KakaoCloud asks for. Kept secret. */
  user?: { name?: string; password?: string };
  /** Encryption in transit. */
  tlsEnabled?: boolean;
  /** Backup schedule: a 5-field cron expression and the retention in days. */
  backupSchedule?: { cron: string; retentionLimit: number };
  /** Operation timeouts (defaults: create 2h, update 1h, delete 1h; an update that reshards 12h). */
  timeouts?: Timeouts;
  /**
   * Take over an existing cluster of the same name (and the same version, port, counts and flavor)
   * instead of refusing to create. Without it, a same-name cluster is adopted only when this stack's
   * interrupted create left it (see the README). This stack's `pulumi destroy` deletes what it adopts.
   */
  adopt?: boolean;
}

/** Outputs of {@link KakaoRedisCluster}. */
export interface KakaoRedisClusterOutputs extends KakaoRedisClusterInputs {
  /** The cluster id (also the resource id). */
  clusterId: string;
  /** Cluster status, `Running` once settled. */
  status: string;
  /** The cluster's own shards (created with it or added by resharding), with their slots and nodes. */
  shards: ClusterShard[];
  /**
   * Shards and nodes the cluster lists that `shards` does not name (`KakaoShard`, `KakaoReplica`,
   * added outside Pulumi or by a killed run), computed on every read and update; never resharded.
   */
  foreignMembers: ForeignMembers;
  /** Every node of the cluster (own and foreign) as a client reaches it: host, port, role, shard. */
  nodeEndpoints: NodeEndpoint[];
  /** `host:port` of every node, primaries first: the seed list for a Redis Cluster client. */
  seedEndpoints: string[];
}

/** Arguments of {@link KakaoRedisCluster}. */
export type KakaoRedisClusterArgs = ArgsOf<KakaoRedisClusterInputs>;

/** The input schema, from the API document (ranges, lists, required fields). */
export const clusterSchema = z
  .object({
    name: z.string().min(1, "is required"),
    description: z.string().optional(),
    // The form only: the versions KakaoCloud offers are checked at create (./lookups.ts).
    version: z
      .string({ error: "is required: a Redis version such as 7.2.11 (getKakaoRedisVersions() lists them)" })
      .regex(
        /^\d+\.\d+\.\d+$/,
        "must be major.minor.patch, such as 7.2.11 (getKakaoRedisVersions() lists the versions KakaoCloud offers)",
      ),
    port: z
      .number()
      .int("must be an integer")
      .min(2000, "must be 2000 to 50000")
      .max(50000, "must be 2000 to 50000"),
    shardCount: z.number().int("must be an integer").min(1, "must be 1 to 12").max(12, "must be 1 to 12"),
    nodeCountPerShard: z.number().int("must be an integer").min(1, "must be at least 1"),
    flavorId: z.string().min(1, "is required"),
    parameterGroupId: z.string().min(1, "is required and may not be empty"),
    subnets: z.array(idRefSchema).min(1, "needs at least one subnet"),
    subnetAssignments: z.array(assignmentSchema),
    securityGroups: z.array(idRefSchema).min(1, "needs at least one security group"),
    user: z
      .object({ name: z.string().min(1).optional(), password: z.string().min(1).optional() })
      .strict()
      .optional(),
    tlsEnabled: z.boolean().optional(),
    backupSchedule: z
      .object({
        cron: cronSchema,
        retentionLimit: z.number().int("must be a whole number of days").min(1, "must be at least 1 day"),
      })
      .strict()
      .optional(),
    timeouts: timeoutsSchema,
    adopt: z.boolean().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.subnetAssignments.length !== v.shardCount) {
      ctx.addIssue({
        code: "custom",
        path: ["subnetAssignments"],
        message: `needs one assignment per shard: ${v.shardCount} expected (shardCount), ${v.subnetAssignments.length} given`,
      });
    }
    const known = new Set(v.subnets.map((s) => s.id));
    v.subnetAssignments.forEach((a, i) => {
      if (a.replicas.length !== v.nodeCountPerShard - 1) {
        ctx.addIssue({
          code: "custom",
          path: ["subnetAssignments", i, "replicas"],
          message: `needs nodeCountPerShard - 1 = ${v.nodeCountPerShard - 1} replica subnets, ${a.replicas.length} given`,
        });
      }
      for (const [path, ref] of [
        [["subnetAssignments", i, "primary", "id"], a.primary],
        ...a.replicas.map((r, j) => [["subnetAssignments", i, "replicas", j, "id"], r] as const),
      ] as const) {
        if (!known.has(ref.id)) {
          ctx.addIssue({
            code: "custom",
            path: [...path],
            message: `subnet "${ref.id}" is not listed in subnets`,
          });
        }
      }
    });
  });

/** The create-cluster request body: the document's fields, and `tlsEnabled` and `backupSchedule` (docs/cloud-facts.md). */
export type CreateClusterBody = Pick<
  KakaoRedisClusterInputs,
  | "name"
  | "description"
  | "version"
  | "port"
  | "shardCount"
  | "nodeCountPerShard"
  | "flavorId"
  | "parameterGroupId"
  | "subnets"
  | "subnetAssignments"
  | "securityGroups"
  | "user"
  | "tlsEnabled"
  | "backupSchedule"
>;

/**
 * The create-cluster request body of the document (`POST /v1/clusters`), field by field in its
 * order; an optional field the program left out is left out of the body. The provider's own
 * inputs (`timeouts`, `adopt`) are not sent.
 */
export function createClusterBody(inputs: KakaoRedisClusterInputs): CreateClusterBody {
  return {
    name: inputs.name,
    description: inputs.description,
    version: inputs.version,
    port: inputs.port,
    shardCount: inputs.shardCount,
    nodeCountPerShard: inputs.nodeCountPerShard,
    flavorId: inputs.flavorId,
    parameterGroupId: inputs.parameterGroupId,
    subnets: inputs.subnets,
    subnetAssignments: inputs.subnetAssignments,
    securityGroups: inputs.securityGroups,
    user: inputs.user,
    tlsEnabled: inputs.tlsEnabled,
    backupSchedule: inputs.backupSchedule,
  };
}

const idSet: FieldKind = "idSet";
const scalar: FieldKind = "scalar";

/** Every input field, how it compares, and whether it changes in place (see ./readback.ts). */
export const CLUSTER_FIELDS: FieldRules<KakaoRedisClusterInputs> = {
  name: { kind: scalar, inPlace: false },
  description: { kind: scalar, inPlace: true },
  version: { kind: scalar, inPlace: false },
  port: { kind: scalar, inPlace: false },
  // Resharding (./reshard.ts); a subnetAssignments change that moves a staying primary replaces.
  shardCount: { kind: scalar, inPlace: true },
  nodeCountPerShard: { kind: scalar, inPlace: true },
  flavorId: { kind: scalar, inPlace: false },
  parameterGroupId: { kind: scalar, inPlace: true },
  subnets: { kind: idSet, inPlace: false },
  subnetAssignments: { kind: scalar, inPlace: true },
  securityGroups: { kind: idSet, inPlace: false },
  user: { kind: { object: ["name", "password"] }, inPlace: false },
  tlsEnabled: { kind: scalar, inPlace: false },
  backupSchedule: { kind: { object: ["cron", "retentionLimit"] }, inPlace: false },
  timeouts: { kind: { object: ["create", "update", "delete"] }, inPlace: true },
  adopt: { kind: scalar, inPlace: true },
};
