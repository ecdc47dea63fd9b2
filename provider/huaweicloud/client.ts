/**
 * Huawei Cloud DCS v2 client: settings from the stack configuration or the environment, AK/SK
 * signing (anew for every attempt) or an IAM token, the DCS error shape, and the four calls the
 * SSL resource needs (instance, SSL PUT and GET, job), over the shared HTTP client.
 */
import { checkEndpoint, setting } from "../core/config";
import { CloudError, registerSecret } from "../core/errors";
import {
  HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  parseRetryAfter,
} from "../core/http";
import { signSdkHmacSha256 } from "./signing";

/** How requests are authenticated. */
export type DcsAuth =
  | { kind: "aksk"; accessKey: string; secretKey: string; securityToken?: string }
  | { kind: "token"; token: string };

/** Resolved connection settings. */
export interface DcsSettings {
  /** DCS endpoint without a trailing slash, e.g. `https://dcs.ap-southeast-1.myhuaweicloud.com`. */
  endpoint: string;
  auth: DcsAuth;
  /** The configured project id (a resource's `projectId` input overrides it). */
  projectId?: string;
}

/** The configured project id (`managed-redis:huaweicloudProjectId`, then `HW_PROJECT_ID`), if any. */
export function configuredProjectId(): string | undefined {
  return setting("huaweicloudProjectId", ["HW_PROJECT_ID"]);
}

/**
 * Reads the Huawei Cloud settings from the stack configuration (`managed-redis:huaweicloud*`) or
 * the environment (`HW_*`). AK/SK is used when both are set, else the IAM token.
 *
 * @throws Error naming the settings to provide when the endpoint or the credentials are missing.
 */
export function dcsSettings(): DcsSettings {
  const region = setting("huaweicloudRegion", ["HW_REGION_NAME"]);
  const rawEndpoint =
    setting("huaweicloudEndpoint", ["HW_DCS_ENDPOINT"]) ??
    (region ? `https://dcs.${region}.myhuaweicloud.com` : undefined);
  if (!rawEndpoint) {
    throw new Error(
      "Huawei Cloud region is missing: set managed-redis:huaweicloudRegion (or HW_REGION_NAME), or the DCS endpoint " +
        "managed-redis:huaweicloudEndpoint (or HW_DCS_ENDPOINT)",
    );
  }
  const endpoint = checkEndpoint(rawEndpoint, "managed-redis:huaweicloudEndpoint / HW_DCS_ENDPOINT");
  const accessKey = setting("huaweicloudAccessKey", ["HW_ACCESS_KEY"]);
  const secretKey = setting("huaweicloudSecretKey", ["HW_SECRET_KEY"], { secret: true });
  const securityToken = setting("huaweicloudSecurityToken", ["HW_SECURITY_TOKEN"], { secret: true });
  const token = setting("huaweicloudAuthToken", ["HW_AUTH_TOKEN"], { secret: true });
  let auth: DcsAuth;
  if (accessKey && secretKey) auth = { kind: "aksk", accessKey, secretKey, securityToken };
  else if (token) auth = { kind: "token", token };
  else {
    throw new Error(
      "Huawei Cloud credentials are missing: set managed-redis:huaweicloudAccessKey and managed-redis:huaweicloudSecretKey " +
        "(pulumi config set --secret), or HW_ACCESS_KEY and HW_SECRET_KEY, or an IAM token in " +
        "managed-redis:huaweicloudAuthToken / HW_AUTH_TOKEN",
    );
  }
  return { endpoint, auth, projectId: configuredProjectId() };
}

/**
 * Error codes the official Terraform provider treats as "the instance is busy, try again later"
 * (`huaweicloud/services/dcs`, `operateErrorCode`): the instance is not RUNNING, or another task
 * (backup, restore, restart, resize, configuration, password change, upgrade, creation) is running.
 */
export const DCS_BUSY_CODES: ReadonlySet<string> = new Set([
  "DCS.4026", // this operation is not allowed in the instance's current state
  "DCS.4049", // the instance status is not running
  "DCS.4096", // backup
  "DCS.4097", // restore
  "DCS.4104", // recovering from an internal fault
  "DCS.4111", // restarting
  "DCS.4113", // extending (resize)
  "DCS.4114", // configuring
  "DCS.4115", // changing password
  "DCS.4116", // upgrading
  "DCS.4117", // rolling back
  "DCS.4118", // creating
  "DCS.4120", // freezing
  "DCS.4121", // resetting password
  "DCS.4975", // creating / restarting
]);

/** API gateway throttling codes (answered with 429). */
const THROTTLE_CODES = new Set(["APIGW.0308", "APIG.0308"]);

