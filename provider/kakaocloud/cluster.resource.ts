/**
 * `KakaoRedisCluster`: the resource class of a KakaoCloud Redis cluster (implementation: ./cluster.ts).
 *
 * The class is what a program constructs; it runs in the program and loads only the small core it
 * needs (the serialized shim, the type tokens). The implementation — schema, `check`, `diff` and the
 * calls to the cloud — is in ./cluster.ts and runs in the provider process, which loads it through
 * the registry (../registry.ts): a program does not load the clients, zod or the waiters.
 */
import * as pulumi from "@pulumi/pulumi";
import { ANY, declareResource, described, list, STRING } from "../core/declaration";
import { shimProvider } from "../core/shim";
import { withOutputs } from "../core/types";
import type { KakaoRedisClusterArgs, KakaoRedisClusterInputs } from "./cluster-inputs";
import type { NodeEndpoint } from "./endpoints";
import type { ClusterShard } from "./model";
import type { ForeignMembers } from "./reshard-plan";
import { KAKAO_CLUSTER_SETTLED, KakaoClusterSettled } from "./cluster-settled.resource";

/** The declaration of {@link KakaoRedisCluster}: both faces (the class, the plugin's schema) read it. */
export const KAKAO_REDIS_CLUSTER = declareResource<KakaoRedisClusterInputs>()({
  name: "KakaoRedisCluster",
  module: "kakaocloud/cluster",
  description: "A KakaoCloud Redis cluster (cluster mode enabled). Its id is the cluster id.",
  inputSchema: () => require("./cluster-inputs").clusterSchema,
  inputs: {
    name: "Cluster name (unique in the project). Changing it replaces the cluster.",
    description: "Free-text description; updates in place.",
    version:
      "Redis version, major.minor.patch: one KakaoCloud offers (e.g. 7.2.11, 7.2.6, 7.0.15, 6.2.20); " +
      "`pulumi up` checks it against the cloud's list.",
    port: "Redis port, 2000 to 50000.",
    shardCount:
      "Number of the cluster's own shards, 1 to 12. Updates in place: shards are added or (the newest of " +
      "the cluster's own first) deleted. Shards of `KakaoShard` resources count on top.",
    nodeCountPerShard:
      "Nodes per shard of the cluster's own shards (one primary plus replicas); updates in place.",
    flavorId: "Flavor id (`GET /v1/redis/flavors`; `getKakaoFlavor` finds it by name).",
    parameterGroupId: "Parameter group to attach; updates in place, may not be emptied.",
    subnets: "Subnets available for placement.",
    subnetAssignments:
      "One assignment per shard; each has `nodeCountPerShard - 1` replicas. Updates in place as long as " +
      "every shard that stays keeps its primary's subnet.",
    securityGroups: "Security groups to attach.",
    user: "Database user; `password` must be the encrypted value or hash KakaoCloud asks for. Kept secret.",
    tlsEnabled: "Encryption in transit.",
    backupSchedule: "Backup schedule: a 5-field cron expression and the retention in days.",
    timeouts: "Operation timeouts (defaults: create 2h, update 1h, delete 1h; an update that reshards 12h).",
    adopt:
      "Take over an existing cluster of the same name (and the same version, port, counts and flavor) " +
      "instead of refusing to create. This stack's `pulumi destroy` deletes what it adopts.",
  },
  outputs: {
    status: described(STRING, "The cluster's status."),
    shards: described(list(ANY), "The cluster's own shards with their slots and nodes."),
    foreignMembers: described(ANY, "Shards and nodes of the cluster that `shards` does not name."),
    // The endpoints are its settle child's until the cluster's state records its members.
    nodeEndpoints: KAKAO_CLUSTER_SETTLED.outputs.nodeEndpoints,
    seedEndpoints: KAKAO_CLUSTER_SETTLED.outputs.seedEndpoints,
  },
  // The dynamic class takes it from its id.
  pluginOutputs: { clusterId: described(STRING, "The cluster id (the resource id).") },
  secrets: ["user"],
  // The fields its `diff` replaces on (`CLUSTER_FIELDS`, which loads zod: read by the plugin only).
  replaceOnChanges: () => {
    const { CLUSTER_FIELDS } = require("./cluster-inputs") as typeof import("./cluster-inputs");
    return Object.entries(CLUSTER_FIELDS)
      .filter(([, rule]) => !rule.inPlace)
      .map(([key]) => key);
  },
  unreported: ["user", "timeouts", "adopt"],
});

