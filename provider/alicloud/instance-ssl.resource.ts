/**
 * `InstanceSSL`: the resource class of SSL on a Tair instance (implementation: ./instance-ssl.ts).
 *
 * The class is what a program constructs; it runs in the program and loads only the small core it
 * needs (the serialized shim, the type tokens). The implementation — schema, `check`, `diff` and the
 * calls to the cloud — is in ./instance-ssl.ts and runs in the provider process, which loads it through
 * the registry (../registry.ts): a program does not load the clients, zod or the waiters.
 */
import * as pulumi from "@pulumi/pulumi";
import { BOOLEAN, declareResource, described, STRING } from "../core/declaration";
import { shimProvider } from "../core/shim";
import { type ArgsOf, withOutputs } from "../core/types";
import type { TairTimeouts } from "./inputs";
import type { InstanceSSLInputs } from "./instance-ssl";

/** The declaration of {@link InstanceSSL}: both faces (the class, the plugin's schema) read it. */
export const INSTANCE_SSL = declareResource<InstanceSSLInputs>()({
  name: "InstanceSSL",
  module: "alicloud/instance-ssl",
  description: "SSL on an Alibaba Cloud Tair (Redis) instance. Its id is the instance id.",
  inputSchema: () => require("./instance-ssl").instanceSslSchema,
  inputs: {
    instanceId: "Id of the Tair instance. Changing it replaces the resource.",
    enabled: 'Whether SSL is on: `true`/`false`, or the API\'s words `"Enable"`/`"Disable"`.',
    certificateRotation:
      "Any text; changing it renews the certificate (`SSLEnabled=Update`) while SSL is on, e.g. a date " +
      'such as `"2026-01"`. Not used on create.',
    leaveOnDestroy: "Keep SSL as it is when the resource is deleted (default false: deleting turns SSL off).",
    timeouts: "Deadlines of create / update / delete (defaults 40m each).",
  },
  outputs: {
    sslEnabled: described(BOOLEAN, "Whether SSL is on, as the cloud reports it."),
    certCommonName: described(STRING, "The certificate's common name."),
    sslExpiredTime: described(STRING, "When the certificate expires."),
    certDownloadUrl: described(STRING, "Where to download the CA certificate."),
  },
  replaceOnChanges: ["instanceId"],
  unreported: ["timeouts", "leaveOnDestroy", "certificateRotation"],
});

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
  static readonly __pulumiType = INSTANCE_SSL.token;

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
    const props = withOutputs(args, INSTANCE_SSL.outputNames);
    super(shimProvider(INSTANCE_SSL.module), name, props, opts, INSTANCE_SSL.cloud, INSTANCE_SSL.name);
  }
}
