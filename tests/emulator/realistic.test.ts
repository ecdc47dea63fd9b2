/**
 * The realistic profile (emulator/realistic.ts): seeded, and playing where the documents are
 * silent the less convenient truths — defaults for omitted fields, shuffled arrays, extra fields,
 * a status that lags behind an accepted change, members that finish after their cluster, integer
 * `createdAt` in list-nodes — plus the out-of-band and restart hooks.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { resolveRealism } from "../../emulator/realistic";
import { FLAVOR, PG1, SUBNET_X, SUBNET_Y, call, ctx, issue } from "./kakaocloud-helpers";

const SUBNET_Z = "zzzzzzzz-0a69-4f8b-b56d-59ce12b4d55b";
let emu: Emulator;

/** A create body that leaves every optional field out. */
const bare = (name: string) => ({
  name,
  version: "7.2.6",
  port: 6379,
  shardCount: 1,
  nodeCountPerShard: 2,
  flavorId: FLAVOR,
  parameterGroupId: PG1,
  subnets: [{ id: SUBNET_X }, { id: SUBNET_Y }, { id: SUBNET_Z }],
  subnetAssignments: [{ primary: { id: SUBNET_X }, replicas: [{ id: SUBNET_Y }] }],
  securityGroups: [{ id: "sg-a" }, { id: "sg-b" }, { id: "sg-c" }, { id: "sg-d" }],
});

async function statusOf(id: string): Promise<string> {
  return (await call("GET", `/v1/clusters/${id}`)).body.status;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  emu = await startEmulator({ profile: "realistic", seed: 7, kakaocloud: { settleMs: { default: 1500 } } });
  ctx.base = emu.endpoints.kakaocloud;
  ctx.iam = emu.endpoints.kakaocloudIam;
  ctx.token = (await issue()).token!;
});
afterAll(async () => {
  await emu.stop();
});

describe("profile selection", () => {
  it("reads EMULATOR_PROFILE / EMULATOR_SEED, prefers options, refuses bad values", () => {
    expect(resolveRealism({}, {})).toEqual({ profile: "documented", seed: 1, readLagMs: 0 });
    expect(resolveRealism({}, { EMULATOR_PROFILE: "realistic", EMULATOR_SEED: "42" })).toEqual({
      profile: "realistic",
      seed: 42,
      readLagMs: 0,
    });
    expect(resolveRealism({ profile: "documented" }, { EMULATOR_PROFILE: "realistic" }).profile).toBe(
      "documented",
    );
    expect(() => resolveRealism({}, { EMULATOR_PROFILE: "chaotic" })).toThrow(/documented.*realistic/);
    expect(() => resolveRealism({}, { EMULATOR_SEED: "abc" })).toThrow(/seed must be an integer/);
    expect(emu.profile).toEqual({ name: "realistic", seed: 7, readLagMs: 0 });
  });
});

