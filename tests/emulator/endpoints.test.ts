/**
 * Each cloud at the root of its own endpoint: a port per cloud, unknown paths answered in that
 * cloud's own error shape, an invalid `Host` refused, and the KakaoCloud document's curl lines
 * (the KakaoCloud API document; docs/cloud-facts.md) working as written against the Kakao endpoint.
 */
import { execFile } from "node:child_process";
import * as http from "node:http";
import { promisify } from "node:util";
import { type Emulator, startEmulator } from "../../emulator";
import { kakaoToken } from "../helpers/emulator";
import { clusterBody } from "./kakaocloud-helpers";

const run = promisify(execFile);
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ kakaocloud: { settleMs: { default: 100 } } });
});
afterAll(async () => {
  await emu.stop();
});

/** A raw request with a chosen `Host` header (fetch does not let one set it). */
function rawRequest(url: string, host: string, path = "/"): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path, method: "GET", headers: { host } },
      (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("endpoints", () => {
  it("serves each cloud at the root of its own port (IAM under /identity, as iam.kakaocloud.com)", () => {
    const urls = Object.values(emu.endpoints).map((e) => new URL(e));
    expect(new Set(urls.map((u) => u.port)).size).toBe(4);
    expect(new URL(emu.endpoints.kakaocloud).pathname).toBe("/");
    expect(new URL(emu.endpoints.alicloud).pathname).toBe("/");
    expect(new URL(emu.endpoints.huaweicloud).pathname).toBe("/");
    expect(new URL(emu.endpoints.kakaocloudIam).pathname).toBe("/identity");
    expect(emu.endpoints.kakaocloud).toBe(`http://127.0.0.1:${emu.ports.kakaocloud}`);
  });

  it("takes consecutive ports from `port`", async () => {
    // Another test process may take one of the four ports between the probe and the start: probe
    // again then (a few times), as a user would pick another port.
    let first = 0;
    let fixed: Awaited<ReturnType<typeof startEmulator>> | undefined;
    for (let attempt = 1; !fixed; attempt++) {
      const probe = await startEmulator();
      first = probe.ports.kakaocloud;
      await probe.stop();
      try {
        fixed = await startEmulator({ port: first });
      } catch (err) {
        if (attempt >= 5 || (err as { code?: string }).code !== "EADDRINUSE") throw err;
      }
    }
    try {
      expect(Object.values(fixed.ports)).toEqual([first, first + 1, first + 2, first + 3]);
    } finally {
      await fixed.stop();
    }
  });

  it("answers unknown paths in each cloud's own error shape", async () => {
    const ali = await fetch(`${emu.endpoints.alicloud}/alicloud/`);
    expect(ali.status).toBe(404);
    const aliBody = (await ali.json()) as Record<string, unknown>;
    expect(Object.keys(aliBody).sort()).toEqual(["Code", "HostId", "Message", "Recommend", "RequestId"]);
    expect(aliBody.Code).toBe("InvalidAction.NotFound");

    const hw = await fetch(`${emu.endpoints.huaweicloud}/huaweicloud/v2/p/instances`);
    expect(hw.status).toBe(404);
    expect(await hw.json()).toMatchObject({ error_code: "DCS.4001", error_ext_msg: null });

    const kakao = await fetch(`${emu.endpoints.kakaocloud}/kakaocloud/v1/clusters`);
    expect(kakao.status).toBe(404);
    expect(await kakao.json()).toMatchObject({ code: "NotFound" });

    const iam = await fetch(`${emu.endpoints.kakaocloud}/identity/v3/auth/tokens`, { method: "POST" });
    expect(iam.status).toBe(404);
  });

  it("answers a path that starts with // (an endpoint written with a trailing slash) in the cloud's shape, not 500", async () => {
    const host = (url: string) => new URL(url).host;
    const before = emu.requests.length;
    // Alibaba's RPC style: the action in the query string of the root path.
    const ali = await rawRequest(
      emu.endpoints.alicloud,
      host(emu.endpoints.alicloud),
      "//?Action=DescribeInstanceSSL&InstanceId=r-demo-cluster-01&Version=2015-01-01",
    );
    expect(ali.status).toBe(404);
    expect(JSON.parse(ali.body)).toMatchObject({
      Code: "InvalidAction.NotFound",
      HostId: "r-kvstore.aliyuncs.com",
    });
    // Huawei's REST style, with the project in the path.
    const hw = await rawRequest(
      emu.endpoints.huaweicloud,
      host(emu.endpoints.huaweicloud),
      "//v2/demo-project/instances/5560df16-cebf-4473-95c4-d1b573c16e79/ssl",
    );
    expect(hw.status).toBe(404);
    expect(JSON.parse(hw.body)).toMatchObject({ error_code: "DCS.4001", error_ext_msg: null });
    // KakaoCloud's REST style, and its IAM under /identity.
    const kakao = await rawRequest(emu.endpoints.kakaocloud, host(emu.endpoints.kakaocloud), "//v1/clusters");
    expect(kakao.status).toBe(404);
    expect(JSON.parse(kakao.body)).toMatchObject({ code: "NotFound" });
    for (const path of ["/identity//v3/auth/tokens", "//identity/v3/auth/tokens"]) {
      const iam = await rawRequest(emu.endpoints.kakaocloudIam, host(emu.endpoints.kakaocloudIam), path);
      expect(iam.status).toBe(404);
      expect(iam.body).not.toMatch(/EmulatorError|Invalid URL/);
    }
    // The request log has each of them, with the status the cloud answered.
    expect(emu.requests.slice(before).map((r) => [r.path.slice(0, 3), r.status])).toEqual([
      ["//", 404],
      ["//v", 404],
      ["//v", 404],
      ["/id", 404],
      ["//i", 404],
    ]);
  });

  it("refuses a Host header no client would send, in the cloud's shape", async () => {
    const ali = await rawRequest(emu.endpoints.alicloud, `127.0.0.1:${emu.ports.alicloud}/alicloud`);
    expect(ali.status).toBe(400);
    expect(JSON.parse(ali.body)).toMatchObject({
      Code: "InvalidParameter",
      HostId: "r-kvstore.aliyuncs.com",
    });
    const hw = await rawRequest(emu.endpoints.huaweicloud, "dcs example.com");
    expect(hw.status).toBe(400);
    expect(JSON.parse(hw.body)).toMatchObject({ error_code: "APIGW.0201" });
    const kakao = await rawRequest(
      emu.endpoints.kakaocloud,
      "redis.kr-central-2.kakaocloud.com/v1",
      "/v1/clusters",
    );
    expect(kakao.status).toBe(400);
    expect(JSON.parse(kakao.body)).toMatchObject({ code: "BadRequest" });
    // A well-formed host of another name is what a client behind a hosts-file entry sends.
    const named = await rawRequest(
      emu.endpoints.kakaocloud,
      "redis.kr-central-2.kakaocloud.com",
      "/v1/clusters",
    );
    expect(named.status).toBe(401);
  });

  it("serves the admin API on every port", async () => {
    for (const e of [emu.url, emu.endpoints.alicloud, emu.endpoints.huaweicloud]) {
      const res = await fetch(`${new URL(e).origin}/_emulator/counters`);
      expect(res.status).toBe(200);
      expect(await res.json()).toHaveProperty("requests");
    }
  });

  it("runs the KakaoCloud document's curl lines as written", async () => {
    const t = await kakaoToken(emu);
    const base = emu.endpoints.kakaocloud;
    const curl = async (...args: string[]) => {
      const { stdout } = await run("curl", ["-s", "-w", "\n%{http_code}", ...args]);
      const lines = stdout.split("\n");
      const status = Number(lines.pop());
      const text = lines.join("\n");
      return { status, body: text ? JSON.parse(text) : undefined };
    };
    const created = await curl(
      "-X", "POST", `${base}/v1/clusters`,
      "-H", `X-Auth-Token: ${t}`,
      "-H", "Content-Type: application/json",
      "-d", JSON.stringify(clusterBody("curl-doc", 1, 2)),
    ); // prettier-ignore
    expect(created.status).toBe(201);
    const id = created.body.objectId as string;
    const list = await curl("-X", "GET", `${base}/v1/clusters/${id}/shards`, "-H", `X-Auth-Token: ${t}`);
    expect(list.status).toBe(200);
    expect(list.body.shards).toHaveLength(1);
    for (let i = 0; i < 100; i++) {
      const c = await curl("-X", "GET", `${base}/v1/clusters/${id}`, "-H", `X-Auth-Token: ${t}`);
      if (JSON.stringify(c.body).includes('"Running"')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // The PATCH line sends no Content-Type, only `accept: application/json`.
    const patched = await curl(
      "-X", "PATCH", `${base}/v1/clusters/${id}`,
      "-H", "accept: application/json",
      "-H", `X-Auth-Token: ${t}`,
      "-d", JSON.stringify({ description: "from curl" }),
    ); // prettier-ignore
    expect(patched.status).toBeLessThan(300);
    const deleted = await curl("-X", "DELETE", `${base}/v1/clusters/${id}`, "-H", `X-Auth-Token: ${t}`);
    expect([200, 202, 409]).toContain(deleted.status);
  });
});
