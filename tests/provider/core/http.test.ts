/**
 * Tests of the shared HTTP client against a real `node:http` server on 127.0.0.1: bodies and
 * headers, error mapping, retries (429 with Retry-After, 5xx, network errors), the rule that a
 * mutation is never sent twice unless provably not applied, timeouts, abort, re-signing, option
 * validation and the helpers.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { Agent, Dispatcher } from "undici";
import { CloudError, ManagedRedisError } from "../../../provider/core/errors";
import {
  HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  parseRetryAfter,
  query,
  retryableStatus,
  sleep,
} from "../../../provider/core/http";
import { fresh } from "../../helpers/fresh";

/** What the test server saw of one request. */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, seen: Seen, n: number) => void;

let server: http.Server;
let base: string;
let handler: Handler;
let seen: Seen[];
let agent: Agent;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const s: Seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      seen.push(s);
      handler(req, res, s, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  agent = new Agent({ keepAliveTimeout: 1_000 });
});

afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  handler = (_req, res) => json(res, 200, { ok: true });
});

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** A cloud error shape: `{code, message}` bodies, `x-request-id`, `Busy` is a refusal. */
function toError(res: HttpResponse, operation: string): CloudError {
  const b = (res.body ?? {}) as { code?: string; message?: string };
  const code = b.code ?? `Http${res.status}`;
  const refused = res.status === 429 || code === "Busy";
  return new CloudError({
    cloud: "kakaocloud",
    code,
    message: b.message ?? res.text,
    httpStatus: res.status,
    requestId: res.headers["x-request-id"],
    operation,
    retryable: refused || retryableStatus(res.status),
    refused,
    retryAfterSeconds: parseRetryAfter(res.headers["retry-after"]),
  });
}

function client(extra: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({
    cloud: "kakaocloud",
    toError,
    dispatcher: agent,
    minDelayMs: 1,
    maxDelayMs: 5,
    ...extra,
  });
}

async function failure(p: Promise<unknown>): Promise<CloudError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof CloudError)) throw new Error(`expected a CloudError, got ${inspect(err)}`);
  return err;
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe("HttpClient requests and responses", () => {
  test("sends a JSON body with content-type, accept and caller headers; parses a 2xx", async () => {
    handler = (_req, res) => json(res, 201, { id: "c-1", name: "x" }, { "X-Request-Id": "r-1" });
    const res = await client().send<{ id: string }>({
      method: "POST",
      url: `${base}/v1/clusters?dryRun=false`,
      headers: { "x-custom": "yes" },
      json: { name: "x", nodes: [1, 2] },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0].method).toBe("POST");
    expect(seen[0].url).toBe("/v1/clusters?dryRun=false");
    expect(seen[0].headers["content-type"]).toBe("application/json");
    expect(seen[0].headers["accept"]).toBe("application/json");
    expect(seen[0].headers["x-custom"]).toBe("yes");
    expect(JSON.parse(seen[0].body)).toEqual({ name: "x", nodes: [1, 2] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: "c-1", name: "x" });
    expect(res.headers["x-request-id"]).toBe("r-1");
    expect(res.text).toBe(JSON.stringify({ id: "c-1", name: "x" }));
  });

  test("sends a raw body as given; a non-JSON or empty answer has body undefined and keeps the text", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("plain words");
    };
    const res = await client().send({
      method: "POST",
      url: `${base}/rpc`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=DescribeInstances&PageSize=10",
    });
    expect(seen[0].body).toBe("Action=DescribeInstances&PageSize=10");
    expect(seen[0].headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(res.body).toBeUndefined();
    expect(res.text).toBe("plain words");

    handler = (_req, res) => res.writeHead(204).end();
    const empty = await client().send({ method: "DELETE", url: `${base}/v1/clusters/c-1` });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeUndefined();
    expect(empty.text).toBe("");
  });

  test("a non-2xx answer rejects with exactly what toError returned (status, code, request id)", async () => {
    handler = (_req, res) =>
      json(res, 404, { code: "NotFound", message: "cluster c-1 not found" }, { "x-request-id": "req-42" });
    const made: CloudError[] = [];
    const c = client({
      toError: (res, op) => {
        const e = toError(res, op);
        made.push(e);
        return e;
      },
    });
    const err = await failure(c.send({ method: "GET", url: `${base}/v1/clusters/c-1` }));
    expect(made).toHaveLength(1);
    expect(err).toBe(made[0]);
    expect(err.httpStatus).toBe(404);
    expect(err.code).toBe("NotFound");
    expect(err.requestId).toBe("req-42");
    expect(err.operation).toBe("GET /v1/clusters/c-1");
    expect(err.message).toContain("cluster c-1 not found");
    expect(seen).toHaveLength(1); // 404 is not retryable
  });

  test("the operation label given by the caller is used in the error", async () => {
    handler = (_req, res) => json(res, 400, { code: "InvalidParameter", message: "bad" });
    const err = await failure(
      client().send({ method: "POST", url: `${base}/v1/x`, json: {}, operation: "CreateCluster" }),
    );
    expect(err.operation).toBe("CreateCluster");
    expect(err.message).toMatch(/^kakaocloud CreateCluster: InvalidParameter: bad \(HTTP 400\)$/);
  });
});

