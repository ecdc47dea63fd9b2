/**
 * `KakaoReplica`: the resource class of an extra replica node in a KakaoCloud shard (implementation: ./replica.ts).
 *
 * The class is what a program constructs; it runs in the program and loads only the small core it
 * needs (the serialized shim, the type tokens). The implementation — schema, `check`, `diff` and the
 * calls to the cloud — is in ./replica.ts and runs in the provider process, which loads it through
 * the registry (../registry.ts): a program does not load the clients, zod or the waiters.
 */
import * as pulumi from "@pulumi/pulumi";
import { declareResource, described, STRING } from "../core/declaration";
import { InputError } from "../core/errors";
import { shimProvider } from "../core/shim";
import { type ArgsOf, withOutputs } from "../core/types";
import type { KakaoReplicaInputs } from "./replica";
import { KAKAO_MEMBER_SETTLED, KakaoMemberSettled } from "./settled.resource";

/** The declaration of {@link KakaoReplica}: both faces (the class, the plugin's schema) read it. */
export const KAKAO_REPLICA = declareResource<KakaoReplicaInputs>()({
  name: "KakaoReplica",
  module: "kakaocloud/replica",
  description:
    "One more replica node in a shard of a KakaoCloud Redis cluster; its create waits until it settled. " +
    "Its id is `<clusterId>/<shardId>/<nodeId>`.",
  inputSchema: () => require("./replica").replicaSchema,
  inputs: {
    clusterId: "The cluster. Changing it replaces the replica.",
    shardId:
      "The shard within the cluster (e.g. `001`, or a `KakaoShard`'s `shardId`). Changing it replaces the replica.",
    subnetId: "Subnet to place the replica in. Changing it replaces the replica.",
    timeouts: "Operation timeouts (defaults: create 2h, delete 2h).",
  },
  outputs: {
    nodeId: described(STRING, "The node id."),
    name: described(STRING, "The node's name."),
  },
  // The dynamic class takes these from its KakaoMemberSettled child; the plugin's create waits itself.
  pluginOutputs: KAKAO_MEMBER_SETTLED.outputs,
  replaceOnChanges: "*",
  unreported: ["timeouts"],
  settles: "replica",
});

/** Splits a resource id `<clusterId>/<shardId>/<nodeId>`. */
export function parseReplicaId(id: string): { clusterId: string; shardId: string; nodeId: string } {
  const [clusterId, shardId, nodeId, ...rest] = id.split("/");
  if (!clusterId || !shardId || !nodeId || rest.length) {
    throw new InputError(
      "InvalidId",
      `invalid KakaoReplica id "${id}": expected "<clusterId>/<shardId>/<nodeId>"`,
    );
  }
  return { clusterId, shardId, nodeId };
}

/** Arguments of {@link KakaoReplica}. */
export type KakaoReplicaArgs = ArgsOf<KakaoReplicaInputs>;

/**
 * An extra replica node in a shard of a KakaoCloud Redis cluster. Its id is
 * `<clusterId>/<shardId>/<nodeId>`.
 *
 * @example
 * ```ts
 * new KakaoReplica("extra-replica", { clusterId: cluster.clusterId, shardId: "001", subnetId: subnetB });
 * ```
 */
export class KakaoReplica extends pulumi.dynamic.Resource {
  /** The type token, `pulumi-nodejs:dynamic/kakaocloud:KakaoReplica`. */
  static readonly __pulumiType = KAKAO_REPLICA.token;

  /** The node id, from the resource id (known while an update is previewed). */
  public readonly nodeId: pulumi.Output<string>;
  /** The cluster id, from the resource id (known while an update is previewed). */
  public readonly clusterId: pulumi.Output<string>;
  /** The shard id within the cluster, from the resource id (known while an update is previewed). */
  public readonly shardId: pulumi.Output<string>;
  /** `replica`, or `primary` after a failover (once the node runs). */
  public readonly role: pulumi.Output<string | undefined>;
  /** Private IP of the node (once it runs). */
  public readonly endpoint: pulumi.Output<string | undefined>;
  /** The node's status, `Running` once settled. */
  public readonly status: pulumi.Output<string>;

  constructor(name: string, args: KakaoReplicaArgs, opts?: pulumi.CustomResourceOptions) {
    const decl = KAKAO_REPLICA;
    super(shimProvider(decl.module), name, withOutputs(args, decl.outputNames), opts, decl.cloud, decl.name);
    const ids = this.id.apply(parseReplicaId);
    this.nodeId = ids.nodeId;
    this.clusterId = ids.clusterId;
    this.shardId = ids.shardId;
    const settled = new KakaoMemberSettled(
      `${name}-settled`,
      {
        kind: "replica",
        clusterId: ids.clusterId,
        shardId: ids.shardId,
        nodeId: ids.nodeId,
        timeouts: args.timeouts,
      },
      { parent: this, dependsOn: [this] },
    );
    const node = settled.nodes.apply((nodes) => nodes[0]);
    this.role = node.apply((n) => n?.role);
    this.endpoint = node.apply((n) => n?.endpoint);
    this.status = settled.status;
  }
}
