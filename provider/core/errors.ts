/**
 * One error hierarchy for the whole package.
 *
 * Every error the provider throws is a {@link ManagedRedisError}: a stable {@link ErrorCode} a
 * caller can branch on, a message that says what to do next (passed through {@link redact}, so it
 * never carries a credential) and, where there is one, the underlying `cause`. The subclasses say
 * where the failure comes from:
 *
 * - {@link InputError}: the program's inputs or a resource id are wrong (`InvalidInput`, `InvalidId`);
 * - {@link ConfigError}: provider configuration or credentials (`InvalidConfig`, `MissingCredentials`);
 * - {@link StateError}: the cloud and the stack's state disagree (`ResourceGone`, `Conflict`,
 *   `UnknownImplementation`);
 * - {@link CloudError}: an API answered with an error (its `code` is the API's own);
 * - {@link WaitTimeoutError} and {@link WaitFailedError}: a wait ran out or saw a failure status;
 * - {@link AbortedError}: the operation was cancelled.
 *
 * @example
 * ```ts
 * try { await provider.create(inputs) } catch (e) {
 *   if (e instanceof ManagedRedisError && e.code === "WaitTimeout") retryLater();
 *   throw e;
 * }
 * ```
 */

/** The stable codes of the package's own errors (a {@link CloudError} carries the API's code instead). */
export type ErrorCode =
  | "InvalidInput"
  | "InvalidId"
  | "InvalidConfig"
  | "MissingCredentials"
  | "ResourceGone"
  | "Conflict"
  | "UnknownImplementation"
  | "WaitTimeout"
  | "WaitFailed"
  | "Aborted";

/** The base of every error the package throws. */
export class ManagedRedisError extends Error {
  /** A stable code: an {@link ErrorCode}, or the API's own code on a {@link CloudError}. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(redact(message), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The program's inputs, or an id handed to `read()`/`import`, are not valid.
 *
 * @example
 * ```ts
 * throw new InputError("InvalidId", `invalid KakaoShard id "${id}": expected "<clusterId>/<shardId>"`);
 * ```
 */
export class InputError extends ManagedRedisError {
  constructor(code: "InvalidInput" | "InvalidId", message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Provider configuration (endpoints, credentials, signature version) is missing or wrong. */
export class ConfigError extends ManagedRedisError {
  constructor(code: "InvalidConfig" | "MissingCredentials", message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * What the cloud reports and what the stack's state holds disagree: the resource is gone
 * (`ResourceGone`), something else holds the name or the change (`Conflict`), or the state was
 * written by a newer version of the package (`UnknownImplementation`).
 */
export class StateError extends ManagedRedisError {
  constructor(
    code: "ResourceGone" | "Conflict" | "UnknownImplementation",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** The operation was cancelled (an abort signal fired) before it finished. */
export class AbortedError extends ManagedRedisError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("Aborted", message, options);
  }
}

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
export class CloudError extends ManagedRedisError {
  readonly cloud: CloudName;
  readonly httpStatus?: number;
  readonly requestId?: string;
  readonly operation?: string;
  readonly retryable: boolean;
  readonly refused: boolean;
  readonly retryAfterSeconds?: number;

  constructor(init: CloudErrorInit) {
    super(init.code, formatMessage(init), { cause: init.cause });
    this.cloud = init.cloud;
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
export class WaitTimeoutError extends ManagedRedisError {
  constructor(
    readonly what: string,
    readonly lastStatus: string | undefined,
    readonly elapsedMs: number,
  ) {
    super(
      "WaitTimeout",
      `timed out after ${Math.round(elapsedMs / 1000)}s waiting for ${what}` +
        (lastStatus ? ` (last status: ${lastStatus})` : "") +
        `; the operation may still be running in the cloud: run \`pulumi refresh\` and \`pulumi up\` again, ` +
        `or raise the resource's timeout input`,
    );
  }
}

/** A wait that observed a terminal failure state. */
export class WaitFailedError extends ManagedRedisError {
  constructor(
    readonly what: string,
    readonly status: string,
    detail?: string,
  ) {
    super("WaitFailed", `${what} failed with status ${status}${detail ? `: ${detail}` : ""}`);
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
