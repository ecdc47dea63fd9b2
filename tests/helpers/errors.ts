/** What `fn` throws, or `undefined` when it returns (so an assertion on the error fails then). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
