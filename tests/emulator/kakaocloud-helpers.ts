/**
 * Shared helpers of the KakaoCloud emulator tests: one emulator per test file, a `fetch` wrapper
 * that records every response (to prove no password leaks), polling, and a valid create body.
 */
import { type Emulator, startEmulator } from "../../emulator";
import type { KakaocloudModule } from "../../emulator/kakaocloud";

export const PASSWORD = "if2iOwJYiklliJIT8tvqoY-encrypted-test-value";
export const SUBNET_X = "xxxxxxxx-0a69-4f8b-b56d-59ce12b4d55b";
export const SUBNET_Y = "yyyyyyyy-0a69-4f8b-b56d-59ce12b4d55b";
export const FLAVOR = "3830ebad-ea2f-4822-8a7d-9e301c86a58d";
export const PG1 = "bbbbcccc-1234-1234-5678-e705e91db2fb";
export const PG2 = "ddddeeee-1234-1234-5678-e705e91db2fb";
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** The per-file connection: Redis and IAM base URLs, current token, every response text seen. */
export const ctx = { base: "", iam: "", token: "", seen: [] as string[], settleMs: 100 };

/** A decoded response. */
export interface Res {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

/**
 * Starts the whole emulator (KakaoCloud settle times `settleMs`, 100 ms unless told) and issues a
 * token. A suite that asserts the in-between states (`Creating`, `Modifying`, `ClusterBusy`) passes
 * a settle time that a loaded machine cannot overrun between two of its calls.
 */
export async function setup(settleMs = 100): Promise<{ emu: Emulator; kakao: KakaocloudModule }> {
  ctx.settleMs = settleMs;
  const emu = await startEmulator({ kakaocloud: { settleMs: { default: settleMs } } });
  ctx.base = emu.endpoints.kakaocloud;
  ctx.iam = emu.endpoints.kakaocloudIam;
  ctx.token = (await issue()).token!;
  return { emu, kakao: emu.clouds.kakaocloud as KakaocloudModule };
}

/** Calls the Redis API with the current token (or `opts.token`; `null` sends none). */
export async function call(
  method: string,
  path: string,
  body?: unknown,
  opts: { token?: string | null; raw?: string } = {},
): Promise<Res> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const t = opts.token === undefined ? ctx.token : opts.token;
  if (t !== null) headers["x-auth-token"] = t;
  const res = await fetch(ctx.base + path, {
    method,
    headers,
    body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  ctx.seen.push(text, JSON.stringify([...res.headers.entries()]));
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Asks the emulated IAM (base URL `iam`, ending in `/identity`) for a token. */
export async function issue(id = "demo-credential-id", secret = "demo-credential-secret", iam = ctx.iam) {
  const res = await fetch(`${iam}/v3/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: { identity: { methods: ["application_credential"], application_credential: { id, secret } } },
    }),
  });
  const text = await res.text();
  ctx.seen.push(text);
  return { status: res.status, body: JSON.parse(text), token: res.headers.get("x-subject-token") };
}

/** Polls `get` until `ok` holds (3 s at most). */
export async function until(get: () => Promise<Res>, ok: (r: Res) => boolean, what: string): Promise<Res> {
  const deadline = Date.now() + 3000 + 4 * ctx.settleMs;
  for (;;) {
    const r = await get();
    if (ok(r)) return r;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** Waits until the cluster is `Running`. */
export const running = (id: string): Promise<Res> =>
  until(
    () => call("GET", `/v1/clusters/${id}`),
    (r) => r.body.status === "Running",
    `${id} Running`,
  );

/** Waits until `path` answers 404. */
export const gone = (path: string): Promise<Res> =>
  until(
    () => call("GET", path),
    (r) => r.status === 404,
    `${path} gone`,
  );

/** A valid create-cluster body in the shape of the document's example. */
export function clusterBody(name: string, shardCount = 2, nodeCountPerShard = 3) {
  return {
    name,
    description: "test-cluster",
    version: "6.2.5",
    port: 6379,
    shardCount,
    nodeCountPerShard,
    flavorId: FLAVOR,
    parameterGroupId: PG1,
    subnets: [{ id: SUBNET_X }, { id: SUBNET_Y }],
    subnetAssignments: Array.from({ length: shardCount }, () => ({
      primary: { id: SUBNET_X },
      replicas: Array.from({ length: nodeCountPerShard - 1 }, () => ({ id: SUBNET_Y })),
    })),
    user: { name: "testuser", password: PASSWORD },
    securityGroups: [{ id: "abcdxxxx-4870-4c4e-a267-2de13e38c2ea" }],
  };
}

/** Creates a cluster and waits until it is `Running`; returns its id. */
export async function createRunning(name: string, shardCount = 2, nodeCountPerShard = 3): Promise<string> {
  const r = await call("POST", "/v1/clusters", clusterBody(name, shardCount, nodeCountPerShard));
  expect(r.status).toBe(201);
  await running(r.body.objectId);
  return r.body.objectId;
}

/** Asserts that the shards' slot ranges are contiguous, in order, and cover 0-16383. */
export function expectSlotsCover(shards: { slots: string }[]): void {
  let next = 0;
  for (const s of shards) {
    const [a, b] = s.slots.split("-").map(Number);
    expect(a).toBe(next);
    expect(b).toBeGreaterThanOrEqual(a);
    next = b + 1;
  }
  expect(next).toBe(16384);
}

/** Asserts that no response seen so far, nor the emulator state, contains the password. */
export function expectNoPasswordLeak(emu: Emulator): void {
  expect(ctx.seen.length).toBeGreaterThan(50);
  expect(ctx.seen.filter((s) => s.includes(PASSWORD))).toEqual([]);
  expect(JSON.stringify(emu.state())).not.toContain(PASSWORD);
}
