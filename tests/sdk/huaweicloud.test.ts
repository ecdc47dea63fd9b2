/**
 * Huawei Cloud's official Node.js SDK core (`@huaweicloud/huaweicloud-sdk-core`: its client, its
 * AK/SK signer, its error types) as an oracle of the emulator, sending the DCS v2 request shapes
 * of `services/dcs/v2/DcsClient.ts` (the DCS package itself is not in the npm registry) to the
 * bare endpoint the emulator prints: every documented operation and the documented error codes.
 */
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials";
import { ClientBuilder } from "@huaweicloud/huaweicloud-sdk-core/ClientBuilder";
import type { HcClient } from "@huaweicloud/huaweicloud-sdk-core/HcClient";
import { type Emulator, startEmulator } from "../../emulator";
import { HUAWEI_DEMO, type HuaweicloudModule } from "../../emulator/huaweicloud";

let emu: Emulator;
let dcs: HuaweicloudModule;
const covered = { operations: new Set<string>(), errors: new Set<string>() };

/** A DCS client as the generated `DcsClient` builds it: core client, AK/SK, project id. */
function dcsClient(endpoint: string, sk = "demo-sk", ak = "demo-ak"): HcClient {
  const credentials = new BasicCredentials().withAk(ak).withSk(sk).withProjectId("demo-project");
  const client = new ClientBuilder<HcClient>((c) => c)
    .withCredential(credentials)
    .withEndpoint(endpoint)
    .build();
  // The SDK logs every error response to stdout; keep the test output readable.
  const quiet = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  };
  (client as unknown as { httpClient: { _logger: unknown } }).httpClient._logger = quiet;
  return client;
}

/** A DcsClient (v2) GET request's options. */
const get = (url: string, pathParams: Record<string, string>) => ({
  method: "GET",
  url,
  contentType: "application/json",
  queryParams: {},
  pathParams,
  headers: {},
});

/** The request shapes of DcsClient (v2): operation name → options. */
const DCS = {
  ShowInstance: (instanceId: string) =>
    get("/v2/{project_id}/instances/{instance_id}", { instance_id: instanceId }),
  UpdateSslSwitch: (instanceId: string, body: object) => ({
    method: "PUT",
    url: "/v2/{project_id}/instances/{instance_id}/ssl",
    contentType: "application/json;charset=UTF-8",
    queryParams: {},
    pathParams: { instance_id: instanceId },
    headers: {},
    data: body,
  }),
  ShowSslDetail: (instanceId: string) =>
    get("/v2/{project_id}/instances/{instance_id}/ssl", { instance_id: instanceId }),
  ShowJobInfo: (jobId: string) => get("/v2/{project_id}/jobs/{job_id}", { job_id: jobId }),
};

let client: HcClient;
type Options = Parameters<HcClient["sendRequest"]>[0];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function ok(op: keyof typeof DCS, options: Options): Promise<any> {
  const res = await client.sendRequest(options);
  covered.operations.add(op);
  return res;
}

async function refused(options: Options, c: HcClient = client): Promise<[number, string]> {
  const out = await c.sendRequest(options).then(
    (): [number, string] => [0, "no error"],
    (e: { httpStatusCode?: number; errorCode?: string }): [number, string] => [
      e.httpStatusCode ?? -1,
      e.errorCode ?? String(e),
    ],
  );
  covered.errors.add(out[1]);
  return out;
}

beforeAll(async () => {
  emu = await startEmulator({ huaweicloud: { settleMs: { sslJob: 400 } } });
  dcs = emu.clouds.huaweicloud;
  client = dcsClient(emu.endpoints.huaweicloud);
});
afterAll(async () => {
  await emu.stop();
  process.stdout.write(
    `huaweicloud SDK coverage: ${covered.operations.size} operations, ${covered.errors.size} error codes ` +
      `(${[...covered.errors].sort().join(", ")})\n`,
  );
});

