/**
 * The KakaoCloud emulator over loopback: IAM tokens, the Redis cluster/shard/node API of the
 * document (seeds/004), validation, asynchronous statuses, busy refusals, failover, and that no
 * password ever leaves it.
 */
import { type Emulator, startEmulator } from "../../emulator";
import type { KakaocloudModule } from "../../emulator/kakaocloud";

const PASSWORD = "if2iOwJYiklliJIT8tvqoY-encrypted-test-value";
const SUBNET_X = "xxxxxxxx-0a69-4f8b-b56d-59ce12b4d55b";
const SUBNET_Y = "yyyyyyyy-0a69-4f8b-b56d-59ce12b4d55b";
const FLAVOR = "3830ebad-ea2f-4822-8a7d-9e301c86a58d";
const PG1 = "bbbbcccc-1234-1234-5678-e705e91db2fb";
const PG2 = "ddddeeee-1234-1234-5678-e705e91db2fb";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

let emu: Emulator;
let kakao: KakaocloudModule;
let base: string;
let token: string;
/** Every response body and header seen, to check that no password leaks. */
const seen: string[] = [];

interface Res {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  opts: { token?: string | null; raw?: string } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const t = opts.token === undefined ? token : opts.token;
  if (t !== null) headers["x-auth-token"] = t;
  const res = await fetch(base + path, {
    method,
    headers,
    body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  seen.push(text, JSON.stringify([...res.headers.entries()]));
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers } as Res;
}

async function issue(id = "demo-credential-id", secret = "demo-credential-secret", url = base) {
  const res = await fetch(`${url}/identity/v3/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: { identity: { methods: ["application_credential"], application_credential: { id, secret } } },
    }),
  });
  const text = await res.text();
  seen.push(text);
  return { status: res.status, body: JSON.parse(text), token: res.headers.get("x-subject-token") };
}

/** Polls `get` until `ok` holds (3 s at most). */
async function until(get: () => Promise<Res>, ok: (r: Res) => boolean, what: string): Promise<Res> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const r = await get();
    if (ok(r)) return r;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

const running = (id: string) =>
  until(
    () => call("GET", `/v1/clusters/${id}`),
    (r) => r.body.status === "Running",
    `${id} Running`,
  );

function clusterBody(name: string, shardCount = 2, nodeCountPerShard = 3) {
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

async function createRunning(name: string, shardCount = 2, nodeCountPerShard = 3): Promise<string> {
  const r = await call("POST", "/v1/clusters", clusterBody(name, shardCount, nodeCountPerShard));
  expect(r.status).toBe(201);
  await running(r.body.objectId);
  return r.body.objectId;
}

/** Asserts that the shards' slot ranges are contiguous, in order, and cover 0-16383. */
function expectSlotsCover(shards: { slots: string }[]): void {
  let next = 0;
  for (const s of shards) {
    const [a, b] = s.slots.split("-").map(Number);
    expect(a).toBe(next);
    expect(b).toBeGreaterThanOrEqual(a);
    next = b + 1;
  }
  expect(next).toBe(16384);
}

beforeAll(async () => {
  emu = await startEmulator({ kakaocloud: { settleMs: { default: 100 } } });
  kakao = emu.clouds.kakaocloud as KakaocloudModule;
  base = emu.endpoints.kakaocloud;
  const t = await issue();
  token = t.token!;
});

afterAll(async () => {
  await emu.stop();
});

describe("IAM tokens", () => {
  it("issues a token in X-Subject-Token with expires_at an hour ahead", async () => {
    const t = await issue();
    expect(t.status).toBe(201);
    expect(t.token).toMatch(/^gAAAAA[\w-]{40,}$/);
    expect(t.body.token.methods).toEqual(["application_credential"]);
    const expires = Date.parse(t.body.token.expires_at);
    expect(Math.abs(expires - (Date.now() + 3600_000))).toBeLessThan(10_000);
    expect((await call("GET", "/v1/clusters", undefined, { token: t.token })).status).toBe(200);
    expect(emu.requests.at(-1)?.op).toBe("listClusters");
  });

  it("refuses wrong credentials with 401 and malformed requests with 400", async () => {
    const wrong = await issue("demo-credential-id", "not-the-secret");
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe("Unauthorized");
    expect(wrong.token).toBeNull();
    expect(JSON.stringify(wrong.body)).not.toContain("not-the-secret");
    expect((await issue("someone-else", "demo-credential-secret")).status).toBe(401);
    const res = await fetch(`${base}/identity/v3/auth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ auth: { identity: { methods: ["password"] } } }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain("application_credential");
  });

  it("answers 401 to a missing, unknown or expired X-Auth-Token", async () => {
    const missing = await call("GET", "/v1/clusters", undefined, { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ code: "Unauthorized", message: expect.stringContaining("X-Auth-Token") });
    expect((await call("GET", "/v1/redis/versions", undefined, { token: "gAAAAAbogus" })).status).toBe(401);
    expect((await call("POST", "/v1/clusters", clusterBody("no-auth"), { token: "bogus" })).status).toBe(401);

    kakao.expireTokens();
    const expired = await call("GET", "/v1/clusters");
    expect(expired.status).toBe(401);
    expect(expired.body.message).toContain("expired");
    token = (await issue()).token!;
    expect((await call("GET", "/v1/clusters")).status).toBe(200);
    expect(kakao.created().cluster).toBe(0);
  });

  it("honours tokenTtlSeconds and custom credentials", async () => {
    const other = await startEmulator({
      kakaocloud: { tokenTtlSeconds: 0.15, credentials: [{ id: "ci", secret: "ci-secret" }] },
    });
    try {
      const url = other.endpoints.kakaocloud;
      expect((await issue(undefined, undefined, url)).status).toBe(401);
      const t = await issue("ci", "ci-secret", url);
      expect(t.status).toBe(201);
      const get = () => fetch(`${url}/v1/clusters`, { headers: { "x-auth-token": t.token! } });
      expect((await get()).status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
      expect((await get()).status).toBe(401);
    } finally {
      await other.stop();
    }
  });
});

