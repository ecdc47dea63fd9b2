import type { Emulator } from "../../../emulator";
import type { AlicloudCloudModule } from "../../../emulator/alicloud";
import {
  AlicloudClient,
  alicloudSettings,
  directEndpointOf,
  sslEnabledWord,
} from "../../../provider/alicloud/client";
import { alicloudError, isBusy, isInstanceNotFound } from "../../../provider/alicloud/errors";
import { isAmbiguous } from "../../../provider/alicloud/support";
import { CloudError, ConfigError } from "../../../provider/core/errors";
import { setStackConfig } from "../../../provider/core/config";
import type * as pulumi from "@pulumi/pulumi";
import { DEMO, actions, clearAlicloudEnv, failFirst, startAlicloud } from "./helpers";
import { thrown } from "../../helpers/errors";

let emu: Emulator;
let ali: AlicloudCloudModule;

beforeAll(async () => {
  ({ emu, ali } = await startAlicloud());
});
afterAll(async () => {
  clearAlicloudEnv();
  await emu.stop();
});
afterEach(() => emu.setFaults(undefined));

function restoreEnv(): void {
  clearAlicloudEnv();
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = DEMO.accessKeyId;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = DEMO.accessKeySecret;
  process.env.ALIBABA_CLOUD_REDIS_ENDPOINT = emu.endpoints.alicloud;
  process.env.PULUMI_MANAGED_REDIS_POLL_SCALE = "0.01";
}

describe("alicloudSettings", () => {
  afterEach(restoreEnv);

  it("names every key and variable when credentials are missing", () => {
    clearAlicloudEnv();
    expect(() => alicloudSettings()).toThrow(
      /managed-redis:alicloudAccessKeyId.*ALIBABA_CLOUD_ACCESS_KEY_ID \/ ALICLOUD_ACCESS_KEY.*managed-redis:alicloudAccessKeySecret.*ALIBABA_CLOUD_ACCESS_KEY_SECRET \/ ALICLOUD_SECRET_KEY/,
    );
    expect(thrown(alicloudSettings)).toEqual(expect.any(ConfigError));
    expect(thrown(alicloudSettings)).toMatchObject({ name: "ConfigError", code: "MissingCredentials" });
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "id-only";
    expect(() => alicloudSettings()).toThrow(/AccessKey secret/);
    expect(() => alicloudSettings()).not.toThrow(/AccessKey id:/);
  });

  it("reads the Terraform-style variables, the default endpoint and the STS token", () => {
    clearAlicloudEnv();
    process.env.ALICLOUD_ACCESS_KEY = "tf-id";
    process.env.ALICLOUD_SECRET_KEY = "tf-secret";
    process.env.ALICLOUD_SECURITY_TOKEN = "tf-token";
    process.env.ALICLOUD_REGION = "cn-beijing";
    expect(alicloudSettings()).toEqual({
      credentials: { accessKeyId: "tf-id", accessKeySecret: "tf-secret", securityToken: "tf-token" },
      region: "cn-beijing",
      endpoint: "https://r-kvstore.aliyuncs.com",
      signatureVersion: "v1",
    });
  });

  it("prefers the stack configuration over the environment", () => {
    const values: Record<string, string> = {
      "managed-redis:alicloudAccessKeyId": "cfg-id",
      "managed-redis:alicloudAccessKeySecret": "cfg-secret",
      "managed-redis:alicloudEndpoint": "https://r-kvstore.cn-shanghai.aliyuncs.com/",
      "managed-redis:alicloudSignatureVersion": "V3",
      "managed-redis:alicloudRegion": "cn-shanghai",
    };
    setStackConfig({
      get: (k: string) => values[k],
      require: (k: string) => values[k],
    } as pulumi.dynamic.Config);
    const s = alicloudSettings();
    expect(s.credentials.accessKeyId).toBe("cfg-id");
    expect(s.endpoint).toBe("https://r-kvstore.cn-shanghai.aliyuncs.com");
    expect(s.signatureVersion).toBe("v3");
    expect(s.region).toBe("cn-shanghai");
  });

  it("refuses plain http off loopback and an unknown signature version", () => {
    process.env.ALIBABA_CLOUD_REDIS_ENDPOINT = "http://r-kvstore.aliyuncs.com";
    expect(() => alicloudSettings()).toThrow(/plain http:\/\/ on a non-loopback host/);
    process.env.ALIBABA_CLOUD_REDIS_ENDPOINT = emu.endpoints.alicloud;
    process.env.ALIBABA_CLOUD_SIGNATURE_VERSION = "v2";
    expect(() => alicloudSettings()).toThrow(/"v1" or "v3"/);
    expect(thrown(alicloudSettings)).toEqual(expect.any(ConfigError));
    expect(thrown(alicloudSettings)).toMatchObject({ name: "ConfigError", code: "InvalidConfig" });
  });
});