describe("huaweicloud-sdk-core with the DCS v2 request shapes, bare endpoint", () => {
  it("ShowInstance reads status, engine, SSL flag and task", async () => {
    const i = await ok("ShowInstance", DCS.ShowInstance(HUAWEI_DEMO.sslInstanceId));
    expect(i.httpStatusCode).toBe(200);
    expect(i).toMatchObject({
      instance_id: HUAWEI_DEMO.sslInstanceId,
      engine: "Redis",
      status: "RUNNING",
      enable_ssl: false,
      task: null,
    });
    expect(typeof i.port).toBe("number");
  });

  it("ShowSslDetail answers 204 before SSL was ever on", async () => {
    const r = await ok("ShowSslDetail", DCS.ShowSslDetail(HUAWEI_DEMO.sslInstanceId));
    expect(r.httpStatusCode).toBe(204);
  });

  it("UpdateSslSwitch starts a job that ShowJobInfo follows to SUCCESS; the state reads back", async () => {
    const id = HUAWEI_DEMO.sslInstanceId;
    const started = await ok("UpdateSslSwitch", DCS.UpdateSslSwitch(id, { enabled: true }));
    expect(started.job_id).toMatch(/^[0-9a-f]{32}$/);
    expect(await refused(DCS.UpdateSslSwitch(id, { enabled: false }))).toEqual([400, "DCS.4026"]);
    let job = await ok("ShowJobInfo", DCS.ShowJobInfo(started.job_id));
    expect(["INIT", "RUNNING", "SUCCESS"]).toContain(job.status);
    for (let n = 0; job.status !== "SUCCESS" && n < 200; n++) {
      await new Promise((r) => setTimeout(r, 20));
      job = await client.sendRequest(DCS.ShowJobInfo(started.job_id));
    }
    expect(job).toMatchObject({ status: "SUCCESS", job_type: expect.any(String), fail_reason: null });
    const ssl = await ok("ShowSslDetail", DCS.ShowSslDetail(id));
    expect(ssl).toMatchObject({ enabled: true, ssl_validated: true, port: "6379" });
    expect(((await client.sendRequest(DCS.ShowInstance(id))) as { enable_ssl?: boolean }).enable_ssl).toBe(
      true,
    );
    expect(dcs.live().sslEnabled).toBe(1);
  });

  it("answers the documented error codes through the SDK's exceptions", async () => {
    expect(await refused(DCS.ShowInstance("00000000-0000-0000-0000-000000000000"))).toEqual([
      404,
      "DCS.3022",
    ]);
    expect(await refused(DCS.UpdateSslSwitch(HUAWEI_DEMO.redis5InstanceId, { enabled: true }))).toEqual([
      400,
      "DCS.4201",
    ]);
    expect(await refused(DCS.UpdateSslSwitch(HUAWEI_DEMO.busyInstanceId, { enabled: true }))).toEqual([
      400,
      "DCS.4049",
    ]);
    expect(await refused(DCS.UpdateSslSwitch(HUAWEI_DEMO.sslInstanceId, { enabled: "yes" }))).toEqual([
      400,
      "DCS.4202",
    ]);
    expect(await refused(DCS.ShowJobInfo("not-a-job"))).toEqual([400, "DCS.4070"]);
    expect(await refused(DCS.ShowJobInfo("0".repeat(32)))).toEqual([404, "DCS.4001"]);
    const wrongSk = dcsClient(emu.endpoints.huaweicloud, "not-the-sk");
    expect(await refused(DCS.ShowInstance(HUAWEI_DEMO.sslInstanceId), wrongSk)).toEqual([401, "APIGW.0301"]);
    const wrongAk = dcsClient(emu.endpoints.huaweicloud, "demo-sk", "someone-else");
    expect(await refused(DCS.ShowInstance(HUAWEI_DEMO.sslInstanceId), wrongAk)).toEqual([401, "APIGW.0301"]);
  });
});
