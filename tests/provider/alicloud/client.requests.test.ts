/**
 * What `AlicloudClient` puts on the wire and makes of the answers, seen from a loopback HTTP server:
 * the common parameters, v1 and ACS3 signing over GET and POST, which actions are resent after a
 * 5xx, the parsing of DescribeInstanceAttribute / DescribeDBInstanceNetInfo, `directEndpointOf`, and
 * the settings (STS token, secrets registered for redaction, messages).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
  AlicloudClient,
  type AlicloudSettings,
  alicloudSettings,
  directEndpointOf,
} from "../../../provider/alicloud/client";
import { CloudError, redact } from "../../../provider/core/errors";
import { setStackConfig } from "../../../provider/core/config";
import type * as pulumi from "@pulumi/pulumi";
import { clearAlicloudEnv } from "./helpers";

interface Seen {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const seen: Seen[] = [];
let answers: { status: number; body: unknown }[] = [];
let server: http.Server;
let endpoint: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method!, url: new URL(req.url!, "http://x"), headers: req.headers, body });
      const a = answers.shift() ?? { status: 200, body: { RequestId: "OK-1" } };
      res.writeHead(a.status, { "content-type": "application/json" }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  clearAlicloudEnv();
});
beforeEach(() => {
  seen.length = 0;
  answers = [];
});

const settings = (over: Partial<AlicloudSettings> = {}): AlicloudSettings => ({
  credentials: { accessKeyId: "test-id", accessKeySecret: "test-secret-value" },
  region: "cn-hangzhou",
  endpoint,
  signatureVersion: "v1",
  ...over,
});
const client = (over: Partial<AlicloudSettings> = {}, method?: "GET" | "POST") =>
  new AlicloudClient(settings(over), { method, http: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } });
/** The parameters of a received request (query and form body). */
const params = (s: Seen) => ({
  ...Object.fromEntries(s.url.searchParams),
  ...Object.fromEntries(new URLSearchParams(s.body)),
});
const busy = { status: 503, body: { RequestId: "E-1", Code: "ServiceUnavailable", Message: "down" } };

