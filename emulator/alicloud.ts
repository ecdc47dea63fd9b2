/**
 * The emulated Alibaba Cloud R-kvstore (Tair) RPC API, at the root of its own port: one endpoint
 * (`/`, GET query or POST form) for `AllocateDirectConnection`, `ReleaseDirectConnection`,
 * `ModifyInstanceSSL`, `DescribeInstanceSSL`, `DescribeInstanceAttribute` and
 * `DescribeDBInstanceNetInfo`. Requests are verified like the real service (v1 HMAC-SHA1 and
 * ACS3-HMAC-SHA256 signatures, nonce replay, timestamp skew, AccessKey id) and answered with the
 * documented bodies and `{RequestId, HostId, Code, Message, Recommend}` errors.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ alicloud: { settleMs: { default: 100 } } });
 * process.env.ALIBABA_CLOUD_REDIS_ENDPOINT = emu.endpoints.alicloud;
 * process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "demo-access-key-id";
 * process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "demo-access-key-secret";
 * (emu.clouds.alicloud as AlicloudCloudModule).setSsl("r-demo-cluster-01", true); // drift
 * ```
 */
import type { CloudModule } from "./cloud";
import type { Realism } from "./realistic";
import { type EmuRequest, type EmuResponse, Router, SettleTimes, newId } from "./server";
import { type EmulatorCredential, NonceBook, parseRpc, verify } from "./alicloud/auth";
import { type AlicloudInstanceSeed, DEMO_INSTANCES, InstanceStore } from "./alicloud/instances";
import { failNext } from "./alicloud/refusals";

export type { AlicloudInstanceSeed } from "./alicloud/instances";
export type { EmulatorCredential } from "./alicloud/auth";
export { DOCUMENTED_ERRORS } from "./alicloud/refusals";

/** Options of the Alibaba Cloud emulator. */
export interface AlicloudEmulatorOptions {
  /**
   * Milliseconds an asynchronous change takes, by kind: `modifySSL`, `allocateDirect`,
   * `releaseDirect`, `default` (1000).
   */
  settleMs?: Record<string, number>;
  /** Instances present at start (default: {@link DEMO_INSTANCES}). */
  instances?: AlicloudInstanceSeed[];
  /** Accepted AccessKeys (default one: `demo-access-key-id` / `demo-access-key-secret`). */
  credentials?: EmulatorCredential[];
  /** Largest accepted clock difference of a signed request (default 15 minutes). */
  maxSkewMs?: number;
  /** The realistic profile's choices (set by `startEmulator` from its `profile` and `seed`). */
  realism?: Realism;
}

/** The Alibaba Cloud emulator with its test hooks. */
export interface AlicloudCloudModule extends CloudModule {
  /** Flips SSL as if changed in the console (drift). */
  setSsl(instanceId: string, enabled: boolean): void;
  /** Holds an instance in a transitional status (e.g. `Changing`) for `ms` milliseconds. */
  setBusy(instanceId: string, status: string, ms: number): void;
  /** Completes every running change at once. */
  completeAll(): void;
  /**
   * Runs an action as if it came through the API, without a signature (as from the console, or to
   * simulate a request that was applied although its answer was lost). Returns status and body.
   */
  invoke(action: string, params: Record<string, string>): { status: number; body: Record<string, unknown> };
  /** Removes an instance's direct connection out of band (as from the console), at once. */
  releaseOutOfBand(instanceId: string): void;
  /**
   * Makes the next `times` (default 1) calls of `action` on the instance answer a documented error
   * `code` (one of `DOCUMENTED_ERRORS`, `./alicloud/refusals.ts`) with its documented status and
   * message, without acting: e.g. `NetTypeExists` for another client's allocation not listed yet.
   */
  failNext(instanceId: string, action: string, code: string, times?: number): void;
  /** Runs a background task (a backup, say) on the instance for `ms`: the status stays `Normal`, allocations answer `TaskHasExist`. */
  startTask(instanceId: string, ms: number): void;
}

/** The default AccessKey of the emulator. */
export const DEMO_CREDENTIALS: EmulatorCredential = {
  accessKeyId: "demo-access-key-id",
  accessKeySecret: "demo-access-key-secret",
};

