import { startEmulator, type Emulator } from "../../emulator";
import { emulatorOptions, parseEmulatorArgs } from "../../emulator/cli";
import { HUAWEI_DEMO, type HuaweicloudModule } from "../../emulator/huaweicloud";
import { signSdkHmacSha256 } from "../../provider/huaweicloud/signing";

const P = HUAWEI_DEMO.projectId;
const SSL_ID = HUAWEI_DEMO.sslInstanceId;
const OTHER_ID = "0f1e2d3c-4b5a-4697-8877-665544332211";
const JOB_MS = 300;

let emu: Emulator;
let dcs: HuaweicloudModule;

interface CallOptions {
  body?: string;
  auth?: "aksk" | "token" | "none";
  secretKey?: string;
  token?: string;
  date?: Date;
  /** Changes the request after it was signed. */
  tamper?: (headers: Record<string, string>) => void;
}

async function call(method: string, path: string, opts: CallOptions = {}) {
  const url = `${emu.endpoints.huaweicloud}${path}`;
  const base: Record<string, string> = opts.body !== undefined ? { "Content-Type": "application/json" } : {};
  let headers: Record<string, string> = base;
  const auth = opts.auth ?? "aksk";
  if (auth === "aksk") {
    headers = signSdkHmacSha256(
      { accessKey: "demo-ak", secretKey: opts.secretKey ?? "demo-sk" },
      { method, url, headers: base, body: opts.body ?? "" },
      { timestamp: opts.date ?? new Date() },
    );
  } else if (auth === "token") headers = { ...base, "X-Auth-Token": opts.token ?? "demo-token" };
  opts.tamper?.(headers);
  const res = await fetch(url, { method, headers, body: opts.body });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? JSON.parse(text) : undefined,
    requestId: res.headers.get("x-request-id"),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitJob(jobId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const res = await call("GET", `/v2/${P}/jobs/${jobId}`);
    if (res.body.status === "SUCCESS" || res.body.status === "FAIL") return res.body;
    await sleep(50);
  }
  throw new Error("job never finished");
}

beforeAll(async () => {
  emu = await startEmulator({ huaweicloud: { settleMs: { sslJob: JOB_MS } } });
  dcs = emu.clouds.huaweicloud as HuaweicloudModule;
});
afterAll(() => emu.stop());

describe("huaweicloud emulator: authentication", () => {
  it("accepts a correct AK/SK signature and a known token", async () => {
    // (The demo instance seeded busy is still being created in the first seconds.)
    expect((await call("GET", `/v2/${P}/instances/${HUAWEI_DEMO.busyInstanceId}`)).body.status).toBe(
      "CREATING",
    );
    expect((await call("GET", `/v2/${P}/instances/${SSL_ID}`)).status).toBe(200);
    expect((await call("GET", `/v2/${P}/instances/${SSL_ID}`, { auth: "token" })).status).toBe(200);
  });

  it("refuses a wrong signature with 401 APIGW.0301", async () => {
    const res = await call("GET", `/v2/${P}/instances/${SSL_ID}`, { secretKey: "wrong-sk" });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error_code: "APIGW.0301" });
    expect(res.body.error_msg).toMatch(/signature/);
  });

  it("refuses a body changed after signing", async () => {
    const url = `${emu.endpoints.huaweicloud}/v2/${P}/instances/${SSL_ID}/ssl`;
    const headers = signSdkHmacSha256(
      { accessKey: "demo-ak", secretKey: "demo-sk" },
      { method: "PUT", url, headers: { "Content-Type": "application/json" }, body: '{"enabled":false}' },
      { timestamp: new Date() },
    );
    const res = await fetch(url, { method: "PUT", headers, body: '{"enabled":true}' });
    expect(res.status).toBe(401);
    expect(dcs.jobs()).toHaveLength(0);
  });

  it("refuses a stale X-Sdk-Date even when correctly signed", async () => {
    const res = await call("GET", `/v2/${P}/instances/${SSL_ID}`, {
      date: new Date(Date.now() - 20 * 60_000),
    });
    expect(res.status).toBe(401);
    expect(res.body.error_msg).toMatch(/X-Sdk-Date/);
  });

  it("refuses an unknown access key, a wrong token and a request without credentials", async () => {
    const unknownAk = await call("GET", `/v2/${P}/instances/${SSL_ID}`, {
      tamper: (h) => (h.Authorization = h.Authorization.replace("Access=demo-ak", "Access=other")),
    });
    expect(unknownAk.status).toBe(401);
    expect((await call("GET", `/v2/${P}/instances/${SSL_ID}`, { auth: "token", token: "nope" })).status).toBe(
      401,
    );
    const none = await call("GET", `/v2/${P}/instances/${SSL_ID}`, { auth: "none" });
    expect(none.status).toBe(401);
    expect(none.body.error_code).toBe("APIGW.0301");
  });

  it("checks the date format and that host and x-sdk-date are signed", async () => {
    const badDate = await call("GET", `/v2/${P}/instances/${SSL_ID}`, {
      tamper: (h) => (h["X-Sdk-Date"] = "yesterday"),
    });
    expect(badDate.status).toBe(401);
    const hostUnsigned = await call("GET", `/v2/${P}/instances/${SSL_ID}`, {
      tamper: (h) =>
        (h.Authorization = h.Authorization.replace(
          "SignedHeaders=host;x-sdk-date",
          "SignedHeaders=x-sdk-date",
        )),
    });
    expect(hostUnsigned.status).toBe(401);
  });
});

