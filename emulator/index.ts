/**
 * A local emulator of the KakaoCloud Redis, Alibaba Cloud Tair (R-kvstore) and Huawei Cloud DCS
 * APIs this package uses: a real HTTP server on loopback with the documented paths, bodies,
 * status codes, error codes and asynchronous behaviour.
 *
 * @example
 * ```ts
 * import { startEmulator } from "pulumi-managed-redis/emulator";
 * const emu = await startEmulator({ kakaocloud: { settleMs: { default: 200 } } });
 * process.env.KAKAOCLOUD_REDIS_ENDPOINT = emu.endpoints.kakaocloud;
 * // ... run pulumi up ...
 * await emu.stop();
 * ```
 */
import { createAlicloud, type AlicloudCloudModule, type AlicloudEmulatorOptions } from "./alicloud";
import type { CloudModule } from "./cloud";
import { type EmulatorProfile, Realism, resolveRealism } from "./realistic";
import { createHuaweicloud, type HuaweicloudEmulatorOptions, type HuaweicloudModule } from "./huaweicloud";
import { createKakaocloud, type KakaocloudEmulatorOptions, type KakaocloudModule } from "./kakaocloud";
import {
  ENDPOINT_NAMES,
  EmulatorServer,
  type EndpointName,
  type FaultHook,
  type RequestLogEntry,
} from "./server";

export type { AlicloudEmulatorOptions, HuaweicloudEmulatorOptions, KakaocloudEmulatorOptions };
export type { AlicloudCloudModule, HuaweicloudModule, KakaocloudModule, CloudModule };
export type { EndpointName, EmulatorProfile };
export { ENDPOINT_NAMES };
export type { FaultHook, FaultAction, RequestLogEntry, EmuRequest, EmuResponse } from "./server";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /**
   * First TCP port: the endpoints take `port`, `port + 1`, `port + 2` and `port + 3` in the order
   * KakaoCloud Redis, KakaoCloud IAM, Alibaba Cloud, Huawei Cloud (default 0: any free ports).
   */
  port?: number;
  /** A port per endpoint, overriding `port` (0: any free port). */
  ports?: Partial<Record<EndpointName, number>>;
  /** Address to bind (default `127.0.0.1`). */
  host?: string;
  kakaocloud?: KakaocloudEmulatorOptions;
  alicloud?: AlicloudEmulatorOptions;
  huaweicloud?: HuaweicloudEmulatorOptions;
  /** Injects faults (throttling, 5xx, resets, delays) into chosen requests. */
  faults?: FaultHook;
  /**
   * `documented` (default) or `realistic`: see `emulator/realistic.ts`. Defaults to
   * `EMULATOR_PROFILE` from the environment, so any suite can run under the realistic profile.
   */
  profile?: EmulatorProfile;
  /** Seed of the realistic profile's random choices (default `EMULATOR_SEED`, else 1). */
  seed?: number;
  /**
   * Realistic profile: how far reads may lag behind the clouds, in ms (default `EMULATOR_LAG_MS`,
   * else 0); see `emulator/realistic.ts`.
   */
  readLagMs?: number;
}

/** The endpoints to point the providers (or the clouds' official SDKs) at: each cloud at the root of its own port. */
export interface EmulatorEndpoints {
  /** KakaoCloud Redis API base (`KAKAOCLOUD_REDIS_ENDPOINT`). */
  kakaocloud: string;
  /** KakaoCloud IAM base (`KAKAOCLOUD_IAM_ENDPOINT`). */
  kakaocloudIam: string;
  /** Alibaba Cloud R-kvstore RPC endpoint (`ALIBABA_CLOUD_REDIS_ENDPOINT`). */
  alicloud: string;
  /** Huawei Cloud DCS base (`HW_DCS_ENDPOINT`). */
  huaweicloud: string;
}

