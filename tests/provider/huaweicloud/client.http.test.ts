/**
 * `DcsClient` over loopback against the emulator: what goes on the wire (content type, ids in the
 * URL and in the operation, abort signals), how the answers of the SSL PUT and GET are read, and
 * which credentials are registered for redaction.
 */
import * as net from "node:net";
import { type Emulator, type EmuRequest, type EmuResponse, startEmulator } from "../../../emulator";
import { HUAWEI_DEMO, type HuaweicloudModule } from "../../../emulator/huaweicloud";
import { CloudError } from "../../../provider/core/errors";
import { DcsClient, type DcsSettings } from "../../../provider/huaweicloud/client";
import { DEMO_ENV } from "../../helpers/emulator";
import { fresh } from "../../helpers/fresh";
import { rejection } from "../../helpers/errors";

const P = HUAWEI_DEMO.projectId;
let emu: Emulator;
let dcs: HuaweicloudModule;
let client: DcsClient;
const seen: { op?: string; req: EmuRequest }[] = [];

beforeAll(async () => {
  emu = await startEmulator({ huaweicloud: { settleMs: { sslJob: 50 } } });
  dcs = emu.clouds.huaweicloud as HuaweicloudModule;
  client = new DcsClient(
    {
      endpoint: emu.endpoints.huaweicloud,
      auth: { kind: "aksk", accessKey: DEMO_ENV.HW_ACCESS_KEY, secretKey: DEMO_ENV.HW_SECRET_KEY },
    },
    { retries: 0 },
  );
});
afterAll(() => emu.stop());
beforeEach(() => {
  seen.length = 0;
  emu.setFaults((_cloud, req, op) => {
    seen.push({ op, req });
    return undefined;
  });
});

/** Answers the operation `op` with `response` instead of the API. */
const answer = (op: string, response: EmuResponse) =>
  emu.setFaults((_cloud, req, o) => {
    seen.push({ op: o, req });
    return o === op ? { kind: "respond", label: `fake-${op}`, response } : undefined;
  });

describe("DcsClient on the wire", () => {
  it("sends the SSL PUT as signed JSON, and GETs without a content type", async () => {
    const id = dcs.addInstance({});
    const { jobId, instanceId } = await client.setSsl(P, id, true);
    expect(instanceId).toBe(id);
    expect(jobId).toMatch(/^[0-9a-f]{32}$/);
    await client.getSsl(P, id);
    const [put, get] = seen;
    expect(put.op).toBe("setSsl");
    expect(put.req.headers["content-type"]).toBe("application/json;charset=UTF-8");
    expect(put.req.json).toEqual({ enabled: true });
    expect(put.req.headers.authorization).toMatch(/SignedHeaders=content-type;host;x-sdk-date,/);
    expect(get.op).toBe("getSsl");
    expect(get.req.headers["content-type"]).toBeUndefined();
    expect(get.req.headers.authorization).toMatch(/SignedHeaders=host;x-sdk-date,/);
  });

  it("encodes the ids in the URL and shows them as given in the operation", async () => {
    const withToken = new DcsClient(
      { endpoint: emu.endpoints.huaweicloud, auth: { kind: "token", token: "demo-token" } },
      { retries: 0 },
    );
    const err = await rejection(withToken.getInstance(P, "no such/instance"));
    expect(seen.map((s) => s.req.path)).toEqual([`/v2/${P}/instances/no%20such%2Finstance`]);
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({
      cloud: "huaweicloud",
      httpStatus: 404,
      operation: `GET /v2/${P}/instances/no such/instance`,
    });
  });

  it("names the cloud in the errors of the HTTP client itself", async () => {
    const port = await closedPort();
    const offline = new DcsClient(
      { endpoint: `http://127.0.0.1:${port}`, auth: { kind: "token", token: "demo-token" } },
      { retries: 0 },
    );
    const err = await rejection(offline.getSsl(P, "i-1"));
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({
      cloud: "huaweicloud",
      code: "NetworkError",
      operation: `GET /v2/${P}/instances/i-1/ssl`,
    });
  });

  it("passes the abort signal of every read: an aborted read sends nothing", async () => {
    const id = dcs.addInstance({ sslEnabled: true });
    const { jobId } = await client.setSsl(P, dcs.addInstance({}), true);
    seen.length = 0;
    const reason = new Error("stopped by the test");
    const aborted = AbortSignal.abort(reason);
    expect(await rejection(client.getInstance(P, id, aborted))).toBe(reason);
    expect(await rejection(client.getSsl(P, id, aborted))).toBe(reason);
    expect(await rejection(client.getJob(P, jobId, aborted))).toBe(reason);
    expect(await rejection(client.setSsl(P, id, false, aborted))).toBe(reason);
    expect(seen).toEqual([]);
    // The same calls without the signal are answered.
    await expect(client.getInstance(P, id)).resolves.toMatchObject({ instance_id: id });
    await expect(client.getJob(P, jobId)).resolves.toMatchObject({ job_id: jobId });
  });
});

