/**
 * `KakaoRedisCluster`: a KakaoCloud Redis cluster with cluster mode enabled.
 *
 * Create sends `POST /v1/clusters` and waits until the cluster and all its shards and nodes are
 * `Running`. `description` and `parameterGroupId` update in place (`PATCH`); `shardCount`,
 * `nodeCountPerShard` and `subnetAssignments` update in place by resharding (./reshard.ts); any
 * other change replaces the cluster. Delete waits until the cluster is gone.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CloudError } from "../core/errors";
import { setStackConfig } from "../core/config";
import { sleep } from "../core/http";
import { logProgress } from "../core/log";
import { partialFailure } from "../core/partial";
import { shimProvider } from "../core/shim";
import { type ArgsOf, plain, type ProviderProps, type Timeouts } from "../core/types";
import { changedKeys, checkWith, timeoutsSchema, withoutProvider } from "../core/validation";
import { parseDuration } from "../core/waiter";
import { TYPE_TOKENS } from "../tokens";
import {
  type ApiCluster,
  type ApiNode,
  type ApiShard,
  isNotFound,
  kakaoClient,
  type KakaoClient,
} from "./client";
import { connectionOutputs, type NodeEndpoint } from "./endpoints";
import {
  assignmentsReshardable,
  type ForeignMembers,
  foreignOf,
  ownedOf,
  reshard,
  stillForeign,
} from "./reshard";
import { mutateWhenSettled, waitClusterGone, waitClusterSettled } from "./settle";

/** Redis versions the API document lists. */
export const KAKAO_REDIS_VERSIONS = ["7.2.6", "7.0.15", "6.2.16", "6.2.5", "5.0.6"] as const;

/** A reference to a subnet or security group by id. */
export interface IdRef {
  id: string;
}

/** Where one shard's nodes go: the primary's subnet and one subnet per replica. */
export interface SubnetAssignment {
  primary: IdRef;
  replicas: IdRef[];
}

/** Plain inputs of {@link KakaoRedisCluster}, as the provider receives them. */
export interface KakaoRedisClusterInputs {
  /** Cluster name (unique in the project). Changing it replaces the cluster. */
  name: string;
  /** Free-text description; updates in place. */
  description?: string;
  /** Redis version: 7.2.6, 7.0.15, 6.2.16, 6.2.5 or 5.0.6. */
  version: (typeof KAKAO_REDIS_VERSIONS)[number];
  /** Redis port, 2000 to 50000. */
  port: number;
  /**
   * Number of the cluster's own shards, 1 to 12. Updates in place: shards are added or (the newest
   * of the cluster's own first) deleted. Shards of `KakaoShard` resources count on top.
   */
  shardCount: number;
  /** Nodes per shard of the cluster's own shards (one primary plus replicas); updates in place. */
  nodeCountPerShard: number;
  /** Flavor id (see `GET /v1/redis/flavors`). */
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
  /** Operation timeouts (defaults: create 2h, update 1h, delete 1h). */
  timeouts?: Timeouts;
}

/** A node of a shard, as reported in the outputs. */
export interface ClusterNode {
  id: string;
  name?: string;
  role?: string;
  endpoint?: string;
  subnetId?: string;
  status?: string;
}

/** A shard of the cluster, as reported in the outputs. */
export interface ClusterShard {
  id: string;
  name?: string;
  slots?: string;
  status?: string;
  nodes: ClusterNode[];
}

/** Outputs of {@link KakaoRedisCluster}. */
export interface KakaoRedisClusterOutputs extends KakaoRedisClusterInputs {
  /** The cluster id (also the resource id). */
  clusterId: string;
  /** Cluster status, `Running` once settled. */
  status: string;
  /** The cluster's own shards (created with it or added by resharding), with their slots and nodes. */
  shards: ClusterShard[];
  /** Shards and nodes of the cluster that are not its own (`KakaoShard`, `KakaoReplica`); never resharded. */
  foreignMembers: ForeignMembers;
  /** Every node of the cluster (own and foreign) as a client reaches it: host, port, role, shard. */
  nodeEndpoints: NodeEndpoint[];
  /** `host:port` of every node, primaries first: the seed list for a Redis Cluster client. */
  seedEndpoints: string[];
}

