/**
 * Loads a module anew, inside the calling test: its module-level values (pattern tables, sets,
 * registries) are built again at that moment, and the copy shares no state with the one the test
 * file imported (a secret registered in it is seen by no other test).
 *
 * Tables built at load time are only exercised by a test under mutation testing when the module is
 * evaluated while that test runs (StrykerJS activates a mutant for the tests that cover it), so the
 * tests of such tables go through a fresh copy.
 *
 * @example
 * ```ts
 * const { redact } = fresh(() => require("../../../provider/core/errors") as typeof import("../../../provider/core/errors"));
 * ```
 */
export function fresh<T>(load: () => T): T {
  let loaded: { value: T } | undefined;
  jest.isolateModules(() => {
    loaded = { value: load() };
  });
  if (!loaded) throw new Error("fresh: the module did not load");
  return loaded.value;
}