/** Turns a DCS (or API gateway) error response `{error_code, error_msg, error_ext_msg}` into a {@link CloudError}. */
export function dcsError(res: HttpResponse, operation: string): CloudError {
  const body = (res.body && typeof res.body === "object" ? res.body : {}) as Record<string, unknown>;
  const code = typeof body.error_code === "string" && body.error_code ? body.error_code : `HTTP${res.status}`;
  const apiMessage =
    typeof body.error_msg === "string" && body.error_msg
      ? body.error_msg
      : res.text.slice(0, 200) || "no details";
  const busy = DCS_BUSY_CODES.has(code);
  const throttled = res.status === 429 || THROTTLE_CODES.has(code);
  return new CloudError({
    cloud: "huaweicloud",
    code,
    message: explain(code, res.status, apiMessage),
    httpStatus: res.status,
    requestId:
      res.headers["x-request-id"] ?? (typeof body.request_id === "string" ? body.request_id : undefined),
    operation,
    retryable: busy || throttled || res.status >= 500,
    refused: busy || throttled,
    retryAfterSeconds: parseRetryAfter(res.headers["retry-after"]),
  });
}

function explain(code: string, status: number, message: string): string {
  if (code === "DCS.4201") {
    return (
      `${message} SSL is only supported on DCS Redis 6.0 basic edition instances (single-node, master/standby ` +
      `or Redis Cluster); this instance is another engine, version or edition, so SSL cannot be configured on it`
    );
  }
  if (DCS_BUSY_CODES.has(code)) return `${message} (the instance is busy with another task; try again later)`;
  if (status === 401) {
    return (
      `${message}; check the AK/SK (managed-redis:huaweicloudAccessKey / huaweicloudSecretKey or HW_ACCESS_KEY / ` +
      `HW_SECRET_KEY) or the IAM token, and that this machine's clock is right (X-Sdk-Date must be within 15 minutes)`
    );
  }
  if (status === 403) return `${message}; the credentials lack DCS permissions in this project`;
  return message;
}

/** Whether an error says the DCS instance is busy (a refusal: nothing was applied). */
export function isDcsBusy(err: unknown): err is CloudError {
  return err instanceof CloudError && err.cloud === "huaweicloud" && DCS_BUSY_CODES.has(err.code);
}

/** Whether an error is a 404 (instance or job not found). */
export function isDcsNotFound(err: unknown): err is CloudError {
  return err instanceof CloudError && err.httpStatus === 404;
}

/** Whether an error is `DCS.4201` (SSL not supported by this instance). */
export function isSslUnsupported(err: unknown): err is CloudError {
  return err instanceof CloudError && err.code === "DCS.4201";
}

/** A DCS instance as `GET /v2/{project_id}/instances/{instance_id}` returns it (the fields used here). */
export interface DcsInstance {
  instance_id: string;
  name?: string;
  engine?: string;
  engine_version?: string;
  /** `CREATING`, `CREATEFAILED`, `RUNNING`, `ERROR`, `RESTARTING`, `FROZEN`, `EXTENDING`, `RESTORING`, `FLUSHING`. */
  status: string;
  /** The current task: any type per the document (a name such as `BACKUPING`, an object, or null). */
  task?: unknown;
  enable_ssl?: boolean;
  product_type?: string;
  cache_mode?: string;
}

/** The SSL state of an instance, normalized from `GET .../ssl`. */
export interface DcsSslInfo {
  /** True only when the API says `enabled: true` (a 204 or a missing `enabled` means off). */
  enabled: boolean;
  ip?: string;
  ipv6?: string;
  /** The port, as a number (the API sends a string). */
  port?: number;
  domainName?: string;
  sslExpiredAt?: string;
  sslValidated?: boolean;
}

/** A background job as `GET /v2/{project_id}/jobs/{job_id}` returns it. */
export interface DcsJob {
  job_id: string;
  job_type?: string;
  /** `INIT`, `RUNNING`, `SUCCESS` or `FAIL`. */
  status: string;
  begin_time?: string;
  end_time?: string;
  fail_reason?: string | null;
}

/**
 * A short name of the instance's current task, or `undefined` when there is none. The document
 * types `task` as "any": accept null/empty, a string, or an object with a name or status.
 */
export function currentTask(task: unknown): string | undefined {
  if (task === null || task === undefined) return undefined;
  if (typeof task === "string") return task.trim() && task !== "null" ? task : undefined;
  if (typeof task === "object") {
    const t = task as Record<string, unknown>;
    const name = t.name ?? t.task_name ?? t.type ?? t.status;
    if (Object.keys(t).length === 0) return undefined;
    return typeof name === "string" && name ? name : "task";
  }
  return String(task);
}

/** Options of {@link DcsClient} besides the settings (retry tuning, mostly for tests). */
export type DcsClientOptions = Pick<
  HttpClientOptions,
  "retries" | "minDelayMs" | "maxDelayMs" | "timeoutMs" | "onRetry"
>;

const enc = encodeURIComponent;

