/**
 * The one HTTP client every cloud uses: undici with connection reuse, a per-request timeout, an
 * abort signal, JSON bodies, and retries through p-retry for network errors, 429, 5xx and the
 * cloud's own throttling and busy codes, honouring `Retry-After`.
 *
 * A request that may create something (a non-idempotent mutation) is retried only when the server
 * certainly did not act on it: the connection was refused before anything was sent, or the answer
 * was an explicit throttling / busy refusal. A 5xx or a reset connection on such a request is
 * surfaced to the resource, which reconciles by reading the cloud's state instead of sending the
 * request twice.
 */
import type { Agent, Dispatcher } from "undici";
import { CloudError, type CloudName, ManagedRedisError } from "./errors";
import { logDebug } from "./log";

/** HTTP methods used by the clouds here. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One request, before signing. */
export interface HttpRequest {
  method: HttpMethod;
  /** Absolute URL including the query string. */
  url: string;
  headers?: Record<string, string>;
  /** A JSON body (serialized by the client) ... */
  json?: unknown;
  /** ... or a raw body, e.g. a form-encoded RPC request. */
  body?: string;
  /**
   * Whether sending the request twice has the same effect as sending it once. Defaults to true for
   * GET, PUT and DELETE and false for POST and PATCH.
   */
  idempotent?: boolean;
  /** Short label for errors and logs, e.g. `POST /v1/clusters`. Never includes secrets. */
  operation?: string;
  /** Per-attempt timeout in milliseconds (default: the client's). */
  timeoutMs?: number;
  /** Aborts the request and its retries. */
  signal?: AbortSignal;
}

/** A response whose status was read and whose body was parsed as JSON when possible. */
export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON body, or `undefined` for an empty or non-JSON body. */
  body: T;
  text: string;
}

/** How a cloud plugs into the shared client. */
export interface HttpClientOptions {
  cloud: CloudName;
  /** Turns a non-2xx response into a {@link CloudError} in the cloud's own error shape. */
  toError(res: HttpResponse, operation: string): CloudError;
  /**
   * Signs or otherwise completes a request right before each attempt (signatures carry a timestamp
   * and a nonce, so every retry is signed anew).
   */
  prepare?(req: HttpRequest): Promise<HttpRequest> | HttpRequest;
  /** Attempts after the first one (default 5). */
  retries?: number;
  /** First retry delay in milliseconds (default 250). */
  minDelayMs?: number;
  /** Longest retry delay in milliseconds (default 10 000). */
  maxDelayMs?: number;
  /** Default per-attempt timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** undici dispatcher; by default a keep-alive agent shared by the client. */
  dispatcher?: Dispatcher;
  /** Called for every retry: used for progress lines and counted by the tests. */
  onRetry?(info: { operation: string; attempt: number; error: CloudError; delayMs: number }): void;
}

const networkCodes = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/** Codes that prove the request never reached the server. */
const notSentCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === "object"; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (networkCodes.has(code) || code.startsWith("UND_ERR"))) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Parses `Retry-After` (seconds or an HTTP date) into seconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/**
 * undici, loaded on the first request: `pulumi preview` (check and diff) sends none, so neither the
 * program nor the provider process pays the ~60 ms it takes to load.
 */
function undici(): typeof import("undici") {
  return require("undici") as typeof import("undici");
}

let sharedAgent: Agent | undefined;
function defaultAgent(): Agent {
  sharedAgent ??= new (undici().Agent)({ keepAliveTimeout: 10_000, connections: 16 });
  return sharedAgent;
}

/**
 * An HTTP client bound to one cloud's error shape and signing.
 *
 * @example
 * ```ts
 * const http = new HttpClient({ cloud: "kakaocloud", toError: kakaoError });
 * const res = await http.send({ method: "GET", url: `${base}/v1/clusters/${id}` });
 * ```
 */
export class HttpClient {
  private readonly opts: Required<Omit<HttpClientOptions, "prepare" | "onRetry" | "dispatcher">> &
    Pick<HttpClientOptions, "prepare" | "onRetry" | "dispatcher">;

  constructor(options: HttpClientOptions) {
    for (const key of ["retries", "minDelayMs", "maxDelayMs", "timeoutMs"] as const) {
      const v = options[key];
      if (v !== undefined && (!Number.isFinite(v) || v < 0)) {
        throw new TypeError(`HttpClient option \`${key}\` must be a non-negative number, got ${v}`);
      }
    }
    this.opts = { retries: 5, minDelayMs: 250, maxDelayMs: 10_000, timeoutMs: 30_000, ...options };
  }

