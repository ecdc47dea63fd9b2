/**
 * `InstanceSSL`: the resource class of SSL on a Tair instance (implementation: ./instance-ssl.ts).
 *
 * The class is what a program constructs; it runs in the program and loads only the small core it
 * needs (the serialized shim, the type tokens). The implementation — schema, `check`, `diff` and the
 * calls to the cloud — is in ./instance-ssl.ts and runs in the provider process, which loads it through
 * the registry (../registry.ts): a program does not load the clients, zod or the waiters.
 */
import * as pulumi from "@pulumi/pulumi";
import { shimProvider } from "../core/shim";
import { type ArgsOf, withOutputs } from "../core/types";
import { TYPE_TOKENS } from "../tokens";
import type { TairTimeouts } from "./inputs";
import type { InstanceSSLInputs } from "./instance-ssl";

/** The outputs the provider adds to the inputs: registered unknown by the class, listed in the plugin's schema. */
export const INSTANCE_SSL_OUTPUTS = [
  "sslEnabled",
  "certCommonName",
  "sslExpiredTime",
  "certDownloadUrl",
] as const;

/** Arguments of {@link InstanceSSL}: the fields of {@link InstanceSSLInputs}, each of which may be an output. */
export type InstanceSSLArgs = ArgsOf<InstanceSSLInputs>;

/**
 * TLS (SSL) encryption of a Tair instance.
 *
 * @example
 * ```ts
 * import { InstanceSSL } from "pulumi-managed-redis";
 * const ssl = new InstanceSSL("ssl", { instanceId: "r-bp1zxszhcgatnx****", enabled: true, certificateRotation: "2026-01" });
 * export const caUrl = ssl.certDownloadUrl;
 * ```
 */
export class InstanceSSL extends pulumi.dynamic.Resource {
  /** The type token `pulumi-nodejs:dynamic/alicloud:InstanceSSL`. */
  static readonly __pulumiType = TYPE_TOKENS.InstanceSSL;

  /** Id of the Tair instance. */
  public readonly instanceId!: pulumi.Output<string>;
  /** Whether SSL is on, as last read from the cloud. */
  public readonly enabled!: pulumi.Output<boolean>;
  /** The certificate rotation marker. */
  public readonly certificateRotation!: pulumi.Output<string | undefined>;
  /** Whether deleting the resource leaves SSL as it is. */
  public readonly leaveOnDestroy!: pulumi.Output<boolean>;
  /** The operation deadlines. */
  public readonly timeouts!: pulumi.Output<TairTimeouts | undefined>;
  /** SSL state as last read from the cloud. */
  public readonly sslEnabled!: pulumi.Output<boolean>;
  /** Common name of the CA certificate. */
  public readonly certCommonName!: pulumi.Output<string | undefined>;
  /** When the CA certificate expires. */
  public readonly sslExpiredTime!: pulumi.Output<string | undefined>;
  /** Download URL of the CA certificate. */
  public readonly certDownloadUrl!: pulumi.Output<string | undefined>;

  constructor(name: string, args: InstanceSSLArgs, opts?: pulumi.CustomResourceOptions) {
    const props = withOutputs(args, INSTANCE_SSL_OUTPUTS);
    super(shimProvider("alicloud/instance-ssl"), name, props, opts, "alicloud", "InstanceSSL");
  }
}
