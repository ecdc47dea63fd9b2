/**
 * The emulator's HTTP plumbing: a small router over `node:http`, a request log, counters, and a
 * fault hook. Each cloud endpoint (KakaoCloud Redis, KakaoCloud IAM, Alibaba R-kvstore, Huawei
 * DCS) owns the root of its own port, as the real clients expect: one server object, one
 * listener per endpoint. The admin API (`/_emulator/*`) answers on every port.
 */
import * as http from "node:http";

/** A parsed incoming request. */
export interface EmuRequest {
  method: string;
  /** Path as received (not decoded), e.g. `/v1/clusters/abc`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  rawBody: string;
  /** The body parsed as JSON, when it is JSON; `undefined` otherwise. */
  json: unknown;
  /** Whether the body was present but not valid JSON. */
  badJson: boolean;
  /** Path parameters captured by the route (`{id}` segments). */
  params: Record<string, string>;
  /** Host header as received (used by signature checks). */
  host: string;
}

/** A response to send. */
export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless it is a string. */
  body?: unknown;
}

/** A route handler. */
export type Handler = (req: EmuRequest) => EmuResponse | Promise<EmuResponse>;

/** One entry of the request log. */
export interface RequestLogEntry {
  /** Milliseconds since the emulator started. */
  at: number;
  cloud: string;
  method: string;
  path: string;
  /** A short name of the operation (`createCluster`, `ModifyInstanceSSL`, ...), set by the cloud. */
  op?: string;
  /** Whether the operation changes state (POST/PUT/PATCH/DELETE or a mutating RPC action). */
  mutating: boolean;
  status: number;
  /** Set when the fault injector answered instead of the API. */
  fault?: string;
}

/** What a fault hook may do to a request instead of letting the API answer it. */
export type FaultAction =
  | { kind: "respond"; response: EmuResponse; label: string }
  | { kind: "reset"; label: string }
  | { kind: "delay"; ms: number; label: string };

/** Decides, per request, whether to inject a fault. */
export type FaultHook = (cloud: string, req: EmuRequest, op: string | undefined) => FaultAction | undefined;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
  op?: string;
}

/** A router for one cloud's paths. */
export class Router {
  private readonly routes: Route[] = [];

  /**
   * Adds a route. `pattern` segments in braces capture a parameter: `/v1/clusters/{clusterId}`.
   * `op` names the operation in the request log.
   */
  add(method: string, pattern: string, handler: Handler, op?: string): this {
    this.routes.push({ method, parts: pattern.split("/").filter(Boolean), handler, op });
    return this;
  }

  /** Finds the route for a method and path. */
  match(
    method: string,
    path: string,
  ): { handler: Handler; params: Record<string, string>; op?: string } | "method" | undefined {
    // An empty segment (`//`, what a client sends for an endpoint with a trailing slash) is no
    // route: see requestUrl().
    if (path.includes("//")) return undefined;
    const segs = path.split("/").filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      if (route.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length; i++) {
        const p = route.parts[i];
        if (p.startsWith("{") && p.endsWith("}")) params[p.slice(1, -1)] = decodeURIComponent(segs[i]);
        else if (p !== segs[i]) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      pathMatched = true;
      if (route.method === method) return { handler: route.handler, params, op: route.op };
    }
    return pathMatched ? "method" : undefined;
  }
}

/** The endpoints the emulator serves, one port each. */
export const ENDPOINT_NAMES = ["kakaocloud", "kakaocloudIam", "alicloud", "huaweicloud"] as const;

/** Name of one endpoint (a key of `startEmulator()`'s `endpoints`). */
export type EndpointName = (typeof ENDPOINT_NAMES)[number];

/** A cloud endpoint mounted on the server, at the root of its own port. */
export interface MountedCloud {
  /** Which endpoint this is (its own port). */
  endpoint: EndpointName;
  /** Path the endpoint URL ends with, e.g. `/identity` for KakaoCloud IAM; `""` for the root. */
  basePath?: string;
  /** The cloud, as named in the request log and passed to the fault hook. */
  name: string;
  router: Router;
  /** Answer for an unknown path, in the cloud's error shape. */
  notFound(req: EmuRequest): EmuResponse;
  /** Answer for a request whose `Host` header no client of this cloud would send (400). */
  badRequest(message: string): EmuResponse;
  /** Optional: name of the operation for RPC-style APIs (where the path does not say it). */
  opName?(req: EmuRequest): string | undefined;
  /** Optional: whether an RPC operation mutates state. */
  isMutating?(req: EmuRequest, op: string | undefined): boolean;
}

/**
 * Whether a `Host` header is one an HTTP client sends: a host name, an IPv4 address or a bracketed
 * IPv6 address, optionally followed by `:port` (RFC 9110 section 7.2). A path (`127.0.0.1:80/x`),
 * spaces or an empty value are refused.
 */
export function validHost(host: string): boolean {
  return /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(
    host,
  );
}

/** The HTTP server with its log: one listener per mounted endpoint. */
export class EmulatorServer {
  readonly log: RequestLogEntry[] = [];
  private readonly clouds: MountedCloud[] = [];
  private readonly started = Date.now();
  private readonly servers: http.Server[] = [];
  private readonly sockets = new Set<import("node:net").Socket>();
  faultHook?: FaultHook;
  /** Extra routes outside any cloud (the `/_emulator` admin API), served on every port. */
  readonly admin = new Router();

  mount(cloud: MountedCloud): void {
    this.clouds.push(cloud);
  }

