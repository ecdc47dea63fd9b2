/**
 * The realistic profile's read lag (`readLagMs`, `EMULATOR_LAG_MS`; emulator/kakaocloud/lag.ts and
 * the Huawei model): every write reaches the cloud at once, every read shows a real earlier state,
 * reads never go back in time, a new cluster reads `Creating` (never 404), hooks are seen at once;
 * Huawei jobs end and SSL reads back late, each at its own moment, with the instance's fields
 * reordered.
 */
import { type Emulator, startEmulator } from "../../emulator";
import { HUAWEI_DEMO } from "../../emulator/huaweicloud";
import { resolveRealism } from "../../emulator/realistic";
import { FLAVOR, PG1, SUBNET_X, SUBNET_Y, call, ctx, issue } from "./kakaocloud-helpers";

const LAG = 600;
let emu: Emulator;

const body = (name: string) => ({
  name,
  version: "7.2.6",
  port: 6379,
  shardCount: 1,
  nodeCountPerShard: 2,
  flavorId: FLAVOR,
  parameterGroupId: PG1,
  subnets: [{ id: SUBNET_X }, { id: SUBNET_Y }],
  subnetAssignments: [{ primary: { id: SUBNET_X }, replicas: [{ id: SUBNET_Y }] }],
  securityGroups: [{ id: "sg-a" }],
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads `read` every 20 ms for `ms`, returning what each read showed. */
async function sample<T>(read: () => Promise<T>, ms: number): Promise<T[]> {
  const out: T[] = [];
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) out.push(await read());
  return out;
}

/** The values in order, each run of equal values once: `[a, a, b, b]` → `[a, b]`. */
const runs = <T>(xs: T[]) => xs.filter((x, i) => i === 0 || x !== xs[i - 1]);

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const end = Date.now() + 10_000; Date.now() < end; await sleep(20)) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  emu = await startEmulator({
    profile: "realistic",
    seed: 9,
    readLagMs: LAG,
    kakaocloud: { settleMs: { default: 300 } },
    huaweicloud: { settleMs: { sslJob: 300 } },
  });
  ctx.base = emu.endpoints.kakaocloud;
  ctx.iam = emu.endpoints.kakaocloudIam;
  ctx.token = (await issue()).token!;
});
afterAll(async () => {
  await emu.stop();
});

describe("selection", () => {
  it("reads EMULATOR_LAG_MS, prefers the option, refuses a bad value, and reports the lag", () => {
    expect(resolveRealism({}, { EMULATOR_LAG_MS: "7000" }).readLagMs).toBe(7000);
    expect(resolveRealism({ readLagMs: 5 }, { EMULATOR_LAG_MS: "7000" }).readLagMs).toBe(5);
    expect(() => resolveRealism({}, { EMULATOR_LAG_MS: "-1" })).toThrow(/read lag must be a whole number/);
    expect(() => resolveRealism({}, { EMULATOR_LAG_MS: "soon" })).toThrow(/read lag/);
    expect(emu.profile).toEqual({ name: "realistic", seed: 9, readLagMs: LAG });
  });
});

