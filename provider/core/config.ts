/**
 * Credentials and endpoints: from the stack configuration (passed to the provider's `configure()`)
 * or from the environment, never from resource inputs, so they never reach the state.
 *
 * Stack configuration keys live in the `managed-redis` namespace, e.g.
 * `pulumi config set managed-redis:kakaoApplicationCredentialSecret --secret ...`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ConfigError, registerSecret } from "./errors";

/** The configuration namespace of this package. */
export const CONFIG_NAMESPACE = "managed-redis";

let stackConfig: pulumi.dynamic.Config | undefined;

/** Stores the stack configuration handed to `configure()`. */
export function setStackConfig(config: pulumi.dynamic.Config | undefined): void {
  stackConfig = config;
}

/**
 * The stack configuration as the program process holds it (`new pulumi.Config("managed-redis")`),
 * for code that runs there: the lookups (../kakaocloud/lookups.ts) get no `configure()` call.
 */
function programConfig(): Pick<pulumi.dynamic.Config, "get"> {
  const { Config } = require("@pulumi/pulumi") as typeof pulumi;
  return {
    get: (fullKey: string) => {
      const at = fullKey.indexOf(":");
      return new Config(fullKey.slice(0, at)).get(fullKey.slice(at + 1));
    },
  };
}

/**
 * Reads a setting: the stack configuration key `managed-redis:<key>` first, then each environment
 * variable in order. Secret settings are registered for redaction. The stack configuration is the
 * one `configure()` handed over (the provider process), else the program's own (a lookup the
 * program awaits).
 */
export function setting(key: string, envVars: string[], opts: { secret?: boolean } = {}): string | undefined {
  let value: string | undefined;
  try {
    value = (stackConfig ?? programConfig()).get(`${CONFIG_NAMESPACE}:${key}`);
  } catch {
    value = undefined;
  }
  if (value === undefined || value === "") {
    for (const name of envVars) {
      const v = process.env[name];
      if (v !== undefined && v !== "") {
        value = v;
        break;
      }
    }
  }
  if (opts.secret) registerSecret(value);
  return value === "" ? undefined : value;
}

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * Validates an endpoint: `https://` anywhere, plain `http://` only on a loopback address (the
 * local emulator). Returns the endpoint without a trailing slash.
 */
export function checkEndpoint(endpoint: string, settingName: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError("InvalidConfig", `${settingName} "${endpoint}" is not a valid URL`);
  }
  const loopback = loopbackHosts.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === "http:" && !loopback) {
    throw new ConfigError(
      "InvalidConfig",
      `${settingName} "${endpoint}" uses plain http:// on a non-loopback host; use https:// (plain http is accepted only for a local emulator on 127.0.0.1 or localhost)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError("InvalidConfig", `${settingName} "${endpoint}" must use https://`);
  }
  return endpoint.replace(/\/+$/, "");
}