describe("catalog", () => {
  it("lists versions as a bare array and flavors with id, name, vcpus, memory", async () => {
    const v = await call("GET", "/v1/redis/versions");
    expect(v.body).toEqual(["7.2.6", "7.0.15", "6.2.16", "6.2.5", "5.0.6"]);
    const f = await call("GET", "/v1/redis/flavors");
    expect(f.body.flavors.length).toBeGreaterThan(0);
    expect(f.body.flavors[0]).toEqual({ id: FLAVOR, name: expect.any(String), vcpus: 2, memory: 8 });
  });
});

describe("create cluster", () => {
  let id: string;

  it("answers 201 {objectId}; the cluster, its shards and nodes are Creating, then Running", async () => {
    const body = {
      ...clusterBody("test-cluster"),
      tlsEnabled: true,
      backupSchedule: { cron: "0 3 * * *", retentionLimit: 7 },
    };
    const r = await call("POST", "/v1/clusters", body);
    expect(r.status).toBe(201);
    expect(Object.keys(r.body)).toEqual(["objectId"]);
    id = r.body.objectId;
    expect(id).toMatch(UUID);

    const c = await call("GET", `/v1/clusters/${id}`);
    expect(c.body).toEqual({
      id,
      name: "test-cluster",
      description: "test-cluster",
      version: "6.2.5",
      port: 6379,
      shardCount: 2,
      nodeCountPerShard: 3,
      flavorId: FLAVOR,
      parameterGroupId: PG1,
      status: "Creating",
      tlsEnabled: true,
      backupSchedule: { cron: "0 3 * * *", retentionLimit: 7 },
      subnets: [{ id: SUBNET_X }, { id: SUBNET_Y }],
      securityGroups: [{ id: "abcdxxxx-4870-4c4e-a267-2de13e38c2ea" }],
      user: { name: "testuser" },
      createdAt: expect.stringMatching(RFC3339),
    });
    const shards = (await call("GET", `/v1/clusters/${id}/shards`)).body.shards;
    expect(
      shards.map((s: { id: string; name: string; slots: string; status: string }) => [
        s.id,
        s.name,
        s.slots,
        s.status,
      ]),
    ).toEqual([
      ["001", "test-cluster-001", "0-8191", "Creating"],
      ["002", "test-cluster-002", "8192-16383", "Creating"],
    ]);
    const n = shards[0].nodes;
    expect(n.map((x: { name: string }) => x.name)).toEqual([
      "test-cluster-001-001",
      "test-cluster-001-002",
      "test-cluster-001-003",
    ]);
    expect(n.map((x: { role: string }) => x.role)).toEqual(["primary", "replica", "replica"]);
    expect(n[0]).toEqual({
      id: expect.stringMatching(UUID),
      name: "test-cluster-001-001",
      subnet: { id: SUBNET_X },
      endpoint: expect.stringMatching(/^10\.184\.\d+\.\d+$/),
      role: "primary",
      status: "Creating",
      createdAt: expect.stringMatching(RFC3339),
    });
    expect(n[1].subnet).toEqual({ id: SUBNET_Y });
    expect(
      new Set(shards.flatMap((s: { nodes: { endpoint: string }[] }) => s.nodes.map((x) => x.endpoint))).size,
    ).toBe(6);

    const done = await running(id);
    expect(done.body.status).toBe("Running");
    const after = (await call("GET", `/v1/clusters/${id}/shards/002/nodes`)).body.nodes;
    expect(after.map((x: { status: string }) => x.status)).toEqual(["Running", "Running", "Running"]);
    expect(kakao.passwordMatches(id, PASSWORD)).toBe(true);
    expect(kakao.passwordMatches(id, "other")).toBe(false);
    expect((await call("GET", "/v1/clusters")).body.clusters.map((x: { id: string }) => x.id)).toContain(id);
  });

  it("refuses a second cluster with the same name (409 Conflict)", async () => {
    const r = await call("POST", "/v1/clusters", clusterBody("test-cluster"));
    expect(r.status).toBe(409);
    expect(r.body.code).toBe("Conflict");
    expect(kakao.created().cluster).toBe(1);
  });

  it("refuses every mutation with 409 ClusterBusy while the cluster is Creating", async () => {
    const r = await call("POST", "/v1/clusters", clusterBody("busy-cluster"));
    const busy = r.body.objectId;
    const shards = (await call("GET", `/v1/clusters/${busy}/shards`)).body.shards;
    const replica = shards[0].nodes[1].id;
    const tries = [
      await call("PATCH", `/v1/clusters/${busy}`, { description: "x" }),
      await call("DELETE", `/v1/clusters/${busy}`),
      await call("POST", `/v1/clusters/${busy}/shards`, {
        nodeCount: 1,
        subnetAssignments: { primary: { id: SUBNET_X } },
      }),
      await call("DELETE", `/v1/clusters/${busy}/shards/002`),
      await call("POST", `/v1/clusters/${busy}/shards/001/nodes`, { subnet: { id: SUBNET_Y } }),
      await call("DELETE", `/v1/clusters/${busy}/shards/001/nodes/${replica}`),
    ];
    for (const t of tries) {
      expect(t.status).toBe(409);
      expect(t.body.code).toBe("ClusterBusy");
      expect(t.body.message).toContain("Creating");
    }
    await running(busy);
    expect((await call("GET", `/v1/clusters/${busy}/shards`)).body.shards).toHaveLength(2);
    expect((await call("DELETE", `/v1/clusters/${busy}`)).status).toBe(200);
    await until(
      () => call("GET", `/v1/clusters/${busy}`),
      (x) => x.status === 404,
      "busy-cluster gone",
    );
  });

  it("returns 404 NotFound for unknown ids, 404/405 for unknown paths and methods", async () => {
    for (const path of ["/v1/clusters/nope", "/v1/clusters/nope/shards", `/v1/clusters/${id}/shards/099`]) {
      const r = await call("GET", path);
      expect([path, r.status, r.body.code]).toEqual([path, 404, "NotFound"]);
    }
    expect((await call("GET", `/v1/clusters/${id}/shards/001/nodes/nope`)).status).toBe(404);
    expect((await call("DELETE", "/v1/clusters/nope")).status).toBe(404);
    const unknown = await call("GET", "/v2/whatever");
    expect([unknown.status, unknown.body.code]).toEqual([404, "NotFound"]);
    const method = await call("PUT", `/v1/clusters/${id}`, { description: "x" });
    expect([method.status, method.body.code]).toEqual([405, "MethodNotAllowed"]);
    expect(method.headers.get("x-request-id")).toMatch(/^req-/);
  });
});