describe("HttpClient retries", () => {
  test("retries a 429 (even a POST) after waiting Retry-After seconds", async () => {
    handler = (_req, res, _s, n) =>
      n === 1
        ? json(res, 429, { code: "Throttled", message: "slow down" }, { "retry-after": "1" })
        : json(res, 201, {});
    const retries: number[] = [];
    const start = performance.now();
    const res = await client({ onRetry: (i) => retries.push(i.delayMs) }).send({
      method: "POST",
      url: `${base}/v1/clusters`,
      json: { name: "a" },
    });
    const elapsed = performance.now() - start;
    expect(res.status).toBe(201);
    expect(seen).toHaveLength(2);
    expect(retries).toEqual([1000]);
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(3000);
  });

  test("retries a GET on 5xx until it succeeds", async () => {
    handler = (_req, res, _s, n) =>
      n === 1 ? json(res, 500, { code: "Internal" }) : n === 2 ? json(res, 503, {}) : json(res, 200, { n });
    const attempts: number[] = [];
    const res = await client({ onRetry: (i) => attempts.push(i.attempt) }).send({
      method: "GET",
      url: `${base}/g`,
    });
    expect(res.body).toEqual({ n: 3 });
    expect(seen).toHaveLength(3);
    expect(attempts).toEqual([1, 2]);
  });

  test("retries idempotent PUT and DELETE on 5xx, and a POST marked idempotent", async () => {
    for (const req of [
      { method: "PUT", url: `${base}/p`, json: {} },
      { method: "DELETE", url: `${base}/d` },
      { method: "POST", url: `${base}/q`, json: {}, idempotent: true },
    ] as HttpRequest[]) {
      seen = [];
      handler = (_req, res, _s, n) => (n === 1 ? json(res, 502, {}) : json(res, 200, {}));
      await client().send(req);
      expect(seen).toHaveLength(2);
    }
  });

  test("never resends a POST after a 500: exactly one request reaches the server", async () => {
    handler = (_req, res) => json(res, 500, { code: "InternalError", message: "oops" });
    const err = await failure(client().send({ method: "POST", url: `${base}/v1/clusters`, json: { a: 1 } }));
    expect(err.httpStatus).toBe(500);
    expect(err.code).toBe("InternalError");
    expect(err.retryable).toBe(true);
    expect(seen).toHaveLength(1);
  });

  test("never resends a POST whose connection was reset mid-request", async () => {
    handler = (req) => req.socket.destroy();
    const err = await failure(client().send({ method: "POST", url: `${base}/v1/clusters`, json: { a: 1 } }));
    expect(err.code).toBe("NetworkError");
    expect(err.retryable).toBe(true);
    expect(seen).toHaveLength(1);
  });

  test("does resend a GET whose connection was reset", async () => {
    handler = (req, res, _s, n) => (n === 1 ? req.socket.destroy() : json(res, 200, { ok: 1 }));
    const res = await client().send({ method: "GET", url: `${base}/g` });
    expect(res.body).toEqual({ ok: 1 });
    expect(seen).toHaveLength(2);
  });

  // Known defect (reported): a reset while the response BODY is read escapes `once()` as a raw
  // undici error, which p-retry retries whatever the method, so an applied POST is sent twice.
  test("never resends a POST whose response body was cut off", async () => {
    handler = (_req, res) => {
      res.writeHead(201, { "content-type": "application/json", "content-length": "100" });
      res.write('{"id":"c-');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const err = await client()
      .send({ method: "POST", url: `${base}/v1/clusters`, json: { a: 1 } })
      .catch((e: unknown) => e);
    expect(seen).toHaveLength(1); // today: 6 (1 + 5 retries)
    expect(err).toBeInstanceOf(CloudError); // today: a raw undici SocketError
  });

  // Known defect (reported): p-retry calls onFailedAttempt after the LAST attempt too, so the
  // client reports a retry that never happens and sleeps Retry-After before giving up.
  test("gives up at once when no retry is left, without a Retry-After sleep", async () => {
    handler = (_req, res) => json(res, 429, {}, { "retry-after": "1" });
    const retries: number[] = [];
    const start = performance.now();
    await failure(
      client({ retries: 0, onRetry: (i) => retries.push(i.attempt) }).send({
        method: "GET",
        url: `${base}/g`,
      }),
    );
    expect(seen).toHaveLength(1);
    expect(retries).toEqual([]); // today: [1]
    expect(performance.now() - start).toBeLessThan(500); // today: about 1000 ms
  });

  test("does resend a POST after an explicit refusal (refused: true)", async () => {
    handler = (_req, res, _s, n) =>
      n === 1 ? json(res, 503, { code: "Busy", message: "instance busy" }) : json(res, 201, { id: "c-9" });
    const res = await client().send({ method: "POST", url: `${base}/v1/clusters`, json: {} });
    expect(res.body).toEqual({ id: "c-9" });
    expect(seen).toHaveLength(2);
  });

  test("stops after `retries` retries and rejects with the last error", async () => {
    handler = (_req, res, _s, n) => json(res, 503, { code: "Unavailable", message: `try ${n}` });
    const err = await failure(client({ retries: 2 }).send({ method: "GET", url: `${base}/g` }));
    expect(seen).toHaveLength(3);
    expect(err.httpStatus).toBe(503);
    expect(err.message).toContain("try 3");

    seen = [];
    await failure(client({ retries: 0 }).send({ method: "GET", url: `${base}/g` }));
    expect(seen).toHaveLength(1);
  });

  test("calls prepare before every attempt, so each retry is signed anew", async () => {
    handler = (_req, res, _s, n) => (n < 3 ? json(res, 503, {}) : json(res, 200, {}));
    let count = 0;
    const c = client({
      prepare: (req) => ({ ...req, headers: { ...req.headers, "x-signature": `sig-${++count}` } }),
    });
    await c.send({ method: "GET", url: `${base}/signed`, headers: { "x-keep": "1" } });
    expect(count).toBe(3);
    expect(seen.map((s) => s.headers["x-signature"])).toEqual(["sig-1", "sig-2", "sig-3"]);
    expect(seen.every((s) => s.headers["x-keep"] === "1")).toBe(true);
  });
});

describe("HttpClient timeouts and abort", () => {
  test("a per-attempt timeout is a retryable NetworkError, retried for a GET", async () => {
    handler = () => undefined; // never answers
    const start = performance.now();
    const err = await failure(
      client({ timeoutMs: 150, retries: 1 }).send({ method: "GET", url: `${base}/slow` }),
    );
    const elapsed = performance.now() - start;
    expect(err.code).toBe("NetworkError");
    expect(err.retryable).toBe(true);
    expect(err.httpStatus).toBeUndefined();
    expect(err.message).toContain("GET /slow");
    expect(seen).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
  });

  test("the request's own timeoutMs overrides the client's", async () => {
    handler = () => undefined;
    const start = performance.now();
    const err = await failure(
      client({ retries: 0 }).send({ method: "GET", url: `${base}/slow`, timeoutMs: 100 }),
    );
    expect(err.code).toBe("NetworkError");
    expect(performance.now() - start).toBeLessThan(2000);
  });

  test("an abort signal stops the retries", async () => {
    handler = (_req, res) => json(res, 503, {});
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("stop now")), 300);
    const start = performance.now();
    const result = await client({ retries: 50, minDelayMs: 100, maxDelayMs: 100 })
      .send({ method: "GET", url: `${base}/g`, signal: ac.signal })
      .then(
        () => "resolved",
        (e: unknown) => e,
      );
    const elapsed = performance.now() - start;
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toBe("stop now");
    expect(elapsed).toBeLessThan(1000);
    const count = seen.length;
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(4);
    await sleep(300);
    expect(seen).toHaveLength(count); // nothing sent after the abort
  });

  test("an abort interrupts a Retry-After wait", async () => {
    handler = (_req, res) => json(res, 429, {}, { "retry-after": "5" });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("cancelled")), 200);
    const start = performance.now();
    await expect(client().send({ method: "GET", url: `${base}/g`, signal: ac.signal })).rejects.toThrow(
      "cancelled",
    );
    expect(performance.now() - start).toBeLessThan(1500);
    expect(seen).toHaveLength(1);
  });

  test("an already-aborted signal sends nothing", async () => {
    await expect(
      client().send({ method: "GET", url: `${base}/g`, signal: AbortSignal.abort(new Error("early")) }),
    ).rejects.toThrow("early");
    expect(seen).toHaveLength(0);
  });
});