describe("DcsClient.setSsl answers", () => {
  const put = () => client.setSsl(P, HUAWEI_DEMO.sslInstanceId, true);

  it("takes the instance id of the answer when it has one", async () => {
    answer("setSsl", { status: 200, body: { job_id: "j-9", instance_id: "i-from-answer" } });
    await expect(put()).resolves.toEqual({ jobId: "j-9", instanceId: "i-from-answer" });
    answer("setSsl", { status: 200, body: { job_id: "j-9" } });
    await expect(put()).resolves.toEqual({ jobId: "j-9", instanceId: HUAWEI_DEMO.sslInstanceId });
  });

  it.each([
    ["an object without job_id", { status: 200, body: { instance_id: "x" } }],
    ["an empty body", { status: 200, body: "" }],
    ["no content", { status: 204 }],
  ])("refuses an answer with %s as NoJobId", async (_what, response) => {
    answer("setSsl", response);
    const err = await rejection(put());
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({
      cloud: "huaweicloud",
      code: "NoJobId",
      httpStatus: response.status,
      operation: `PUT /v2/${P}/instances/${HUAWEI_DEMO.sslInstanceId}/ssl`,
      message:
        `huaweicloud PUT /v2/${P}/instances/${HUAWEI_DEMO.sslInstanceId}/ssl: NoJobId: the SSL change was ` +
        `accepted but the answer carried no job_id (HTTP ${response.status})`,
    });
  });
});

describe("DcsClient.getSsl answers", () => {
  const get = () => client.getSsl(P, HUAWEI_DEMO.sslInstanceId);

  it.each([
    ["no content", { status: 204 }],
    ["a JSON null", { status: 200, body: "null" }],
    ["a JSON string", { status: 200, body: '"enabled"' }],
  ])("reads %s as SSL off", async (_what, response) => {
    answer("getSsl", response);
    const ssl = await get();
    expect(ssl).toStrictEqual({
      enabled: false,
      ip: undefined,
      ipv6: undefined,
      port: undefined,
      domainName: undefined,
      sslExpiredAt: undefined,
      sslValidated: undefined,
    });
  });

  it("keeps only values of the documented types, and reads the port as a number", async () => {
    answer("getSsl", {
      status: 200,
      body: {
        enabled: true,
        ip: "",
        ipv6: 7,
        port: "6379",
        domain_name: null,
        ssl_expired_at: "",
        ssl_validated: "true",
      },
    });
    expect(await get()).toStrictEqual({
      enabled: true,
      ip: undefined,
      ipv6: undefined,
      port: 6379,
      domainName: undefined,
      sslExpiredAt: undefined,
      sslValidated: undefined,
    });
    answer("getSsl", {
      status: 200,
      body: {
        enabled: "true",
        ip: "192.168.0.5",
        ipv6: "fd00::5",
        port: 6380,
        domain_name: "redis.example.com",
        ssl_expired_at: "2027-01-01T00:00:00Z",
        ssl_validated: false,
      },
    });
    expect(await get()).toStrictEqual({
      enabled: false,
      ip: "192.168.0.5",
      ipv6: "fd00::5",
      port: 6380,
      domainName: "redis.example.com",
      sslExpiredAt: "2027-01-01T00:00:00Z",
      sslValidated: false,
    });
    answer("getSsl", { status: 200, body: { enabled: true, port: "none" } });
    expect((await get()).port).toBeUndefined();
  });
});

describe("DcsClient credentials", () => {
  /** A copy of the client and of the redaction registry that no other test shares. */
  const isolated = () =>
    fresh(() => ({
      DcsClient: (
        require("../../../provider/huaweicloud/client") as typeof import("../../../provider/huaweicloud/client")
      ).DcsClient,
      redact: (require("../../../provider/core/errors") as typeof import("../../../provider/core/errors"))
        .redact,
    }));
  const hidden = (redact: (t: string) => string, value: string) => !redact(`x ${value} y`).includes(value);
  const settings = (auth: DcsSettings["auth"]): DcsSettings => ({
    endpoint: "https://dcs.example.com",
    auth,
  });

  it("registers the secret key and the security token of AK/SK for redaction", () => {
    const { DcsClient: Client, redact } = isolated();
    const secretKey = "fake-secret-key-1f2e";
    const securityToken = "fake-security-token-9a8b";
    expect(hidden(redact, secretKey)).toBe(false);
    new Client(settings({ kind: "aksk", accessKey: "fake-ak", secretKey, securityToken }));
    expect(hidden(redact, secretKey)).toBe(true);
    expect(hidden(redact, securityToken)).toBe(true);
  });

  it("registers the IAM token for redaction", () => {
    const { DcsClient: Client, redact } = isolated();
    const token = "fake-iam-token-5c6d";
    expect(hidden(redact, token)).toBe(false);
    new Client(settings({ kind: "token", token }));
    expect(hidden(redact, token)).toBe(true);
  });
});

/** A loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
