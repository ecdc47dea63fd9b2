/**
 * Serializes work per key (for example per cluster) inside the provider process, so that two
 * additions to one cluster never run at once and a new shard or node id can be discovered
 * unambiguously by listing before and after.
 *
 * One `async-mutex` {@link Mutex} per key: callers run in call order. Waiting for the lock can have
 * a deadline: a caller that cannot get it in time rejects (and runs nothing), while the holder and
 * later callers keep their order.
 */
import { Mutex, withTimeout } from "async-mutex";
import { ManagedRedisError } from "./errors";

/** The mutex of each key in use; a key's entry goes once nobody holds or awaits it. */
const mutexes = new Map<string, Mutex>();

/** Options of {@link withLock}. */
export interface LockOptions {
  /** How long to wait for earlier holders, in milliseconds (default: no deadline). */
  timeoutMs?: number;
  /** What the lock guards, for the timeout error (e.g. `changes of cluster c-1`). */
  what?: string;
}

/**
 * Runs `fn` after every earlier call with the same key has settled, or rejects at the deadline with
 * a {@link ManagedRedisError} `WaitTimeout` (nothing ran, so running again is safe).
 *
 * @example
 * ```ts
 * await withLock(clusterId, () => addShard(clusterId), { timeoutMs: 3_600_000, what: `changes of cluster ${clusterId}` });
 * ```
 */
export async function withLock<T>(key: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const mutex = mutexes.get(key) ?? new Mutex();
  mutexes.set(key, mutex);
  // A caller that gives up keeps its place in the queue and hands the lock straight on when its
  // turn comes (async-mutex's withTimeout), so later callers still wait for the earlier holders.
  const lock =
    opts.timeoutMs === undefined ? mutex : withTimeout(mutex, opts.timeoutMs, lockTimeout(key, opts));
  try {
    return await lock.runExclusive(fn);
  } finally {
    if (!mutex.isLocked()) mutexes.delete(key);
  }
}

function lockTimeout(key: string, opts: LockOptions): ManagedRedisError {
  const seconds = Math.round((opts.timeoutMs ?? 0) / 1000);
  return new ManagedRedisError(
    "WaitTimeout",
    `timed out after ${seconds}s waiting for another operation on ${opts.what ?? key} in this run to ` +
      `finish; nothing was changed: run \`pulumi up\` again, or raise the resource's timeout input`,
  );
}
