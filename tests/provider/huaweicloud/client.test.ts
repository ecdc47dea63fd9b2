import { setStackConfig } from "../../../provider/core/config";
import { CloudError, ConfigError } from "../../../provider/core/errors";
import type { HttpResponse } from "../../../provider/core/http";
import { currentTask, dcsSettings } from "../../../provider/huaweicloud/client";
import { DCS_BUSY_CODES, dcsError, isDcsBusy, isSslUnsupported } from "../../../provider/huaweicloud/errors";
import { thrown } from "../../helpers/errors";
import { fresh } from "../../helpers/fresh";

const res = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body,
  text: JSON.stringify(body),
});

describe("dcsError", () => {
  it("marks every busy code retryable and refused", () => {
    for (const code of ["DCS.4026", "DCS.4049", "DCS.4104", "DCS.4111", "DCS.4113", "DCS.4114", "DCS.4975"]) {
      expect(DCS_BUSY_CODES.has(code)).toBe(true);
      const err = dcsError(res(400, { error_code: code, error_msg: "busy" }), "PUT /x");
      expect(err).toMatchObject({
        cloud: "huaweicloud",
        code,
        httpStatus: 400,
        retryable: true,
        refused: true,
      });
      expect(isDcsBusy(err)).toBe(true);
    }
  });

  it("does not retry other client errors, and says plainly where SSL is supported", () => {
    const err = dcsError(
      res(
        400,
        { error_code: "DCS.4201", error_msg: "Do not support SSL.", error_ext_msg: null },
        { "x-request-id": "r-1" },
      ),
      "PUT /v2/p/instances/i/ssl",
    );
    expect(err).toMatchObject({ code: "DCS.4201", retryable: false, refused: false, requestId: "r-1" });
    expect(err.message).toBe(
      "huaweicloud PUT /v2/p/instances/i/ssl: DCS.4201: Do not support SSL. SSL is only supported on DCS Redis 6.0 " +
        "basic edition instances (single-node, master/standby or Redis Cluster); this instance is another engine, " +
        "version or edition, so SSL cannot be configured on it (HTTP 400, request id r-1)",
    );
    expect(isSslUnsupported(err)).toBe(true);
    expect(dcsError(res(400, { error_code: "DCS.4202", error_msg: "bad" }), "x").retryable).toBe(false);
  });

  it("retries 5xx without calling it a refusal, and honours Retry-After on 429", () => {
    expect(dcsError(res(500, { error_code: "DCS.5010", error_msg: "db" }), "x")).toMatchObject({
      retryable: true,
      refused: false,
    });
    const throttled = dcsError(
      res(429, { error_code: "APIGW.0308", error_msg: "slow down" }, { "retry-after": "3" }),
      "x",
    );
    expect(throttled).toMatchObject({ retryable: true, refused: true, retryAfterSeconds: 3 });
  });

  it("copes with a body that is not the DCS shape", () => {
    const err = dcsError({ status: 502, headers: {}, body: undefined, text: "Bad Gateway" }, "GET /x");
    expect(err).toBeInstanceOf(CloudError);
    expect(err.code).toBe("HTTP502");
    expect(err.message).toContain("Bad Gateway");
  });
});

describe("currentTask", () => {
  it("treats null, empty and 'null' as no task and names the others", () => {
    expect(currentTask(null)).toBeUndefined();
    expect(currentTask(undefined)).toBeUndefined();
    expect(currentTask("")).toBeUndefined();
    expect(currentTask("null")).toBeUndefined();
    expect(currentTask({})).toBeUndefined();
    expect(currentTask("BACKUPING")).toBe("BACKUPING");
    expect(currentTask({ name: "RESTARTING" })).toBe("RESTARTING");
    expect(currentTask({ id: 1 })).toBe("task");
  });

  it("treats a blank string as no task, names other values, and says 'task' for an object without a name", () => {
    expect(currentTask("   ")).toBeUndefined();
    expect(currentTask(3)).toBe("3");
    expect(currentTask(true)).toBe("true");
    expect(currentTask({ name: 7 })).toBe("task");
    expect(currentTask({ name: "" })).toBe("task");
    expect(currentTask({ task_name: "BACKUPING" })).toBe("BACKUPING");
    expect(currentTask({ type: "RESTORE" })).toBe("RESTORE");
    expect(currentTask({ status: "FLUSHING" })).toBe("FLUSHING");
  });
});