/** Arguments of {@link KakaoRedisCluster}. */
export type KakaoRedisClusterArgs = ArgsOf<KakaoRedisClusterInputs>;

const idRef = z.object({ id: z.string().min(1, "must be a non-empty id") });
const cron = z
  .string()
  .refine(
    (s) => s.trim().split(/\s+/).length === 5,
    'must be a cron expression of 5 fields, e.g. "0 3 * * *"',
  );

/** The input schema, from the API document (ranges, lists, required fields). */
export const clusterSchema = z
  .object({
    name: z.string().min(1, "is required"),
    description: z.string().optional(),
    version: z.enum(KAKAO_REDIS_VERSIONS, { error: `must be one of ${KAKAO_REDIS_VERSIONS.join(", ")}` }),
    port: z
      .number()
      .int("must be an integer")
      .min(2000, "must be 2000 to 50000")
      .max(50000, "must be 2000 to 50000"),
    shardCount: z.number().int("must be an integer").min(1, "must be 1 to 12").max(12, "must be 1 to 12"),
    nodeCountPerShard: z.number().int("must be an integer").min(1, "must be at least 1"),
    flavorId: z.string().min(1, "is required"),
    parameterGroupId: z.string().min(1, "is required and may not be empty"),
    subnets: z.array(idRef).min(1, "needs at least one subnet"),
    subnetAssignments: z.array(z.object({ primary: idRef, replicas: z.array(idRef) }).strict()),
    securityGroups: z.array(idRef).min(1, "needs at least one security group"),
    user: z
      .object({ name: z.string().min(1).optional(), password: z.string().min(1).optional() })
      .strict()
      .optional(),
    tlsEnabled: z.boolean().optional(),
    backupSchedule: z
      .object({
        cron,
        retentionLimit: z.number().int("must be a whole number of days").min(1, "must be at least 1 day"),
      })
      .strict()
      .optional(),
    timeouts: timeoutsSchema,
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

const INPUT_KEYS = Object.keys(clusterSchema.shape) as (keyof KakaoRedisClusterInputs)[];
const IN_PLACE = new Set<string>([
  "description",
  "parameterGroupId",
  "timeouts",
  "shardCount",
  "nodeCountPerShard",
  "subnetAssignments",
]);
/** The inputs resharding converges on. */
const RESHARD_KEYS = ["shardCount", "nodeCountPerShard", "subnetAssignments"];

type Props = KakaoRedisClusterOutputs & ProviderProps;

function timeouts(inputs: KakaoRedisClusterInputs) {
  return {
    create: parseDuration(inputs.timeouts?.create, 2 * 3_600_000),
    update: parseDuration(inputs.timeouts?.update, 3_600_000),
    // Slot migration "may take several hours": resharding waits up to 12 h unless told otherwise.
    reshard: parseDuration(inputs.timeouts?.update, 12 * 3_600_000),
    delete: parseDuration(inputs.timeouts?.delete, 3_600_000),
  };
}

/** The create-cluster request body of the document. */
function requestBody(inputs: KakaoRedisClusterInputs): Record<string, unknown> {
  const { timeouts: _t, ...body } = withoutProvider(inputs as Props) as KakaoRedisClusterInputs;
  return body;
}

/** Shapes the shards for the outputs; `owned` keeps only the cluster's own shards and nodes, in its order. */
function shardOutputs(shards: ApiShard[], owned?: { id: string; nodes: { id: string }[] }[]): ClusterShard[] {
  const ownedShards = owned
    ? new Map(owned.map((s) => [s.id, new Set(s.nodes.map((n) => n.id))]))
    : undefined;
  const listed = new Map(shards.map((s) => [s.id, s]));
  return (owned ? owned.map((o) => listed.get(o.id)).filter((s) => s !== undefined) : shards).map((s) => ({
    id: s.id,
    name: s.name,
    slots: s.slots,
    status: s.status,
    nodes: (s.nodes ?? []).filter((n) => !ownedShards || ownedShards.get(s.id)!.has(n.id)).map(nodeOutput),
  }));
}

/** A listed node as it appears in the outputs (also those of `KakaoShard`). */
export function nodeOutput(n: ApiNode): ClusterNode {
  return {
    id: n.id,
    name: n.name,
    role: n.role,
    endpoint: n.endpoint,
    subnetId: n.subnet?.id,
    status: n.status,
  };
}

function outputs(
  inputs: KakaoRedisClusterInputs,
  id: string,
  cluster: ApiCluster | undefined,
  shards: ClusterShard[],
  live: ApiShard[] = [],
  foreign: ForeignMembers = foreignOf(live, ownedOf(shards)),
) {
  return plain({
    ...inputs,
    clusterId: id,
    status: cluster?.status ?? "unknown",
    shards,
    foreignMembers: foreign,
    ...connectionOutputs(live, inputs.port),
  } satisfies KakaoRedisClusterOutputs);
}

/**
 * Finds a cluster with the same name left by an interrupted `pulumi up` (created in the cloud but
 * never recorded in the state), so that the retry adopts it instead of creating a second one.
 */
async function findLeftover(
  client: KakaoClient,
  inputs: KakaoRedisClusterInputs,
): Promise<ApiCluster | undefined> {
  const same = (await client.listClusters()).find((c) => c.name === inputs.name);
  if (!same) return undefined;
  const mismatched = (["version", "port", "shardCount", "nodeCountPerShard", "flavorId"] as const).filter(
    (k) => same[k] !== undefined && same[k] !== inputs[k],
  );
  if (mismatched.length > 0) {
    throw new Error(
      `a KakaoCloud cluster named "${inputs.name}" already exists (id ${same.id}) with a different ${mismatched.join(", ")}; ` +
        `choose another name, or import it with \`pulumi import ${TYPE_TOKENS.KakaoRedisCluster} <name> ${same.id}\``,
    );
  }
  return same;
}

/**
 * Sends the create-cluster request. After an ambiguous failure (reset, 5xx) it looks for the
 * cluster by its unique name: found, it is adopted; not found, it was not created, and sending the
 * request again is safe (a duplicate would be refused as a name conflict, then found and adopted).
 */
async function createOnce(client: KakaoClient, inputs: KakaoRedisClusterInputs): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.createCluster(requestBody(inputs));
    } catch (err) {
      const ambiguous = err instanceof CloudError && err.retryable;
      const conflict = attempt > 1 && err instanceof CloudError && err.httpStatus === 409;
      if (!ambiguous && !conflict) throw err;
      const maybe = await findLeftover(client, inputs);
      if (maybe) return maybe.id;
      if (!ambiguous || attempt >= 4) throw err;
      logProgress(
        `creating cluster "${inputs.name}": ${(err as Error).message}; not created, sending it again`,
      );
      await sleep(500 * attempt);
    }
  }
}