/**
 * The DCS v2 client.
 *
 * @example
 * ```ts
 * const dcs = new DcsClient(dcsSettings());
 * const { jobId } = await dcs.setSsl(projectId, instanceId, true);
 * const job = await dcs.getJob(projectId, jobId);
 * ```
 */
export class DcsClient {
  private readonly http: HttpClient;

  constructor(
    readonly settings: DcsSettings,
    options: DcsClientOptions = {},
  ) {
    if (settings.auth.kind === "aksk") {
      registerSecret(settings.auth.secretKey);
      registerSecret(settings.auth.securityToken);
    } else registerSecret(settings.auth.token);
    this.http = new HttpClient({
      cloud: "huaweicloud",
      toError: dcsError,
      prepare: (req) => this.authenticate(req),
      ...options,
    });
  }

  /** Signs (AK/SK, with a fresh `X-Sdk-Date`) or adds the token; runs before every attempt. */
  private authenticate(req: HttpRequest): HttpRequest {
    const body = req.json !== undefined ? JSON.stringify(req.json) : req.body;
    const headers: Record<string, string> = { ...req.headers };
    if (body !== undefined) headers["Content-Type"] = "application/json;charset=UTF-8";
    const auth = this.settings.auth;
    if (auth.kind === "token") {
      return { ...req, json: undefined, body, headers: { ...headers, "X-Auth-Token": auth.token } };
    }
    const signed = signSdkHmacSha256(
      auth,
      { method: req.method, url: req.url, headers, body: body ?? "" },
      { timestamp: new Date() },
    );
    return { ...req, json: undefined, body, headers: signed };
  }

  private url(projectId: string, path: string): string {
    return `${this.settings.endpoint}/v2/${enc(projectId)}${path}`;
  }

  /** `GET /v2/{project_id}/instances/{instance_id}`. */
  async getInstance(projectId: string, instanceId: string, signal?: AbortSignal): Promise<DcsInstance> {
    const res = await this.http.send<DcsInstance>({
      method: "GET",
      url: this.url(projectId, `/instances/${enc(instanceId)}`),
      operation: `GET /v2/${projectId}/instances/${instanceId}`,
      signal,
    });
    return res.body;
  }

  /**
   * `PUT /v2/{project_id}/instances/{instance_id}/ssl` with `{enabled}`; returns the job id. Not
   * retried unless the API refused it (busy, throttled): a second PUT would start a second job.
   */
  async setSsl(
    projectId: string,
    instanceId: string,
    enabled: boolean,
    signal?: AbortSignal,
  ): Promise<{ jobId: string; instanceId: string }> {
    const res = await this.http.send<{ job_id?: string; instance_id?: string }>({
      method: "PUT",
      url: this.url(projectId, `/instances/${enc(instanceId)}/ssl`),
      operation: `PUT /v2/${projectId}/instances/${instanceId}/ssl`,
      json: { enabled },
      idempotent: false,
      signal,
    });
    const jobId = res.body?.job_id;
    if (!jobId) {
      throw new CloudError({
        cloud: "huaweicloud",
        code: "NoJobId",
        message: "the SSL change was accepted but the answer carried no job_id",
        httpStatus: res.status,
        operation: `PUT /v2/${projectId}/instances/${instanceId}/ssl`,
      });
    }
    return { jobId, instanceId: res.body.instance_id ?? instanceId };
  }

  /** `GET /v2/{project_id}/instances/{instance_id}/ssl`; a 204 or a missing `enabled` means off. */
  async getSsl(projectId: string, instanceId: string, signal?: AbortSignal): Promise<DcsSslInfo> {
    const res = await this.http.send<Record<string, unknown> | undefined>({
      method: "GET",
      url: this.url(projectId, `/instances/${enc(instanceId)}/ssl`),
      operation: `GET /v2/${projectId}/instances/${instanceId}/ssl`,
      signal,
    });
    const b = res.status === 204 || !res.body || typeof res.body !== "object" ? {} : res.body;
    const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
    const port = typeof b.port === "number" ? b.port : Number.parseInt(String(b.port ?? ""), 10);
    return {
      enabled: b.enabled === true,
      ip: str(b.ip),
      ipv6: str(b.ipv6),
      port: Number.isFinite(port) ? port : undefined,
      domainName: str(b.domain_name),
      sslExpiredAt: str(b.ssl_expired_at),
      sslValidated: typeof b.ssl_validated === "boolean" ? b.ssl_validated : undefined,
    };
  }

  /** `GET /v2/{project_id}/jobs/{job_id}`. */
  async getJob(projectId: string, jobId: string, signal?: AbortSignal): Promise<DcsJob> {
    const res = await this.http.send<DcsJob>({
      method: "GET",
      url: this.url(projectId, `/jobs/${enc(jobId)}`),
      operation: `GET /v2/${projectId}/jobs/${jobId}`,
      signal,
    });
    return res.body;
  }
}