describe("HttpClient network errors", () => {
  test("a refused connection is retried even for a POST, and no header value reaches the error", async () => {
    const port = await closedPort();
    let attempts = 0;
    const err = await failure(
      client({ retries: 1, prepare: (r) => (attempts++, r) }).send({
        method: "POST",
        url: `http://127.0.0.1:${port}/v1/clusters`,
        headers: { "X-Auth-Token": "supersecret-token-123" },
        json: { password: "hunter2-password" },
      }),
    );
    expect(err.code).toBe("NetworkError");
    expect(err.message).toContain("ECONNREFUSED");
    expect(attempts).toBe(2);
    const everything = [
      String(err),
      err.message,
      err.stack ?? "",
      inspect(err, { depth: 10 }),
      JSON.stringify(err),
    ];
    for (const text of everything) {
      expect(text).not.toContain("supersecret-token-123");
      expect(text).not.toContain("hunter2-password");
    }
  });

  test("the cause of a network error is kept, with only a code", async () => {
    const port = await closedPort();
    const err = await failure(
      client({ retries: 0 }).send({ method: "GET", url: `http://127.0.0.1:${port}/x` }),
    );
    expect(err.cause).toBeInstanceOf(Error);
    expect((err.cause as Error & { code?: string }).code).toBe("ECONNREFUSED");
    expect(err.cause).toBeInstanceOf(ManagedRedisError);
  });
});