  /** The mounted endpoints, in mount order. */
  get mounted(): readonly MountedCloud[] {
    return this.clouds;
  }

  /**
   * Listens on one port per mounted endpoint. `ports` gives each endpoint's port (0 or absent:
   * any free port). Returns the port each endpoint got. On a failure every listener opened so far
   * is closed again.
   */
  async listen(
    ports: Partial<Record<EndpointName, number>>,
    host: string,
  ): Promise<Record<EndpointName, number>> {
    const out = {} as Record<EndpointName, number>;
    try {
      for (const cloud of this.clouds)
        out[cloud.endpoint] = await this.listenOne(cloud, ports[cloud.endpoint] ?? 0, host);
    } catch (err) {
      await this.close();
      throw err;
    }
    return out;
  }

  private async listenOne(cloud: MountedCloud, port: number, host: string): Promise<number> {
    const server = http.createServer((req, res) => {
      this.handle(cloud, req, res).catch((err) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: "EmulatorError", message: String(err?.message ?? err) }));
        }
      });
    });
    server.keepAliveTimeout = 5_000;
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    this.servers.push(server);
    const addr = server.address();
    return typeof addr === "object" && addr ? addr.port : port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const servers = this.servers.splice(0);
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  private async handle(
    cloud: MountedCloud,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const url = requestUrl(req.url ?? "/");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    }
    let json: unknown = undefined;
    let badJson = false;
    if (
      rawBody.length > 0 &&
      ((headers["content-type"] ?? "").includes("json") || rawBody.trimStart().startsWith("{"))
    ) {
      try {
        json = JSON.parse(rawBody);
      } catch {
        badJson = true;
      }
    }
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const host = headers["host"] ?? "";
    const base: Omit<EmuRequest, "params"> = {
      method,
      path,
      query: url.searchParams,
      headers,
      rawBody,
      json,
      badJson,
      host,
    };

    if (!validHost(host)) {
      return send(res, cloud.badRequest(`Invalid Host header ${JSON.stringify(host)}: expected host[:port]`));
    }
    if (path.startsWith("/_emulator/")) {
      const m = this.admin.match(method, path);
      if (m && m !== "method") return send(res, await m.handler({ ...base, params: m.params }));
    }

    const m = cloud.router.match(method, path);
    const emuReq: EmuRequest = { ...base, params: m && m !== "method" ? m.params : {} };
    const op = (m && m !== "method" ? m.op : undefined) ?? cloud.opName?.(emuReq);
    const mutating = cloud.isMutating ? cloud.isMutating(emuReq, op) : method !== "GET";
    const entry: RequestLogEntry = {
      at: Date.now() - this.started,
      cloud: cloud.name,
      method,
      path,
      op,
      mutating,
      status: 0,
    };
    this.log.push(entry);

    const fault = this.faultHook?.(cloud.name, emuReq, op);
    if (fault) {
      entry.fault = fault.label;
      if (fault.kind === "reset") {
        entry.status = -1;
        req.socket.destroy();
        return;
      }
      if (fault.kind === "respond") {
        entry.status = fault.response.status;
        return send(res, fault.response);
      }
      await new Promise((r) => setTimeout(r, fault.ms));
    }

    let out: EmuResponse;
    if (!m) out = cloud.notFound(emuReq);
    else if (m === "method") out = { ...cloud.notFound(emuReq), status: 405 };
    else out = await m.handler(emuReq);
    entry.status = out.status;
    send(res, out);
  }
}

/**
 * The URL of a request target. An origin-form target (`/v2/...`, also `//?Action=...`) is read as a
 * path, never as `//authority`: the generated Alibaba clients send `//?Action=...` for an endpoint
 * written with a trailing slash, which `new URL(target, base)` refuses ("Invalid URL") and a
 * `//v2/...` it would read as the host `v2`. The path is kept as sent (`//`), and no route matches
 * it, so the cloud answers in its own error shape for an unknown path (404; Alibaba
 * `InvalidAction.NotFound`, Huawei `DCS.4001`, KakaoCloud `NotFound`) instead of serving it like
 * `/`: the clouds do not document merging slashes, and the emulator plays the less convenient
 * answer (the provider strips a trailing slash from every endpoint it is given, `checkEndpoint`).
 */
export function requestUrl(target: string): URL {
  try {
    return target.startsWith("/") ? new URL(`http://emulator${target}`) : new URL(target, "http://emulator");
  } catch {
    return new URL(`http://emulator/${encodeURIComponent(target)}`);
  }
}

function send(res: http.ServerResponse, out: EmuResponse): void {
  const headers: Record<string, string> = { ...out.headers };
  let payload = "";
  if (out.body !== undefined) {
    payload = typeof out.body === "string" ? out.body : JSON.stringify(out.body);
    headers["content-type"] ??= "application/json; charset=UTF-8";
  }
  headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(out.status, headers);
  res.end(payload);
}

/** Settle times (milliseconds) by operation kind, with a default. */
export class SettleTimes {
  constructor(
    private readonly defaults: Record<string, number>,
    private readonly overrides: Record<string, number> = {},
  ) {}

  /** Settle time for an operation kind. */
  get(kind: string): number {
    return (
      this.overrides[kind] ??
      this.defaults[kind] ??
      this.overrides["default"] ??
      this.defaults["default"] ??
      1000
    );
  }

  /** Changes a settle time at run time (used by the benchmarks). */
  set(kind: string, ms: number): void {
    this.overrides[kind] = ms;
  }
}

/** Random-looking ids without a dependency. */
export function newId(prefix = ""): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join("");
  return `${prefix}${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}
