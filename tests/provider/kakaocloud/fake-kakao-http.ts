/**
 * A tiny loopback HTTP server standing in for the KakaoCloud Redis API and its IAM endpoint in the
 * client tests: it records every request (method, path, headers, parsed JSON body) and answers from
 * a per-route script, so a test asserts the exact request shape and drives error and retry paths.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  /** The path as sent (with any percent-encoding kept). */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The JSON body, or `undefined` when there was none. */
  body: unknown;
}

/** A scripted answer: a status, headers and a JSON body (or raw text). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  text?: string;
}

/** The IAM path under the fake's root (`iamEndpoint` is `${url}/identity`). */
export const IAM_PATH = "/identity/v3/auth/tokens";

export class FakeKakaoHttp {
  readonly requests: RecordedRequest[] = [];
  private readonly scripts = new Map<string, Reply[]>();
  private issued = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  /** Starts the fake on an ephemeral loopback port. */
  static async start(): Promise<FakeKakaoHttp> {
    const holder: { fake?: FakeKakaoHttp } = {};
    const server = http.createServer((req, res) => holder.fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    holder.fake = new FakeKakaoHttp(server, `http://127.0.0.1:${port}`);
    return holder.fake;
  }

  /** The IAM endpoint setting that points at this fake. */
  get iamEndpoint(): string {
    return `${this.url}/identity`;
  }

  /**
   * Scripts the answers to `method path`: consumed in order, the last one repeating. Without a
   * script, IAM issues `token-<n>` (valid for an hour) and every other route answers 404.
   */
  on(method: string, path: string, ...replies: Reply[]): this {
    this.scripts.set(`${method} ${path}`, replies);
    return this;
  }

  /** Forgets the recorded requests and the scripts, and counts issued tokens from 1 again. */
  reset(): void {
    this.requests.length = 0;
    this.scripts.clear();
    this.issued = 0;
  }

  /** The recorded requests to one route (`METHOD path`), or all but IAM when omitted. */
  sent(route?: string): RecordedRequest[] {
    return this.requests.filter((r) =>
      route === undefined ? r.path !== IAM_PATH : `${r.method} ${r.path}` === route,
    );
  }

  /** How many tokens IAM was asked for. */
  get iamCalls(): number {
    return this.sent(`POST ${IAM_PATH}`).length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "";
      this.requests.push({
        method: req.method ?? "",
        path,
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      });
      const reply = this.next(`${req.method} ${path}`) ?? this.fallback(req.method ?? "", path);
      const payload = reply.text ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
      res.writeHead(reply.status, {
        ...(payload && reply.text === undefined ? { "content-type": "application/json" } : {}),
        ...reply.headers,
      });
      res.end(payload);
    });
  }

  private next(key: string): Reply | undefined {
    const queue = this.scripts.get(key);
    if (!queue || queue.length === 0) return undefined;
    return queue.length > 1 ? queue.shift() : queue[0];
  }

  private fallback(method: string, path: string): Reply {
    if (method === "POST" && path === IAM_PATH) {
      const expires = new Date(Date.now() + 3_600_000).toISOString();
      return {
        status: 201,
        headers: { "x-subject-token": `token-${++this.issued}` },
        body: { token: { expires_at: expires } },
      };
    }
    return { status: 404, body: { code: "NotFound", message: `no route ${method} ${path}` } };
  }
}
