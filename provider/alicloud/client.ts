/**
 * The Alibaba Cloud R-kvstore (ApsaraDB for Redis / Tair, API version 2015-01-01) client: RPC
 * calls over the shared {@link HttpClient}, signed anew on every attempt (fresh nonce and
 * timestamp), errors in Alibaba's `{RequestId, HostId, Code, Message, Recommend}` shape turned into
 * {@link CloudError}s whose messages say what to do next (`./errors`).
 *
 * Settings (stack configuration `managed-redis:<key>` first, then the environment):
 *
 * | key | environment | |
 * | --- | --- | --- |
 * | `alicloudAccessKeyId` | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALICLOUD_ACCESS_KEY` | required |
 * | `alicloudAccessKeySecret` (secret) | `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALICLOUD_SECRET_KEY` | required |
 * | `alicloudSecurityToken` (secret) | `ALIBABA_CLOUD_SECURITY_TOKEN`, `ALICLOUD_SECURITY_TOKEN` | STS only |
 * | `alicloudRegion` | `ALIBABA_CLOUD_REGION`, `ALICLOUD_REGION` | sent as `RegionId` |
 * | `alicloudEndpoint` | `ALIBABA_CLOUD_REDIS_ENDPOINT` | default `https://r-kvstore.aliyuncs.com` |
 * | `alicloudSignatureVersion` | `ALIBABA_CLOUD_SIGNATURE_VERSION` | `v1` (default, HMAC-SHA1) or `v3` (ACS3) |
 */
import { randomUUID } from "node:crypto";
import { checkEndpoint, setting } from "../core/config";
import { ConfigError } from "../core/errors";
import { HttpClient, type HttpClientOptions, type HttpRequest } from "../core/http";
import { alicloudError, instanceNotListed } from "./errors";
import { type AlicloudCredentials, signAcs3, signRpcV1 } from "./signing";

/** The R-kvstore API version. */
export const KVSTORE_API_VERSION = "2015-01-01";
/** The public R-kvstore endpoint. */
export const DEFAULT_KVSTORE_ENDPOINT = "https://r-kvstore.aliyuncs.com";

/** Resolved settings of the client. */
export interface AlicloudSettings {
  credentials: AlicloudCredentials;
  /** Sent as `RegionId` when set. */
  region?: string;
  /** RPC endpoint without a trailing slash. */
  endpoint: string;
  signatureVersion: "v1" | "v3";
}

/**
 * Reads the settings; throws an error naming every key and variable when credentials are missing.
 *
 * @example
 * ```ts
 * process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "LTAI...";
 * process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "...";
 * const client = new AlicloudClient(alicloudSettings());
 * ```
 */