describe("create validation", () => {
  type Body = ReturnType<typeof clusterBody> & Record<string, unknown>;
  const cases: [string, (b: Body) => void, string][] = [
    ["name missing", (b) => delete (b as Partial<Body>).name, "name is required"],
    ["name empty", (b) => (b.name = ""), "name must not be empty"],
    [
      "version unknown",
      (b) => (b.version = "6.0.0"),
      "version must be one of 7.2.6, 7.0.15, 6.2.16, 6.2.5, 5.0.6",
    ],
    ["port too low", (b) => (b.port = 1999), "port must be an integer from 2000 to 50000 (got 1999)"],
    ["port too high", (b) => (b.port = 50001), "port must be an integer from 2000 to 50000"],
    ["port not integer", (b) => (b.port = 6379.5), "port must be an integer"],
    ["port as string", (b) => ((b as Record<string, unknown>).port = "6379"), "port must be an integer"],
    ["shardCount 0", (b) => (b.shardCount = 0), "shardCount must be an integer from 1 to 12"],
    ["shardCount 13", (b) => (b.shardCount = 13), "shardCount must be an integer from 1 to 12 (got 13)"],
    [
      "nodeCountPerShard 0",
      (b) => (b.nodeCountPerShard = 0),
      "nodeCountPerShard must be an integer from 1 to 6",
    ],
    [
      "nodeCountPerShard 7",
      (b) => (b.nodeCountPerShard = 7),
      "nodeCountPerShard must be an integer from 1 to 6",
    ],
    ["flavor unknown", (b) => (b.flavorId = "nope"), 'flavorId "nope" is not a known flavor'],
    [
      "parameterGroupId missing",
      (b) => delete (b as Partial<Body>).parameterGroupId,
      "parameterGroupId is required",
    ],
    ["subnets missing", (b) => delete (b as Partial<Body>).subnets, "subnets is required"],
    ["subnets empty", (b) => (b.subnets = []), "subnets must list at least one subnet"],
    [
      "assignments missing",
      (b) => delete (b as Partial<Body>).subnetAssignments,
      "subnetAssignments is required",
    ],
    [
      "assignments not array",
      (b) => (b.subnetAssignments = {} as never),
      "subnetAssignments must be an array",
    ],
    [
      "assignments != shardCount",
      (b) => b.subnetAssignments.pop(),
      "one entry per shard (shardCount 2), got 1",
    ],
    [
      "replicas != nodes-1",
      (b) => b.subnetAssignments[0].replicas.pop(),
      "subnetAssignments[0].replicas must list 2 subnet(s)",
    ],
    [
      "primary subnet foreign",
      (b) => (b.subnetAssignments[1].primary.id = "zzz"),
      'subnetAssignments[1].primary.id "zzz" is not one of',
    ],
    [
      "replica subnet foreign",
      (b) => (b.subnetAssignments[0].replicas[1].id = "zzz"),
      "subnetAssignments[0].replicas[1].id",
    ],
    [
      "securityGroups missing",
      (b) => delete (b as Partial<Body>).securityGroups,
      "securityGroups is required",
    ],
    ["securityGroups empty", (b) => (b.securityGroups = []), "securityGroups must list at least one group"],
    [
      "securityGroup without id",
      (b) => (b.securityGroups = [{}] as never),
      "securityGroups[0].id is required",
    ],
    ["tlsEnabled not boolean", (b) => (b.tlsEnabled = "yes"), "tlsEnabled must be a boolean"],
    [
      "cron of 4 fields",
      (b) => (b.backupSchedule = { cron: "0 3 * *", retentionLimit: 7 }),
      "backupSchedule.cron must be a cron expression of 5 fields",
    ],
    [
      "retention 36 days",
      (b) => (b.backupSchedule = { cron: "0 3 * * *", retentionLimit: 36 }),
      "backupSchedule.retentionLimit (days) must be an integer from 1 to 35",
    ],
    [
      "retention 0 days",
      (b) => (b.backupSchedule = { cron: "0 3 * * *", retentionLimit: 0 }),
      "retentionLimit (days) must be an integer from 1 to 35",
    ],
    ["user not an object", (b) => ((b as Record<string, unknown>).user = "admin"), "user must be an object"],
  ];

  it.each(cases)("%s → 400 InvalidParameter naming the field", async (_label, mutate, expected) => {
    const body = clusterBody("val-cluster") as Body;
    mutate(body);
    const r = await call("POST", "/v1/clusters", body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe("InvalidParameter");
    expect(r.body.message).toContain(expected);
  });

  it("reports every bad field at once, refuses bad JSON and non-objects, and creates nothing", async () => {
    const body = { ...clusterBody("val-cluster"), port: 1, version: "1.0" };
    const both = await call("POST", "/v1/clusters", body);
    expect(both.body.message).toMatch(/version must be one of.*port must be an integer/);
    const bad = await call("POST", "/v1/clusters", undefined, { raw: '{"name": "x",' });
    expect([bad.status, bad.body.code]).toEqual([400, "InvalidRequestBody"]);
    expect((await call("POST", "/v1/clusters", [1, 2])).status).toBe(400);
    expect((await call("POST", "/v1/clusters")).status).toBe(400);
    expect(kakao.snapshot().clusters.map((c) => c.name)).not.toContain("val-cluster");
    const failed = emu.requests.filter((r) => r.op === "createCluster" && r.status === 400);
    expect(failed.length).toBe(cases.length + 4);
    expect(failed.every((r) => r.mutating)).toBe(true);
  });
});

describe("update cluster", () => {
  let id: string;
  beforeAll(async () => {
    id = await createRunning("upd-cluster");
  });

  it("refuses an empty parameterGroupId, other fields and an empty patch with 400", async () => {
    const empty = await call("PATCH", `/v1/clusters/${id}`, { parameterGroupId: "" });
    expect([empty.status, empty.body.code]).toEqual([400, "InvalidParameter"]);
    expect(empty.body.message).toContain("parameterGroupId cannot be updated to an empty string");
    const port = await call("PATCH", `/v1/clusters/${id}`, { port: 7000, description: "d" });
    expect(port.body.message).toContain("port cannot be updated");
    expect((await call("PATCH", `/v1/clusters/${id}`, {})).body.message).toContain("nothing to update");
    expect((await call("PATCH", "/v1/clusters/nope", { description: "d" })).status).toBe(404);
    expect((await call("GET", `/v1/clusters/${id}`)).body.status).toBe("Running");
  });

  it("is Modifying (shards and nodes too), then Running with the new values", async () => {
    const r = await call("PATCH", `/v1/clusters/${id}`, {
      description: "modify description",
      parameterGroupId: PG2,
    });
    expect([r.status, r.body]).toEqual([200, { objectId: id }]);
    const c = (await call("GET", `/v1/clusters/${id}`)).body;
    expect([c.status, c.description, c.parameterGroupId]).toEqual(["Modifying", "modify description", PG1]);
    const shard = (await call("GET", `/v1/clusters/${id}/shards/001`)).body;
    expect(shard.status).toBe("Modifying");
    expect(shard.nodes.every((n: { status: string }) => n.status === "Modifying")).toBe(true);
    expect((await call("PATCH", `/v1/clusters/${id}`, { description: "again" })).body.code).toBe(
      "ClusterBusy",
    );
    const done = await running(id);
    expect([done.body.description, done.body.parameterGroupId]).toEqual(["modify description", PG2]);
  });
});

describe("shards", () => {
  let id: string;
  const shards = async () => (await call("GET", `/v1/clusters/${id}/shards`)).body.shards;
  beforeAll(async () => {
    id = await createRunning("shard-cluster");
  });

  it("adds a shard (object form): Scaling(horizontal), new shard Creating, then slots rebalanced", async () => {
    const body = {
      nodeCount: 2,
      subnetAssignments: { primary: { id: SUBNET_X }, replicas: [{ id: SUBNET_Y }] },
    };
    const r = await call("POST", `/v1/clusters/${id}/shards`, body);
    expect([r.status, r.body]).toEqual([201, { objectId: id }]);
    expect((await call("GET", `/v1/clusters/${id}`)).body).toMatchObject({
      status: "Scaling(horizontal)",
      shardCount: 3,
    });
    const during = await shards();
    expect(during.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      ["001", "Scaling(horizontal)"],
      ["002", "Scaling(horizontal)"],
      ["003", "Creating"],
    ]);
    expect(during[2].slots).toBe("");
    expect(
      during[2].nodes.map((n: { name: string; role: string; status: string }) => [n.name, n.role, n.status]),
    ).toEqual([
      ["shard-cluster-003-001", "primary", "Creating"],
      ["shard-cluster-003-002", "replica", "Creating"],
    ]);
    await running(id);
    const after = await shards();
    expect(after.map((s: { slots: string }) => s.slots)).toEqual(["0-5461", "5462-10922", "10923-16383"]);
    expect(after.every((s: { status: string }) => s.status === "Running")).toBe(true);
    expect(kakao.created().shard).toBe(1);
    expect(kakao.live().shard).toBe(1);
  });

  it("refuses bad add-shard bodies with 400", async () => {
    const url = `/v1/clusters/${id}/shards`;
    const few = await call("POST", url, {
      nodeCount: 3,
      subnetAssignments: { primary: { id: SUBNET_X }, replicas: [{ id: SUBNET_Y }] },
    });
    expect([few.status, few.body.code]).toEqual([400, "InvalidParameter"]);
    expect(few.body.message).toContain("subnetAssignments.replicas must list 2 subnet(s)");
    const two = { primary: { id: SUBNET_X }, replicas: [] };
    expect((await call("POST", url, { nodeCount: 1, subnetAssignments: [two, two] })).body.message).toContain(
      "exactly one shard",
    );
    const foreign = await call("POST", url, { nodeCount: 1, subnetAssignments: { primary: { id: "zzz" } } });
    expect(foreign.body.message).toContain("is not one of the cluster's subnets");
    expect((await call("POST", url, { nodeCount: 0, subnetAssignments: two })).body.message).toContain(
      "nodeCount must be",
    );
    expect((await call("POST", url, { nodeCount: 1 })).body.message).toContain(
      "subnetAssignments is required",
    );
    expect((await call("POST", url, undefined, { raw: "{oops" })).body.code).toBe("InvalidRequestBody");
    expect(await shards()).toHaveLength(3);
  });

  it("adds a shard (array form), shows shard details, deletes a shard with rebalance", async () => {
    const body = { nodeCount: 1, subnetAssignments: [{ primary: { id: SUBNET_Y }, replicas: [] }] };
    expect((await call("POST", `/v1/clusters/${id}/shards`, body)).status).toBe(201);
    await running(id);
    expect((await shards()).map((s: { slots: string }) => s.slots)).toEqual([
      "0-4095",
      "4096-8191",
      "8192-12287",
      "12288-16383",
    ]);
    const detail = await call("GET", `/v1/clusters/${id}/shards/004`);
    expect(detail.body).toMatchObject({
      id: "004",
      name: "shard-cluster-004",
      slots: "12288-16383",
      status: "Running",
    });
    expect(detail.body.nodes).toHaveLength(1);
    expect(detail.body.createdAt).toMatch(RFC3339);

    const del = await call("DELETE", `/v1/clusters/${id}/shards/003`);
    expect([del.status, del.body]).toEqual([200, { objectId: id }]);
    expect((await call("GET", `/v1/clusters/${id}/shards/003`)).body.status).toBe("Deleting");
    expect((await call("GET", `/v1/clusters/${id}`)).body.status).toBe("Scaling(horizontal)");
    expect((await call("DELETE", `/v1/clusters/${id}/shards/004`)).body.code).toBe("ClusterBusy");
    await until(
      () => call("GET", `/v1/clusters/${id}/shards/003`),
      (r) => r.status === 404,
      "shard 003 gone",
    );
    const left = await shards();
    expect(left.map((s: { id: string }) => s.id)).toEqual(["001", "002", "004"]);
    expectSlotsCover(left);
    expect((await running(id)).body.shardCount).toBe(3);
    expect([kakao.created().shard, kakao.live().shard]).toEqual([2, 1]);
  });

  it("refuses a 13th shard and the deletion of the last shard", async () => {
    const full = await createRunning("full-cluster", 12, 1);
    expectSlotsCover((await call("GET", `/v1/clusters/${full}/shards`)).body.shards);
    const body = { nodeCount: 1, subnetAssignments: { primary: { id: SUBNET_X }, replicas: [] } };
    const r = await call("POST", `/v1/clusters/${full}/shards`, body);
    expect([r.status, r.body.code]).toEqual([400, "ShardLimitExceeded"]);
    const single = await createRunning("single-cluster", 1, 1);
    const last = await call("DELETE", `/v1/clusters/${single}/shards/001`);
    expect([last.status, last.body.code]).toEqual([400, "LastShardDeletion"]);
    for (const c of [full, single]) expect((await call("DELETE", `/v1/clusters/${c}`)).status).toBe(200);
  });
});