const MUTATING = new Set(["AllocateDirectConnection", "ReleaseDirectConnection", "ModifyInstanceSSL"]);
const HOST_ID = "r-kvstore.aliyuncs.com";

function requestId(): string {
  return newId().toUpperCase();
}

function errorBody(status: number, code: string, message: string): EmuResponse {
  return {
    status,
    body: {
      RequestId: requestId(),
      HostId: HOST_ID,
      Code: code,
      Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=R-kvstore`,
    },
  };
}

/** Creates the Alibaba Cloud emulator. */
export function createAlicloud(options: AlicloudEmulatorOptions = {}): AlicloudCloudModule {
  // Only a default: `settleMs: { default: n }` then applies to every kind not named explicitly.
  const settle = new SettleTimes({ default: 1000 }, { ...options.settleMs });
  const store = new InstanceStore(options.instances ?? DEMO_INSTANCES, settle, options.realism);
  const credentials = options.credentials ?? [DEMO_CREDENTIALS];
  const maxSkewMs = options.maxSkewMs ?? 15 * 60_000;
  const nonces = new NonceBook(maxSkewMs);

  const handle = (req: EmuRequest): EmuResponse => {
    const call = parseRpc(req);
    if (!call.action) {
      return errorBody(
        400,
        "MissingParameter",
        'The input parameter "Action" that is mandatory for processing this request is not supplied.',
      );
    }
    const refused = verify(req, call, credentials, nonces, maxSkewMs);
    if (refused) return errorBody(refused.status, refused.code, refused.message);
    if (call.version !== "2015-01-01") {
      return errorBody(
        400,
        "InvalidVersion",
        `Specified parameter Version "${call.version ?? ""}" is not valid: use 2015-01-01.`,
      );
    }
    const result = store.run(call.action, call.params);
    if (!result)
      return errorBody(
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
      );
    if ("code" in result) return errorBody(result.status, result.code, result.message);
    return { status: 200, body: { RequestId: requestId(), ...result.body } };
  };

  const router = new Router().add("POST", "/", handle).add("GET", "/", handle);
  const actionOf = (req: EmuRequest) => parseRpc(req).action;

  return {
    mounted: [
      {
        endpoint: "alicloud",
        name: "alicloud",
        router,
        notFound: () =>
          errorBody(
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
          ),
        badRequest: (message) => errorBody(400, "InvalidParameter", message),
        opName: actionOf,
        isMutating: (req, op) => MUTATING.has(op ?? actionOf(req) ?? ""),
      },
    ],
    settle,
    snapshot: () => {
      store.advance();
      return {
        instances: [...store.instances.values()].map((i) => ({
          instanceId: i.instanceId,
          status: store.status(i),
          architecture: i.architecture,
          networkType: i.networkType,
          engineVersion: i.engineVersion,
          sslEnabled: i.ssl.enabled,
          sslExpiredTime: i.ssl.expiredTime,
          directConnection:
            i.direct && i.direct.ips.length > 0
              ? { prefix: i.direct.prefix, port: i.direct.port, ips: i.direct.ips }
              : undefined,
        })),
      };
    },
    created: () => ({ ...store.created }),
    live: () => {
      store.advance();
      const all = [...store.instances.values()];
      return {
        directConnection: all.filter((i) => i.direct?.byApi).length,
        sslEnabled: all.filter((i) => i.ssl.enabled && i.ssl.byApi).length,
      };
    },
    setSsl: (id, enabled) => store.setSsl(id, enabled),
    setBusy: (id, status, ms) => store.setBusy(id, status, ms),
    completeAll: () => store.advance(Date.now(), true),
    releaseOutOfBand: (id) => {
      store.mustGet(id).direct = undefined;
    },
    failNext: (id, action, code, times) => failNext(store.mustGet(id).refusals, action, code, times),
    startTask: (id, ms) => {
      store.mustGet(id).refusals.taskUntil = Date.now() + ms;
    },
    invoke: (action, params) => {
      const result = store.run(action, params);
      if (!result) return { status: 404, body: { Code: "InvalidAction.NotFound" } };
      if ("code" in result)
        return { status: result.status, body: { Code: result.code, Message: result.message } };
      return { status: 200, body: result.body };
    },
  };
}
