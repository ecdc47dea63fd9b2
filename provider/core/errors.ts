/**
 * Typed errors shared by every cloud client.
 *
 * A {@link CloudError} carries what an operator needs to act on a failure: the cloud, the API's
 * own error code and message, the HTTP status, the request id (where the API returns one) and the
 * underlying `cause`. Messages never contain credentials: every message passes through
 * {@link redact} before it is stored.
 */

/** The clouds this package talks to. */
export type CloudName = "kakaocloud" | "alicloud" | "huaweicloud";

/** Fields of a {@link CloudError}. */
export interface CloudErrorInit {
  /** Which cloud answered. */
  cloud: CloudName;
  /** The API's error code (`Code`, `error_code`, ...) or a client-side code such as `NetworkError`. */
  code: string;
  /** Human-readable explanation, ideally saying what to do next. */
  message: string;
  /** HTTP status of the response, when there was one. */
  httpStatus?: number;
  /** Request id returned by the API, when there was one. */
  requestId?: string;
  /** The operation that failed, e.g. `POST /v1/clusters`. */
  operation?: string;
  /** Whether retrying the same request may succeed (throttling, busy, 5xx, network). */
  retryable?: boolean;
  /**
   * The server refused the request without acting on it (throttled, busy): safe to send again
   * even when it is a mutation.
   */
  refused?: boolean;
  /** Seconds the server asked us to wait before retrying (`Retry-After`). */
  retryAfterSeconds?: number;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * An error reported by (or while talking to) a cloud API.
 *
 * @example
 * ```ts
 * try { await client.request(...) } catch (e) {
 *   if (e instanceof CloudError && e.httpStatus === 404) return undefined;
 *   throw e;
 * }
 * ```
 */
export class CloudError extends Error {
  readonly cloud: CloudName;
  readonly code: string;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly operation?: string;
  readonly retryable: boolean;
  readonly refused: boolean;
  readonly retryAfterSeconds?: number;

  constructor(init: CloudErrorInit) {
    super(redact(formatMessage(init)), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "CloudError";
    this.cloud = init.cloud;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
    this.operation = init.operation;
    this.retryable = init.retryable ?? false;
    this.refused = init.refused ?? false;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

function formatMessage(init: CloudErrorInit): string {
  const where = init.operation ? ` ${init.operation}` : "";
  const meta = [
    init.httpStatus !== undefined ? `HTTP ${init.httpStatus}` : undefined,
    init.requestId ? `request id ${init.requestId}` : undefined,
  ].filter(Boolean);
  return `${init.cloud}${where}: ${init.code}: ${init.message}${meta.length ? ` (${meta.join(", ")})` : ""}`;
}

/** A wait that ran past its deadline. Always an error, never a success. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly lastStatus: string | undefined,
    readonly elapsedMs: number,
  ) {
    super(
      `timed out after ${Math.round(elapsedMs / 1000)}s waiting for ${what}` +
        (lastStatus ? ` (last status: ${lastStatus})` : "") +
        `; the operation may still be running in the cloud: run \`pulumi refresh\` and \`pulumi up\` again, ` +
        `or raise the resource's timeout input`,
    );
    this.name = "WaitTimeoutError";
  }
}

/** A wait that observed a terminal failure state. */
export class WaitFailedError extends Error {
  constructor(
    readonly what: string,
    readonly status: string,
    detail?: string,
  ) {
    super(`${what} failed with status ${status}${detail ? `: ${detail}` : ""}`);
    this.name = "WaitFailedError";
  }
}

const secretValues = new Set<string>();

/**
 * Registers a value (a password, token, secret key, signature) that must never be printed.
 * {@link redact} replaces every registered value with `***`.
 */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secretValues.add(value);
}

const secretPatterns: RegExp[] = [
  // "password": "...", 'secret': '...', password=...
  /(["']?(?:password|secret|token|accessKeySecret|secretKey|Signature|SecurityToken)["']?\s*[:=]\s*)(?:"[^"]*"|'[^']*'|[^\s,;&}]+)/gi,
  // Credential headers, whatever the quoting, up to the end of the value (spaces included).
  /(["']?(?:x-auth-token|x-subject-token|authorization|x-security-token)["']?\s*[:=]\s*)(?:"[^"]*"|'[^']*'|[^\n,;}]+)/gi,
  // Query parameters.
  /([?&](?:Signature|SecurityToken|AccessKeySecret)=)[^&\s]+/gi,
];

/** Removes registered secrets and anything that looks like a credential from a text. */
export function redact(text: string): string {
  let out = text;
  for (const value of secretValues) out = out.split(value).join("***");
  for (const pattern of secretPatterns) out = out.replace(pattern, (_m, prefix: string) => `${prefix}***`);
  return out;
}

/** Whether an error is a {@link CloudError} with the given HTTP status. */
export function isHttpStatus(err: unknown, status: number): err is CloudError {
  return err instanceof CloudError && err.httpStatus === status;
}
