/**
 * The KakaoCloud emulator over loopback, part 1: IAM tokens, catalog, cluster creation (statuses,
 * body validation, name conflict, busy refusals) and update, from the document (the KakaoCloud API document; docs/cloud-facts.md).
 * Shards, replicas, failover and deletion are in `kakaocloud-topology.test.ts`.
 */
import type { Emulator } from "../../emulator";
import type { KakaocloudModule } from "../../emulator/kakaocloud";
import {
  FLAVOR,
  PASSWORD,
  PG1,
  PG2,
  RFC3339,
  SUBNET_X,
  SUBNET_Y,
  UUID,
  call,
  clusterBody,
  createRunning,
  ctx,
  expectNoPasswordLeak,
  gone,
  issue,
  running,
  setup,
} from "./kakaocloud-helpers";
import { startEmulator } from "../../emulator";

let emu: Emulator;
let kakao: KakaocloudModule;

beforeAll(async () => {
  // Its tests read the Creating and Modifying states between calls: 1.5 s holds them on a busy machine.
  ({ emu, kakao } = await setup(1500));
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
    const res = await fetch(`${ctx.iam}/v3/auth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ auth: { identity: { methods: ["password"] } } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain("application_credential");
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
    ctx.token = (await issue()).token!;
    expect((await call("GET", "/v1/clusters")).status).toBe(200);
    expect(kakao.created().cluster).toBe(0);
  });

  it("honours tokenTtlSeconds and custom credentials", async () => {
    const other = await startEmulator({
      kakaocloud: { tokenTtlSeconds: 1.5, credentials: [{ id: "ci", secret: "ci-secret" }] },
    });
    try {
      const url = other.endpoints.kakaocloud;
      const iam = other.endpoints.kakaocloudIam;
      expect((await issue(undefined, undefined, iam)).status).toBe(401);
      const t = await issue("ci", "ci-secret", iam);
      expect(t.status).toBe(201);
      const get = () => fetch(`${url}/v1/clusters`, { headers: { "x-auth-token": t.token! } });
      expect((await get()).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1600));
      expect((await get()).status).toBe(401);
    } finally {
      await other.stop();
    }
  });
});

describe("catalog", () => {
  it("lists versions as a bare array and flavors with id, name, vcpus, memory", async () => {
    const v = await call("GET", "/v1/redis/versions");
    expect(v.body).toEqual(["7.2.11", "7.2.6", "7.0.15", "6.2.20", "6.2.16", "6.2.5", "5.0.6"]);
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
    // Long enough that the seven calls below cannot outlast the creation on a loaded machine.
    kakao.settle.set("createCluster", 1_500);
    const r = await call("POST", "/v1/clusters", clusterBody("busy-cluster"));
    kakao.settle.set("createCluster", 100);
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
    await gone(`/v1/clusters/${busy}`);
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
      "version must be one of 7.2.11, 7.2.6, 7.0.15, 6.2.20, 6.2.16, 6.2.5, 5.0.6",
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

describe("clean-up", () => {
  it("deletes every cluster, leaves nothing behind, and never returned a password", async () => {
    for (const c of (await call("GET", "/v1/clusters")).body.clusters) {
      expect((await call("DELETE", `/v1/clusters/${c.id}`)).status).toBe(200);
      await gone(`/v1/clusters/${c.id}`);
    }
    expect(kakao.live()).toEqual({ cluster: 0, shard: 0, replica: 0 });
    const created = emu.requests.filter((r) => r.op === "createCluster" && r.status === 201).length;
    expect(kakao.created()).toEqual({ cluster: created, shard: 0, replica: 0 });
    expectNoPasswordLeak(emu);
  });
});
