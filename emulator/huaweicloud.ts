/**
 * The emulated Huawei Cloud DCS v2 API, at the root of its own port: the SSL PUT and GET, the job
 * query and the instance query, with the documents' status codes and bodies, AK/SK signature or
 * token checks, busy instances, unsupported editions (`DCS.4201`), a database failure of the SSL
 * PUT (500 `DCS.5010`, seed `sslDbErrors` or `failNextSslRequests`) and jobs that go INIT → RUNNING
 * → SUCCESS (or FAIL) over the `sslJob` settle time.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ huaweicloud: { settleMs: { sslJob: 200 } } });
 * process.env.HW_DCS_ENDPOINT = emu.endpoints.huaweicloud;
 * const dcs = emu.clouds.huaweicloud as HuaweicloudModule;
 * dcs.setSsl(HUAWEI_DEMO.sslInstanceId, true); // drift, out of band
 * ```
 */
import type { CloudModule } from "./cloud";
import { apigwBadRequest, checkHuaweiAuth, type HuaweiEmuCredential } from "./huaweicloud/auth";
import {
  DcsModel,
  type DcsInstanceState,
  type DcsJobState,
  defaultSeeds,
  HUAWEI_DEMO,
  type HuaweicloudSeedInstance,
  supportsSsl,
} from "./huaweicloud/model";
import { Realism } from "./realistic";
import { type EmuRequest, type EmuResponse, type Handler, newId, Router, SettleTimes } from "./server";

export { HUAWEI_DEMO };
export type { HuaweicloudSeedInstance, HuaweiEmuCredential };

/** Options of the Huawei Cloud emulator. */
export interface HuaweicloudEmulatorOptions {
  /** Settle times in milliseconds: `sslJob` (default 1000) is how long an SSL job runs. */
  settleMs?: Record<string, number>;
  /** Accepted AK/SK pairs (default `demo-ak` / `demo-sk`). */
  credentials?: HuaweiEmuCredential | HuaweiEmuCredential[];
  /** Accepted `X-Auth-Token` values (default `demo-token`). */
  tokens?: string | string[];
  /** Instances to seed instead of the defaults ({@link HUAWEI_DEMO}). */
  instances?: HuaweicloudSeedInstance[];
  /** Largest accepted `X-Sdk-Date` skew (default 15 minutes, as the API gateway). */
  maxClockSkewMs?: number;
  /**
   * The realistic profile's choices (set by `startEmulator`): with a read lag, a job's end and the
   * SSL read-back show late, each at its own moment, and the instance's fields come reordered.
   */
  realism?: Realism;
}

/** The Huawei Cloud module with its test hooks. */
export interface HuaweicloudModule extends CloudModule {
  /** Turns SSL on or off out of band (drift), without a job. */
  setSsl(instanceId: string, enabled: boolean): void;
  /** Seeds one more instance; returns its id. */
  addInstance(seed: HuaweicloudSeedInstance): string;
  /** Makes the instance's next SSL job fail with `reason`. */
  failNextJob(instanceId: string, reason?: string): void;
  /** Makes the instance's next `times` (default 1) SSL PUTs answer 500 `DCS.5010` without acting. */
  failNextSslRequests(instanceId: string, times?: number): void;
  /** Makes the instance `CREATING` (busy) for `ms` from now. */
  setBusy(instanceId: string, ms: number): void;
  /** One instance's state, or undefined. */
  instance(instanceId: string): Readonly<DcsInstanceState> | undefined;
  /** Every job ever submitted. */
  jobs(): Readonly<DcsJobState>[];
}

function dcsError(status: number, code: string, message: string, requestId: string): EmuResponse {
  return {
    status,
    headers: { "x-request-id": requestId },
    body: { error_code: code, error_msg: message, error_ext_msg: null },
  };
}

