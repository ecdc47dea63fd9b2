/**
 * Tests of settings (stack configuration before environment variables, in order) and of the
 * endpoint check (https anywhere, plain http only on loopback).
 */
import type * as pulumi from "@pulumi/pulumi";
import { checkEndpoint, CONFIG_NAMESPACE, setStackConfig, setting } from "../../../provider/core/config";
import { ConfigError, redact } from "../../../provider/core/errors";
import { fresh } from "../../helpers/fresh";

const ENV = ["TEST_MR_PRIMARY", "TEST_MR_FALLBACK", "TEST_MR_SECRET"];
const saved: Record<string, string | undefined> = {};

/** A stack configuration answering from a map; records the keys asked for. */
function stackConfig(values: Record<string, string>, asked: string[] = []): pulumi.dynamic.Config {
  return {
    get: (key: string) => {
      asked.push(key);
      return values[key];
    },
    require: (key: string) => {
      if (!(key in values)) throw new Error(`missing ${key}`);
      return values[key];
    },
  };
}

beforeEach(() => {
  for (const k of ENV) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
});

afterEach(() => {
  setStackConfig(undefined);
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("setting", () => {
  test("the stack configuration managed-redis:<key> beats the environment", () => {
    const asked: string[] = [];
    setStackConfig(stackConfig({ "managed-redis:endpoint": "https://from-config" }, asked));
    process.env.TEST_MR_PRIMARY = "https://from-env";
    expect(setting("endpoint", ["TEST_MR_PRIMARY"])).toBe("https://from-config");
    expect(asked).toEqual(["managed-redis:endpoint"]);
    expect(CONFIG_NAMESPACE).toBe("managed-redis");
  });

  test("without a stack value, the first non-empty environment variable in order wins", () => {
    setStackConfig(stackConfig({ "managed-redis:other": "x" }));
    process.env.TEST_MR_PRIMARY = "first";
    process.env.TEST_MR_FALLBACK = "second";
    expect(setting("endpoint", ["TEST_MR_PRIMARY", "TEST_MR_FALLBACK"])).toBe("first");
    expect(setting("endpoint", ["TEST_MR_FALLBACK", "TEST_MR_PRIMARY"])).toBe("second");
    process.env.TEST_MR_PRIMARY = "";
    expect(setting("endpoint", ["TEST_MR_PRIMARY", "TEST_MR_FALLBACK"])).toBe("second");
  });

  test("an empty stack value falls back to the environment", () => {
    setStackConfig(stackConfig({ "managed-redis:endpoint": "" }));
    process.env.TEST_MR_FALLBACK = "env";
    expect(setting("endpoint", ["TEST_MR_PRIMARY", "TEST_MR_FALLBACK"])).toBe("env");
  });

  test("works with no stack configuration at all, and gives undefined when nothing is set", () => {
    process.env.TEST_MR_FALLBACK = "env";
    expect(setting("endpoint", ["TEST_MR_FALLBACK"])).toBe("env");
    expect(setting("endpoint", ["TEST_MR_PRIMARY"])).toBeUndefined();
    expect(setting("endpoint", [])).toBeUndefined();
    process.env.TEST_MR_PRIMARY = "";
    expect(setting("endpoint", ["TEST_MR_PRIMARY"])).toBeUndefined();
  });

  test("a stack configuration whose get throws is treated as unset", () => {
    setStackConfig({
      get: () => {
        throw new Error("config broken");
      },
      require: () => "",
    });
    process.env.TEST_MR_PRIMARY = "env";
    expect(setting("endpoint", ["TEST_MR_PRIMARY"])).toBe("env");
  });

  test("a secret setting is registered for redaction, from config or from the environment", () => {
    setStackConfig(stackConfig({ "managed-redis:secretKey": "cfg-secret-value-1" }));
    expect(setting("secretKey", [], { secret: true })).toBe("cfg-secret-value-1");
    expect(redact("key cfg-secret-value-1")).toBe("key ***");

    setStackConfig(undefined);
    process.env.TEST_MR_SECRET = "env-secret-value-2";
    expect(setting("secretKey", ["TEST_MR_SECRET"], { secret: true })).toBe("env-secret-value-2");
    expect(redact("key env-secret-value-2")).toBe("key ***");
  });

  test("a setting not marked secret is not redacted", () => {
    process.env.TEST_MR_PRIMARY = "plain-region-name";
    expect(setting("region", ["TEST_MR_PRIMARY"])).toBe("plain-region-name");
    expect(redact("plain-region-name")).toBe("plain-region-name");
  });
});

describe("checkEndpoint", () => {
  test.each([
    ["https://redis.kr-central-2.kakaocloud.com", "https://redis.kr-central-2.kakaocloud.com"],
    ["https://r-kvstore.aliyuncs.com/", "https://r-kvstore.aliyuncs.com"],
    ["https://dcs.ap-southeast-1.myhuaweicloud.com/v2//", "https://dcs.ap-southeast-1.myhuaweicloud.com/v2"],
    ["http://127.0.0.1:4510/kakaocloud", "http://127.0.0.1:4510/kakaocloud"],
    ["http://127.0.0.1:4510/kakaocloud/", "http://127.0.0.1:4510/kakaocloud"],
    ["http://127.1.2.3:80", "http://127.1.2.3:80"],
    ["http://localhost:8080/", "http://localhost:8080"],
    ["http://[::1]:8080/alicloud", "http://[::1]:8080/alicloud"],
  ])("accepts %s", (url, expected) => {
    expect(checkEndpoint(url, "KAKAOCLOUD_REDIS_ENDPOINT")).toBe(expected);
  });

  test.each([
    "http://10.0.0.1:8080",
    "http://example.com",
    "http://localhost.example.com",
    "http://127.0.0.1.nip.io",
    "http://192.168.1.10/",
  ])("refuses plain http on a non-loopback host: %s", (url) => {
    expect(() => checkEndpoint(url, "ALIBABA_CLOUD_REDIS_ENDPOINT")).toThrow(
      `ALIBABA_CLOUD_REDIS_ENDPOINT "${url}" uses plain http:// on a non-loopback host; use https://`,
    );
  });

  test.each(["not a url", "", "redis.example.com", "//example.com"])("refuses garbage: %j", (url) => {
    expect(() => checkEndpoint(url, "HW_DCS_ENDPOINT")).toThrow(
      `HW_DCS_ENDPOINT "${url}" is not a valid URL`,
    );
  });

  test.each(["ftp://example.com", "ws://127.0.0.1:1", "file:///etc/passwd"])(
    "refuses a scheme other than http(s): %s",
    (url) => {
      expect(() => checkEndpoint(url, "HW_DCS_ENDPOINT")).toThrow("must use https://");
    },
  );

  test.each(["not a url", "http://example.com", "ftp://example.com"])(
    "a refused endpoint is a ConfigError with code InvalidConfig: %j",
    (url) => {
      let thrown: unknown;
      try {
        checkEndpoint(url, "HW_DCS_ENDPOINT");
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect(thrown).toBeInstanceOf(Error);
      expect(thrown).toMatchObject({ code: "InvalidConfig", name: "ConfigError" });
    },
  );
});

describe("config, tables built at load time (a fresh copy of the module)", () => {
  type ConfigModule = typeof import("../../../provider/core/config");
  const configModule = () => fresh(() => require("../../../provider/core/config") as ConfigModule);

  test("the namespace is managed-redis, and settings are read under it", () => {
    const m = configModule();
    expect(m.CONFIG_NAMESPACE).toBe("managed-redis");
    const asked: string[] = [];
    m.setStackConfig(stackConfig({ "managed-redis:region": "kr-central-2" }, asked));
    expect(m.setting("region", ["TEST_MR_PRIMARY"])).toBe("kr-central-2");
    expect(asked).toEqual(["managed-redis:region"]);
  });

  test.each(["http://localhost:8080/", "http://[::1]:8080/alicloud", "http://127.0.0.1:4510"])(
    "plain http on the loopback name %s is accepted",
    (url) => {
      expect(configModule().checkEndpoint(url, "E")).toBe(url.replace(/\/$/, ""));
    },
  );
});

describe("setting, empty values", () => {
  test("an empty stack value with no environment variable set is undefined, not an empty string", () => {
    setStackConfig(stackConfig({ "managed-redis:x": "" }));
    expect(setting("x", ["TEST_MR_PRIMARY"])).toBeUndefined();
    process.env.TEST_MR_PRIMARY = "";
    expect(setting("x", ["TEST_MR_PRIMARY"])).toBeUndefined();
  });
});

describe("checkEndpoint, the 127.0.0.0/8 range", () => {
  test.each(["http://127.10.20.30:80", "http://127.0.0.10", "http://127.255.255.254/x"])(
    "accepts plain http on %s (every octet may have several digits)",
    (url) => {
      expect(checkEndpoint(url, "E")).toBe(url);
    },
  );
});