describe("huaweicloud emulator: DCS API", () => {
  it("describes an instance and answers 404 DCS.3022 for an unknown one or another project", async () => {
    const res = await call("GET", `/v2/${P}/instances/${SSL_ID}`);
    expect(res.body).toMatchObject({
      instance_id: SSL_ID,
      engine: "Redis",
      engine_version: "6.0",
      status: "RUNNING",
      task: null,
      enable_ssl: false,
      product_type: "generic",
    });
    expect(res.requestId).toMatch(/^[0-9a-f]{32}$/);
    const missing = await call("GET", `/v2/${P}/instances/${OTHER_ID}`);
    expect(missing).toMatchObject({ status: 404, body: { error_code: "DCS.3022" } });
    expect((await call("GET", `/v2/other-project/instances/${SSL_ID}`)).status).toBe(404);
    expect((await call("GET", `/v2/${P}/nothing-here`)).body.error_code).toBe("DCS.4001");
  });

  it("answers 204 for SSL never enabled, then runs a job INIT/RUNNING → SUCCESS that enables it", async () => {
    expect((await call("GET", `/v2/${P}/instances/${SSL_ID}/ssl`)).status).toBe(204);
    const put = await call("PUT", `/v2/${P}/instances/${SSL_ID}/ssl`, { body: '{"enabled":true}' });
    expect(put.status).toBe(200);
    expect(put.body.instance_id).toBe(SSL_ID);
    expect(put.body.job_id).toMatch(/^[0-9a-f]{32}$/);
    const early = await call("GET", `/v2/${P}/jobs/${put.body.job_id}`);
    expect(["INIT", "RUNNING"]).toContain(early.body.status);
    expect(early.body.end_time).toBeNull();
    const inst = await call("GET", `/v2/${P}/instances/${SSL_ID}`);
    expect(inst.body.task).toBeTruthy();
    // A second change while the job runs: busy, nothing started.
    const busy = await call("PUT", `/v2/${P}/instances/${SSL_ID}/ssl`, { body: '{"enabled":false}' });
    expect(busy).toMatchObject({ status: 400, body: { error_code: "DCS.4026" } });
    const job = await waitJob(put.body.job_id);
    expect(job).toMatchObject({ status: "SUCCESS", fail_reason: null, job_id: put.body.job_id });
    expect(Number(job.end_time) - Number(job.begin_time)).toBeGreaterThanOrEqual(JOB_MS);
    const ssl = await call("GET", `/v2/${P}/instances/${SSL_ID}/ssl`);
    expect(ssl.body).toMatchObject({ enabled: true, port: "6379", ssl_validated: true });
    expect(ssl.body.domain_name).toContain(SSL_ID);
    expect(dcs.jobs()).toHaveLength(1);
    expect(emu.counters().created["huaweicloud:sslJob"]).toBe(1);
    expect(emu.counters().live["huaweicloud:sslEnabled"]).toBe(1);
  });

  it("reports SSL off without `enabled` after it was turned off out of band", async () => {
    dcs.setSsl(SSL_ID, false);
    const ssl = await call("GET", `/v2/${P}/instances/${SSL_ID}/ssl`);
    expect(ssl.status).toBe(200);
    expect(ssl.body.enabled).toBeUndefined();
    expect(dcs.instance(SSL_ID)?.sslEnabled).toBe(false);
  });

  it("fails a job when seeded to, with its fail_reason, and leaves SSL unchanged", async () => {
    dcs.failNextJob(SSL_ID, "certificate deployment failed");
    const put = await call("PUT", `/v2/${P}/instances/${SSL_ID}/ssl`, { body: '{"enabled":true}' });
    const job = await waitJob(put.body.job_id);
    expect(job).toMatchObject({ status: "FAIL", fail_reason: "certificate deployment failed" });
    expect(dcs.instance(SSL_ID)?.sslEnabled).toBe(false);
  });

  it("refuses bad bodies with DCS.4xxx codes and starts no job", async () => {
    const before = dcs.jobs().length;
    const path = `/v2/${P}/instances/${SSL_ID}/ssl`;
    expect((await call("PUT", path, { body: "" })).body.error_code).toBe("DCS.4004");
    expect((await call("PUT", path, { body: "{not json" })).body.error_code).toBe("DCS.4005");
    expect(await call("PUT", path, { body: "{}" })).toMatchObject({
      status: 400,
      body: { error_code: "DCS.4202" },
    });
    expect((await call("PUT", path, { body: '{"enabled":"true"}' })).body.error_code).toBe("DCS.4202");
    expect(dcs.jobs().length).toBe(before);
  });

  it("answers DCS.4201 on other editions and versions", async () => {
    const redis5 = HUAWEI_DEMO.redis5InstanceId;
    const put = await call("PUT", `/v2/${P}/instances/${redis5}/ssl`, { body: '{"enabled":true}' });
    expect(put).toMatchObject({
      status: 400,
      body: { error_code: "DCS.4201", error_msg: "Do not support SSL." },
    });
    expect((await call("GET", `/v2/${P}/instances/${redis5}/ssl`)).body.error_code).toBe("DCS.4201");
    const proxy = dcs.addInstance({ cacheMode: "proxy" });
    expect((await call("GET", `/v2/${P}/instances/${proxy}/ssl`)).status).toBe(400);
    const professional = dcs.addInstance({ productType: "enterprise" });
    expect(
      (await call("PUT", `/v2/${P}/instances/${professional}/ssl`, { body: '{"enabled":true}' })).status,
    ).toBe(400);
  });

  it("answers busy (DCS.4049) while an instance is being created, then accepts", async () => {
    const id = dcs.addInstance({ busyForMs: 400 });
    const inst = await call("GET", `/v2/${P}/instances/${id}`);
    expect(inst.body).toMatchObject({ status: "CREATING" });
    const put = await call("PUT", `/v2/${P}/instances/${id}/ssl`, { body: '{"enabled":true}' });
    expect(put).toMatchObject({ status: 400, body: { error_code: "DCS.4049" } });
    await sleep(450);
    expect((await call("GET", `/v2/${P}/instances/${id}`)).body.status).toBe("RUNNING");
    expect((await call("PUT", `/v2/${P}/instances/${id}/ssl`, { body: '{"enabled":true}' })).status).toBe(
      200,
    );
  });

  it("checks job ids", async () => {
    expect((await call("GET", `/v2/${P}/jobs/not-a-job`)).body.error_code).toBe("DCS.4070");
    expect((await call("GET", `/v2/${P}/jobs/${"0".repeat(32)}`)).status).toBe(404);
  });

  it("logs operation names and marks the PUT as mutating", () => {
    const ops = new Set(emu.requests.filter((r) => r.cloud === "huaweicloud").map((r) => r.op));
    for (const op of ["setSsl", "getSsl", "getJob", "getInstance"]) expect(ops).toContain(op);
    expect(emu.requests.filter((r) => r.op === "setSsl").every((r) => r.mutating)).toBe(true);
    expect(emu.requests.filter((r) => r.op === "getSsl").some((r) => r.mutating)).toBe(false);
    const snap = emu.state().huaweicloud as { instances: unknown[]; jobs: unknown[] };
    expect(snap.instances.length).toBeGreaterThanOrEqual(3);
    expect(snap.jobs.length).toBe(dcs.jobs().length);
  });
});

