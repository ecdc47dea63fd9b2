/**
 * Serializes work per key (for example per cluster) inside the provider process, so that two
 * additions to one cluster never run at once and a new shard or node id can be discovered
 * unambiguously by listing before and after.
 */
const tails = new Map<string, Promise<void>>();

/** Runs `fn` after every earlier call with the same key has settled. */
export async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  try {
    await previous;
    return await fn();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
