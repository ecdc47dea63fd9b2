/**
 * `KakaoMemberSettled`: the resource class of the internal wait for a new shard or replica (implementation: ./settled.ts).
 *
 * The class is what a program constructs; it runs in the program and loads only the small core it
 * needs (the serialized shim, the type tokens). The implementation — schema, `check`, `diff` and the
 * calls to the cloud — is in ./settled.ts and runs in the provider process, which loads it through
 * the registry (../registry.ts): a program does not load the clients, zod or the waiters.
 */
import * as pulumi from "@pulumi/pulumi";
import { ANY, declareInternal, described, list, STRING } from "../core/declaration";
import { shimProvider } from "../core/shim";
import { type ArgsOf, definedOnly, withOutputs } from "../core/types";
import type { ClusterNode } from "./model";
import type { KakaoMemberSettledInputs } from "./settled";

/**
 * The declaration of the internal {@link KakaoMemberSettled}: its dynamic token and outputs. The
 * plugin face has no such child: a shard's or replica's create waits itself and adds these outputs
 * (`pluginOutputs` of `KAKAO_SHARD` and `KAKAO_REPLICA`).
 */
export const KAKAO_MEMBER_SETTLED = declareInternal({
  name: "KakaoMemberSettled",
  module: "kakaocloud/settled",
  outputs: {
    status: described(STRING, "`Running` once the member settled (its create waits for it)."),
    slots: described(STRING, "The shard's slot range (a shard)."),
    nodes: described(list(ANY), "The shard's nodes, or the replica's one node."),
  },
});

/** Arguments of {@link KakaoMemberSettled}. */
export type KakaoMemberSettledArgs = ArgsOf<KakaoMemberSettledInputs>;

/**
 * Internal: the wait for a `KakaoShard` or `KakaoReplica` to settle (created by those classes as
 * their child; not meant to be declared in programs).
 */
export class KakaoMemberSettled extends pulumi.dynamic.Resource {
  /** The type token, `pulumi-nodejs:dynamic/kakaocloud:KakaoMemberSettled`. */
  static readonly __pulumiType = KAKAO_MEMBER_SETTLED.token;

  public readonly shardId!: pulumi.Output<string>;
  public readonly nodeId!: pulumi.Output<string | undefined>;
  public readonly status!: pulumi.Output<string>;
  public readonly slots!: pulumi.Output<string | undefined>;
  public readonly nodes!: pulumi.Output<ClusterNode[]>;

  constructor(name: string, args: KakaoMemberSettledArgs, opts?: pulumi.CustomResourceOptions) {
    const decl = KAKAO_MEMBER_SETTLED;
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
