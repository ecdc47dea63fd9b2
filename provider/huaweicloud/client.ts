/**
 * Huawei Cloud DCS v2 client: settings from the stack configuration or the environment, AK/SK
 * signing (anew for every attempt) or an IAM token, and the four calls the SSL resource needs
 * (instance, SSL PUT and GET, job), over the shared HTTP client; error answers become
 * {@link CloudError}s in `./errors`.
 */
import { checkEndpoint, setting } from "../core/config";
import { CloudError, ConfigError, registerSecret } from "../core/errors";
import { HttpClient, type HttpClientOptions, type HttpRequest } from "../core/http";
import { dcsError } from "./errors";
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
 * @throws ConfigError naming the settings to provide: `InvalidConfig` when neither the region nor
 * the endpoint is set, `MissingCredentials` when neither AK/SK nor a token is.
 */
export function dcsSettings(): DcsSettings {
  const region = setting("huaweicloudRegion", ["HW_REGION_NAME"]);
  const rawEndpoint =
    setting("huaweicloudEndpoint", ["HW_DCS_ENDPOINT"]) ??
    (region ? `https://dcs.${region}.myhuaweicloud.com` : undefined);
  if (!rawEndpoint) {
    throw new ConfigError(
      "InvalidConfig",
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
    throw new ConfigError(
      "MissingCredentials",
      "Huawei Cloud credentials are missing: set managed-redis:huaweicloudAccessKey and managed-redis:huaweicloudSecretKey " +
        "(pulumi config set --secret), or HW_ACCESS_KEY and HW_SECRET_KEY, or an IAM token in " +
        "managed-redis:huaweicloudAuthToken / HW_AUTH_TOKEN",
    );
  }
  return { endpoint, auth, projectId: configuredProjectId() };
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

  /**
   * One call on `/v2/{project_id}/<segments>`: the ids are encoded in the URL and shown as they are
   * in the operation (`GET /v2/p1/instances/i1/ssl`).
   */
  private async send<T>(
    method: "GET" | "PUT",
    projectId: string,
    segments: string[],
    options: Pick<HttpRequest, "json" | "idempotent" | "signal">,
  ): Promise<{ body: T; status: number; operation: string }> {
    const path = [projectId, ...segments];
    const operation = `${method} /v2/${path.join("/")}`;
    const url = `${this.settings.endpoint}/v2/${path.map(enc).join("/")}`;
    const res = await this.http.send<T>({ method, url, operation, ...options });
    return { body: res.body, status: res.status, operation };
  }

  /** `GET /v2/{project_id}/instances/{instance_id}`. */
  async getInstance(projectId: string, instanceId: string, signal?: AbortSignal): Promise<DcsInstance> {
    return (await this.send<DcsInstance>("GET", projectId, ["instances", instanceId], { signal })).body;
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
    const { body, status, operation } = await this.send<{ job_id?: string; instance_id?: string }>(
      "PUT",
      projectId,
      ["instances", instanceId, "ssl"],
      { json: { enabled }, idempotent: false, signal },
    );
    const jobId = body?.job_id;
    if (jobId) return { jobId, instanceId: body.instance_id ?? instanceId };
    const message = "the SSL change was accepted but the answer carried no job_id";
    throw new CloudError({ cloud: "huaweicloud", code: "NoJobId", message, httpStatus: status, operation });
  }

  /** `GET /v2/{project_id}/instances/{instance_id}/ssl`; a 204 or a missing `enabled` means off. */
  async getSsl(projectId: string, instanceId: string, signal?: AbortSignal): Promise<DcsSslInfo> {
    const res = await this.send<Record<string, unknown> | undefined>(
      "GET",
      projectId,
      ["instances", instanceId, "ssl"],
      { signal },
    );
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
    return (await this.send<DcsJob>("GET", projectId, ["jobs", jobId], { signal })).body;
  }
}
