/**
 * `TairDirectConnection`: the resource class of a Tair instance's direct connection (implementation: ./direct-connection.ts).
 *
 * The class is what a program constructs; it runs in the program and loads only the small core it
 * needs (the serialized shim, the type tokens). The implementation — schema, `check`, `diff` and the
 * calls to the cloud — is in ./direct-connection.ts and runs in the provider process, which loads it through
 * the registry (../registry.ts): a program does not load the clients, zod or the waiters.
 */
import * as pulumi from "@pulumi/pulumi";
import { declareResource, described, list, STRING } from "../core/declaration";
import { shimProvider } from "../core/shim";
import { type ArgsOf, withOutputs } from "../core/types";
import type { TairDirectConnectionInputs } from "./direct-connection";
import type { TairTimeouts } from "./inputs";

/** The declaration of {@link TairDirectConnection}: both faces (the class, the plugin's schema) read it. */
export const TAIR_DIRECT_CONNECTION = declareResource<TairDirectConnectionInputs>()({
  name: "TairDirectConnection",
  module: "alicloud/direct-connection",
  description:
    "The direct connection endpoint of an Alibaba Cloud Tair cluster instance. Its id is the instance id.",
  inputSchema: () => require("./direct-connection").tairDirectConnectionSchema,
  inputs: {
    instanceId:
      "Id of the Tair cluster instance (VPC, Redis 4.0/5.0 or Tair 5.0, SSL disabled). Changing it replaces " +
      "the resource.",
    connectionStringPrefix:
      "Prefix of the direct endpoint: 8 to 40 characters, a lowercase letter first, then lowercase letters " +
      "and digits (e.g. `redisdirect123`). Default: chosen by the cloud. Changing it replaces the resource.",
    port:
      "Port of the direct endpoint, 1024 to 65535. Absent: the cloud's default (6379), and whatever the " +
      "cloud reports is accepted. Changing it replaces the resource.",
    timeouts: "Deadlines of create / update / delete (defaults 30m each).",
    adoptExisting:
      "Record a direct connection that already exists on the instance (with the requested prefix and port) " +
      "instead of failing (default false).",
  },
  outputs: {
    connectionString: described(STRING, "Full direct endpoint."),
    ipAddresses: described(list(STRING), "Addresses behind the endpoint (one per shard primary)."),
    vpcId: described(STRING, "VPC of the endpoint."),
    vSwitchId: described(STRING, "vSwitch of the endpoint."),
  },
  replaceOnChanges: ["instanceId", "connectionStringPrefix", "port"],
  unreported: ["timeouts", "adoptExisting"],
});

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
  static readonly __pulumiType = TAIR_DIRECT_CONNECTION.token;

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
    const props = withOutputs(args, TAIR_DIRECT_CONNECTION.outputNames);
    const decl = TAIR_DIRECT_CONNECTION;
    super(shimProvider(decl.module), name, props, opts, decl.cloud, decl.name);
  }
}