describe("KakaoCloud with a read lag", () => {
  let id: string;

  it("a new cluster reads Creating at once, not 404, then Running once the lag has passed its creation", async () => {
    id = (await call("POST", "/v1/clusters", body("lagged-1"))).body.objectId;
    const first = await call("GET", `/v1/clusters/${id}`);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe("Creating");
    await until(async () => (await call("GET", `/v1/clusters/${id}`)).body.status === "Running", "Running");
    await until(
      async () => (await call("GET", `/v1/clusters/${id}/shards/001`)).body.status === "Running",
      "members Running",
    );
  });

  it("a PATCH is seen late, in order, and never unseen again; writes see the present at once", async () => {
    await until(async () => emu.clouds.kakaocloud.snapshot().clusters[0].pending === undefined, "idle");
    await sleep(LAG + 100); // every read is past the idle moment
    const sentAt = Date.now();
    expect((await call("PATCH", `/v1/clusters/${id}`, { description: "new" })).status).toBe(200);
    // The change is running although reads say Running with the old description: a second is busy.
    expect((await call("PATCH", `/v1/clusters/${id}`, { description: "again" })).status).toBe(409);
    const seen = await sample(
      async () => {
        const c = (await call("GET", `/v1/clusters/${id}`)).body;
        return `${c.status}/${c.description}`;
      },
      2 * LAG + 600,
    );
    expect(seen[0]).toBe("Running/");
    expect(runs(seen)).toEqual(["Running/", "Modifying/new", "Running/new"]);
    expect(Date.now() - sentAt).toBeGreaterThan(LAG);
  });

  it("an added shard is listed only after a while; a deleted one stays listed for a while", async () => {
    await sleep(LAG + 100);
    expect(
      (
        await call("POST", `/v1/clusters/${id}/shards`, {
          nodeCount: 1,
          subnetAssignments: { primary: { id: SUBNET_X }, replicas: [] },
        })
      ).status,
    ).toBe(201);
    const ids = async () =>
      ((await call("GET", `/v1/clusters/${id}/shards`)).body.shards as { id: string }[])
        .map((s) => s.id)
        .sort()
        .join(",");
    expect(await ids()).toBe("001");
    await until(async () => (await ids()) === "001,002", "shard 002 listed");
    await until(
      async () => emu.clouds.kakaocloud.snapshot().clusters[0].shards.every((s) => s.status === "Running"),
      "idle",
    );
    expect((await call("DELETE", `/v1/clusters/${id}/shards/002`)).status).toBe(200);
    expect(await ids()).toBe("001,002");
    await until(async () => (await ids()) === "001", "shard 002 no longer listed");
  });

  it("an out-of-band deletion is seen at once", async () => {
    emu.clouds.kakaocloud.deleteOutOfBand(id);
    expect((await call("GET", `/v1/clusters/${id}`)).status).toBe(404);
    expect((await call("GET", "/v1/clusters")).body.clusters).toEqual([]);
  });
});

describe("Huawei Cloud with a read lag", () => {
  const dcs = (path: string, init: RequestInit = {}) =>
    fetch(`${emu.endpoints.huaweicloud}/v2/${HUAWEI_DEMO.projectId}${path}`, {
      ...init,
      headers: { "X-Auth-Token": "demo-token", "content-type": "application/json" },
    });
  const instance = async () =>
    (await (await dcs(`/instances/${HUAWEI_DEMO.sslInstanceId}`)).json()) as Record<string, unknown>;

  it("the job's end and the SSL read-back show late, each at its own moment; fields come reordered", async () => {
    const put = await dcs(`/instances/${HUAWEI_DEMO.sslInstanceId}/ssl`, {
      method: "PUT",
      body: JSON.stringify({ enabled: true }),
    });
    const { job_id: jobId } = (await put.json()) as { job_id: string };
    const job = emu.clouds.huaweicloud.jobs().find((j) => j.jobId === jobId)!;
    expect(job.seenAt! - job.endAt).toBeGreaterThanOrEqual(LAG / 2);
    expect(job.sslSeenAt! - job.endAt).toBeGreaterThanOrEqual(LAG / 2);
    await sleep(job.endAt - Date.now() + 20);
    // The cloud has applied it; the reads do not say so yet.
    expect(emu.clouds.huaweicloud.instance(HUAWEI_DEMO.sslInstanceId)!.sslEnabled).toBe(true);
    expect(((await (await dcs(`/jobs/${jobId}`)).json()) as { status: string }).status).toBe("RUNNING");
    expect((await instance()).enable_ssl).toBe(false);
    expect((await instance()).task).toBe("SSL_SWITCHING");
    await until(
      async () => ((await (await dcs(`/jobs/${jobId}`)).json()) as { status: string }).status === "SUCCESS",
      "job SUCCESS",
    );
    await until(async () => (await instance()).enable_ssl === true, "SSL read back");
    const orders = new Set<string>();
    for (let i = 0; i < 6; i++) orders.add(Object.keys(await instance()).join(","));
    expect(orders.size).toBeGreaterThan(1);
  });
});