describe("HttpClient options", () => {
  test.each([
    ["retries", -1],
    ["minDelayMs", Number.NaN],
    ["maxDelayMs", Number.POSITIVE_INFINITY],
    ["timeoutMs", -5],
  ] as const)("rejects a bad %s, naming the option", (key, value) => {
    expect(() => new HttpClient({ cloud: "alicloud", toError, [key]: value })).toThrow(
      new RegExp(`\`${key}\` must be a non-negative number`),
    );
  });

  test("accepts zero and valid numbers", () => {
    expect(
      () => new HttpClient({ cloud: "huaweicloud", toError, retries: 0, minDelayMs: 0, timeoutMs: 1 }),
    ).not.toThrow();
  });
});

describe("helpers", () => {
  test("parseRetryAfter reads seconds", () => {
    expect(parseRetryAfter("1")).toBe(1);
    expect(parseRetryAfter("120")).toBe(120);
    expect(parseRetryAfter("0")).toBe(0);
    expect(parseRetryAfter("-3")).toBe(0);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("")).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  test("parseRetryAfter reads an HTTP date relative to now", () => {
    const date = "Wed, 21 Oct 2015 07:28:00 GMT";
    const at = Date.parse(date);
    expect(parseRetryAfter(date, at - 30_000)).toBe(30);
    expect(parseRetryAfter(date, at + 30_000)).toBe(0);
  });

  test("query builds an encoded query string from defined values", () => {
    expect(query({ a: "x y", b: 2, c: undefined, d: true, "e&f": "g=h" })).toBe(
      "?a=x%20y&b=2&d=true&e%26f=g%3Dh",
    );
    expect(query({})).toBe("");
    expect(query({ a: undefined })).toBe("");
  });

  test("retryableStatus is 429 and 5xx", () => {
    expect([429, 500, 502, 503, 504].every(retryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 409].some(retryableStatus)).toBe(false);
  });

  test("sleep waits and rejects early with the abort reason", async () => {
    const start = performance.now();
    await sleep(50);
    expect(performance.now() - start).toBeGreaterThanOrEqual(45);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("bye")), 20);
    const t = performance.now();
    await expect(sleep(5_000, ac.signal)).rejects.toThrow("bye");
    expect(performance.now() - t).toBeLessThan(1000);
    await expect(sleep(10, AbortSignal.abort(new Error("already")))).rejects.toThrow("already");
  });
});