describe("KakaoCloud, realistic", () => {
  let id: string;
  it("reports defaults for omitted fields, extra fields, and shuffles arrays (replayably)", async () => {
    const r = await call("POST", "/v1/clusters", bare("realistic-1"));
    expect(r.status).toBe(201);
    id = r.body.objectId;
    const c = (await call("GET", `/v1/clusters/${id}`)).body;
    expect(c.tlsEnabled).toBe(true);
    expect(c.backupSchedule).toEqual({ cron: "0 18 * * *", retentionLimit: 1 });
    expect(c.user).toEqual({ name: "default" });
    expect(c).toHaveProperty("projectId");
    const orders = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const body = (await call("GET", `/v1/clusters/${id}`)).body;
      orders.add(body.securityGroups.map((g: { id: string }) => g.id).join(","));
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it("lets members finish after their cluster and refuses changes until they do; createdAt is an integer in list-nodes", async () => {
    // Eventual consistency: the creation may read Running at first; wait for Creating, then Running.
    await until(async () => (await statusOf(id)) === "Creating", "cluster Creating");
    await until(async () => (await statusOf(id)) === "Running", "cluster Running");
    const shard = (await call("GET", `/v1/clusters/${id}/shards/001`)).body;
    // The cluster reads Running while its members are still being created.
    expect(shard.status).toBe("Creating");
    const refused = await call("PATCH", `/v1/clusters/${id}`, { description: "too early" });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain("members still creating");
    const nodes = (await call("GET", `/v1/clusters/${id}/shards/001/nodes`)).body.nodes;
    expect(Number.isInteger(nodes[0].createdAt)).toBe(true);
    await until(
      async () => (await call("GET", `/v1/clusters/${id}/shards/001`)).body.status === "Running",
      "shard Running",
    );
  });

  it("still reads Running for a moment after a change was accepted", async () => {
    const accepted = await call("PATCH", `/v1/clusters/${id}`, { description: "now" });
    expect(accepted.status).toBe(200);
    expect(await statusOf(id)).toBe("Running");
    await until(async () => (await statusOf(id)) === "Modifying", "Modifying");
    await until(async () => (await statusOf(id)) === "Running", "Running again");
  });

  it("hooks: out-of-band deletion and a restart that loses state", async () => {
    emu.clouds.kakaocloud.deleteOutOfBand(id);
    expect((await call("GET", `/v1/clusters/${id}`)).status).toBe(404);
    const again = await call("POST", "/v1/clusters", bare("realistic-2"));
    expect(again.status).toBe(201);
    expect(emu.clouds.kakaocloud.restart()).toBe(1);
    expect((await call("GET", "/v1/clusters")).status).toBe(401);
    ctx.token = (await issue()).token!;
    expect((await call("GET", "/v1/clusters")).body.clusters).toEqual([]);
  });
});

describe("seeding", () => {
  it("replays the same choices with the same seed", async () => {
    const orderWith = async (seed: number) => {
      const e = await startEmulator({
        profile: "realistic",
        seed,
        kakaocloud: { settleMs: { default: 50 } },
      });
      try {
        const token = (await issue(undefined, undefined, e.endpoints.kakaocloudIam)).token!;
        const h = { "x-auth-token": token, "content-type": "application/json" };
        const made = await fetch(`${e.endpoints.kakaocloud}/v1/clusters`, {
          method: "POST",
          headers: h,
          body: JSON.stringify(bare("seeded")),
        });
        const cid = ((await made.json()) as { objectId: string }).objectId;
        const out: string[] = [];
        for (let i = 0; i < 4; i++) {
          const res = await fetch(`${e.endpoints.kakaocloud}/v1/clusters/${cid}`, { headers: h });
          const body = (await res.json()) as { securityGroups: { id: string }[] };
          out.push(body.securityGroups.map((g) => g.id).join(","));
        }
        return out.join("|");
      } finally {
        await e.stop();
      }
    };
    expect(await orderWith(11)).toBe(await orderWith(11));
  });
});

describe("Alibaba Cloud, realistic", () => {
  it("reports Normal for a moment after ModifyInstanceSSL was accepted; out-of-band release", async () => {
    const e = await startEmulator({
      profile: "realistic",
      seed: 3,
      alicloud: { settleMs: { default: 600 } },
    });
    try {
      const ali = e.clouds.alicloud;
      expect(
        ali.invoke("ModifyInstanceSSL", { InstanceId: "r-demo-cluster-01", SSLEnabled: "Enable" }).status,
      ).toBe(200);
      const read = () =>
        (
          ali.invoke("DescribeInstanceAttribute", { InstanceId: "r-demo-cluster-01" }).body as {
            Instances: { DBInstanceAttribute: { InstanceStatus: string }[] };
          }
        ).Instances.DBInstanceAttribute[0].InstanceStatus;
      expect(read()).toBe("Normal");
      // The change is running although the read does not say so yet: a second one is refused.
      expect(
        ali.invoke("ModifyInstanceSSL", { InstanceId: "r-demo-cluster-01", SSLEnabled: "Update" }).status,
      ).toBe(403);
      await until(async () => read() === "SSLModifying", "SSLModifying");
      ali.completeAll();
      ali.invoke("AllocateDirectConnection", { InstanceId: "r-demo-cluster-02" });
      ali.completeAll();
      ali.releaseOutOfBand("r-demo-cluster-02");
      const net = ali.invoke("DescribeDBInstanceNetInfo", { InstanceId: "r-demo-cluster-02" }).body as {
        NetInfoItems: { InstanceNetInfo: { DirectConnection: number }[] };
      };
      expect(net.NetInfoItems.InstanceNetInfo.every((n) => n.DirectConnection === 0)).toBe(true);
    } finally {
      await e.stop();
    }
  });
});