/** A running emulator. */
export interface Emulator {
  /**
   * Base URL of the admin API (`/_emulator/state`, `/_emulator/requests`, `/_emulator/counters`),
   * e.g. `http://127.0.0.1:43123`: the KakaoCloud Redis port (the admin API answers on every port).
   */
  url: string;
  /** The port of each endpoint. */
  ports: Record<EndpointName, number>;
  /** The profile played, its seed and read lag (replay a failing run with the same seed and lag). */
  profile: { name: EmulatorProfile; seed: number; readLagMs: number };
  endpoints: EmulatorEndpoints;
  /** Every request received, in order. */
  requests: RequestLogEntry[];
  /** The clouds' state as plain data. */
  state(): { kakaocloud: unknown; alicloud: unknown; huaweicloud: unknown };
  /** Resources ever created and still live, by cloud and kind. */
  counters(): {
    requests: Record<string, number>;
    created: Record<string, number>;
    live: Record<string, number>;
  };
  /** Per-cloud handles: settle times, state, and test hooks (failover, drift, failing jobs...). */
  clouds: { kakaocloud: KakaocloudModule; alicloud: AlicloudCloudModule; huaweicloud: HuaweicloudModule };
  /** Replaces the fault hook at run time. */
  setFaults(hook: FaultHook | undefined): void;
  /** Stops the server. */
  stop(): Promise<void>;
}

/** Starts the emulator on loopback. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const server = new EmulatorServer();
  const chosen = resolveRealism(options);
  const realism = new Realism(chosen);
  const clouds = {
    kakaocloud: createKakaocloud({ realism, ...options.kakaocloud }),
    alicloud: createAlicloud({ realism, ...options.alicloud }),
    huaweicloud: createHuaweicloud({ realism, ...options.huaweicloud }),
  };
  for (const c of Object.values(clouds)) for (const m of c.mounted) server.mount(m);
  server.faultHook = options.faults;
  const host = options.host ?? "127.0.0.1";
  const wanted: Partial<Record<EndpointName, number>> = {};
  ENDPOINT_NAMES.forEach((name, i) => {
    wanted[name] = options.ports?.[name] ?? (options.port ? options.port + i : 0);
  });
  const ports = await server.listen(wanted, host);
  const origin = (name: EndpointName) => `http://${host.includes(":") ? `[${host}]` : host}:${ports[name]}`;
  const endpoint = (name: EndpointName) =>
    `${origin(name)}${server.mounted.find((m) => m.endpoint === name)?.basePath ?? ""}`;
  const url = origin("kakaocloud");

  const state = () => ({
    kakaocloud: clouds.kakaocloud.snapshot(),
    alicloud: clouds.alicloud.snapshot(),
    huaweicloud: clouds.huaweicloud.snapshot(),
  });
  const counters = () => {
    const requests: Record<string, number> = {};
    for (const r of server.log) {
      const key = `${r.cloud}:${r.op ?? r.method + " " + r.path}`;
      requests[key] = (requests[key] ?? 0) + 1;
    }
    const prefixed = (pick: (c: CloudModule) => Record<string, number>) => {
      const out: Record<string, number> = {};
      for (const [name, c] of Object.entries(clouds)) {
        for (const [k, v] of Object.entries(pick(c))) out[`${name}:${k}`] = v;
      }
      return out;
    };
    return { requests, created: prefixed((c) => c.created()), live: prefixed((c) => c.live()) };
  };
  server.admin.add("GET", "/_emulator/state", () => ({ status: 200, body: state() }));
  server.admin.add("GET", "/_emulator/requests", () => ({ status: 200, body: server.log }));
  server.admin.add("GET", "/_emulator/counters", () => ({ status: 200, body: counters() }));

  return {
    url,
    ports,
    profile: { name: chosen.profile ?? "documented", seed: chosen.seed ?? 1, readLagMs: realism.readLagMs },
    endpoints: {
      kakaocloud: endpoint("kakaocloud"),
      kakaocloudIam: endpoint("kakaocloudIam"),
      alicloud: endpoint("alicloud"),
      huaweicloud: endpoint("huaweicloud"),
    },
    requests: server.log,
    state,
    counters,
    clouds,
    setFaults: (hook) => {
      server.faultHook = hook;
    },
    stop: () => server.close(),
  };
}
export {
  faultMix,
  seededRandom,
  FAULT_KINDS,
  type FaultMix,
  type FaultMixOptions,
  type FaultKind,
  type FaultEvent,
} from "./faults";
