/**
 * The seeded fault mix: repeatable decisions, each cloud's own error shapes, busy refusals only on
 * mutations of existing resources, faults injected before the handler (nothing acted), slow
 * answers that do act, streak limits, counters and the on/off switch; over real HTTP on loopback.
 */
import { randomUUID } from "node:crypto";
import { startEmulator, faultMix, seededRandom, type Emulator, type EmuRequest } from "../../emulator";
import type { KakaocloudModule } from "../../emulator/kakaocloud";
import { HUAWEI_DEMO, type HuaweicloudModule } from "../../emulator/huaweicloud";
import type { AlicloudCloudModule } from "../../emulator/alicloud";
import { signRpcV1 } from "../../provider/alicloud/signing";
import { signSdkHmacSha256 } from "../../provider/huaweicloud/signing";
import { kakaoToken } from "../helpers/emulator";

let emu: Emulator;
let kakao: KakaocloudModule;
let token: string;

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

async function kakaoCall(method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${emu.endpoints.kakaocloud}${path}`, {
    method,
    headers: { "X-Auth-Token": token, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return answer(res);
}

async function aliCall(action: string, params: Record<string, string>): Promise<Answer> {
  const signed = signRpcV1(
    { accessKeyId: "demo-access-key-id", accessKeySecret: "demo-access-key-secret" },
    { method: "POST", params: { Action: action, Version: "2015-01-01", Format: "JSON", ...params } },
    { timestamp: new Date(), nonce: randomUUID() },
  );
  const res = await fetch(`${emu.endpoints.alicloud}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(signed).toString(),
  });
  return answer(res);
}