/** A dispatcher that fails every request with `error` before any response, counting the requests. */
class FailingDispatcher extends Dispatcher {
  calls = 0;
  constructor(private readonly error: unknown) {
    super();
  }
  override dispatch(_opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.calls++;
    queueMicrotask(() => (handler as { onError(err: unknown): void }).onError(this.error));
    return true;
  }
}

const netError = (code: unknown, message = "connection trouble") =>
  Object.assign(new Error(message), { code });

type HttpModule = typeof import("../../../provider/core/http");
type ErrorsModule = typeof import("../../../provider/core/errors");

/**
 * A request through a fresh copy of http.ts (its tables of network codes built in the test) over a
 * dispatcher that fails with `error`: the CloudError's code, message and cause code, and how many
 * requests were sent.
 */
async function failWith(error: unknown, method: "GET" | "POST", retries: number) {
  const m = fresh(() => ({
    http: require("../../../provider/core/http") as HttpModule,
    errors: require("../../../provider/core/errors") as ErrorsModule,
  }));
  const dispatcher = new FailingDispatcher(error);
  const c = new m.http.HttpClient({
    cloud: "kakaocloud",
    toError: () => new m.errors.CloudError({ cloud: "kakaocloud", code: "Unexpected", message: "m" }),
    dispatcher,
    retries,
    minDelayMs: 1,
    maxDelayMs: 1,
  });
  // The URL is the test server's: a request that went there instead would succeed.
  const err = await c.send({ method, url: `${base}/v1/x` }).then(
    () => undefined,
    (e: unknown) => e as Error & { code?: string; cause?: { code?: string } },
  );
  if (!(err instanceof m.errors.CloudError)) throw new Error(`expected a CloudError, got ${inspect(err)}`);
  return { code: err.code, message: err.message, causeCode: err.cause?.code, calls: dispatcher.calls };
}

