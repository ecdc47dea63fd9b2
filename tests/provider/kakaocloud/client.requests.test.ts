/**
 * The KakaoCloud client (provider/kakaocloud/client.ts) against a loopback fake of the API and IAM
 * (fake-kakao-http.ts): the shape of every request (method, path, headers, JSON body), IAM token
 * issuing, reuse and renewal, the 401 re-issue, and the retry decision per call.
 */
import { CloudError, redact } from "../../../provider/core/errors";
import { KakaoClient, type KakaoSettings, isNotFound } from "../../../provider/kakaocloud/client";
import { rejection } from "../../helpers/errors";
import { FakeKakaoHttp, IAM_PATH } from "./fake-kakao-http";

const UUID = "3830ebad-ea2f-4822-8a7d-9e301c86a58d";

/** A node with a name, as the API lists it. */
const node = (id: string, name?: string) => ({ id, name });

describe("KakaoClient requests", () => {
  let fake: FakeKakaoHttp;
  beforeAll(async () => {
    fake = await FakeKakaoHttp.start();
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.stop());

  const client = (extra: Partial<KakaoSettings> = {}) =>
    new KakaoClient({
      endpoint: fake.url,
      iamEndpoint: fake.iamEndpoint,
      credentialId: "app-cred",
      credentialSecret: "app-cred-secret",
      ...extra,
    });
  const iamToken = (token: string, expiresAt?: number) => ({
    status: 201,
    headers: { "x-subject-token": token },
    body: expiresAt === undefined ? undefined : { token: { expires_at: new Date(expiresAt).toISOString() } },
  });

  it("issues an IAM token with the application credential, sends it as X-Auth-Token and reuses it", async () => {
    fake.on("GET", "/v1/clusters", { status: 200, body: [{ id: "c1" }] });
    const c = client();
    expect(await c.listClusters()).toEqual([{ id: "c1" }]);
    await c.listClusters();
    const [iam] = fake.sent(`POST ${IAM_PATH}`);
    expect(iam.headers["content-type"]).toBe("application/json");
    expect(iam.body).toEqual({
      auth: {
        identity: {
          methods: ["application_credential"],
          application_credential: { id: "app-cred", secret: "app-cred-secret" },
        },
      },
    });
    expect(fake.iamCalls).toBe(1);
    const calls = fake.sent("GET /v1/clusters");
    expect(calls.map((r) => r.headers["x-auth-token"])).toEqual(["token-1", "token-1"]);
    expect(calls[0].headers.accept).toBe("application/json");
  });

  it("uses a configured token as is, unless an application credential is also set", async () => {
    fake.on("GET", "/v1/clusters", { status: 200, body: { clusters: [{ id: "c2" }] } });
    const tokenOnly = client({ credentialId: undefined, credentialSecret: undefined, token: "static-tok" });
    expect(await tokenOnly.listClusters()).toEqual([{ id: "c2" }]);
    expect(fake.iamCalls).toBe(0);
    await client({ token: "static-tok" }).listClusters();
    expect(fake.iamCalls).toBe(1);
    expect(fake.sent().map((r) => r.headers["x-auth-token"])).toEqual(["static-tok", "token-1"]);
  });

  it("registers the issued token as a secret", async () => {
    fake.on("POST", IAM_PATH, iamToken("subject-6e1f9a"));
    expect(await client().authToken()).toBe("subject-6e1f9a");
    expect(redact("x subject-6e1f9a y")).toBe("x *** y");
  });

  it("fails with NoToken when IAM answers without X-Subject-Token", async () => {
    fake.on("POST", IAM_PATH, { status: 201, body: {} });
    const err = await rejection<CloudError>(client().listClusters());
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ cloud: "kakaocloud", code: "NoToken", httpStatus: 201 });
    // The generic redaction pattern eats the word after "NoToken:", so the check starts after it.
    expect(err!.message).toContain("IAM answer carried no X-Subject-Token header (HTTP 201)");
    expect(fake.sent()).toHaveLength(0);
  });

  it("labels an IAM failure and retries IAM after a 5xx", async () => {
    fake.on("POST", IAM_PATH, { status: 400, body: { message: "bad credential" } });
    const err = await rejection<CloudError>(client().authToken());
    expect(err!.operation).toBe("POST /identity/v3/auth/tokens");
    fake.on("POST", IAM_PATH, { status: 503, body: {} }, iamToken("after-503"));
    expect(await client().authToken()).toBe("after-503");
    expect(fake.iamCalls).toBe(3);
  });

  it("keeps a token without an expiry (empty or token-less answer) for an hour", async () => {
    fake.on("POST", IAM_PATH, { ...iamToken("bare-1"), body: undefined });
    const a = client();
    await a.authToken();
    expect(await a.authToken()).toBe("bare-1");
    fake.on("POST", IAM_PATH, { ...iamToken("bare-2"), body: {} });
    const b = client();
    await b.authToken();
    expect(await b.authToken()).toBe("bare-2");
    expect(fake.iamCalls).toBe(2);
  });

  it("renews a token that expires within five minutes, exactly at the boundary", async () => {
    const expires = Date.now() + 3_600_000;
    fake.on("POST", IAM_PATH, iamToken("fixed", expires));
    const c = client();
    await c.authToken();
    const at = (now: number) => {
      const spy = jest.spyOn(Date, "now").mockReturnValue(now);
      const p = c.authToken();
      spy.mockRestore();
      return p;
    };
    await at(expires - 300_001);
    expect(fake.iamCalls).toBe(1);
    await at(expires - 300_000);
    expect(fake.iamCalls).toBe(2);
    fake.on("POST", IAM_PATH, iamToken("short", Date.now() + 240_000));
    const s = client();
    await s.authToken();
    await s.authToken();
    expect(fake.iamCalls).toBe(4);
  });

  it("re-issues the token once on a 401 with a credential", async () => {
    fake.on("GET", "/v1/clusters", { status: 401, body: {} }, { status: 200, body: [] });
    expect(await client().listClusters()).toEqual([]);
    expect(fake.iamCalls).toBe(2);
    expect(fake.sent().map((r) => r.headers["x-auth-token"])).toEqual(["token-1", "token-2"]);
  });

  it("does not resend on a 401 with a plain token, nor on other errors", async () => {
    fake.on("GET", "/v1/clusters", { status: 401, body: { message: "expired" } });
    const err = await rejection<CloudError>(
      client({ credentialId: undefined, token: "plain" }).listClusters(),
    );
    expect(err!.message).toContain("expired; the IAM token was refused: check managed-redis:kakaoAuthToken");
    expect(fake.sent()).toHaveLength(1);
    fake.reset();
    fake.on("DELETE", `/v1/clusters/${UUID}`, { status: 404, body: {} });
    expect(isNotFound(await rejection<CloudError>(client().deleteCluster(UUID)))).toBe(true);
    expect(fake.sent()).toHaveLength(1);
    expect(fake.iamCalls).toBe(1);
  });

  it("labels operations with ids replaced by {id}", async () => {
    fake.on("GET", `/v1/clusters/${UUID}`, { status: 400, body: {} });
    fake.on("DELETE", `/v1/clusters/${UUID}/shards/001`, { status: 400, body: {} });
    const c = client();
    expect((await rejection<CloudError>(c.getCluster(UUID))).operation).toBe("GET /v1/clusters/{id}");
    expect((await rejection<CloudError>(c.deleteShard(UUID, "001"))).operation).toBe(
      "DELETE /v1/clusters/{id}/shards/001",
    );
  });

  it("reads a cluster flat or wrapped, undefined on 404, and rethrows other errors", async () => {
    fake.on("GET", "/v1/clusters/c-1", {
      status: 200,
      body: { cluster: { id: "c-1", status: "Available" } },
    });
    fake.on("GET", "/v1/clusters/c-2", { status: 200, body: { id: "c-2", status: "Creating" } });
    fake.on("GET", "/v1/clusters/c-3", { status: 403, body: {} });
    const c = client();
    expect(await c.getCluster("c-1")).toEqual({ id: "c-1", status: "Available" });
    expect(await c.getCluster("c-2")).toEqual({ id: "c-2", status: "Creating" });
    expect(await c.getCluster("gone")).toBeUndefined();
    expect((await rejection<CloudError>(c.getCluster("c-3"))).httpStatus).toBe(403);
  });

  it("lists clusters, shards and nodes, empty answers as [], members sorted", async () => {
    const c = client();
    fake.on("GET", "/v1/clusters", { status: 200 });
    expect(await c.listClusters()).toEqual([]);
    fake.on("GET", "/v1/clusters", { status: 200, body: {} });
    expect(await c.listClusters()).toEqual([]);
    fake.on("GET", "/v1/clusters/c/shards", { status: 200 });
    expect(await c.listShards("c")).toEqual([]);
    fake.on("GET", "/v1/clusters/c/shards", {
      status: 200,
      body: { shards: [{ id: "002" }, { id: "001" }] },
    });
    expect((await c.listShards("c")).map((s) => s.id)).toEqual(["001", "002"]);
    fake.on("GET", "/v1/clusters/c/shards/001/nodes", { status: 200 });
    expect(await c.listNodes("c", "001")).toEqual([]);
    fake.on("GET", "/v1/clusters/c/shards/001/nodes", {
      status: 200,
      body: { nodes: [node("n2", "r-2"), node("n1", "r-1")] },
    });
    expect((await c.listNodes("c", "001")).map((n) => n.id)).toEqual(["n1", "n2"]);
    expect(fake.sent().every((r) => r.method === "GET")).toBe(true);
  });

  it("reads a shard (nodes sorted) and a node, undefined on 404, other errors rethrown", async () => {
    const c = client();
    fake.on("GET", "/v1/clusters/c/shards/001", {
      status: 200,
      body: { id: "001", nodes: [node("b", "n-2"), node("a", "n-1")] },
    });
    fake.on("GET", "/v1/clusters/c/shards/002", { status: 403, body: {} });
    fake.on("GET", "/v1/clusters/c/shards/001/nodes/a", { status: 200, body: { id: "a", role: "primary" } });
    fake.on("GET", "/v1/clusters/c/shards/001/nodes/x", { status: 403, body: {} });
    expect((await c.getShard("c", "001"))!.nodes!.map((n) => n.id)).toEqual(["a", "b"]);
    expect(await c.getShard("c", "009")).toBeUndefined();
    expect((await rejection<CloudError>(c.getShard("c", "002"))).httpStatus).toBe(403);
    expect(await c.getNode("c", "001", "a")).toEqual({ id: "a", role: "primary" });
    expect(await c.getNode("c", "001", "gone")).toBeUndefined();
    expect((await rejection<CloudError>(c.getNode("c", "001", "x"))).httpStatus).toBe(403);
  });

  it("sends creations once: a 5xx is not retried", async () => {
    const c = client();
    fake.on("POST", "/v1/clusters", { status: 503, body: {} }, { status: 201, body: { objectId: "new" } });
    expect((await rejection<CloudError>(c.createCluster({ name: "x" }))).httpStatus).toBe(503);
    expect(await c.createCluster({ name: "y" })).toBe("new");
    expect(fake.sent("POST /v1/clusters").map((r) => r.body)).toEqual([{ name: "x" }, { name: "y" }]);
    fake.on("POST", "/v1/clusters/c/shards", { status: 503, body: {} }, { status: 201, body: {} });
    expect((await rejection<CloudError>(c.addShard("c", { nodeCount: 2 }))).httpStatus).toBe(503);
    fake.on("POST", "/v1/clusters/c/shards/001/nodes", { status: 503, body: {} }, { status: 201, body: {} });
    expect((await rejection<CloudError>(c.addReplica("c", "001", "subnet-a"))).httpStatus).toBe(503);
    await c.addReplica("c", "001", "subnet-b");
    expect(fake.sent("POST /v1/clusters/c/shards").map((r) => r.body)).toEqual([{ nodeCount: 2 }]);
    expect(fake.sent("POST /v1/clusters/c/shards/001/nodes").map((r) => r.body)).toEqual([
      { subnet: { id: "subnet-a" } },
      { subnet: { id: "subnet-b" } },
    ]);
  });

  it("retries an update after a 5xx, and deletes by encoded path", async () => {
    const c = client();
    fake.on("PATCH", "/v1/clusters/c", { status: 503, body: {} }, { status: 204 });
    await c.updateCluster("c", { description: "d" });
    expect(fake.sent("PATCH /v1/clusters/c").map((r) => r.body)).toEqual([
      { description: "d" },
      { description: "d" },
    ]);
    fake.reset();
    for (const path of [
      "/v1/clusters/a%2Fb",
      "/v1/clusters/a%2Fb/shards/0%201",
      "/v1/clusters/a%2Fb/shards/0%201/nodes/n",
    ])
      fake.on("DELETE", path, { status: 202 });
    await c.deleteCluster("a/b");
    await c.deleteShard("a/b", "0 1");
    await c.deleteNode("a/b", "0 1", "n");
    expect(fake.sent().map((r) => `${r.method} ${r.path}`)).toEqual([
      "DELETE /v1/clusters/a%2Fb",
      "DELETE /v1/clusters/a%2Fb/shards/0%201",
      "DELETE /v1/clusters/a%2Fb/shards/0%201/nodes/n",
    ]);
  });
});