/** The implementation behind {@link KakaoRedisCluster}'s serialized provider. */
export const provider: pulumi.dynamic.ResourceProvider<KakaoRedisClusterInputs, KakaoRedisClusterOutputs> = {
  async configure(req) {
    setStackConfig(req.config);
  },

  check: checkWith(clusterSchema),

  async diff(_id, olds, news) {
    const changed = changedKeys(withoutProvider(olds as Props), withoutProvider(news as Props), INPUT_KEYS);
    const replaces = changed.filter(
      (k) =>
        !IN_PLACE.has(k) ||
        (k === "subnetAssignments" &&
          !assignmentsReshardable(olds.subnetAssignments, news.subnetAssignments)),
    );
    return {
      changes: changed.length > 0,
      replaces,
      // The name is unique: a replacement that keeps it must delete the old cluster first.
      deleteBeforeReplace: replaces.length > 0 && olds.name === news.name,
    };
  },

  async create(inputs) {
    const client = kakaoClient();
    const t = timeouts(inputs);
    let id: string;
    const leftover = await findLeftover(client, inputs);
    if (leftover) {
      logProgress(
        `adopting cluster "${inputs.name}" (${leftover.id}), created by an earlier interrupted run`,
      );
      id = leftover.id;
    } else {
      id = await createOnce(client, inputs);
    }
    try {
      const shards = await waitClusterSettled(client, id, { timeoutMs: t.create });
      const cluster = await client.getCluster(id);
      return { id, outs: outputs(inputs, id, cluster, shardOutputs(shards), shards) };
    } catch (err) {
      throw partialFailure(err, id, { ...inputs, ...outputs(inputs, id, undefined, []), status: "Creating" });
    }
  },

  async read(id, props) {
    const client = kakaoClient();
    const cluster = await client.getCluster(id);
    if (!cluster) return {};
    const shards = await client.listShards(id);
    const prior = (props ?? {}) as Partial<Props>;
    const importing = prior.name === undefined;
    const live = <K extends keyof KakaoRedisClusterInputs>(
      key: K,
      value: KakaoRedisClusterInputs[K] | undefined,
    ) => (value === undefined || (value === "" && prior[key] === undefined) ? prior[key] : value);
    const inputs = {
      ...prior,
      name: live("name", cluster.name),
      description: live("description", cluster.description),
      version: live("version", cluster.version as KakaoRedisClusterInputs["version"]),
      port: live("port", cluster.port),
      // Shards and replicas added by KakaoShard / KakaoReplica are not this resource's: keep the
      // declared counts (a live count would ask to replace the cluster).
      shardCount: importing ? (cluster.shardCount ?? shards.length) : prior.shardCount,
      nodeCountPerShard: importing
        ? (cluster.nodeCountPerShard ?? shards[0]?.nodes?.length)
        : prior.nodeCountPerShard,
      flavorId: live("flavorId", cluster.flavorId),
      parameterGroupId: live("parameterGroupId", cluster.parameterGroupId),
      subnets: live("subnets", cluster.subnets),
      securityGroups: live("securityGroups", cluster.securityGroups),
      tlsEnabled: live("tlsEnabled", cluster.tlsEnabled),
      backupSchedule: live("backupSchedule", cluster.backupSchedule),
      subnetAssignments: importing ? assignmentsOf(shards) : prior.subnetAssignments,
    } as KakaoRedisClusterInputs;
    const owned = importing ? undefined : (prior.shards ?? []);
    const own = shardOutputs(shards, owned);
    const foreign = prior.foreignMembers ? stillForeign(prior.foreignMembers, shards) : undefined;
    return { id, props: outputs(inputs, id, cluster, own, shards, foreign) };
  },

  async update(id, olds, news) {
    const client = kakaoClient();
    const t = timeouts(news);
    const patch: { description?: string; parameterGroupId?: string } = {};
    if ((olds.description ?? "") !== (news.description ?? "")) patch.description = news.description ?? "";
    if (olds.parameterGroupId !== news.parameterGroupId) patch.parameterGroupId = news.parameterGroupId;
    let shards: ApiShard[] | undefined;
    if (Object.keys(patch).length > 0) {
      await mutateWhenSettled(client, id, { timeoutMs: t.update }, () => client.updateCluster(id, patch));
      shards = await waitClusterSettled(client, id, { timeoutMs: t.update });
    }
    let owned = olds.shards ?? [];
    let foreign = olds.foreignMembers;
    if (
      changedKeys(withoutProvider(olds as Props), withoutProvider(news as Props), RESHARD_KEYS).length > 0
    ) {
      const done = await reshard(client, id, {
        owned: ownedOf(olds.shards),
        foreign,
        target: news,
        wait: { timeoutMs: t.reshard, maxIntervalMs: 60_000 },
      });
      shards = done.shards;
      owned = done.owned.map((o) => ({ id: o.id, nodes: o.nodeIds.map((n) => ({ id: n })) }));
      foreign = done.foreign;
    }
    shards ??= await client.listShards(id);
    const cluster = await client.getCluster(id);
    const own = shardOutputs(shards, owned);
    return { outs: outputs(news, id, cluster, own, shards, foreign && stillForeign(foreign, shards)) };
  },

  async delete(id, props) {
    const client = kakaoClient();
    const t = timeouts(props);
    try {
      await mutateWhenSettled(client, id, { timeoutMs: t.delete }, () => client.deleteCluster(id), {
        settleFirst: false,
      });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    await waitClusterGone(client, id, { timeoutMs: t.delete });
  },
};

/** Rebuilds subnet assignments from the live shards (for `pulumi import`). */
function assignmentsOf(shards: ApiShard[]): SubnetAssignment[] {
  return shards.map((s) => {
    const nodes = s.nodes ?? [];
    const primary = nodes.find((n) => n.role === "primary") ?? nodes[0];
    return {
      primary: { id: primary?.subnet?.id ?? "" },
      replicas: nodes.filter((n) => n !== primary).map((n) => ({ id: n.subnet?.id ?? "" })),
    };
  });
}

/**
 * A KakaoCloud Redis cluster (cluster mode enabled).
 *
 * @example
 * ```ts
 * const cluster = new KakaoRedisCluster("cache", {
 *   name: "cache", version: "7.2.6", port: 6379, shardCount: 2, nodeCountPerShard: 2,
 *   flavorId, parameterGroupId, subnets: [{ id: subnetA }, { id: subnetB }],
 *   subnetAssignments: [
 *     { primary: { id: subnetA }, replicas: [{ id: subnetB }] },
 *     { primary: { id: subnetB }, replicas: [{ id: subnetA }] },
 *   ],
 *   securityGroups: [{ id: sg }], user: { name: "app", password: encryptedPassword }, tlsEnabled: true,
 * });
 * ```
 */
export class KakaoRedisCluster extends pulumi.dynamic.Resource {
  /** The type token, `pulumi-nodejs:dynamic/kakaocloud:KakaoRedisCluster`. */
  static readonly __pulumiType = TYPE_TOKENS.KakaoRedisCluster;

  public readonly clusterId!: pulumi.Output<string>;
  public readonly status!: pulumi.Output<string>;
  /** The cluster's own shards with their slots and nodes (kept current by resharding and refresh). */
  public readonly shards!: pulumi.Output<ClusterShard[]>;
  /** Every node as `{host, port, role, shardId, nodeId}`, ordered by shard, primaries first. */
  public readonly nodeEndpoints!: pulumi.Output<NodeEndpoint[]>;
  /** `host:port` of every node, primaries first: the seeds for a Redis Cluster client. */
  public readonly seedEndpoints!: pulumi.Output<string[]>;
  public readonly version!: pulumi.Output<string>;
  public readonly port!: pulumi.Output<number>;
  public readonly shardCount!: pulumi.Output<number>;
  public readonly nodeCountPerShard!: pulumi.Output<number>;
  public readonly tlsEnabled!: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: KakaoRedisClusterArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...args,
      user: args.user === undefined ? undefined : pulumi.secret(args.user),
      clusterId: undefined,
      status: undefined,
      shards: undefined,
      foreignMembers: undefined,
      nodeEndpoints: undefined,
      seedEndpoints: undefined,
    };
    super(
      shimProvider("kakaocloud/cluster"),
      name,
      props,
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "user"] },
      "kakaocloud",
      "KakaoRedisCluster",
    );
  }
}
