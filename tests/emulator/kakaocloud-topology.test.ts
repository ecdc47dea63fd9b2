/**
 * The KakaoCloud emulator over loopback, part 2: shards (add in both body forms, list, get,
 * delete, slot rebalancing, limits), replicas (add, delete, primary refused, limit), failover,
 * injected failures, cluster deletion, and the counters.
 */
import type { Emulator } from "../../emulator";
import type { KakaocloudModule } from "../../emulator/kakaocloud";
import {
  RFC3339,
  SUBNET_X,
  SUBNET_Y,
  call,
  clusterBody,
  createRunning,
  ctx,
  expectNoPasswordLeak,
  expectSlotsCover,
  gone,
  running,
  setup,
  until,
} from "./kakaocloud-helpers";

let emu: Emulator;
let kakao: KakaocloudModule;

beforeAll(async () => {
  ({ emu, kakao } = await setup());
});

afterAll(async () => {
  await emu.stop();
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
    await gone(`/v1/clusters/${id}/shards/003`);
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
    await gone(`/v1/clusters/${id}/shards/001/nodes/${added.id}`);
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

    const admin = await fetch(`${ctx.base}/_emulator/failover`, {
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
    await gone(`/v1/clusters/${id}`);
  });

  it("deletes a cluster: Deleting (repeat accepted, other mutations busy), then 404; the name is free again", async () => {
    const id = await createRunning("test-cluster");
    const del = await call("DELETE", `/v1/clusters/${id}`);
    expect([del.status, del.body]).toEqual([200, { objectId: id }]);
    expect((await call("GET", `/v1/clusters/${id}`)).body.status).toBe("Deleting");
    expect((await call("GET", `/v1/clusters/${id}/shards/001`)).body.nodes[0].status).toBe("Deleting");
    expect((await call("DELETE", `/v1/clusters/${id}`)).status).toBe(200);
    expect((await call("PATCH", `/v1/clusters/${id}`, { description: "x" })).body.code).toBe("ClusterBusy");
    expect((await call("POST", "/v1/clusters", clusterBody("test-cluster"))).body.code).toBe("Conflict");
    await gone(`/v1/clusters/${id}`);
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
    expectNoPasswordLeak(emu);
  });
});
