/**
 * `DcsInstanceSSL`: the resource class of SSL on a Huawei Cloud DCS instance (implementation: ./dcs-instance-ssl.ts).
 *
 * The class is what a program constructs; it runs in the program and loads only the small core it
 * needs (the serialized shim, the type tokens). The implementation — schema, `check`, `diff` and the
 * calls to the cloud — is in ./dcs-instance-ssl.ts and runs in the provider process, which loads it through
 * the registry (../registry.ts): a program does not load the clients, zod or the waiters.
 */
import * as pulumi from "@pulumi/pulumi";
import { BOOLEAN, declareResource, described, NUMBER, STRING } from "../core/declaration";
import { shimProvider } from "../core/shim";
import { type ArgsOf, type Timeouts, withOutputs } from "../core/types";
import type { DcsInstanceSSLInputs } from "./dcs-instance-ssl";

/** The declaration of {@link DcsInstanceSSL}: both faces (the class, the plugin's schema) read it. */
export const DCS_INSTANCE_SSL = declareResource<DcsInstanceSSLInputs>()({
  name: "DcsInstanceSSL",
  module: "huaweicloud/dcs-instance-ssl",
  description: "SSL on a Huawei Cloud DCS Redis instance. Its id is `<projectId>/<instanceId>`.",
  inputSchema: () => require("./dcs-instance-ssl").dcsInstanceSslSchema,
  inputs: {
    projectId:
      "Huawei Cloud project id. Optional: defaults to the configured `managed-redis:huaweicloudProjectId` " +
      "(or `HW_PROJECT_ID`); one of them is required. Changing it replaces the resource.",
    instanceId: "DCS instance id (a UUID). Changing it replaces the resource.",
    enabled: "`true` to enable SSL, `false` to disable it. Changed in place.",
    leaveOnDestroy:
      "When true, destroying the resource leaves SSL as it is; by default destroy turns SSL off.",
    timeouts: 'How long to wait for each operation (durations such as `"20m"`; default 20 minutes each).',
  },
  outputs: {
    domainName: described(STRING, "Domain name used with SSL."),
    ip: described(STRING, "IPv4 address used with SSL."),
    port: described(NUMBER, "Port used with SSL."),
    sslExpiredAt: described(STRING, "When the SSL certificate expires (UTC)."),
    sslValidated: described(BOOLEAN, "Whether the SSL certificate is valid."),
  },
  replaceOnChanges: ["instanceId", "projectId"],
  unreported: ["timeouts", "leaveOnDestroy"],
});

/**
 * Arguments of {@link DcsInstanceSSL}: the fields of {@link DcsInstanceSSLInputs}, each of which may
 * be an output of another resource.
 */
export type DcsInstanceSSLArgs = ArgsOf<DcsInstanceSSLInputs>;

/**
 * SSL on a Huawei Cloud DCS Redis 6.0 basic edition instance.
 *
 * The resource id is `<projectId>/<instanceId>`; `read()` works from the id alone (a bare instance id
 * when the project is configured). Pulumi 3.248 cannot `import` dynamic resources
 * (pulumi/pulumi#16175): to adopt an instance's existing setting, declare the resource with the same
 * `enabled`; create finds it in place and sends no change. Destroying the resource turns SSL off
 * unless `leaveOnDestroy` is set.
 *
 * Credentials and endpoint come from the stack configuration (`managed-redis:huaweicloudAccessKey`,
 * `huaweicloudSecretKey`, or `huaweicloudAuthToken`; `huaweicloudRegion` or `huaweicloudEndpoint`;
 * `huaweicloudProjectId`) or the environment (`HW_ACCESS_KEY`, `HW_SECRET_KEY`, `HW_AUTH_TOKEN`,
 * `HW_REGION_NAME`, `HW_DCS_ENDPOINT`, `HW_PROJECT_ID`), never from inputs.
 *
 * @example
 * ```ts
 * import { DcsInstanceSSL } from "pulumi-managed-redis";
 * const ssl = new DcsInstanceSSL("redis-ssl", {
 *   instanceId: "5560df16-cebf-4473-95c4-d1b573c16e79",
 *   enabled: true,
 *   timeouts: { create: "30m" },
 * });
 * export const sslDomain = ssl.domainName;
 * ```
 */
export class DcsInstanceSSL extends pulumi.dynamic.Resource {
  /** The type token, `pulumi-nodejs:dynamic/huaweicloud:DcsInstanceSSL`. */
  static readonly __pulumiType = DCS_INSTANCE_SSL.token;

  /** Project id given as input (the id always carries the resolved one). */
  public readonly projectId!: pulumi.Output<string | undefined>;
  /** The DCS instance id. */
  public readonly instanceId!: pulumi.Output<string>;
  /** Whether SSL is enabled, as last read from the cloud. */
  public readonly enabled!: pulumi.Output<boolean>;
  /** Whether destroy leaves SSL as it is. */
  public readonly leaveOnDestroy!: pulumi.Output<boolean>;
  /** The operation timeouts. */
  public readonly timeouts!: pulumi.Output<Timeouts | undefined>;
  /** Domain name used with SSL. */
  public readonly domainName!: pulumi.Output<string | undefined>;
  /** IPv4 address used with SSL. */
  public readonly ip!: pulumi.Output<string | undefined>;
  /** Port used with SSL. */
  public readonly port!: pulumi.Output<number | undefined>;
  /** When the SSL certificate expires (UTC). */
  public readonly sslExpiredAt!: pulumi.Output<string | undefined>;
  /** Whether the SSL certificate is valid. */
  public readonly sslValidated!: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: DcsInstanceSSLArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimProvider(DCS_INSTANCE_SSL.module),
      name,
      {
        projectId: undefined,
        leaveOnDestroy: undefined,
        timeouts: undefined,
        ...withOutputs(args, DCS_INSTANCE_SSL.outputNames),
      },
      opts,
      DCS_INSTANCE_SSL.cloud,
      DCS_INSTANCE_SSL.name,
    );
  }
}
