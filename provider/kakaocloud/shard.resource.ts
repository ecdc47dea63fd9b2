/**
 * `KakaoShard`: the resource class of one more shard in a KakaoCloud Redis cluster (implementation: ./shard.ts).
 *
 * The class is what a program constructs; it runs in the program and loads only the small core it
 * needs (the serialized shim, the type tokens). The implementation — schema, `check`, `diff` and the
 * calls to the cloud — is in ./shard.ts and runs in the provider process, which loads it through
 * the registry (../registry.ts): a program does not load the clients, zod or the waiters.
 */
import * as pulumi from "@pulumi/pulumi";
import { declareResource, described, STRING } from "../core/declaration";
import { InputError } from "../core/errors";
import { shimProvider } from "../core/shim";
import { type ArgsOf, withOutputs } from "../core/types";
import type { ClusterNode } from "./model";
import { KAKAO_MEMBER_SETTLED, KakaoMemberSettled } from "./settled.resource";
import type { KakaoShardInputs } from "./shard";

/** The declaration of {@link KakaoShard}: both faces (the class, the plugin's schema) read it. */
export const KAKAO_SHARD = declareResource<KakaoShardInputs>()({
  name: "KakaoShard",
  module: "kakaocloud/shard",
  description:
    "One more shard in a KakaoCloud Redis cluster; its create waits until the slot migration settled. " +
    "Its id is `<clusterId>/<shardId>`.",
  inputSchema: () => require("./shard").shardSchema,
  inputs: {
    clusterId: "The cluster to add the shard to. Changing it replaces the shard.",
    nodeCount: "Nodes in the new shard (one primary plus replicas). Changing it replaces the shard.",
    subnetAssignments:
      "Where the shard's nodes go: a primary subnet and `nodeCount - 1` replica subnets (a one-element " +
      "list is accepted too). Changing it replaces the shard.",
    timeouts: "Operation timeouts (defaults: create 12h, delete 12h).",
  },
  outputs: {
    shardId: described(STRING, "The shard id within the cluster."),
    name: described(STRING, "The shard's name."),
  },
  // The dynamic class takes these from its KakaoMemberSettled child; the plugin's create waits itself.
  pluginOutputs: KAKAO_MEMBER_SETTLED.outputs,
  replaceOnChanges: "*",
  unreported: ["timeouts"],
  settles: "shard",
});

/** Splits a resource id `<clusterId>/<shardId>`. */
export function parseShardId(id: string): { clusterId: string; shardId: string } {
  const [clusterId, shardId, ...rest] = id.split("/");
  if (!clusterId || !shardId || rest.length) {
    throw new InputError("InvalidId", `invalid KakaoShard id "${id}": expected "<clusterId>/<shardId>"`);
  }
  return { clusterId, shardId };
}

/** Arguments of {@link KakaoShard}. */
export type KakaoShardArgs = ArgsOf<KakaoShardInputs>;

/**
 * An extra shard of a KakaoCloud Redis cluster, on top of the cluster's own `shardCount` (resharding
 * the cluster never touches it). Its id is `<clusterId>/<shardId>`. The shard is recorded in the
 * state as soon as its id is known; the slot migration is waited for by a child
 * `KakaoMemberSettled` resource, and `status`, `slots` and `nodes` resolve once it settled (depend on
 * `status` to wait for the migration).
 *
 * @example
 * ```ts
 * const extra = new KakaoShard("extra", {
 *   clusterId: cluster.clusterId, // or cluster.id: both stay known while the cluster's update is previewed
 *   nodeCount: 2,
 *   subnetAssignments: { primary: { id: subnetA }, replicas: [{ id: subnetB }] },
 * });
 * ```
 */
export class KakaoShard extends pulumi.dynamic.Resource {
  /** The type token, `pulumi-nodejs:dynamic/kakaocloud:KakaoShard`. */
  static readonly __pulumiType = KAKAO_SHARD.token;

  /** The shard id within the cluster, from the resource id (known while an update is previewed). */
  public readonly shardId: pulumi.Output<string>;
  /** The cluster id, from the resource id (known while an update is previewed). */
  public readonly clusterId: pulumi.Output<string>;
  /** The slot range, once the migration settled. */
  public readonly slots: pulumi.Output<string | undefined>;
  /** `Running` once the migration settled. */
  public readonly status: pulumi.Output<string>;
  /** The shard's nodes, once the migration settled. */
  public readonly nodes: pulumi.Output<ClusterNode[]>;

  constructor(name: string, args: KakaoShardArgs, opts?: pulumi.CustomResourceOptions) {
    const decl = KAKAO_SHARD;
    super(shimProvider(decl.module), name, withOutputs(args, decl.outputNames), opts, decl.cloud, decl.name);
    // From the id, not the outputs: a dynamic resource's outputs are unknown while its update is
    // previewed, and a replica taking `shard.shardId` would then preview a replacement.
    this.shardId = this.id.apply((id) => parseShardId(id).shardId);
    this.clusterId = this.id.apply((id) => parseShardId(id).clusterId);
    const settled = new KakaoMemberSettled(
      `${name}-settled`,
      { kind: "shard", clusterId: this.clusterId, shardId: this.shardId, timeouts: args.timeouts },
      { parent: this, dependsOn: [this] },
    );
    this.status = settled.status;
    this.slots = settled.slots;
    this.nodes = settled.nodes;
  }
}
