/**
 * A seeded mix of faults for the emulator: throttling (429 with `Retry-After`, each cloud's own
 * throttling codes), busy refusals, 500/503, connection resets and slow responses, each in the
 * answering cloud's OWN error shape, so that the providers meet what the real APIs send.
 *
 * Every fault is injected BEFORE the cloud's handler runs: a refused, failed or reset request has
 * not acted. That is a state the real cloud can produce for every one of these answers (a 5xx or a
 * reset on a create may or may not have acted; "did not act" is one of the two cases the provider
 * must handle). A slow response (`delay`) is answered by the handler after the delay, as a slow
 * network or API would. Refusals that only make sense for a change to an existing resource (busy
 * codes) are injected only on such mutations.
 *
 * The same seed gives the same sequence of decisions for the same sequence of requests, so a run
 * can be repeated; counters say what was injected, by cloud and label.
 *
 * @example
 * ```ts
 * import { startEmulator, faultMix } from "pulumi-managed-redis/emulator";
 * const faults = faultMix({ seed: 42, rate: 0.1 });
 * const emu = await startEmulator({ faults });
 * // ... pulumi up ...
 * console.log(faults.total(), faults.injected()); // 17 { "kakaocloud:429": 4, "alicloud:reset": 2, ... }
 * ```
 */
import type { EmuRequest, EmuResponse, FaultAction, FaultHook } from "./server";
import { newId } from "./server";

/** The kinds of fault the mix can inject. */
export type FaultKind = "throttle" | "busy" | "error5xx" | "reset" | "delay";

/** Every {@link FaultKind}, in a fixed order. */
export const FAULT_KINDS: readonly FaultKind[] = ["throttle", "busy", "error5xx", "reset", "delay"];

/** Options of {@link faultMix}. */
export interface FaultMixOptions {
  /** Seed of the pseudo-random sequence (any integer); the same seed repeats the same decisions. */
  seed: number;
  /** Probability (0 to 1) that an eligible request gets a fault. */
  rate: number;
  /** Kinds to draw from (default: all of {@link FAULT_KINDS}). */
  kinds?: FaultKind[];
  /** Clouds to inject into: `kakaocloud`, `alicloud`, `huaweicloud` (default: all). */
  clouds?: string[];
  /** Operation names to inject into, as in the request log (`createCluster`, `ModifyInstanceSSL`, `setSsl`...). Default: all. */
  ops?: string[];
  /**
   * Most faults in a row for the same request (same cloud, method, path and operation) before one
   * is let through (default 3, below the HTTP client's 5 retries): a flaky network, not an outage.
   */
  maxConsecutive?: number;
  /** `Retry-After` seconds sent with 429 answers (default 1). */
  retryAfterSeconds?: number;
  /** Range of a slow response's extra delay in milliseconds (default `[100, 1500]`). */
  delayMs?: [number, number];
}

/** One injected fault, as recorded by {@link FaultMix.events}. */
export interface FaultEvent {
  /** `Date.now()` when it was injected. */
  at: number;
  cloud: string;
  op?: string;
  method: string;
  path: string;
  kind: FaultKind;
  /** `<cloud>:<label>`, e.g. `kakaocloud:429`, `alicloud:Throttling.User`, `huaweicloud:DCS.4049`. */
  label: string;
  /** Whether the request was a mutation. */
  mutating: boolean;
}

/** A {@link FaultHook} with counters and a switch. */
export interface FaultMix extends FaultHook {
  /** Faults injected so far, by `<cloud>:<label>`. */
  injected(): Record<string, number>;
  /** Faults injected so far, by kind. */
  byKind(): Record<FaultKind, number>;
  /** How many faults were injected in all. */
  total(): number;
  /** Every fault injected, in order. */
  readonly events: FaultEvent[];
  /** Turns injection on or off (on at the start); counters are kept. */
  enabled: boolean;
}