describe("dcsSettings", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    setStackConfig(undefined);
  });
  const set = (env: Record<string, string | undefined>) => {
    for (const k of [
      "HW_ACCESS_KEY",
      "HW_SECRET_KEY",
      "HW_AUTH_TOKEN",
      "HW_REGION_NAME",
      "HW_DCS_ENDPOINT",
      "HW_PROJECT_ID",
      "HW_SECURITY_TOKEN",
    ]) {
      delete process.env[k];
    }
    Object.assign(process.env, env);
  };

  it("derives the endpoint from the region and prefers AK/SK over a token", () => {
    set({
      HW_REGION_NAME: "ap-southeast-1",
      HW_ACCESS_KEY: "ak",
      HW_SECRET_KEY: "sk",
      HW_AUTH_TOKEN: "tok",
      HW_PROJECT_ID: "p",
    });
    expect(dcsSettings()).toEqual({
      endpoint: "https://dcs.ap-southeast-1.myhuaweicloud.com",
      auth: { kind: "aksk", accessKey: "ak", secretKey: "sk", securityToken: undefined },
      projectId: "p",
    });
  });

  it("refuses a missing region or endpoint (InvalidConfig) and missing credentials (MissingCredentials) as ConfigErrors", () => {
    const thrown = () => {
      try {
        dcsSettings();
      } catch (err) {
        return err;
      }
      return undefined;
    };
    set({ HW_ACCESS_KEY: "ak", HW_SECRET_KEY: "sk" });
    expect(thrown()).toBeInstanceOf(ConfigError);
    expect(thrown()).toMatchObject({
      code: "InvalidConfig",
      message: expect.stringMatching(/^Huawei Cloud region is missing: set managed-redis:huaweicloudRegion/),
    });
    set({ HW_REGION_NAME: "ap-southeast-1", HW_ACCESS_KEY: "ak" });
    expect(thrown()).toBeInstanceOf(ConfigError);
    expect(thrown()).toMatchObject({
      code: "MissingCredentials",
      message: expect.stringMatching(
        /^Huawei Cloud credentials are missing: .*HW_ACCESS_KEY and HW_SECRET_KEY/,
      ),
    });
  });

  it("uses the token when no complete AK/SK is set, and the endpoint override", () => {
    set({ HW_DCS_ENDPOINT: "https://dcs.example.com/", HW_ACCESS_KEY: "ak", HW_AUTH_TOKEN: "tok" });
    expect(dcsSettings()).toMatchObject({
      endpoint: "https://dcs.example.com",
      auth: { kind: "token", token: "tok" },
    });
  });

  it("reads every setting from the stack configuration when the environment has none", () => {
    set({});
    const config: Record<string, string> = {
      "managed-redis:huaweicloudRegion": "eu-west-101",
      "managed-redis:huaweicloudAccessKey": "cfg-ak",
      "managed-redis:huaweicloudSecretKey": "cfg-sk",
      "managed-redis:huaweicloudSecurityToken": "cfg-st",
      "managed-redis:huaweicloudProjectId": "cfg-project",
    };
    setStackConfig({ get: (k: string) => config[k], require: (k: string) => config[k] });
    expect(dcsSettings()).toEqual({
      endpoint: "https://dcs.eu-west-101.myhuaweicloud.com",
      auth: { kind: "aksk", accessKey: "cfg-ak", secretKey: "cfg-sk", securityToken: "cfg-st" },
      projectId: "cfg-project",
    });
    const tokenOnly: Record<string, string> = {
      "managed-redis:huaweicloudEndpoint": "https://dcs.example.com",
      "managed-redis:huaweicloudAuthToken": "cfg-token",
    };
    setStackConfig({ get: (k: string) => tokenOnly[k], require: (k: string) => tokenOnly[k] });
    expect(dcsSettings()).toEqual({
      endpoint: "https://dcs.example.com",
      auth: { kind: "token", token: "cfg-token" },
      projectId: undefined,
    });
  });

  it("takes the security token from HW_SECURITY_TOKEN", () => {
    set({
      HW_REGION_NAME: "ap-southeast-1",
      HW_ACCESS_KEY: "ak",
      HW_SECRET_KEY: "sk",
      HW_SECURITY_TOKEN: "st",
    });
    expect(dcsSettings().auth).toEqual({
      kind: "aksk",
      accessKey: "ak",
      secretKey: "sk",
      securityToken: "st",
    });
  });

  it("registers the secret key, the security token and the IAM token it reads for redaction", () => {
    const { dcsSettings: settings, redact } = fresh(() => ({
      dcsSettings: (
        require("../../../provider/huaweicloud/client") as typeof import("../../../provider/huaweicloud/client")
      ).dcsSettings,
      redact: (require("../../../provider/core/errors") as typeof import("../../../provider/core/errors"))
        .redact,
    }));
    const secrets = {
      HW_SECRET_KEY: "fake-env-secret-key-3e4f",
      HW_SECURITY_TOKEN: "fake-env-security-token-7a8b",
      HW_AUTH_TOKEN: "fake-env-iam-token-1c2d",
    };
    const hidden = () => Object.values(secrets).map((v) => !redact(`x ${v} y`).includes(v));
    expect(hidden()).toEqual([false, false, false]);
    set({ HW_REGION_NAME: "ap-southeast-1", HW_ACCESS_KEY: "fake-ak", ...secrets });
    settings();
    expect(hidden()).toEqual([true, true, true]);
  });

  it("says in full which settings to provide, and names the endpoint setting it refuses", () => {
    set({ HW_ACCESS_KEY: "ak", HW_SECRET_KEY: "sk" });
    expect((thrown(dcsSettings) as Error).message).toBe(
      "Huawei Cloud region is missing: set managed-redis:huaweicloudRegion (or HW_REGION_NAME), or the DCS endpoint " +
        "managed-redis:huaweicloudEndpoint (or HW_DCS_ENDPOINT)",
    );
    set({ HW_REGION_NAME: "ap-southeast-1" });
    expect((thrown(dcsSettings) as Error).message).toBe(
      "Huawei Cloud credentials are missing: set managed-redis:huaweicloudAccessKey and managed-redis:huaweicloudSecretKey " +
        "(pulumi config set --secret), or HW_ACCESS_KEY and HW_SECRET_KEY, or an IAM token in " +
        "managed-redis:huaweicloudAuthToken / HW_AUTH_TOKEN",
    );
    set({ HW_DCS_ENDPOINT: "http://dcs.example.com", HW_AUTH_TOKEN: "tok" });
    expect(thrown(dcsSettings)).toMatchObject({
      code: "InvalidConfig",
      message: expect.stringMatching(
        /^managed-redis:huaweicloudEndpoint \/ HW_DCS_ENDPOINT "http:\/\/dcs\.example\.com" uses plain http:\/\//,
      ),
    });
  });
});