describe("AlicloudClient against the emulator", () => {
  const variants: ["v1" | "v3", "GET" | "POST"][] = [
    ["v1", "POST"],
    ["v1", "GET"],
    ["v3", "POST"],
    ["v3", "GET"],
  ];
  it.each(variants)(
    "signs with %s over %s and reads the documented bodies",
    async (signatureVersion, method) => {
      const client = new AlicloudClient({ ...alicloudSettings(), signatureVersion }, { method });
      const from = emu.requests.length;
      expect(await client.describeInstanceSSL("r-demo-cluster-01")).toEqual({
        enabled: false,
        expiredTime: undefined,
        certCommonName: "r-demo-cluster-01.redis.rds.aliyuncs.com",
        certDownloadUrl: undefined,
      });
      expect((await client.describeInstanceAttribute("r-demo-classic-01")).NetworkType).toBe("CLASSIC");
      expect((await client.describeDBInstanceNetInfo("r-demo-cluster-01"))[0].ConnectionString).toBe(
        "r-demo-cluster-01.redis.rds.aliyuncs.com",
      );
      expect(actions(emu, from).map((a) => [a.op, a.status])).toEqual([
        ["DescribeInstanceSSL", 200],
        ["DescribeInstanceAttribute", 200],
        ["DescribeDBInstanceNetInfo", 200],
      ]);
    },
  );

  it("sends the STS token", async () => {
    const sts = await startAlicloud({ credentials: [{ ...DEMO, securityToken: "sts-1" }] });
    try {
      const settings = { ...alicloudSettings(), endpoint: sts.emu.endpoints.alicloud };
      await expect(
        new AlicloudClient(settings).describeInstanceSSL("r-demo-cluster-01"),
      ).rejects.toMatchObject({ code: "InvalidSecurityToken.Mismatch" });
      const withToken = new AlicloudClient({ ...settings, credentials: { ...DEMO, securityToken: "sts-1" } });
      expect((await withToken.describeInstanceSSL("r-demo-cluster-01")).enabled).toBe(false);
    } finally {
      await sts.emu.stop();
      restoreEnv();
    }
  });

  it("reports a wrong secret with code, status, request id and a hint, never the secret", async () => {
    const client = new AlicloudClient({
      ...alicloudSettings(),
      credentials: { accessKeyId: DEMO.accessKeyId, accessKeySecret: "wrong-secret-value" },
    });
    const err = (await client.describeInstanceSSL("r-demo-cluster-01").catch((e) => e)) as CloudError;
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({
      cloud: "alicloud",
      code: "SignatureDoesNotMatch",
      httpStatus: 400,
      retryable: false,
    });
    expect(err.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(err.message).toContain("check managed-redis:alicloudAccessKeySecret");
    expect(err.message).not.toContain("wrong-secret-value");
  });

  it("maps unknown instances to a not-found error", async () => {
    const err = await new AlicloudClient(alicloudSettings()).describeInstanceSSL("r-missing").catch((e) => e);
    expect(isInstanceNotFound(err)).toBe(true);
    expect((err as CloudError).httpStatus).toBe(404);
  });

  it("retries throttling (re-signing each attempt) and honours Retry-After", async () => {
    let seen = 0;
    emu.setFaults((cloud, _req, op) => {
      if (cloud !== "alicloud" || op !== "DescribeInstanceSSL" || seen++ >= 2) return undefined;
      return {
        kind: "respond",
        label: "throttle",
        response: {
          status: 400,
          headers: { "retry-after": "0" },
          body: {
            RequestId: "T",
            HostId: "h",
            Code: "Throttling.User",
            Message: "Request was denied due to user flow control.",
            Recommend: "",
          },
        },
      };
    });
    const retries: string[] = [];
    const client = new AlicloudClient(alicloudSettings(), {
      http: { minDelayMs: 10, onRetry: (i) => retries.push(i.error.code) },
    });
    const from = emu.requests.length;
    expect((await client.describeInstanceSSL("r-demo-cluster-01")).enabled).toBe(false);
    expect(retries).toEqual(["Throttling.User", "Throttling.User"]);
    expect(actions(emu, from).map((a) => a.status)).toEqual([400, 400, 200]);
  });

  it("does not resend a mutation after a 5xx (it may have been applied)", async () => {
    emu.setFaults(failFirst("ModifyInstanceSSL", "InternalError", 500));
    const client = new AlicloudClient(alicloudSettings(), { http: { minDelayMs: 10 } });
    const from = emu.requests.length;
    const err = await client.modifyInstanceSSL("r-demo-cluster-01", { enabled: true }).catch((e) => e);
    expect(isAmbiguous(err)).toBe(true);
    expect(actions(emu, from, "ModifyInstanceSSL")).toHaveLength(1);
    expect(ali.created().sslEnable).toBe(0);
  });
});

describe("sslEnabledWord", () => {
  it("is the API's word for a change: Enable, Disable, or Update for a renewal", () => {
    expect(sslEnabledWord({ enabled: true })).toBe("Enable");
    expect(sslEnabledWord({ enabled: false })).toBe("Disable");
    expect(sslEnabledWord({ enabled: true, renew: true })).toBe("Update");
  });
});

describe("alicloudError and helpers", () => {
  const res = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    status,
    headers,
    body,
    text: JSON.stringify(body),
  });

  it("classifies throttling, 5xx, busy and documented faults", () => {
    const t = alicloudError(
      res(503, { Code: "Throttling", Message: "slow down", RequestId: "R1" }, { "retry-after": "3" }),
      "op",
    );
    expect(t).toMatchObject({
      code: "Throttling",
      retryable: true,
      refused: true,
      retryAfterSeconds: 3,
      requestId: "R1",
      httpStatus: 503,
    });
    expect(alicloudError(res(500, { Code: "InternalError", Message: "x" }), "op")).toMatchObject({
      retryable: true,
      refused: false,
    });
    const busy = alicloudError(
      res(403, {
        Code: "IncorrectDBInstanceState",
        Message: "Current DB instance state does not support this operation.",
      }),
      "op",
    );
    expect(isBusy(busy)).toBe(true);
    expect(busy.retryable).toBe(false);
    const ssl = alicloudError(
      res(403, { Code: "SSLEnabled.NotSupport", Message: "no" }),
      "AllocateDirectConnection r-1",
    );
    expect(ssl.message).toContain("disable SSL first (InstanceSSL enabled=false)");
    const direct = alicloudError(
      res(403, { Code: "DirectConnection.NotSupport", Message: "no" }),
      "ModifyInstanceSSL r-1",
    );
    expect(direct.message).toContain("release the direct connection first");
    expect(alicloudError(res(502, undefined), "op")).toMatchObject({ code: "HTTP502", retryable: true });
  });

  it("finds the direct endpoint whether addresses come one per entry or comma-separated", () => {
    const base = { ConnectionString: "r-1.redis.rds.aliyuncs.com", Port: "6379", DirectConnection: 0 };
    const perItem = [
      base,
      {
        ConnectionString: "dx12345678.redis.rds.aliyuncs.com",
        IPAddress: "10.0.0.1",
        Port: "6380",
        DirectConnection: 1,
        VPCId: "vpc-1",
        VSwitchId: "vsw-1",
      },
      {
        ConnectionString: "dx12345678.redis.rds.aliyuncs.com",
        IPAddress: "10.0.0.2",
        Port: "6380",
        DirectConnection: 1,
      },
    ];
    const joined = [
      base,
      {
        ConnectionString: "dx12345678.redis.rds.aliyuncs.com",
        IPAddress: "10.0.0.1, 10.0.0.2",
        Port: 6380,
        DirectConnection: "1",
        VPCId: "vpc-1",
        VSwitchId: "vsw-1",
      },
    ];
    const expected = {
      connectionString: "dx12345678.redis.rds.aliyuncs.com",
      port: 6380,
      ipAddresses: ["10.0.0.1", "10.0.0.2"],
      vpcId: "vpc-1",
      vSwitchId: "vsw-1",
    };
    expect(directEndpointOf(perItem)).toEqual(expected);
    expect(directEndpointOf(joined)).toEqual(expected);
    expect(directEndpointOf([base])).toBeUndefined();
  });
});
