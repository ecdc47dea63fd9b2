import { CloudError, ConfigError } from "../../../provider/core/errors";
import type { HttpResponse } from "../../../provider/core/http";
import { currentTask, dcsSettings } from "../../../provider/huaweicloud/client";
import { DCS_BUSY_CODES, dcsError, isDcsBusy, isSslUnsupported } from "../../../provider/huaweicloud/errors";

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
});

describe("dcsSettings", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const set = (env: Record<string, string | undefined>) => {
    for (const k of [
      "HW_ACCESS_KEY",
      "HW_SECRET_KEY",
      "HW_AUTH_TOKEN",
      "HW_REGION_NAME",
      "HW_DCS_ENDPOINT",
      "HW_PROJECT_ID",
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
});
