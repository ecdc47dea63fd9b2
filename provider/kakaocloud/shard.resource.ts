/**
 * `KakaoShard`: the resource class of one more shard in a KakaoCloud Redis cluster (implementation: ./shard.ts).
 *
 * The class is what a program constructs; it runs in the program and loads only the small core it
 * needs (the serialized shim, the type tokens). The implementation — schema, `check`, `diff` and the
 * calls to the cloud — is in ./shard.ts and runs in the provider process, which loads it through
 * the registry (../registry.ts): a program does not load the clients, zod or the waiters.
 */
import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../core/errors";
import { shimProvider } from "../core/shim";
import { type ArgsOf, withOutputs } from "../core/types";
import { TYPE_TOKENS } from "../tokens";
import type { ClusterNode } from "./model";
import { KakaoMemberSettled } from "./settled.resource";
import type { KakaoShardInputs } from "./shard";

/** The outputs the provider adds to the inputs: registered unknown by the class, listed in the plugin's schema. */
export const KAKAO_SHARD_OUTPUTS = ["shardId", "name"] as const;

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
  static readonly __pulumiType = TYPE_TOKENS.KakaoShard;

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
    super(
      shimProvider("kakaocloud/shard"),
      name,
      withOutputs(args, KAKAO_SHARD_OUTPUTS),
      opts,
      "kakaocloud",
      "KakaoShard",
    );
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