/** Creates the Huawei Cloud emulator. */
export function createHuaweicloud(options: HuaweicloudEmulatorOptions = {}): HuaweicloudModule {
  // Only a default: `settleMs: { default: n }` (the CLI's --settle-ms) then applies to SSL jobs too.
  const settle = new SettleTimes({ default: 1_000 }, { ...options.settleMs });
  const realism = options.realism ?? new Realism();
  const model = new DcsModel(() => realism.readLag());
  for (const seed of options.instances ?? defaultSeeds()) model.seed(seed);
  const creds = options.credentials ?? { accessKey: "demo-ak", secretKey: "demo-sk" };
  const tokens = options.tokens ?? "demo-token";
  const auth = {
    credentials: Array.isArray(creds) ? creds : [creds],
    tokens: Array.isArray(tokens) ? tokens : [tokens],
    maxClockSkewMs: options.maxClockSkewMs ?? 15 * 60_000,
  };

  /** Authenticates, advances the jobs, then runs the handler with a request id. */
  const api =
    (handler: (req: EmuRequest, requestId: string) => EmuResponse): Handler =>
    (req) => {
      const requestId = newId().replace(/-/g, "");
      const denied = checkHuaweiAuth(req, auth, requestId);
      if (denied) return denied;
      model.advance();
      const out = handler(req, requestId);
      return { ...out, headers: { "x-request-id": requestId, ...out.headers } };
    };

  /** {@link api} for a route on one instance: an unknown instance is `DCS.3022` (404). */
  const onInstance = (
    handler: (i: DcsInstanceState, requestId: string, req: EmuRequest) => EmuResponse,
  ): Handler =>
    api((req, requestId) => {
      const i = model.find(req.params.project_id, req.params.instance_id);
      if (!i) return dcsError(404, "DCS.3022", "This DCS instance does not exist.", requestId);
      return handler(i, requestId, req);
    });
  const unsupported = (requestId: string) => dcsError(400, "DCS.4201", "Do not support SSL.", requestId);

  const router = new Router();
  router.add(
    "PUT",
    "/v2/{project_id}/instances/{instance_id}/ssl",
    onInstance((i, requestId, req) => {
      if (req.rawBody.trim() === "") return dcsError(400, "DCS.4004", "Empty request body.", requestId);
      if (req.badJson || !req.json || typeof req.json !== "object") {
        return dcsError(
          400,
          "DCS.4005",
          "The message body contains invalid characters or is not in JSON format.",
          requestId,
        );
      }
      const enabled = (req.json as Record<string, unknown>).enabled;
      if (typeof enabled !== "boolean")
        return dcsError(400, "DCS.4202", "ssl request params are invalid.", requestId);
      if (!supportsSsl(i)) return unsupported(requestId);
      if (model.status(i) !== "RUNNING")
        return dcsError(400, "DCS.4049", "The instance status is not running.", requestId);
      if (i.runningJobId) {
        return dcsError(
          400,
          "DCS.4026",
          "This operation is not allowed when the DCS instance is in the current state.",
          requestId,
        );
      }
      if (i.sslDbErrors > 0) {
        i.sslDbErrors--;
        return dcsError(500, "DCS.5010", "Failed to operate SSL in database.", requestId);
      }
      const job = model.startJob(i, enabled, settle.get("sslJob"));
      return { status: 200, body: { job_id: job.jobId, instance_id: i.instanceId } };
    }),
    "setSsl",
  );

  router.add(
    "GET",
    "/v2/{project_id}/instances/{instance_id}/ssl",
    onInstance((i, requestId) => {
      if (!supportsSsl(i)) return unsupported(requestId);
      const sslEnabled = model.reportedSsl(i);
      if (!i.sslEverEnabled) return { status: 204 };
      const common = {
        ip: "192.168.0.5",
        ipv6: null,
        port: "6379",
        domain_name: `redis-${i.instanceId}.dcs.example.com:6379`,
        ssl_expired_at: i.sslExpiredAt ?? null,
      };
      // `enabled` is returned (true) only when SSL is on.
      return {
        status: 200,
        body: sslEnabled
          ? { enabled: true, ...common, ssl_validated: true }
          : { ...common, ssl_validated: false },
      };
    }),
    "getSsl",
  );

  router.add(
    "GET",
    "/v2/{project_id}/jobs/{job_id}",
    api((req, requestId) => {
      if (!/^[0-9a-f]{32}$/.test(req.params.job_id))
        return dcsError(400, "DCS.4070", "Invalid task ID format.", requestId);
      const job = model.jobs.get(req.params.job_id);
      if (!job || job.projectId !== req.params.project_id) {
        return dcsError(404, "DCS.4001", "The requested URL does not exist.", requestId);
      }
      const status = model.reportedJobStatus(job);
      const done = status === "SUCCESS" || status === "FAIL";
      return {
        status: 200,
        body: {
          job_id: job.jobId,
          job_type: job.jobType,
          status,
          begin_time: String(job.beginAt),
          end_time: done ? String(job.endAt) : null,
          fail_reason: status === "FAIL" ? (job.failReason ?? null) : null,
        },
      };
    }),
    "getJob",
  );

  router.add(
    "GET",
    "/v2/{project_id}/instances/{instance_id}",
    onInstance((i) => {
      const status = model.status(i);
      return {
        status: 200,
        body: reorder({
          instance_id: i.instanceId,
          name: i.name,
          engine: i.engine,
          engine_version: i.engineVersion,
          status,
          task: status === "CREATING" ? "CREATING" : model.reportedSwitching(i) ? "SSL_SWITCHING" : null,
          enable_ssl: model.reportedSsl(i),
          product_type: i.productType,
          cache_mode: i.cacheMode,
          spec_code: `redis.${i.cacheMode}.xu1.large.r2.2`,
          port: 6379,
          ip: "192.168.0.251",
          domain_name: `redis-${i.instanceId}.dcs.example.com`,
          features: { support_ssl: supportsSsl(i), support_acl: true },
          sub_status: "normal",
          created_at: i.createdAt,
        }),
      };
    }),
    "getInstance",
  );

  /** The realistic profile: the same fields in another order. */
  function reorder(body: Record<string, unknown>): Record<string, unknown> {
    return realism.on ? Object.fromEntries(realism.shuffle(Object.entries(body))) : body;
  }

  const must = (instanceId: string): DcsInstanceState => {
    const i = model.instances.get(instanceId);
    if (!i) throw new Error(`huaweicloud emulator: no instance ${instanceId}`);
    return i;
  };

  return {
    mounted: [
      {
        endpoint: "huaweicloud",
        name: "huaweicloud",
        router,
        notFound: () =>
          dcsError(404, "DCS.4001", "The requested URL does not exist.", newId().replace(/-/g, "")),
        badRequest: (message) => apigwBadRequest(message, newId().replace(/-/g, "")),
        isMutating: (req) => req.method === "PUT",
      },
    ],
    settle,
    snapshot: () => {
      model.advance();
      return {
        instances: [...model.instances.values()].map((i) => ({ ...i, status: model.status(i) })),
        jobs: [...model.jobs.values()].map((j) => ({ ...j, status: model.jobStatus(j) })),
      };
    },
    created: () => ({ sslJob: model.jobsCreated }),
    live: () => {
      model.advance();
      const running = [...model.jobs.values()].filter((j) => !j.finished).length;
      const sslOn = [...model.instances.values()].filter((i) => i.sslEnabled && i.sslByApi).length;
      return { sslJob: running, sslEnabled: sslOn };
    },
    setSsl: (instanceId, enabled) => {
      model.advance();
      model.setSsl(must(instanceId), enabled, false);
      // Out of band, earlier: reads show it at once.
      for (const j of model.jobs.values()) if (j.instanceId === instanceId) j.sslSeenAt = undefined;
    },
    addInstance: (seed) => model.seed(seed),
    failNextJob: (instanceId, reason) => {
      const i = must(instanceId);
      i.failNextJobs++;
      if (reason) i.failReason = reason;
    },
    failNextSslRequests: (instanceId, times = 1) => {
      must(instanceId).sslDbErrors += times;
    },
    setBusy: (instanceId, ms) => {
      must(instanceId).busyUntil = Date.now() + ms;
    },
    instance: (instanceId) => {
      model.advance();
      return model.instances.get(instanceId);
    },
    jobs: () => {
      model.advance();
      return [...model.jobs.values()];
    },
  };
}