export function alicloudSettings(): AlicloudSettings {
  const accessKeyId = setting("alicloudAccessKeyId", ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"]);
  const accessKeySecret = setting(
    "alicloudAccessKeySecret",
    ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"],
    {
      secret: true,
    },
  );
  const securityToken = setting(
    "alicloudSecurityToken",
    ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"],
    {
      secret: true,
    },
  );
  const missing = [
    accessKeyId
      ? undefined
      : "AccessKey id: `managed-redis:alicloudAccessKeyId` or ALIBABA_CLOUD_ACCESS_KEY_ID / ALICLOUD_ACCESS_KEY",
    accessKeySecret
      ? undefined
      : // Not "secret: <value>": the error's redaction would take the key's name for a secret value.
        "AccessKey secret (--secret): `managed-redis:alicloudAccessKeySecret` or ALIBABA_CLOUD_ACCESS_KEY_SECRET / ALICLOUD_SECRET_KEY",
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ConfigError(
      "MissingCredentials",
      `Alibaba Cloud credentials are missing: set ${missing.join("; and ")}`,
    );
  }
  const version = (
    setting("alicloudSignatureVersion", ["ALIBABA_CLOUD_SIGNATURE_VERSION"]) ?? "v1"
  ).toLowerCase();
  if (version !== "v1" && version !== "v3") {
    throw new ConfigError(
      "InvalidConfig",
      `managed-redis:alicloudSignatureVersion must be "v1" or "v3", got "${version}"`,
    );
  }
  const endpoint = setting("alicloudEndpoint", ["ALIBABA_CLOUD_REDIS_ENDPOINT"]) ?? DEFAULT_KVSTORE_ENDPOINT;
  return {
    credentials: { accessKeyId: accessKeyId!, accessKeySecret: accessKeySecret!, securityToken },
    region: setting("alicloudRegion", ["ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"]),
    endpoint: checkEndpoint(endpoint, "managed-redis:alicloudEndpoint"),
    signatureVersion: version,
  };
}

/** `DescribeInstanceSSL`, normalised. */
export interface SslInfo {
  enabled: boolean;
  expiredTime?: string;
  certCommonName?: string;
  certDownloadUrl?: string;
}

/** A `ModifyInstanceSSL` change: SSL on or off, or (`renew`, SSL staying on) a new certificate. */
export interface SslChange {
  enabled: boolean;
  renew?: boolean;
}

/**
 * The API's word for an SSL change or state: `Enable`, `Disable`, or `Update` (renew).
 *
 * @example
 * ```ts
 * sslEnabledWord({ enabled: true, renew: true }); // "Update"
 * sslEnabledWord({ enabled: false }); // "Disable"
 * ```
 */
export function sslEnabledWord(change: SslChange): "Enable" | "Disable" | "Update" {
  if (change.renew) return "Update";
  return change.enabled ? "Enable" : "Disable";
}

/** One `DescribeInstanceAttribute` entry (the fields used here). */
export interface InstanceAttribute {
  InstanceId: string;
  InstanceStatus: string;
  ArchitectureType?: string;
  NetworkType?: string;
  EngineVersion?: string;
  VpcId?: string;
  VSwitchId?: string;
}

/** One `DescribeDBInstanceNetInfo` entry. */
export interface InstanceNetInfo {
  ConnectionString: string;
  IPAddress?: string;
  Port?: string | number;
  IPType?: string;
  DBInstanceNetType?: string;
  VPCId?: string;
  VSwitchId?: string;
  DirectConnection?: number | string;
}

/** The direct endpoint of an instance, as read back from its net info. */
export interface DirectEndpoint {
  connectionString: string;
  port: number;
  ipAddresses: string[];
  vpcId?: string;
  vSwitchId?: string;
}

/**
 * Finds the direct endpoint among net info entries (`DirectConnection` 1). Whether the API lists
 * one entry per node or one entry with comma-separated addresses is not published: both are merged.
 */
export function directEndpointOf(items: InstanceNetInfo[]): DirectEndpoint | undefined {
  const direct = items.filter((i) => String(i.DirectConnection ?? "0") === "1");
  if (direct.length === 0) return undefined;
  const first = direct[0];
  const same = direct.filter((i) => i.ConnectionString === first.ConnectionString);
  const ips = same.flatMap((i) => (i.IPAddress ?? "").split(",").map((s) => s.trim())).filter(Boolean);
  return {
    connectionString: first.ConnectionString,
    port: Number(first.Port),
    ipAddresses: [...new Set(ips)],
    vpcId: first.VPCId || undefined,
    vSwitchId: first.VSwitchId || undefined,
  };
}

/** Options of {@link AlicloudClient}. */
export interface AlicloudClientOptions {
  /** Overrides of the shared HTTP client's retry and timeout options. */
  http?: Partial<Pick<HttpClientOptions, "retries" | "minDelayMs" | "maxDelayMs" | "timeoutMs" | "onRetry">>;
  /** Send parameters as a GET query instead of a POST form body. */
  method?: "GET" | "POST";
}

/**
 * The R-kvstore RPC client.
 *
 * @example
 * ```ts
 * const client = new AlicloudClient(alicloudSettings());
 * const ssl = await client.describeInstanceSSL("r-bp1zxszhcgatnx****");
 * ```
 */
export class AlicloudClient {
  private readonly http: HttpClient;
  private readonly method: "GET" | "POST";

  constructor(
    private readonly settings: AlicloudSettings,
    options: AlicloudClientOptions = {},
  ) {
    this.method = options.method ?? "POST";
    this.http = new HttpClient({
      cloud: "alicloud",
      toError: alicloudError,
      prepare: (req) => this.sign(req),
      ...options.http,
    });
  }

  /** Calls an RPC action; `mutating` actions are resent only when provably not applied. */
  async call<T>(
    action: string,
    params: Record<string, string | undefined>,
    mutating: boolean,
  ): Promise<T & { RequestId?: string }> {
    const clean: Record<string, string> = { Action: action, Version: KVSTORE_API_VERSION, Format: "JSON" };
    if (this.settings.region) clean.RegionId = this.settings.region;
    for (const [k, v] of Object.entries(params)) if (v !== undefined) clean[k] = v;
    const req: HttpRequest = {
      method: this.method,
      url: `${this.settings.endpoint}/`,
      // The unsigned parameters travel in the body; `prepare` signs and places them.
      body: JSON.stringify(clean),
      idempotent: !mutating,
      operation: `${action}${params.InstanceId ? ` ${params.InstanceId}` : ""}`,
    };
    const res = await this.http.send<T & { RequestId?: string }>(req);
    return res.body ?? ({} as T);
  }

  /** Signs one attempt: fresh nonce and timestamp each time. */
  private sign(req: HttpRequest): HttpRequest {
    const params = JSON.parse(req.body ?? "{}") as Record<string, string>;
    const context = { timestamp: new Date(), nonce: randomUUID() };
    const url = new URL(req.url);
    const form = "application/x-www-form-urlencoded";
    if (this.settings.signatureVersion === "v1") {
      const signed = new URLSearchParams(
        signRpcV1(this.settings.credentials, { method: this.method, params }, context),
      ).toString();
      return this.method === "GET"
        ? { ...req, url: `${req.url}?${signed}`, body: undefined }
        : { ...req, body: signed, headers: { ...req.headers, "content-type": form } };
    }
    const { Action, Version, ...rest } = params;
    const body = this.method === "POST" ? new URLSearchParams(rest).toString() : "";
    const signed = signAcs3(
      this.settings.credentials,
      {
        method: this.method,
        host: url.host,
        action: Action,
        version: Version,
        path: "/",
        query: this.method === "GET" ? rest : {},
        body,
        contentType: this.method === "POST" ? form : undefined,
      },
      context,
    );
    return this.method === "GET"
      ? {
          ...req,
          url: `${req.url}?${new URLSearchParams(rest).toString()}`,
          body: undefined,
          headers: { ...req.headers, ...signed.headers },
        }
      : { ...req, body, headers: { ...req.headers, ...signed.headers } };
  }

  /** `AllocateDirectConnection`: applies for the private direct endpoint of a cluster instance. */
  allocateDirectConnection(args: {
    instanceId: string;
    connectionString?: string;
    port?: number;
  }): Promise<{ RequestId?: string }> {
    return this.call(
      "AllocateDirectConnection",
      {
        InstanceId: args.instanceId,
        ConnectionString: args.connectionString,
        Port: args.port === undefined ? undefined : String(args.port),
      },
      true,
    );
  }

  /** `ReleaseDirectConnection`: releases the direct endpoint. */
  releaseDirectConnection(instanceId: string): Promise<{ RequestId?: string }> {
    return this.call("ReleaseDirectConnection", { InstanceId: instanceId }, true);
  }

  /**
   * `ModifyInstanceSSL`: turns SSL on or off, or renews the certificate; asynchronous. The change
   * becomes the API's `SSLEnabled` word here, and only here (see {@link sslEnabledWord}).
   */
  modifyInstanceSSL(instanceId: string, change: SslChange): Promise<{ TaskId?: string; RequestId?: string }> {
    return this.call(
      "ModifyInstanceSSL",
      { InstanceId: instanceId, SSLEnabled: sslEnabledWord(change) },
      true,
    );
  }

  /** `DescribeInstanceSSL`, normalised (empty strings become `undefined`). */
  async describeInstanceSSL(instanceId: string): Promise<SslInfo> {
    const r = await this.call<{
      SSLEnabled?: string;
      SSLExpiredTime?: string;
      CertCommonName?: string;
      CertDownloadURL?: string;
    }>("DescribeInstanceSSL", { InstanceId: instanceId }, false);
    return {
      enabled: r.SSLEnabled === "Enable",
      expiredTime: r.SSLExpiredTime || undefined,
      certCommonName: r.CertCommonName || undefined,
      certDownloadUrl: r.CertDownloadURL || undefined,
    };
  }

  /** `DescribeInstanceAttribute`: the instance, or a `InvalidInstanceId.NotFound` error. */
  async describeInstanceAttribute(instanceId: string): Promise<InstanceAttribute> {
    const r = await this.call<{ Instances?: { DBInstanceAttribute?: InstanceAttribute[] } }>(
      "DescribeInstanceAttribute",
      { InstanceId: instanceId },
      false,
    );
    const found =
      r.Instances?.DBInstanceAttribute?.find((i) => i.InstanceId === instanceId) ??
      r.Instances?.DBInstanceAttribute?.[0];
    if (!found) throw instanceNotListed(instanceId, r.RequestId);
    return found;
  }

  /** `DescribeDBInstanceNetInfo`: every endpoint of the instance. */
  async describeDBInstanceNetInfo(instanceId: string): Promise<InstanceNetInfo[]> {
    const r = await this.call<{ NetInfoItems?: { InstanceNetInfo?: InstanceNetInfo[] } }>(
      "DescribeDBInstanceNetInfo",
      { InstanceId: instanceId },
      false,
    );
    return r.NetInfoItems?.InstanceNetInfo ?? [];
  }
}

/** A client from the current settings (stack configuration and environment). */
export function defaultClient(options?: AlicloudClientOptions): AlicloudClient {
  return new AlicloudClient(alicloudSettings(), options);
}
