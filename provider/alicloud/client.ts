/**
 * The Alibaba Cloud R-kvstore (ApsaraDB for Redis / Tair, API version 2015-01-01) client: RPC
 * calls over the shared {@link HttpClient}, signed anew on every attempt (fresh nonce and
 * timestamp), errors in Alibaba's `{RequestId, HostId, Code, Message, Recommend}` shape turned into
 * {@link CloudError}s whose messages say what to do next.
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
import { CloudError } from "../core/errors";
import {
  HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  parseRetryAfter,
} from "../core/http";
import { checkEndpoint, setting } from "../core/config";
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
      : "AccessKey secret: `managed-redis:alicloudAccessKeySecret` (--secret) or ALIBABA_CLOUD_ACCESS_KEY_SECRET / ALICLOUD_SECRET_KEY",
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new Error(`Alibaba Cloud credentials are missing: set ${missing.join("; and ")}`);
  }
  const version = (
    setting("alicloudSignatureVersion", ["ALIBABA_CLOUD_SIGNATURE_VERSION"]) ?? "v1"
  ).toLowerCase();
  if (version !== "v1" && version !== "v3") {
    throw new Error(`managed-redis:alicloudSignatureVersion must be "v1" or "v3", got "${version}"`);
  }
  const endpoint = setting("alicloudEndpoint", ["ALIBABA_CLOUD_REDIS_ENDPOINT"]) ?? DEFAULT_KVSTORE_ENDPOINT;
  return {
    credentials: { accessKeyId: accessKeyId!, accessKeySecret: accessKeySecret!, securityToken },
    region: setting("alicloudRegion", ["ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"]),
    endpoint: checkEndpoint(endpoint, "managed-redis:alicloudEndpoint"),
    signatureVersion: version,
  };
}

/** Alibaba's error body. */
interface AlicloudErrorBody {
  RequestId?: string;
  HostId?: string;
  Code?: string;
  Message?: string;
  Recommend?: string;
}

/** Codes that mean "the instance is busy with another change: wait until it is Normal and retry". */
export const BUSY_CODES = new Set(["IncorrectDBInstanceState", "InstanceStatus.NotSupport", "TaskHasExist"]);

/** Whether an error says the instance is busy (waited out by the resources, not failed). */
export function isBusy(err: unknown): err is CloudError {
  return err instanceof CloudError && BUSY_CODES.has(err.code);
}

/** Whether an error says the instance does not exist. */
export function isInstanceNotFound(err: unknown): err is CloudError {
  return (
    err instanceof CloudError &&
    (err.code === "InvalidDbInstanceId.NotFound" ||
      err.code === "InvalidInstanceId.NotFound" ||
      err.code === "InvalidDBInstanceId.NotFound")
  );
}

/** What to do next, by error code (documented codes, and the emulator's codes for undocumented conflicts). */
const HINTS: Record<string, string> = {
  IncorrectDBInstanceState: "the instance is busy with another change; wait until it is Normal and retry",
  "InstanceStatus.NotSupport": "the instance is busy with another change; wait until it is Normal and retry",
  TaskHasExist: "another task is running on the instance; wait until it is Normal and retry",
  DirectConnectionAlreadyExists:
    "the instance already has a direct connection: adopt it (TairDirectConnection adoptExisting: true) or release it",
  NetTypeExists: "the instance already has this kind of endpoint",
  NetTypeNotExists: "the instance has no direct connection",
  ConnectionStringAlreadyExists: "the endpoint prefix is taken: choose another connectionStringPrefix",
  InvalidConnectionString:
    "connectionStringPrefix must start with a lowercase letter, contain only lowercase letters and digits, and be 8 to 40 characters long",
  "InvalidConnectionString.Format":
    "connectionStringPrefix must start with a lowercase letter, contain only lowercase letters and digits, and be 8 to 40 characters long",
  InvalidConnType: "direct connections are available only for cluster instances",
  InvalidVPCParamGroup:
    "the instance must be in a VPC: call SwitchNetwork to move it out of the classic network",
  UnsupportedEngineVersion: "direct connections need Redis 4.0 or 5.0 (Community) or Tair 5.0",
  IncorrectMinorVersion: "update the instance to the latest minor version and try again",
  IncorrectEngineVersion: "update the instance's minor version and try again",
  EnabledSSLNotSupport: "SSL encryption is not available in this region",
  "SSLEnabled.NotSupport": "disable SSL first (InstanceSSL enabled=false), then create the direct connection",
  "DirectConnection.NotSupport":
    "release the direct connection first (delete the TairDirectConnection), then enable SSL",
  SignatureDoesNotMatch: "check managed-redis:alicloudAccessKeySecret / ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "InvalidAccessKeyId.NotFound": "check managed-redis:alicloudAccessKeyId / ALIBABA_CLOUD_ACCESS_KEY_ID",
  "InvalidTimeStamp.Expired": "the local clock is off by more than 15 minutes: synchronise it",
  "InvalidDbInstanceId.NotFound": "check instanceId and managed-redis:alicloudRegion",
  "InvalidInstanceId.NotFound": "check instanceId and managed-redis:alicloudRegion",
};

/**
 * Turns a non-2xx response into a {@link CloudError}: `Throttling*` is retryable and refused (safe
 * to resend even for a mutation), 5xx is retryable, the rest is final with a hint.
 */
export function alicloudError(res: HttpResponse, operation: string): CloudError {
  const body = (res.body && typeof res.body === "object" ? res.body : {}) as AlicloudErrorBody;
  const code = body.Code ?? `HTTP${res.status}`;
  const throttled = /^Throttling/i.test(code) || res.status === 429;
  const serviceBusy = code === "ServiceUnavailable" || code === "InternalError" || code === "UnknownError";
  const hint =
    HINTS[code] ??
    (/ssl/i.test(code) && /Allocate/.test(operation) ? HINTS["SSLEnabled.NotSupport"] : undefined);
  const message = [body.Message ?? ((res.text ?? "").slice(0, 200) || "no error body"), hint]
    .filter(Boolean)
    .join(": ");
  return new CloudError({
    cloud: "alicloud",
    code,
    message,
    httpStatus: res.status,
    requestId: body.RequestId ?? res.headers["x-acs-request-id"],
    operation,
    retryable: throttled || serviceBusy || res.status >= 500,
    refused: throttled,
    retryAfterSeconds: parseRetryAfter(res.headers["retry-after"]),
  });
}

/** `DescribeInstanceSSL`, normalised. */
export interface SslInfo {
  enabled: boolean;
  expiredTime?: string;
  certCommonName?: string;
  certDownloadUrl?: string;
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

  /** `ModifyInstanceSSL`: Enable, Disable or Update (renew the certificate); asynchronous. */
  modifyInstanceSSL(
    instanceId: string,
    sslEnabled: "Enable" | "Disable" | "Update",
  ): Promise<{ TaskId?: string; RequestId?: string }> {
    return this.call("ModifyInstanceSSL", { InstanceId: instanceId, SSLEnabled: sslEnabled }, true);
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
    if (!found) {
      throw new CloudError({
        cloud: "alicloud",
        code: "InvalidInstanceId.NotFound",
        message: `instance ${instanceId} is not listed: ${HINTS["InvalidInstanceId.NotFound"]}`,
        httpStatus: 404,
        requestId: r.RequestId,
        operation: `DescribeInstanceAttribute ${instanceId}`,
      });
    }
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