async function dcsCall(method: string, path: string, body?: string): Promise<Answer> {
  const url = `${emu.endpoints.huaweicloud}${path}`;
  const base: Record<string, string> = body !== undefined ? { "Content-Type": "application/json" } : {};
  const headers = signSdkHmacSha256(
    { accessKey: "demo-ak", secretKey: "demo-sk" },
    { method, url, headers: base, body: body ?? "" },
    { timestamp: new Date() },
  );
  return answer(await fetch(url, { method, headers, body }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const CLUSTER = {
  name: "faults-cluster",
  version: "7.2.6",
  port: 6379,
  shardCount: 1,
  nodeCountPerShard: 1,
  flavorId: "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
  parameterGroupId: "pg-1",
  subnets: [{ id: "subnet-a" }],
  subnetAssignments: [{ primary: { id: "subnet-a" }, replicas: [] }],
  securityGroups: [{ id: "sg-1" }],
};

function fakeRequest(method: string, path: string): EmuRequest {
  return {
    method,
    path,
    query: new URLSearchParams(),
    headers: {},
    rawBody: "",
    json: undefined,
    badJson: false,
    params: {},
    host: "",
  };
}

beforeAll(async () => {
  emu = await startEmulator({
    kakaocloud: { settleMs: { default: 30 } },
    alicloud: { settleMs: { default: 30 } },
    huaweicloud: { settleMs: { default: 30 } },
  });
  kakao = emu.clouds.kakaocloud as KakaocloudModule;
  token = await kakaoToken(emu);
});

afterEach(() => emu.setFaults(undefined));
afterAll(async () => emu?.stop());

describe("seededRandom and the decisions", () => {
  it("repeats the same sequence for the same seed and another for another seed", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const seqA = Array.from({ length: 20 }, () => a());
    expect(Array.from({ length: 20 }, () => b())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("makes the same decisions for the same requests with the same seed", () => {
    const decide = (seed: number) => {
      const mix = faultMix({ seed, rate: 0.3 });
      const labels: string[] = [];
      for (let i = 0; i < 200; i++) {
        const op = i % 3 === 0 ? "getCluster" : i % 3 === 1 ? "listShards" : "updateCluster";
        const method = op === "updateCluster" ? "PATCH" : "GET";
        labels.push(mix("kakaocloud", fakeRequest(method, `/v1/clusters/c${i % 5}`), op)?.label ?? "-");
      }
      return { labels, total: mix.total() };
    };
    const first = decide(42);
    expect(decide(42)).toEqual(first);
    expect(decide(43).labels).not.toEqual(first.labels);
    // About 30% of 200, allowing for the streak limit and chance.
    expect(first.total).toBeGreaterThan(30);
    expect(first.total).toBeLessThan(90);
  });

  it("injects nothing at rate 0, and refuses bad options with the option's name", () => {
    const mix = faultMix({ seed: 1, rate: 0 });
    for (let i = 0; i < 50; i++)
      expect(mix("kakaocloud", fakeRequest("GET", "/v1/clusters"), "listClusters")).toBeUndefined();
    expect(() => faultMix({ seed: 1, rate: 1.5 })).toThrow(/`rate`/);
    expect(() => faultMix({ seed: 1.5, rate: 0.1 })).toThrow(/`seed`/);
    expect(() => faultMix({ seed: 1, rate: 0.1, kinds: ["boom" as never] })).toThrow(/`kinds`.*boom/);
    expect(() => faultMix({ seed: 1, rate: 0.1, delayMs: [10, 5] })).toThrow(/`delayMs`/);
  });
});

describe("each cloud's own error shapes", () => {
  it("KakaoCloud: 429 {code, message} with Retry-After", async () => {
    emu.setFaults(faultMix({ seed: 1, rate: 1, kinds: ["throttle"], retryAfterSeconds: 2 }));
    const r = await kakaoCall("GET", "/v1/clusters");
    expect(r.status).toBe(429);
    expect(r.body).toEqual({ code: "TooManyRequests", message: expect.any(String) });
    expect(r.headers.get("retry-after")).toBe("2");
    expect(r.headers.get("x-request-id")).toMatch(/^req-/);
  });

  it("Alibaba: Throttling.User / Throttling in {RequestId, HostId, Code, Message, Recommend}", async () => {
    emu.setFaults(faultMix({ seed: 3, rate: 1, kinds: ["throttle"], clouds: ["alicloud"] }));
    const codes = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = await aliCall("DescribeInstanceSSL", { InstanceId: "r-demo-cluster-01" });
      if (r.status === 200) continue; // the streak limit lets one through now and then
      expect(r.status).toBe(400);
      expect(Object.keys(r.body).sort()).toEqual(["Code", "HostId", "Message", "Recommend", "RequestId"]);
      codes.add(r.body.Code);
    }
    expect([...codes].every((c) => c === "Throttling.User" || c === "Throttling")).toBe(true);
    expect(codes.size).toBeGreaterThan(0);
  });

  it("Huawei: 429 APIGW.0308 and 5xx in {error_code, error_msg, error_ext_msg}", async () => {
    emu.setFaults(faultMix({ seed: 5, rate: 1, kinds: ["throttle", "error5xx"], clouds: ["huaweicloud"] }));
    const seen = new Map<number, string>();
    for (let i = 0; i < 8; i++) {
      const r = await dcsCall("GET", `/v2/${HUAWEI_DEMO.projectId}/instances/${HUAWEI_DEMO.sslInstanceId}`);
      if (r.status === 200) continue;
      expect(Object.keys(r.body).sort()).toEqual(["error_code", "error_ext_msg", "error_msg"]);
      seen.set(r.status, r.body.error_code);
    }
    expect([...seen.keys()].every((s) => [429, 500, 503].includes(s))).toBe(true);
    if (seen.has(429)) expect(seen.get(429)).toBe("APIGW.0308");
  });
});

describe("where faults go", () => {
  it("answers busy only on mutations of an existing resource, never on reads or a create", async () => {
    const mix = faultMix({ seed: 9, rate: 1, kinds: ["busy"], maxConsecutive: 100 });
    emu.setFaults(mix);
    expect((await kakaoCall("GET", "/v1/clusters")).status).toBe(200);
    const created = await kakaoCall("POST", "/v1/clusters", { ...CLUSTER, name: "busy-probe" });
    expect(created.status).toBe(201);
    const id = created.body.objectId as string;
    const patch = await kakaoCall("PATCH", `/v1/clusters/${id}`, { description: "x" });
    expect(patch).toMatchObject({ status: 409, body: { code: "ClusterBusy" } });
    const ssl = await aliCall("ModifyInstanceSSL", { InstanceId: "r-demo-cluster-02", SSLEnabled: "Enable" });
    expect(ssl).toMatchObject({ status: 403, body: { Code: "IncorrectDBInstanceState" } });
    expect((await aliCall("DescribeInstanceSSL", { InstanceId: "r-demo-cluster-02" })).status).toBe(200);
    const put = await dcsCall(
      "PUT",
      `/v2/${HUAWEI_DEMO.projectId}/instances/${HUAWEI_DEMO.sslInstanceId}/ssl`,
      JSON.stringify({ enabled: true }),
    );
    expect(put.status).toBe(400);
    expect(put.body.error_code).toMatch(/^DCS\.(4049|4026|4975)$/);
    // The refusals did not act.
    expect((emu.clouds.alicloud as AlicloudCloudModule).created().sslEnable).toBe(0);
    expect((emu.clouds.huaweicloud as HuaweicloudModule).created().sslJob).toBe(0);
    expect(mix.injected()).toEqual({
      "kakaocloud:ClusterBusy": 1,
      "alicloud:IncorrectDBInstanceState": 1,
      ["huaweicloud:" + put.body.error_code]: 1,
    });
    emu.setFaults(undefined);
    await sleep(60);
    expect((await kakaoCall("DELETE", `/v1/clusters/${id}`)).status).toBe(200);
  });

  it("injects 5xx and resets before the handler: a create that failed created nothing", async () => {
    const before = kakao.created().cluster;
    const mix = faultMix({
      seed: 11,
      rate: 1,
      kinds: ["error5xx"],
      ops: ["createCluster"],
      maxConsecutive: 100,
    });
    emu.setFaults(mix);
    const r = await kakaoCall("POST", "/v1/clusters", { ...CLUSTER, name: "never-created" });
    expect([500, 503]).toContain(r.status);
    expect(r.body.code).toMatch(/^(InternalError|ServiceUnavailable)$/);
    emu.setFaults(faultMix({ seed: 11, rate: 1, kinds: ["reset"], ops: ["createCluster"] }));
    await expect(kakaoCall("POST", "/v1/clusters", { ...CLUSTER, name: "never-created" })).rejects.toThrow();
    expect(kakao.created().cluster).toBe(before);
    expect(kakao.snapshot().clusters.some((c) => c.name === "never-created")).toBe(false);
    const logged = emu.requests.filter((e) => e.op === "createCluster" && e.fault);
    expect(logged.map((e) => e.status).slice(-2)).toEqual([r.status, -1]);
    expect(logged[logged.length - 1].fault).toBe("kakaocloud:reset");
    // Reads were not selected by `ops`.
    expect((await kakaoCall("GET", "/v1/clusters")).status).toBe(200);
  });

  it("answers slowly but for real on a delay: the handler acts", async () => {
    const mix = faultMix({ seed: 2, rate: 1, kinds: ["delay"], delayMs: [300, 300], ops: ["createCluster"] });
    emu.setFaults(mix);
    const started = Date.now();
    const r = await kakaoCall("POST", "/v1/clusters", { ...CLUSTER, name: "slow-one" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(r.status).toBe(201);
    expect(kakao.snapshot().clusters.some((c) => c.name === "slow-one")).toBe(true);
    expect(mix.byKind()).toMatchObject({ delay: 1, reset: 0, throttle: 0 });
    expect(mix.events[0]).toMatchObject({ cloud: "kakaocloud", op: "createCluster", mutating: true });
    emu.setFaults(undefined);
    await sleep(60);
    expect((await kakaoCall("DELETE", `/v1/clusters/${r.body.objectId}`)).status).toBe(200);
  });

  it("lets a request through after maxConsecutive faults in a row, and stops when disabled", async () => {
    const mix = faultMix({
      seed: 4,
      rate: 1,
      kinds: ["throttle"],
      maxConsecutive: 2,
      clouds: ["kakaocloud"],
    });
    emu.setFaults(mix);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await kakaoCall("GET", "/v1/redis/versions")).status);
    expect(statuses).toEqual([429, 429, 200, 429, 429, 200]);
    mix.enabled = false;
    expect((await kakaoCall("GET", "/v1/redis/versions")).status).toBe(200);
    expect(mix.total()).toBe(4);
    expect(mix.injected()).toEqual({ "kakaocloud:429": 4 });
    // Other clouds were not selected.
    mix.enabled = true;
    expect((await aliCall("DescribeInstanceSSL", { InstanceId: "r-demo-cluster-01" })).status).toBe(200);
  });

  it("never touches the emulator's admin routes", async () => {
    emu.setFaults(faultMix({ seed: 1, rate: 1 }));
    const res = await fetch(`${emu.url}/_emulator/counters`);
    expect(res.status).toBe(200);
    const fail = await fetch(`${emu.endpoints.kakaocloud}/_emulator/expire-tokens`, { method: "POST" });
    expect(fail.status).toBe(200);
  });
});
