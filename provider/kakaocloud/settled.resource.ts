/**
 * `KakaoMemberSettled`: the resource class of the internal wait for a new shard or replica (implementation: ./settled.ts).
 *
 * The class is what a program constructs; it runs in the program and loads only the small core it
 * needs (the serialized shim, the type tokens). The implementation — schema, `check`, `diff` and the
 * calls to the cloud — is in ./settled.ts and runs in the provider process, which loads it through
 * the registry (../registry.ts): a program does not load the clients, zod or the waiters.
 */
import * as pulumi from "@pulumi/pulumi";
import { shimProvider } from "../core/shim";
import { type ArgsOf, withOutputs } from "../core/types";
import { TYPE_TOKENS } from "../tokens";
import type { ClusterNode } from "./model";
import type { KakaoMemberSettledInputs } from "./settled";

/** The outputs the provider adds to the inputs: registered unknown by the class, listed in the plugin's schema. */
export const KAKAO_MEMBER_SETTLED_OUTPUTS = ["status", "slots", "nodes"] as const;

/** Arguments of {@link KakaoMemberSettled}. */
export type KakaoMemberSettledArgs = ArgsOf<KakaoMemberSettledInputs>;

/**
 * Internal: the wait for a `KakaoShard` or `KakaoReplica` to settle (created by those classes as
 * their child; not meant to be declared in programs).
 */
export class KakaoMemberSettled extends pulumi.dynamic.Resource {
  /** The type token, `pulumi-nodejs:dynamic/kakaocloud:KakaoMemberSettled`. */
  static readonly __pulumiType = TYPE_TOKENS.KakaoMemberSettled;

  public readonly shardId!: pulumi.Output<string>;
  public readonly nodeId!: pulumi.Output<string | undefined>;
  public readonly status!: pulumi.Output<string>;
  public readonly slots!: pulumi.Output<string | undefined>;
  public readonly nodes!: pulumi.Output<ClusterNode[]>;

  constructor(name: string, args: KakaoMemberSettledArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimProvider("kakaocloud/settled"),
      name,
      withOutputs(args, KAKAO_MEMBER_SETTLED_OUTPUTS),
      opts,
      "kakaocloud",
      "KakaoMemberSettled",
    );
  }
}
