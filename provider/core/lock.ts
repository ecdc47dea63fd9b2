/**
 * Serializes work per key (for example per cluster) inside the provider process, so that two
 * additions to one cluster never run at once and a new shard or node id can be discovered
 * unambiguously by listing before and after.
 *
 * Waiting for the lock has a deadline: a caller that cannot get it in time rejects with an error
 * (and runs nothing), while the holder and later callers keep their order.
 */
const tails = new Map<string, Promise<void>>();

/** Options of {@link withLock}. */
export interface LockOptions {
  /** How long to wait for earlier holders, in milliseconds (default: no deadline). */
  timeoutMs?: number;
  /** What the lock guards, for the timeout error (e.g. `changes of cluster c-1`). */
  what?: string;
}

/** Runs `fn` after every earlier call with the same key has settled, or rejects at the deadline. */
export async function withLock<T>(key: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  // Later callers wait for the earlier holders too, even when this caller gives up.
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  let timer: NodeJS.Timeout | undefined;
  try {
    if (opts.timeoutMs === undefined) await previous;
    else {
      const ms = opts.timeoutMs;
      await Promise.race([
        previous,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `timed out after ${Math.round(ms / 1000)}s waiting for another operation on ` +
                    `${opts.what ?? key} in this run to finish; nothing was changed: run \`pulumi up\` ` +
                    `again, or raise the resource's timeout input`,
                ),
              ),
            ms,
          );
        }),
      ]);
    }
    return await fn();
  } finally {
    if (timer) clearTimeout(timer);
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