describe("replicas and failover", () => {
  let id: string;
  const nodes = async (shard = "001") =>
    (await call("GET", `/v1/clusters/${id}/shards/${shard}/nodes`)).body.nodes;
  beforeAll(async () => {
    id = await createRunning("rep-cluster");
  });

  it("adds a replica: 201 {objectId: cluster}, node Creating, cluster Scaling(horizontal), then Running", async () => {
    const r = await call("POST", `/v1/clusters/${id}/shards/001/nodes`, { subnet: { id: SUBNET_X } });
    expect([r.status, r.body]).toEqual([201, { objectId: id }]);
    const during = await nodes();
    expect(during).toHaveLength(4);
    expect(during[3]).toMatchObject({
      name: "rep-cluster-001-004",
      role: "replica",
      status: "Creating",
      subnet: { id: SUBNET_X },
    });
    expect(during[0].status).toBe("Scaling(horizontal)");
    expect((await call("GET", `/v1/clusters/${id}`)).body.status).toBe("Scaling(horizontal)");
    await running(id);
    const node = await call("GET", `/v1/clusters/${id}/shards/001/nodes/${during[3].id}`);
    expect(node.body).toEqual({ ...during[3], status: "Running" });
    expect([kakao.created().replica, kakao.live().replica]).toEqual([1, 1]);

    const foreign = await call("POST", `/v1/clusters/${id}/shards/001/nodes`, { subnet: { id: "zzz" } });
    expect([foreign.status, foreign.body.code]).toEqual([400, "InvalidParameter"]);
    expect((await call("POST", `/v1/clusters/${id}/shards/001/nodes`, {})).body.message).toContain(
      "subnet is required",
    );
    expect(
      (await call("POST", `/v1/clusters/${id}/shards/009/nodes`, { subnet: { id: SUBNET_X } })).status,
    ).toBe(404);
  });

  it("refuses to delete a primary, deletes a replica (Deleting, then gone)", async () => {
    const [primary, , , added] = await nodes();
    const refused = await call("DELETE", `/v1/clusters/${id}/shards/001/nodes/${primary.id}`);
    expect([refused.status, refused.body.code]).toEqual([400, "PrimaryNodeDeletion"]);
    expect(refused.body.message).toContain("primary nodes cannot be deleted");
    const del = await call("DELETE", `/v1/clusters/${id}/shards/001/nodes/${added.id}`);
    expect([del.status, del.body]).toEqual([200, { objectId: id }]);
    expect((await call("GET", `/v1/clusters/${id}/shards/001/nodes/${added.id}`)).body.status).toBe(
      "Deleting",
    );
    await until(
      () => call("GET", `/v1/clusters/${id}/shards/001/nodes/${added.id}`),
      (r) => r.status === 404,
      "replica gone",
    );
    expect(await nodes()).toHaveLength(3);
    await running(id);
    expect([kakao.created().replica, kakao.live().replica]).toEqual([1, 0]);
  });

  it("refuses a 7th node; settle times change at run time", async () => {
    kakao.settle.set("addReplica", 0);
    try {
      for (let i = 0; i < 3; i++) {
        expect(
          (await call("POST", `/v1/clusters/${id}/shards/002/nodes`, { subnet: { id: SUBNET_Y } })).status,
        ).toBe(201);
        await running(id);
      }
      const r = await call("POST", `/v1/clusters/${id}/shards/002/nodes`, { subnet: { id: SUBNET_Y } });
      expect([r.status, r.body.code]).toEqual([400, "ReplicaLimitExceeded"]);
      expect(await nodes("002")).toHaveLength(6);
    } finally {
      kakao.settle.set("addReplica", 100);
    }
  });

  it("fails over (module method and admin route); the former primary can then be deleted", async () => {
    const [primary, replica] = await nodes();
    kakao.failover(id, "001", replica.id);
    const swapped = await nodes();
    expect(swapped.map((n: { role: string }) => n.role)).toEqual(["replica", "primary", "replica"]);
    const refused = await call("DELETE", `/v1/clusters/${id}/shards/001/nodes/${replica.id}`);
    expect(refused.body.code).toBe("PrimaryNodeDeletion");
    expect(() => kakao.failover(id, "001", replica.id)).toThrow(/not a settled replica/);
    expect(() => kakao.failover(id, "009", replica.id)).toThrow(/no shard/);

    const admin = await fetch(`${base}/_emulator/failover`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ clusterId: id, shardId: "001", nodeId: primary.id }),
    });
    expect(admin.status).toBe(200);
    expect(emu.requests.at(-1)).toMatchObject({ op: "adminFailover", mutating: false });
    expect((await nodes())[0].role).toBe("primary");
    kakao.failover(id, "001", replica.id);
    expect((await call("DELETE", `/v1/clusters/${id}/shards/001/nodes/${primary.id}`)).status).toBe(200);
    await running(id);
    expect((await nodes()).map((n: { role: string }) => n.role)).toEqual(["primary", "replica"]);
  });
});

