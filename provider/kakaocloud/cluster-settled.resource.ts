/**
 * `KakaoClusterSettled`: the resource class of the internal wait for a new cluster (implementation: ./cluster-settled.ts).
 *
 * The class is what a program constructs; it runs in the program and loads only the small core it
 * needs (the serialized shim, the type tokens). The implementation — schema, `check`, `diff` and the
 * calls to the cloud — is in ./cluster-settled.ts and runs in the provider process, which loads it
 * through the registry (../registry.ts): a program does not load the clients, zod or the waiters.
 */
import * as pulumi from "@pulumi/pulumi";
import { ANY, declareInternal, described, list, STRING } from "../core/declaration";
import { shimProvider } from "../core/shim";
import { type ArgsOf, definedOnly, withOutputs } from "../core/types";
import type { KakaoClusterSettledInputs } from "./cluster-settled";
import type { NodeEndpoint } from "./endpoints";
import type { ClusterShard } from "./model";
import type { ForeignMembers } from "./reshard-plan";

/**
 * The declaration of the internal {@link KakaoClusterSettled}: its dynamic token and outputs (the
 * plugin face has no such child: the cluster's create waits itself).
 */
export const KAKAO_CLUSTER_SETTLED = declareInternal({
  name: "KakaoClusterSettled",
  module: "kakaocloud/cluster-settled",
  outputs: {
    status: described(STRING, "The cluster's status: `Running` once settled."),
    shards: described(list(ANY), "The members the cluster's create made, as listed."),
    foreignMembers: described(ANY, "The listed members the cluster's create did not make."),
    nodeEndpoints: described(list(ANY), "Every node as {host, port, role, shardId, nodeId}."),
    seedEndpoints: described(list(STRING), "`host:port` of every node, primaries first."),
  },
});

/** Arguments of {@link KakaoClusterSettled}. */
export type KakaoClusterSettledArgs = ArgsOf<KakaoClusterSettledInputs>;

/**
 * Internal: the wait for a `KakaoRedisCluster` to be `Running` after its create (created by that
 * class as its child; not meant to be declared in programs).
 */
export class KakaoClusterSettled extends pulumi.dynamic.Resource {
  /** The type token, `pulumi-nodejs:dynamic/kakaocloud:KakaoClusterSettled`. */
  static readonly __pulumiType = KAKAO_CLUSTER_SETTLED.token;

  public readonly status!: pulumi.Output<string>;
  public readonly shards!: pulumi.Output<ClusterShard[]>;
  public readonly foreignMembers!: pulumi.Output<ForeignMembers>;
  public readonly nodeEndpoints!: pulumi.Output<NodeEndpoint[]>;
  public readonly seedEndpoints!: pulumi.Output<string[]>;

  constructor(name: string, args: KakaoClusterSettledArgs, opts?: pulumi.CustomResourceOptions) {
    const decl = KAKAO_CLUSTER_SETTLED;
    super(
      shimProvider(decl.module),
      name,
      withOutputs(definedOnly(args), decl.outputNames),
      opts,
      decl.cloud,
      decl.name,
    );
  }
}