/** A small, fast, seedable pseudo-random generator (mulberry32): numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Kakao mutations on an existing cluster: the only requests the API can refuse as `ClusterBusy`. */
const KAKAO_BUSY_OPS = new Set([
  "updateCluster",
  "deleteCluster",
  "addShard",
  "deleteShard",
  "addReplica",
  "deleteNode",
]);
/** Alibaba mutations and the busy code each may answer. */
const ALICLOUD_BUSY: Record<string, [number, string, string]> = {
  ModifyInstanceSSL: [
    403,
    "IncorrectDBInstanceState",
    "Current DB instance state does not support this operation.",
  ],
  AllocateDirectConnection: [
    403,
    "InstanceStatus.NotSupport",
    "Instance status does not support this operation.",
  ],
  ReleaseDirectConnection: [
    403,
    "InstanceStatus.NotSupport",
    "Instance status does not support this operation.",
  ],
};
/** Alibaba mutating actions (the RPC path does not say it). */
const ALICLOUD_MUTATIONS = new Set(Object.keys(ALICLOUD_BUSY));
/** DCS busy codes (the ones the official Terraform provider retries) with their messages. */
const DCS_BUSY: [string, string][] = [
  ["DCS.4049", "The instance status is not running."],
  ["DCS.4026", "This operation is not allowed when the DCS instance is in the current state."],
  ["DCS.4975", "The instance is being created or restarted."],
];

function isMutation(cloud: string, req: EmuRequest, op: string | undefined): boolean {
  if (cloud === "alicloud") return ALICLOUD_MUTATIONS.has(op ?? "");
  return req.method !== "GET";
}

function canBeBusy(cloud: string, req: EmuRequest, op: string | undefined): boolean {
  if (cloud === "kakaocloud") return KAKAO_BUSY_OPS.has(op ?? "");
  if (cloud === "alicloud") return (op ?? "") in ALICLOUD_BUSY;
  if (cloud === "huaweicloud") return req.method === "PUT";
  return false;
}

/** `{code, message}` with an `x-request-id`, as the KakaoCloud emulator answers. */
function kakao(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): EmuResponse {
  return { status, headers: { "x-request-id": newId("req-"), ...headers }, body: { code, message } };
}

