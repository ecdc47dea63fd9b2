/** Shared setup of the Alibaba Cloud provider tests: an emulator on loopback and the environment pointing at it. */
import { startEmulator, type Emulator, type EmuRequest, type FaultAction } from "../../../emulator";
import type { AlicloudCloudModule, AlicloudEmulatorOptions } from "../../../emulator/alicloud";
import { setStackConfig } from "../../../provider/core/config";

export const DEMO = { accessKeyId: "demo-access-key-id", accessKeySecret: "demo-access-key-secret" };

const ENV_KEYS = [
  "ALIBABA_CLOUD_ACCESS_KEY_ID",
  "ALICLOUD_ACCESS_KEY",
  "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "ALICLOUD_SECRET_KEY",
  "ALIBABA_CLOUD_SECURITY_TOKEN",
  "ALICLOUD_SECURITY_TOKEN",
  "ALIBABA_CLOUD_REGION",
  "ALICLOUD_REGION",
  "ALIBABA_CLOUD_REDIS_ENDPOINT",
  "ALIBABA_CLOUD_SIGNATURE_VERSION",
  "PULUMI_MANAGED_REDIS_POLL_SCALE",
];

/** Clears every Alibaba setting from the environment and the stack configuration. */
export function clearAlicloudEnv(): void {
  for (const k of ENV_KEYS) delete process.env[k];
  setStackConfig(undefined);
}

/** Starts an emulator and points the provider at it. */
export async function startAlicloud(
  options: AlicloudEmulatorOptions = {},
): Promise<{ emu: Emulator; ali: AlicloudCloudModule }> {
  const emu = await startEmulator({ alicloud: { settleMs: { default: 60 }, ...options } });
  clearAlicloudEnv();
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = DEMO.accessKeyId;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = DEMO.accessKeySecret;
  process.env.ALIBABA_CLOUD_REGION = "cn-hangzhou";
  process.env.ALIBABA_CLOUD_REDIS_ENDPOINT = emu.endpoints.alicloud;
  process.env.PULUMI_MANAGED_REDIS_POLL_SCALE = "0.01";
  return { emu, ali: emu.clouds.alicloud as AlicloudCloudModule };
}

/** The Alibaba actions received since `from`, with the fault label when one was injected. */
export function actions(
  emu: Emulator,
  from = 0,
  action?: string,
): { op?: string; status: number; fault?: string }[] {
  return emu.requests
    .slice(from)
    .filter((r) => r.cloud === "alicloud" && (!action || r.op === action))
    .map((r) => ({ op: r.op, status: r.status, fault: r.fault }));
}

/** A fault hook answering the first `times` calls of an action with an Alibaba error. */
export function failFirst(
  action: string,
  code: string,
  status: number,
  times = 1,
  sideEffect?: (req: EmuRequest) => void,
): (cloud: string, req: EmuRequest, op: string | undefined) => FaultAction | undefined {
  let left = times;
  return (cloud, req, op) => {
    if (cloud !== "alicloud" || op !== action || left <= 0) return undefined;
    left--;
    sideEffect?.(req);
    return {
      kind: "respond",
      label: code,
      response: {
        status,
        body: {
          RequestId: "FAULT-1",
          HostId: "r-kvstore.aliyuncs.com",
          Code: code,
          Message: `injected ${code}`,
          Recommend: "",
        },
      },
    };
  };
}

/** Parameters of an emulator request (query and form body). */
export function paramsOf(req: EmuRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of req.query) out[k] = v;
  for (const [k, v] of new URLSearchParams(req.rawBody)) out[k] = v;
  return out;
}

/**
 * Asserts that a value survives the engine's conversion to a protobuf Struct (what the
 * dynamic-provider host does with every result): `undefined` inside fails there.
 */
export function expectStructSafe(value: unknown): void {
  const { Struct } = require("google-protobuf/google/protobuf/struct_pb.js") as {
    Struct: { fromJavaScript(v: unknown): unknown };
  };
  expect(() => Struct.fromJavaScript(value)).not.toThrow();
}

/**
 * Runs `body` with the provider configured from stack settings that point at the emulator, while the
 * environment holds a wrong secret and an unusable endpoint (so only the stack settings can work);
 * then clears the provider's stack configuration and restores the environment.
 */
export async function withStackConfiguration(
  provider: { configure?: (req: never) => Promise<void> },
  body: () => Promise<void>,
): Promise<void> {
  const endpoint = process.env.ALIBABA_CLOUD_REDIS_ENDPOINT!;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "wrong-secret";
  process.env.ALIBABA_CLOUD_REDIS_ENDPOINT = "https://unused.invalid";
  const values: Record<string, string> = {
    "managed-redis:alicloudAccessKeyId": DEMO.accessKeyId,
    "managed-redis:alicloudAccessKeySecret": DEMO.accessKeySecret,
    "managed-redis:alicloudEndpoint": endpoint,
  };
  try {
    await provider.configure!({
      config: { get: (k: string) => values[k], require: (k: string) => values[k] },
    } as never);
    await body();
  } finally {
    await provider.configure!({ config: undefined } as never);
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = DEMO.accessKeySecret;
    process.env.ALIBABA_CLOUD_REDIS_ENDPOINT = endpoint;
  }
}