  /** Sends a request with retries; resolves with a 2xx response or rejects with a {@link CloudError}. */
  async send<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const operation = req.operation ?? `${req.method} ${new URL(req.url).pathname}`;
    const idempotent =
      req.idempotent ?? (req.method === "GET" || req.method === "PUT" || req.method === "DELETE");
    const { default: pRetry, AbortError } = await import("p-retry");
    let attempt = 0;
    return pRetry(
      async () => {
        attempt++;
        try {
          return await this.once<T>(req, operation);
        } catch (err) {
          if (!(err instanceof CloudError)) throw new AbortError(err as Error);
          if (!err.retryable) throw new AbortError(err);
          // A mutation that may have been applied is never sent twice.
          if (!idempotent && !this.provablyNotApplied(err)) throw new AbortError(err);
          throw err;
        }
      },
      {
        retries: this.opts.retries,
        minTimeout: this.opts.minDelayMs,
        maxTimeout: this.opts.maxDelayMs,
        factor: 2,
        randomize: true,
        signal: req.signal,
        onFailedAttempt: async ({ error, retriesLeft }) => {
          // p-retry calls this after the last attempt too: only report and wait when a retry follows.
          if (!(error instanceof CloudError) || retriesLeft <= 0) return;
          const delayMs = Math.min((error.retryAfterSeconds ?? 0) * 1000, 60_000);
          this.opts.onRetry?.({ operation, attempt, error, delayMs });
          logDebug(`${operation}: attempt ${attempt} failed (${error.code}), retrying`);
          if (delayMs > 0) await sleep(delayMs, req.signal);
        },
      },
    );
  }

  /** Throttling and busy refusals, and connections refused, prove the request was not applied. */
  private provablyNotApplied(err: CloudError): boolean {
    if (err.code === "NetworkError") {
      return notSentCodes.has(errorCode(err.cause) ?? "");
    }
    return err.httpStatus === 429 || err.refused;
  }

  private async once<T>(original: HttpRequest, operation: string): Promise<HttpResponse<T>> {
    const req = this.opts.prepare ? await this.opts.prepare({ ...original }) : original;
    const headers: Record<string, string> = { accept: "application/json", ...req.headers };
    let body: string | undefined = req.body;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) {
        headers["content-type"] = "application/json";
      }
    }
    const timeout = req.timeoutMs ?? this.opts.timeoutMs;
    const signals = [AbortSignal.timeout(timeout), ...(req.signal ? [req.signal] : [])];
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await undici().request(req.url, {
        method: req.method,
        headers,
        body,
        signal: AbortSignal.any(signals),
        dispatcher: this.opts.dispatcher ?? defaultAgent(),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      // Read inside the try: a connection lost while the body streams is as ambiguous as one lost
      // before the status line, and must not be retried for a mutation.
      text = await res.body.text();
    } catch (cause) {
      if (req.signal?.aborted) throw cause;
      const code = errorCode(cause) ?? ((cause as Error)?.name === "TimeoutError" ? "ETIMEDOUT" : "unknown");
      throw new CloudError({
        cloud: this.opts.cloud,
        code: "NetworkError",
        message: `request failed before a response arrived (${code}); check the endpoint and the network`,
        operation,
        retryable: true,
        cause: sanitizeCause(cause, code),
      });
    }
    const respHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) respHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    }
    let parsed: unknown = undefined;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    const response: HttpResponse<T> = {
      status: res.statusCode,
      headers: respHeaders,
      body: parsed as T,
      text,
    };
    if (res.statusCode >= 200 && res.statusCode < 300) return response;
    const error = this.opts.toError(response as HttpResponse, operation);
    throw error;
  }
}

/**
 * Network errors can carry the request (with its headers) in their properties: keep only a code and
 * the message (which {@link ManagedRedisError} redacts).
 */
function sanitizeCause(cause: unknown, code: string): Error {
  return new ManagedRedisError(code, cause instanceof Error ? cause.message : String(cause));
}

/** Sleeps, rejecting early when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Default retryability of an HTTP status: 429 and 5xx. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Builds a query string from defined values. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined) as [
    string,
    string | number | boolean,
  ][];
  if (entries.length === 0) return "";
  return "?" + entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join("&");
}
