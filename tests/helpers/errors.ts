/** What `fn` throws, or `undefined` when it returns (so an assertion on the error fails then). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** What a promise rejects with (typed as `E` for the caller's assertions); throws when it resolves instead. */
export async function rejection<E = Error>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (err) {
    return err as E;
  }
  throw new Error("expected a rejection");
}