describe("failed operations and deletion", () => {
  it("a failed creation leaves the cluster in Error: only deletion is accepted", async () => {
    kakao.failNext("createCluster");
    const id = (await call("POST", "/v1/clusters", clusterBody("err-cluster"))).body.objectId;
    const c = await until(
      () => call("GET", `/v1/clusters/${id}`),
      (r) => r.body.status !== "Creating",
      "err-cluster settled",
    );
    expect(c.body.status).toBe("Error");
    expect((await call("GET", `/v1/clusters/${id}/shards/001`)).body.nodes[0].status).toBe("Error");
    const patch = await call("PATCH", `/v1/clusters/${id}`, { description: "x" });
    expect([patch.status, patch.body.code]).toEqual([409, "InvalidClusterStatus"]);
    expect((await call("DELETE", `/v1/clusters/${id}`)).status).toBe(200);
    await until(
      () => call("GET", `/v1/clusters/${id}`),
      (r) => r.status === 404,
      "err-cluster gone",
    );
  });

  it("deletes a cluster: Deleting (repeat accepted, other mutations busy), then 404; the name is free again", async () => {
    const id = (await call("GET", "/v1/clusters")).body.clusters.find(
      (c: { name: string }) => c.name === "test-cluster",
    ).id;
    const del = await call("DELETE", `/v1/clusters/${id}`);
    expect([del.status, del.body]).toEqual([200, { objectId: id }]);
    expect((await call("GET", `/v1/clusters/${id}`)).body.status).toBe("Deleting");
    expect((await call("GET", `/v1/clusters/${id}/shards/001`)).body.nodes[0].status).toBe("Deleting");
    expect((await call("DELETE", `/v1/clusters/${id}`)).status).toBe(200);
    expect((await call("PATCH", `/v1/clusters/${id}`, { description: "x" })).body.code).toBe("ClusterBusy");
    expect((await call("POST", "/v1/clusters", clusterBody("test-cluster"))).body.code).toBe("Conflict");
    await until(
      () => call("GET", `/v1/clusters/${id}`),
      (r) => r.status === 404,
      "test-cluster gone",
    );
    expect((await call("DELETE", `/v1/clusters/${id}`)).status).toBe(404);
    expect((await call("GET", `/v1/clusters/${id}/shards`)).status).toBe(404);
    const again = await createRunning("test-cluster", 1, 1);
    expect(again).not.toBe(id);
  });

  it("leaves nothing behind once every cluster is deleted; counters match the request log", async () => {
    for (const c of (await call("GET", "/v1/clusters")).body.clusters) {
      if (c.status === "Running") expect((await call("DELETE", `/v1/clusters/${c.id}`)).status).toBe(200);
    }
    await until(
      () => call("GET", "/v1/clusters"),
      (r) => r.body.clusters.length === 0,
      "no clusters",
    );
    expect(kakao.live()).toEqual({ cluster: 0, shard: 0, replica: 0 });
    const ok = (op: string, status: number) =>
      emu.requests.filter((r) => r.op === op && r.status === status).length;
    expect(kakao.created()).toEqual({ cluster: ok("createCluster", 201), shard: 2, replica: 4 });
    expect(ok("addShard", 201)).toBe(2);
    expect(emu.counters().live).toMatchObject({ "kakaocloud:cluster": 0 });
  });

  it("never returns a password, in responses, headers or state", () => {
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.filter((s) => s.includes(PASSWORD))).toEqual([]);
    expect(JSON.stringify(emu.state())).not.toContain(PASSWORD);
  });
});