describe("HttpClient network error codes", () => {
  test.each([
    "ECONNRESET",
    "ECONNREFUSED",
    "EPIPE",
    "ETIMEDOUT",
    "ENOTFOUND",
    "EAI_AGAIN",
    "UND_ERR_SOCKET",
    "UND_ERR_CONNECT_TIMEOUT",
    "UND_ERR_SOME_NEW_CODE",
  ])("%s is named in the NetworkError and kept as the cause's code", async (code) => {
    const r = await failWith(netError(code), "GET", 0);
    expect(r).toEqual({
      code: "NetworkError",
      message: `kakaocloud GET /v1/x: NetworkError: request failed before a response arrived (${code}); check the endpoint and the network`,
      causeCode: code,
      calls: 1,
    });
  });

  test.each([
    ["a code that is not a network code", netError("ERR_SOMETHING_ELSE")],
    ["a numeric code", netError(123)],
    ["no code at all", new Error("weird")],
    ["a cause chain ending in null", Object.assign(netError("ERR_X"), { cause: null })],
  ])("%s is reported as unknown", async (_what, error) => {
    const r = await failWith(error, "GET", 0);
    expect(r.message).toContain("request failed before a response arrived (unknown);");
    expect(r.causeCode).toBe("unknown");
  });

  test("the code is looked for through up to four levels of causes", async () => {
    const chain = (depth: number): Error => {
      let e: Error = netError("EPIPE");
      for (let i = 1; i < depth; i++) e = Object.assign(new Error(`level ${depth - i}`), { cause: e });
      return e;
    };
    expect((await failWith(chain(4), "GET", 0)).causeCode).toBe("EPIPE");
    expect((await failWith(chain(5), "GET", 0)).causeCode).toBe("unknown");
  });

  test.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"])(
    "a POST that failed with %s (never sent) is sent again",
    async (code) => {
      expect((await failWith(netError(code), "POST", 1)).calls).toBe(2);
    },
  );

  test.each(["ECONNRESET", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET", "ERR_OTHER"])(
    "a POST that failed with %s (maybe applied) is not sent again, a GET is",
    async (code) => {
      expect((await failWith(netError(code), "POST", 1)).calls).toBe(1);
      expect((await failWith(netError(code), "GET", 1)).calls).toBe(2);
    },
  );
});