/** The outputs the class takes from its settle child until the cluster's state records its members. */
type Settled = (typeof KAKAO_REDIS_CLUSTER.outputNames)[number];

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
  static readonly __pulumiType = KAKAO_REDIS_CLUSTER.token;

  /**
   * The cluster id: the resource's `id`, so it stays known while an update of the cluster is
   * previewed (a dynamic resource's other outputs are unknown then), and shards and replicas that
   * take it see no change. Pass it (or `id`) as `clusterId` to `KakaoShard` and `KakaoReplica`.
   */
  public readonly clusterId: pulumi.Output<string>;
  /** `Running` once the cluster and all its members are (the wait of a new cluster ends there). */
  public readonly status: pulumi.Output<string>;
  /**
   * The cluster's own shards with their slots and own nodes: exactly the members this resource owns
   * (created with it or added by its resharding; kept current by resharding and refresh).
   */
  public readonly shards: pulumi.Output<ClusterShard[]>;
  /**
   * Shards and nodes of the cluster that `shards` does not name (`KakaoShard`s, `KakaoReplica`s,
   * members added outside Pulumi or by a killed run): never resharded, deleted or counted.
   */
  public readonly foreignMembers: pulumi.Output<ForeignMembers>;
  /** Every node as `{host, port, role, shardId, nodeId}`, ordered by shard, primaries first. */
  public readonly nodeEndpoints: pulumi.Output<NodeEndpoint[]>;
  /** `host:port` of every node, primaries first: the seeds for a Redis Cluster client. */
  public readonly seedEndpoints: pulumi.Output<string[]>;
  public readonly version!: pulumi.Output<string>;
  public readonly port!: pulumi.Output<number>;
  public readonly shardCount!: pulumi.Output<number>;
  public readonly nodeCountPerShard!: pulumi.Output<number>;
  public readonly tlsEnabled!: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: KakaoRedisClusterArgs, opts?: pulumi.CustomResourceOptions) {
    const decl = KAKAO_REDIS_CLUSTER;
    const props = withOutputs(
      { ...args, user: args.user === undefined ? undefined : pulumi.secret(args.user) },
      decl.outputNames,
    );
    super(
      shimProvider(decl.module),
      name,
      props,
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...decl.secrets] },
      decl.cloud,
      decl.name,
    );
    this.clusterId = this.id;
    // The create returns as soon as the cluster has an id; this child waits until it is Running
    // (safe to repeat) and reports its members and endpoints until the cluster's own state
    // records them (its first read or update), from then on the cluster's own outputs.
    const settled = new KakaoClusterSettled(
      `${name}-settled`,
      { clusterId: this.id, port: args.port, timeouts: args.timeouts },
      { parent: this, dependsOn: [this] },
    );
    const own = this as unknown as Record<Settled, pulumi.Output<unknown>>;
    const recorded = own.shards.apply((s) => Array.isArray(s));
    const pick = <K extends Settled>(key: K) =>
      pulumi
        .all([recorded, own[key], settled[key] as pulumi.Output<unknown>])
        .apply(([r, mine, waited]) => (r ? mine : waited)) as KakaoClusterSettled[K];
    this.status = pick("status");
    this.shards = pick("shards");
    this.foreignMembers = pick("foreignMembers");
    this.nodeEndpoints = pick("nodeEndpoints");
    this.seedEndpoints = pick("seedEndpoints");
  }
}
