/**
 * `TairDirectConnection`: the resource class of a Tair instance's direct connection (implementation: ./direct-connection.ts).
 *
 * The class is what a program constructs; it runs in the program and loads only the small core it
 * needs (the serialized shim, the type tokens). The implementation — schema, `check`, `diff` and the
 * calls to the cloud — is in ./direct-connection.ts and runs in the provider process, which loads it through
 * the registry (../registry.ts): a program does not load the clients, zod or the waiters.
 */
import * as pulumi from "@pulumi/pulumi";
import { shimProvider } from "../core/shim";
import { type ArgsOf, withOutputs } from "../core/types";
import { TYPE_TOKENS } from "../tokens";
import type { TairDirectConnectionInputs } from "./direct-connection";
import type { TairTimeouts } from "./inputs";

/** The outputs the provider adds to the inputs: registered unknown by the class, listed in the plugin's schema. */
export const TAIR_DIRECT_CONNECTION_OUTPUTS = [
  "connectionString",
  "ipAddresses",
  "vpcId",
  "vSwitchId",
] as const;

/**
 * Arguments of {@link TairDirectConnection}: the fields of {@link TairDirectConnectionInputs}, each
 * of which may be an output.
 */
export type TairDirectConnectionArgs = ArgsOf<TairDirectConnectionInputs>;

/**
 * The private direct-connection endpoint of a Tair cluster instance: clients bypass the proxy and
 * talk to the shards as to a native Redis Cluster.
 *
 * @example
 * ```ts
 * import { TairDirectConnection } from "pulumi-managed-redis";
 * const direct = new TairDirectConnection("direct", { instanceId: "r-bp1zxszhcgatnx****", connectionStringPrefix: "redisdirect123" });
 * export const endpoint = direct.connectionString;
 * ```
 */
export class TairDirectConnection extends pulumi.dynamic.Resource {
  /** The type token `pulumi-nodejs:dynamic/alicloud:TairDirectConnection`. */
  static readonly __pulumiType = TYPE_TOKENS.TairDirectConnection;

  /** Id of the Tair cluster instance. */
  public readonly instanceId!: pulumi.Output<string>;
  /** The requested endpoint prefix. */
  public readonly connectionStringPrefix!: pulumi.Output<string | undefined>;
  /** The operation deadlines. */
  public readonly timeouts!: pulumi.Output<TairTimeouts | undefined>;
  /** Full direct endpoint. */
  public readonly connectionString!: pulumi.Output<string>;
  /** Port of the direct endpoint as the cloud reports it. */
  public readonly port!: pulumi.Output<number>;
  /** VPC of the endpoint. */
  public readonly vpcId!: pulumi.Output<string | undefined>;
  /** vSwitch of the endpoint. */
  public readonly vSwitchId!: pulumi.Output<string | undefined>;
  /** Addresses behind the endpoint (one per shard primary). */
  public readonly ipAddresses!: pulumi.Output<string[]>;

  constructor(name: string, args: TairDirectConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    const props = withOutputs(args, TAIR_DIRECT_CONNECTION_OUTPUTS);
    super(shimProvider("alicloud/direct-connection"), name, props, opts, "alicloud", "TairDirectConnection");
  }
}
