/**
 * One waiter for every asynchronous operation: a quick first look, intervals that grow with the
 * time already waited (so the lag between the cloud settling and the provider noticing stays within
 * about 0.4 s + 10% of the operation's duration, while an operation of hours costs a few hundred
 * looks), a cap, a deadline, an abort signal, a terminal-failure path and a progress line at most
 * every few seconds. A timeout is an error, never a success.
 */
import { setting } from "./config";
import { AbortedError, InputError, WaitFailedError, WaitTimeoutError } from "./errors";
import { sleep } from "./http";
import { logProgress } from "./log";

/** What one look at the cloud found. */
export type Observation<T> =
  | { state: "done"; value: T; status?: string }
  | { state: "pending"; status: string }
  | { state: "failed"; status: string; detail?: string };

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** What is being waited for, for progress lines and errors (e.g. `cluster c-1 to be Running`). */
  what: string;
  /** Deadline in milliseconds from the start of the wait. */
  timeoutMs: number;
  /** The interval at the start of the wait (default 400 ms); it then grows by `proportion` of the time waited. */
  minIntervalMs?: number;
  /** Longest interval between looks (default 60 s). */
  maxIntervalMs?: number;
  /**
   * How intervals grow: `minIntervalMs + proportion × time waited` (proportion default 10%), so a
   * settle at time T is seen by about `min + 10% × T` later and a wait of T costs about
   * `ln(1 + proportion × T / min) / ln(1 + proportion)` looks (a 10-minute operation about 53, where
   * a fixed 10-second schedule makes 60; two hours about 160 instead of 720, with the 60 s cap).
   */
  proportion?: number;
  /** Minimum time between two progress lines (default 5 s). */
  progressEveryMs?: number;
  signal?: AbortSignal;
  /**
   * Early wake-ups: called once with a callback that makes the waiter look again at once (instead of
   * at the end of its interval); returns the unsubscribe function. Lets a look made elsewhere in the
   * process (another waiter on the same cluster) end this wait without its own interval's lag.
   */
  wake?(now: () => void): () => void;
  /** Receives progress lines (default: stderr of the provider process). */
  onProgress?(line: string): void;
}

/**
 * How long something the provider expects to see may stay unseen before it counts as absent. Waits
 * end on evidence that a change took effect (the member listed, the value read back, the job done
 * and read back), never on a guess of how long a cloud's reads lag; this floor is for the two cases
 * no evidence can settle, since a read that does not show a thing cannot tell "absent" from "not
 * visible yet": a call whose answer was lost (a reset, a 5xx) counts as not applied, and a member
 * that a settle step waits for but no look of this process has listed (a re-run after a kill)
 * counts as gone. Stack configuration `managed-redis:unseenWait` or
 * `PULUMI_MANAGED_REDIS_UNSEEN_WAIT`: a duration (`"30s"`, `"2m"`); default 30 s times the poll
 * scale. Raise it for a cloud whose reads lag longer.
 *
 * @throws {@link InputError} `InvalidInput` when the setting is not a duration.
 */
export function unseenWaitMs(): number {
  const text = setting("unseenWait", ["PULUMI_MANAGED_REDIS_UNSEEN_WAIT"]);
  return parseDuration(text, 30_000 * pollScale());
}

/**
 * `PULUMI_MANAGED_REDIS_POLL_SCALE`: the factor tests and the emulator use to shorten every wait and
 * retry interval of the provider (the waiter's, and the clouds' own retry back-offs); never needed
 * in production.
 */
export function pollScale(): number {
  const v = Number(process.env.PULUMI_MANAGED_REDIS_POLL_SCALE ?? "1");
  return Number.isFinite(v) && v > 0 ? v : 1;
}

/**
 * Polls `look` until it reports done (resolves with the value), failed (rejects with
 * {@link WaitFailedError}) or the deadline passes (rejects with {@link WaitTimeoutError}).
 *
 * @example
 * ```ts
 * const cluster = await waitFor(async () => {
 *   const c = await client.getCluster(id);
 *   return c.status === "Running" ? { state: "done", value: c } : { state: "pending", status: c.status };
 * }, { what: `cluster ${id} to be Running`, timeoutMs: 3_600_000 });
 * ```
 */
export async function waitFor<T>(look: () => Promise<Observation<T>>, options: WaitOptions): Promise<T> {
  const k = pollScale();
  const min = (options.minIntervalMs ?? 400) * k;
  const max = Math.max(min, (options.maxIntervalMs ?? 60_000) * k);
  const proportion = options.proportion ?? 0.1;
  const progressEvery = options.progressEveryMs ?? 5_000;
  const report = options.onProgress ?? logProgress;
  const start = Date.now();
  const deadline = start + options.timeoutMs;
  let lastProgress = start;

  for (;;) {
    if (options.signal?.aborted)
      throw options.signal.reason ?? new AbortedError(`aborted waiting for ${options.what}`);
    const obs = await look();
    if (obs.state === "done") return obs.value;
    if (obs.state === "failed") throw new WaitFailedError(options.what, obs.status, obs.detail);
    const now = Date.now();
    if (now >= deadline) throw new WaitTimeoutError(options.what, obs.status, now - start);
    if (now - lastProgress >= progressEvery) {
      lastProgress = now;
      report(
        `waiting for ${options.what}: status ${obs.status}, ${Math.round((now - start) / 1000)}s elapsed`,
      );
    }
    const interval = Math.min(max, min + proportion * (now - start));
    // A little jitter, downwards only (the lag bound holds), keeps waiters from polling in lockstep.
    const delay = Math.min(interval * (0.98 + Math.random() * 0.02), deadline - now);
    await nap(Math.max(1, delay), options.signal, options.wake);
  }
}

/** Sleeps `ms`, or less when `wake` calls back first; rejects when `signal` aborts. */
async function nap(ms: number, signal: AbortSignal | undefined, wake: WaitOptions["wake"]): Promise<void> {
  if (!wake) return sleep(ms, signal);
  const woken = new AbortController();
  const unsubscribe = wake(() => woken.abort());
  try {
    await sleep(ms, signal ? AbortSignal.any([signal, woken.signal]) : woken.signal);
  } catch (err) {
    if (signal?.aborted || !woken.signal.aborted) throw err;
  } finally {
    unsubscribe();
  }
}

/** Milliseconds per duration unit. */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * The package's one duration grammar: a non-negative decimal number followed by `ms`, `s`, `m` or
 * `h`, or by nothing for seconds (`"90m"`, `"1.5h"`, `"30s"`, `"500ms"`, `"45"`). Returns the
 * milliseconds, or `undefined` when the text is not such a duration (nothing trimmed, nothing
 * defaulted). The `timeouts` schema of `check()` and {@link parseDuration} both use it.
 */
export function durationMs(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? "s") as keyof typeof UNIT_MS;
  return Number(match[1]) * UNIT_MS[unit];
}

/**
 * Reads a duration input such as `"90m"`, `"2h"`, `"30s"` ({@link durationMs}, surrounding spaces
 * ignored) or a number of seconds; an absent or empty value gives `fallbackMs`.
 *
 * @throws {@link InputError} `InvalidInput` for any other text.
 */
export function parseDuration(value: string | number | undefined, fallbackMs: number): number {
  if (value === undefined || value === "") return fallbackMs;
  if (typeof value === "number") return value * 1000;
  const ms = durationMs(value.trim());
  if (ms === undefined) {
    throw new InputError(
      "InvalidInput",
      `invalid duration "${value}": use a number followed by ms, s, m or h (e.g. "90m")`,
    );
  }
  return ms;
}