describe("requests", () => {
  it("v1 POST: common parameters and the signature in a form body", async () => {
    await client().describeInstanceSSL("r-1");
    const [s] = seen;
    expect(s.method).toBe("POST");
    expect([...s.url.searchParams]).toEqual([]);
    expect(s.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(s.headers.authorization).toBeUndefined();
    expect(params(s)).toMatchObject({
      Action: "DescribeInstanceSSL",
      Version: "2015-01-01",
      Format: "JSON",
      RegionId: "cn-hangzhou",
      InstanceId: "r-1",
      SignatureMethod: "HMAC-SHA1",
      AccessKeyId: "test-id",
    });
    expect(params(s).Signature).toEqual(expect.any(String));
  });

  it("v1 GET: everything in the query, no body", async () => {
    await client({ region: undefined }, "GET").describeInstanceSSL("r-1");
    const [s] = seen;
    expect(s.method).toBe("GET");
    expect(s.body).toBe("");
    expect(s.url.searchParams.get("Action")).toBe("DescribeInstanceSSL");
    expect(s.url.searchParams.get("Signature")).toEqual(expect.any(String));
    expect(s.url.searchParams.has("RegionId")).toBe(false);
  });

  it("v3 POST: ACS3 headers, the parameters but not Action/Version in the form body", async () => {
    await client({ signatureVersion: "v3" }).allocateDirectConnection({ instanceId: "r-1", port: 6380 });
    const [s] = seen;
    expect(s.method).toBe("POST");
    expect(s.headers.authorization).toMatch(
      /^ACS3-HMAC-SHA256 Credential=test-id,SignedHeaders=.*content-type/,
    );
    expect(s.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(s.headers["x-acs-action"]).toBe("AllocateDirectConnection");
    expect(s.headers["x-acs-version"]).toBe("2015-01-01");
    expect(Object.fromEntries(new URLSearchParams(s.body))).toEqual({
      Format: "JSON",
      RegionId: "cn-hangzhou",
      InstanceId: "r-1",
      Port: "6380",
    });
    expect(params(s).Signature).toBeUndefined();
  });

  it("v3 GET: the parameters in the query, no content type", async () => {
    await client({ signatureVersion: "v3" }, "GET").describeDBInstanceNetInfo("r-1");
    const [s] = seen;
    expect(s.method).toBe("GET");
    expect(s.headers["content-type"]).toBeUndefined();
    expect(s.headers.authorization).not.toMatch(/content-type/);
    expect(Object.fromEntries(s.url.searchParams)).toEqual({
      Format: "JSON",
      RegionId: "cn-hangzhou",
      InstanceId: "r-1",
    });
  });

  it("names the operation after the action and the instance", async () => {
    answers = [
      { status: 400, body: { Code: "Odd", Message: "m" } },
      { status: 400, body: { Code: "Odd" } },
    ];
    const withId = await client()
      .releaseDirectConnection("r-9")
      .catch((e: unknown) => e);
    expect((withId as CloudError).operation).toBe("ReleaseDirectConnection r-9");
    const without = await client()
      .call("DescribeRegions", {}, false)
      .catch((e: unknown) => e);
    expect((without as CloudError).operation).toBe("DescribeRegions");
  });

  it("says the cloud on a network error", async () => {
    const dead = new AlicloudClient(settings({ endpoint: "http://127.0.0.1:1" }), { http: { retries: 0 } });
    const err = await dead.describeInstanceSSL("r-1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).cloud).toBe("alicloud");
    expect((err as CloudError).code).toBe("NetworkError");
  });
});

describe("resending after a 5xx", () => {
  it.each([
    ["releaseDirectConnection", 1, (c: AlicloudClient) => c.releaseDirectConnection("r-1")],
    ["allocateDirectConnection", 1, (c: AlicloudClient) => c.allocateDirectConnection({ instanceId: "r-1" })],
    ["describeInstanceSSL", 2, (c: AlicloudClient) => c.describeInstanceSSL("r-1")],
    ["describeDBInstanceNetInfo", 2, (c: AlicloudClient) => c.describeDBInstanceNetInfo("r-1")],
  ] as const)("%s is sent %i time(s)", async (_name, times, run) => {
    answers = [busy, { status: 200, body: { RequestId: "OK", Instances: { DBInstanceAttribute: [] } } }];
    await run(client()).catch(() => undefined);
    expect(seen).toHaveLength(times);
  });

  it("describeInstanceAttribute is resent", async () => {
    answers = [
      busy,
      {
        status: 200,
        body: { Instances: { DBInstanceAttribute: [{ InstanceId: "r-1", InstanceStatus: "Normal" }] } },
      },
    ];
    await expect(client().describeInstanceAttribute("r-1")).resolves.toMatchObject({
      InstanceStatus: "Normal",
    });
    expect(seen).toHaveLength(2);
  });
});

describe("answers", () => {
  const attr = (body: unknown) => {
    answers = [{ status: 200, body }];
    return client().describeInstanceAttribute("r-2");
  };

  it("picks the instance asked for, else the first one listed", async () => {
    const list = [
      { InstanceId: "r-1", InstanceStatus: "Changing" },
      { InstanceId: "r-2", InstanceStatus: "Normal" },
    ];
    await expect(attr({ Instances: { DBInstanceAttribute: list } })).resolves.toEqual(list[1]);
    await expect(attr({ Instances: { DBInstanceAttribute: [list[0]] } })).resolves.toEqual(list[0]);
  });

  it("answers InvalidInstanceId.NotFound when nothing is listed", async () => {
    for (const body of [
      { RequestId: "Q-1" },
      { Instances: {} },
      { Instances: { DBInstanceAttribute: [] } },
    ]) {
      await expect(attr(body)).rejects.toMatchObject({ code: "InvalidInstanceId.NotFound", httpStatus: 404 });
    }
  });

  it("lists no endpoints when NetInfoItems is missing", async () => {
    answers = [
      { status: 200, body: { RequestId: "N" } },
      { status: 200, body: { NetInfoItems: {} } },
    ];
    await expect(client().describeDBInstanceNetInfo("r-1")).resolves.toEqual([]);
    await expect(client().describeDBInstanceNetInfo("r-1")).resolves.toEqual([]);
  });
});

describe("directEndpointOf", () => {
  it("keeps direct entries of the first endpoint, with their addresses, deduplicated", () => {
    const e = directEndpointOf([
      { ConnectionString: "classic.redis", IPAddress: "10.0.0.1", Port: "6379" },
      { ConnectionString: "vpc.redis", IPAddress: "10.0.0.9", Port: "6379", DirectConnection: 0 },
      {
        ConnectionString: "direct.redis",
        IPAddress: "10.0.0.2, 10.0.0.3,",
        Port: "6380",
        DirectConnection: "1",
        VPCId: "vpc-1",
      },
      { ConnectionString: "direct.redis", Port: "6380", DirectConnection: 1 },
      { ConnectionString: "direct.redis", IPAddress: "10.0.0.3", Port: "6380", DirectConnection: 1 },
      { ConnectionString: "other.redis", IPAddress: "10.0.0.7", Port: "6381", DirectConnection: 1 },
    ]);
    expect(e).toEqual({
      connectionString: "direct.redis",
      port: 6380,
      ipAddresses: ["10.0.0.2", "10.0.0.3"],
      vpcId: "vpc-1",
      vSwitchId: undefined,
    });
    expect(directEndpointOf([{ ConnectionString: "a", IPAddress: "1.1.1.1" }])).toBeUndefined();
    expect(
      directEndpointOf([{ ConnectionString: "d", DirectConnection: "1", Port: 1 }])?.ipAddresses,
    ).toEqual([]);
  });
});

describe("alicloudSettings", () => {
  afterEach(clearAlicloudEnv);
  const base = () => {
    clearAlicloudEnv();
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "env-id";
  };

  it("reads the STS token and the region from the environment, and registers the secrets", () => {
    base();
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "env-secret-0001";
    process.env.ALIBABA_CLOUD_SECURITY_TOKEN = "env-sts-token-0001";
    process.env.ALIBABA_CLOUD_REGION = "cn-shenzhen";
    const s = alicloudSettings();
    expect(s.credentials.securityToken).toBe("env-sts-token-0001");
    expect(s.region).toBe("cn-shenzhen");
    expect(redact("a env-secret-0001 b env-sts-token-0001 c")).toBe("a *** b *** c");
  });

  it("reads the STS token from the stack configuration", () => {
    base();
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "env-secret-0002";
    const values: Record<string, string> = { "managed-redis:alicloudSecurityToken": "cfg-sts-token-0002" };
    setStackConfig({
      get: (k: string) => values[k],
      require: (k: string) => values[k],
    } as pulumi.dynamic.Config);
    expect(alicloudSettings().credentials.securityToken).toBe("cfg-sts-token-0002");
    expect(redact("cfg-sts-token-0002")).toBe("***");
  });

  it("joins every missing credential with '; and '", () => {
    clearAlicloudEnv();
    expect(() => alicloudSettings()).toThrow(
      "ALIBABA_CLOUD_ACCESS_KEY_ID / ALICLOUD_ACCESS_KEY; and AccessKey secret",
    );
  });

  it("names the endpoint setting when the endpoint is refused", () => {
    base();
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "env-secret-0003";
    process.env.ALIBABA_CLOUD_REDIS_ENDPOINT = "http://r-kvstore.example.com";
    expect(() => alicloudSettings()).toThrow("managed-redis:alicloudEndpoint");
  });
});