describe("huaweicloud emulator: the CLI's --settle-ms", () => {
  /** Starts an emulator as `pulumi-managed-redis emulator <args>` would, enables SSL, returns the job. */
  async function sslJobUnder(args: string[]) {
    const cli = await startEmulator(emulatorOptions(parseEmulatorArgs(args)));
    try {
      const url = `${cli.endpoints.huaweicloud}/v2/${P}/instances/${SSL_ID}/ssl`;
      const body = JSON.stringify({ enabled: true });
      const headers = signSdkHmacSha256(
        { accessKey: "demo-ak", secretKey: "demo-sk" },
        { method: "PUT", url, headers: { "Content-Type": "application/json" }, body },
        { timestamp: new Date() },
      );
      const res = await fetch(url, { method: "PUT", headers, body });
      expect(res.status).toBe(200);
      const { job_id: jobId } = (await res.json()) as { job_id: string };
      await sleep(1_300);
      const job = (cli.clouds.huaweicloud as HuaweicloudModule).jobs().find((j) => j.jobId === jobId)!;
      return { durationMs: job.endAt - job.beginAt, finished: job.finished };
    } finally {
      await cli.stop();
    }
  }

  it("reaches SSL jobs: a job runs as long as --settle-ms says, longer or shorter than 1 s", async () => {
    expect(await sslJobUnder(["--settle-ms", "5000"])).toEqual({ durationMs: 5000, finished: false });
    expect(await sslJobUnder(["--settle-ms", "50"])).toEqual({ durationMs: 50, finished: true });
  });
});

describe("huaweicloud emulator: DCS.5010", () => {
  it("answers the SSL PUT with 500 DCS.5010 (the document's body) without acting, as seeded or hooked", async () => {
    const id = dcs.addInstance({ sslDbErrors: 1 });
    dcs.failNextSslRequests(id, 1);
    const body = JSON.stringify({ enabled: true });
    for (let n = 0; n < 2; n++) {
      const res = await call("PUT", `/v2/${P}/instances/${id}/ssl`, { body });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        error_code: "DCS.5010",
        error_msg: "Failed to operate SSL in database.",
        error_ext_msg: null,
      });
    }
    expect(dcs.jobs().filter((j) => j.instanceId === id)).toEqual([]);
    const third = await call("PUT", `/v2/${P}/instances/${id}/ssl`, { body });
    expect(third.status).toBe(200);
  });
});