describe("HttpClient, more of the request and the response", () => {
  test("a Content-Type given by the caller is kept for a JSON body, and no second one is added", async () => {
    let raw: string[] = [];
    handler = (req, res) => {
      raw = req.rawHeaders.filter((_h, i) => i % 2 === 0).map((h) => h.toLowerCase());
      json(res, 200, {});
    };
    await client().send({
      method: "PATCH",
      url: `${base}/v1/p`,
      headers: { "Content-Type": "application/merge-patch+json" },
      json: { a: 1 },
    });
    expect(seen[0].headers["content-type"]).toBe("application/merge-patch+json");
    expect(seen[0].body).toBe('{"a":1}');
    // node:http keeps only the first of two content-type lines in `headers`: count the raw ones.
    expect(raw.filter((h) => h === "content-type")).toHaveLength(1);
  });

  test("a header the server sends twice is joined with a comma", async () => {
    handler = (_req, res) => {
      res.setHeader("x-multi", ["a", "b"]);
      res.setHeader("X-Upper", "v");
      json(res, 200, {});
    };
    const res = await client().send({ method: "GET", url: `${base}/h` });
    expect(res.headers["x-multi"]).toBe("a, b");
    expect(res.headers["x-upper"]).toBe("v");
  });

  test("a 300 answer is not a success", async () => {
    handler = (_req, res) => json(res, 300, { code: "Multiple" });
    const err = await failure(client({ retries: 0 }).send({ method: "GET", url: `${base}/m` }));
    expect(err.httpStatus).toBe(300);
    expect(err.code).toBe("Multiple");
    handler = (_req, res) => json(res, 299, { fine: true });
    await expect(client().send({ method: "GET", url: `${base}/m` })).resolves.toMatchObject({
      status: 299,
      body: { fine: true },
    });
  });

  test("a 429 is sent again for a POST even when toError does not mark it refused", async () => {
    handler = (_req, res, _s, n) => (n === 1 ? json(res, 429, { code: "Throttled" }) : json(res, 201, {}));
    const c = client({
      toError: (res, op) => {
        const e = toError(res, op);
        return new CloudError({
          cloud: "kakaocloud",
          code: e.code,
          message: "m",
          httpStatus: e.httpStatus,
          retryable: true,
          refused: false,
        });
      },
    });
    await expect(c.send({ method: "POST", url: `${base}/v1/clusters`, json: {} })).resolves.toMatchObject({
      status: 201,
    });
    expect(seen).toHaveLength(2);
  });

  test("an error that is not a CloudError is never retried, whatever its fields", async () => {
    let calls = 0;
    const c = client({
      retries: 3,
      prepare: () => {
        calls++;
        throw Object.assign(new Error("signing failed"), { retryable: true, refused: true });
      },
    });
    await expect(c.send({ method: "GET", url: `${base}/g` })).rejects.toThrow("signing failed");
    expect(calls).toBe(1);
    expect(seen).toHaveLength(0);
  });

  test("with PULUMI_MANAGED_REDIS_DEBUG=1 every retry writes a debug line", async () => {
    const saved = process.env.PULUMI_MANAGED_REDIS_DEBUG;
    process.env.PULUMI_MANAGED_REDIS_DEBUG = "1";
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      handler = (_req, res, _s, n) => (n === 1 ? json(res, 503, { code: "Busy" }) : json(res, 200, {}));
      await client().send({ method: "GET", url: `${base}/d` });
    } finally {
      spy.mockRestore();
      if (saved === undefined) delete process.env.PULUMI_MANAGED_REDIS_DEBUG;
      else process.env.PULUMI_MANAGED_REDIS_DEBUG = saved;
    }
    expect(lines).toEqual(["[pulumi-managed-redis:debug] GET /d: attempt 1 failed (Busy), retrying\n"]);
  });
});

describe("HttpClient, the per-attempt timeout and the caller's signal during a request", () => {
  /** Answers at once, then sends one body chunk every 40 ms for `ms`: no idle gap, but slow overall. */
  const trickle =
    (ms: number): Handler =>
    (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[0");
      const timer = setInterval(() => res.write(",0"), 40);
      setTimeout(() => {
        clearInterval(timer);
        res.end("]");
      }, ms);
    };

  test("the timeout covers the whole attempt, body included, and is reported as ETIMEDOUT", async () => {
    handler = trickle(600);
    const start = performance.now();
    const err = await failure(
      client({ retries: 0, timeoutMs: 200 }).send({ method: "GET", url: `${base}/trickle` }),
    );
    expect(err.code).toBe("NetworkError");
    expect(err.message).toContain("request failed before a response arrived (ETIMEDOUT);");
    expect((err.cause as { code?: string }).code).toBe("ETIMEDOUT");
    expect(performance.now() - start).toBeLessThan(550);
  });

  test("an abort during a request ends it at once with the abort reason, and nothing is retried", async () => {
    handler = trickle(600);
    const ac = new AbortController();
    const reason = new Error("user cancelled");
    setTimeout(() => ac.abort(reason), 100);
    const start = performance.now();
    const retried: string[] = [];
    const result = await client({ retries: 3, timeoutMs: 5_000, onRetry: (i) => retried.push(i.error.code) })
      .send({ method: "GET", url: `${base}/trickle`, signal: ac.signal })
      .then(
        () => "resolved",
        (e: unknown) => e,
      );
    expect(result).toBe(reason);
    expect(performance.now() - start).toBeLessThan(450);
    expect(retried).toEqual([]); // the abort is not a failed attempt to report or retry
    await sleep(100);
    expect(seen).toHaveLength(1);
  });
});