/** Alibaba's `{RequestId, HostId, Code, Message, Recommend}`. */
function alicloud(status: number, code: string, message: string): EmuResponse {
  return {
    status,
    body: {
      RequestId: newId().toUpperCase(),
      HostId: "r-kvstore.aliyuncs.com",
      Code: code,
      Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=R-kvstore`,
    },
  };
}

/** Huawei's `{error_code, error_msg, error_ext_msg}` with an `x-request-id`. */
function huawei(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): EmuResponse {
  return {
    status,
    headers: { "x-request-id": newId().replace(/-/g, ""), ...headers },
    body: { error_code: code, error_msg: message, error_ext_msg: null },
  };
}

/** The answer of one fault kind in a cloud's shape, with its label; `pick` draws among variants. */
function answer(
  kind: "throttle" | "busy" | "error5xx",
  cloud: string,
  op: string | undefined,
  pick: (n: number) => number,
  retryAfter: string,
): { response: EmuResponse; label: string } {
  const ra = { "retry-after": retryAfter };
  if (cloud === "kakaocloud") {
    if (kind === "throttle") {
      return { label: "429", response: kakao(429, "TooManyRequests", "Too many requests; retry later", ra) };
    }
    if (kind === "busy") {
      return {
        label: "ClusterBusy",
        response: kakao(
          409,
          "ClusterBusy",
          "The cluster is busy with another operation; try again when it is Running",
        ),
      };
    }
    return pick(2) === 0
      ? { label: "500", response: kakao(500, "InternalError", "An internal error occurred") }
      : {
          label: "503",
          response: kakao(503, "ServiceUnavailable", "The service is temporarily unavailable", ra),
        };
  }
  if (cloud === "alicloud") {
    if (kind === "throttle") {
      return pick(2) === 0
        ? {
            label: "Throttling.User",
            response: alicloud(400, "Throttling.User", "Request was denied due to user flow control."),
          }
        : {
            label: "Throttling",
            response: alicloud(400, "Throttling", "Request was denied due to flow control."),
          };
    }
    if (kind === "busy") {
      const [status, code, message] = ALICLOUD_BUSY[op ?? ""];
      return { label: code, response: alicloud(status, code, message) };
    }
    return pick(2) === 0
      ? {
          label: "InternalError",
          response: alicloud(
            500,
            "InternalError",
            "The request processing has failed due to some unknown error.",
          ),
        }
      : {
          label: "ServiceUnavailable",
          response: alicloud(
            503,
            "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.",
          ),
        };
  }
  // huaweicloud
  if (kind === "throttle") {
    return {
      label: "APIGW.0308",
      response: huawei(
        429,
        "APIGW.0308",
        "The throttling threshold has been reached: policy user over ratelimit",
        ra,
      ),
    };
  }
  if (kind === "busy") {
    const [code, message] = DCS_BUSY[pick(DCS_BUSY.length)];
    return { label: code, response: huawei(400, code, message) };
  }
  return pick(2) === 0
    ? { label: "500", response: huawei(500, "DCS.5000", "Internal service error.") }
    : { label: "503", response: huawei(503, "APIGW.0201", "Backend service unavailable.", ra) };
}

/**
 * Creates a seeded {@link FaultHook} for `startEmulator({ faults })` or `emu.setFaults()`.
 *
 * Each request to a selected cloud and operation gets a fault with probability `rate`; the kind is
 * drawn from `kinds` among those that apply (busy refusals only on mutations of an existing
 * resource). Admin requests (`/_emulator`, operations named `admin*`) are never touched.
 */
export function faultMix(options: FaultMixOptions): FaultMix {
  if (!Number.isFinite(options.rate) || options.rate < 0 || options.rate > 1) {
    throw new RangeError(`faultMix option \`rate\` must be a number from 0 to 1, got ${options.rate}`);
  }
  if (!Number.isInteger(options.seed)) {
    throw new RangeError(`faultMix option \`seed\` must be an integer, got ${options.seed}`);
  }
  const kinds = options.kinds ?? [...FAULT_KINDS];
  for (const k of kinds) {
    if (!FAULT_KINDS.includes(k)) {
      throw new RangeError(
        `faultMix option \`kinds\` has an unknown kind "${k}"; known: ${FAULT_KINDS.join(", ")}`,
      );
    }
  }
  const [delayMin, delayMax] = options.delayMs ?? [100, 1500];
  if (!(delayMin >= 0 && delayMax >= delayMin)) {
    throw new RangeError(`faultMix option \`delayMs\` must be [min, max] with 0 <= min <= max`);
  }
  const maxConsecutive = options.maxConsecutive ?? 3;
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const clouds = options.clouds ? new Set(options.clouds) : undefined;
  const ops = options.ops ? new Set(options.ops) : undefined;
  const random = seededRandom(options.seed);
  const pick = (n: number) => Math.min(n - 1, Math.floor(random() * n));
  const streak = new Map<string, number>();
  const events: FaultEvent[] = [];

  const hook = ((cloud: string, req: EmuRequest, op: string | undefined): FaultAction | undefined => {
    if (!mix.enabled) return undefined;
    if (clouds && !clouds.has(cloud)) return undefined;
    if ((op ?? "").startsWith("admin") || req.path.startsWith("/_emulator")) return undefined;
    if (ops && !ops.has(op ?? "")) return undefined;
    const key = `${cloud} ${req.method} ${req.path} ${op ?? ""}`;
    // Draw for every eligible request, so the sequence depends only on the requests' order.
    const hit = random() < options.rate;
    const eligible = kinds.filter((k) => k !== "busy" || canBeBusy(cloud, req, op));
    if (!hit || eligible.length === 0 || (streak.get(key) ?? 0) >= maxConsecutive) {
      streak.delete(key);
      return undefined;
    }
    streak.set(key, (streak.get(key) ?? 0) + 1);
    const kind = eligible[pick(eligible.length)];
    let action: FaultAction;
    if (kind === "reset") action = { kind: "reset", label: `${cloud}:reset` };
    else if (kind === "delay") {
      const ms = Math.round(delayMin + random() * (delayMax - delayMin));
      action = { kind: "delay", ms, label: `${cloud}:delay` };
      // A slow answer is still an answer: it does not count towards the streak.
      streak.delete(key);
    } else {
      const a = answer(kind, cloud, op, pick, retryAfter);
      action = { kind: "respond", response: a.response, label: `${cloud}:${a.label}` };
    }
    events.push({
      at: Date.now(),
      cloud,
      op,
      method: req.method,
      path: req.path,
      kind,
      label: action.label,
      mutating: isMutation(cloud, req, op),
    });
    return action;
  }) as FaultMix;

  const mix = Object.assign(hook, {
    enabled: true,
    events,
    injected(): Record<string, number> {
      const out: Record<string, number> = {};
      for (const e of events) out[e.label] = (out[e.label] ?? 0) + 1;
      return out;
    },
    byKind(): Record<FaultKind, number> {
      const out = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
      for (const e of events) out[e.kind] += 1;
      return out;
    },
    total: () => events.length,
  });
  return mix;
}
