/**
 * Node's on-disk compile cache for the provider processes (Node.js 22.1 and later).
 *
 * A provider process compiles its modules on every `pulumi preview` and `up`: zod alone is about
 * 1 MB of JavaScript, and the implementations behind the registry another 360 KB. With the compile
 * cache on, the second and later runs on a machine read V8's code cache instead (measured on
 * 2026-12-07, medians of 5: the registry loading zod and every implementation, 132 → 93 ms; the
 * plugin loading @pulumi/pulumi and its provider, 832 → 521 ms).
 *
 * Only the provider processes turn it on (the registry, which only the dynamic-provider process
 * loads, and the plugin's launcher `bin/pulumi-resource-managed-redis`, before it loads anything
 * else: this module imports `node:module` only); a program never does, since the cache is a setting of the
 * whole process. Node keeps the cache in `$NODE_COMPILE_CACHE` or a folder under the temporary
 * directory, checks each entry against the source it was made from, and honours
 * `NODE_DISABLE_COMPILE_CACHE=1`. On Node.js 20, which has no such cache, this does nothing.
 */
import * as nodeModule from "node:module";

/** What `module.enableCompileCache()` answers (Node.js ≥ 22.1), or `undefined` before that. */
export type CompileCacheResult = { status: number; message?: string; directory?: string } | undefined;

/** Turns the compile cache on for the rest of this process's module loads; never throws. */
export function enableCompileCache(): CompileCacheResult {
  const enable = (nodeModule as { enableCompileCache?: () => CompileCacheResult }).enableCompileCache;
  try {
    return enable?.();
  } catch {
    // A cache that cannot be opened only costs the compile time it would have saved.
    return undefined;
  }
}
