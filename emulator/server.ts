/**
 * The emulator's HTTP plumbing: a small router over `node:http`, a request log, counters, and a
 * fault hook. Each cloud mounts its API under its own path prefix (`/kakaocloud`, `/alicloud`,
 * `/huaweicloud`) so that one server on loopback plays all three clouds.
 */
import * as http from "node:http";

/** A parsed incoming request. */
export interface EmuRequest {
  method: string;
  /** Path without the cloud prefix, e.g. `/v1/clusters/abc`. */
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

/** A cloud mounted on the server. */
export interface MountedCloud {
  /** Path prefix, e.g. `/kakaocloud`. */
  prefix: string;
  name: string;
  router: Router;
  /** Answer for an unknown path, in the cloud's error shape. */
  notFound(req: EmuRequest): EmuResponse;
  /** Optional: name of the operation for RPC-style APIs (where the path does not say it). */
  opName?(req: EmuRequest): string | undefined;
  /** Optional: whether an RPC operation mutates state. */
  isMutating?(req: EmuRequest, op: string | undefined): boolean;
}

/** The HTTP server with its log. */
export class EmulatorServer {
  readonly log: RequestLogEntry[] = [];
  private readonly clouds: MountedCloud[] = [];
  private readonly started = Date.now();
  private server?: http.Server;
  private readonly sockets = new Set<import("node:net").Socket>();
  faultHook?: FaultHook;
  /** Extra routes outside any cloud (the `/_emulator` admin API). */
  readonly admin = new Router();

  mount(cloud: MountedCloud): void {
    this.clouds.push(cloud);
  }

  async listen(port: number, host: string): Promise<number> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: "EmulatorError", message: String(err?.message ?? err) }));
        }
      });
    });
    this.server.keepAliveTimeout = 5_000;
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, () => resolve());
    });
    const addr = this.server.address();
    return typeof addr === "object" && addr ? addr.port : port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://emulator");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
    }
    let json: unknown = undefined;
    let badJson = false;
    if (rawBody.length > 0 && (headers["content-type"] ?? "").includes("json")) {
      try {
        json = JSON.parse(rawBody);
      } catch {
        badJson = true;
      }
    } else if (rawBody.length > 0 && rawBody.trimStart().startsWith("{")) {
      try {
        json = JSON.parse(rawBody);
      } catch {
        badJson = true;
      }
    }
    const method = (req.method ?? "GET").toUpperCase();
    const base: Omit<EmuRequest, "path" | "params"> = {
      method,
      query: url.searchParams,
      headers,
      rawBody,
      json,
      badJson,
      host: headers["host"] ?? "",
    };

    if (url.pathname.startsWith("/_emulator/")) {
      const m = this.admin.match(method, url.pathname);
      const out =
        m && m !== "method"
          ? await m.handler({ ...base, path: url.pathname, params: m.params })
          : { status: 404, body: { error: "unknown admin path" } };
      return send(res, out);
    }

    const cloud = this.clouds.find(
      (c) => url.pathname === c.prefix || url.pathname.startsWith(c.prefix + "/"),
    );
    if (!cloud) {
      return send(res, { status: 404, body: { error: "NotFound", message: `no cloud at ${url.pathname}` } });
    }
    const path = url.pathname.slice(cloud.prefix.length) || "/";
    const m = cloud.router.match(method, path);
    const emuReq: EmuRequest = { ...base, path, params: m && m !== "method" ? m.params : {} };
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
