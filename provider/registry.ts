/**
 * `pulumi-managed-redis/r`: the implementations behind the serialized providers, by the key the
 * state holds (see `core/shim.ts`). Each is loaded on first use, so a stack with only DCS resources
 * never loads the KakaoCloud code. Not an API for programs.
 *
 * States written by this version call {@link at}; older ones read a getter (`registry.kc`).
 *
 * @packageDocumentation
 */
import type * as pulumi from "@pulumi/pulumi";
import { enableCompileCache } from "./core/compile-cache";
import { StateError } from "./core/errors";
import { SHIM_KEYS, type ShimModule } from "./core/shim";

// Only the provider process loads the registry: the implementations and zod it loads next are
// compiled once per machine, not once per run.
enableCompileCache();

/** A key stored in the state. */
type ShimKey = (typeof SHIM_KEYS)[ShimModule];

/** Key → implementation module, the reverse of {@link SHIM_KEYS}. */
const modulePaths = new Map<string, ShimModule>(
  Object.entries(SHIM_KEYS).map(([modulePath, key]) => [key, modulePath as ShimModule]),
);

/**
 * The implementation behind a key, loaded on first use. An unknown key means the stack's state was
 * written by a newer version of the package: a {@link StateError} `UnknownImplementation` says so.
 *
 * The name has two letters on purpose: the registry of earlier versions answers any unknown
 * two-letter name with that same advice, so a state written by this version and run with an older
 * installation gets the advice too, instead of "at is not a function".
 */
function at(key: string): pulumi.dynamic.ResourceProvider {
  const modulePath = modulePaths.get(key);
  if (modulePath === undefined) {
    throw new StateError(
      "UnknownImplementation",
      `pulumi-managed-redis has no implementation "${key}": the stack's state was written by a newer ` +
        `version of pulumi-managed-redis; install that version (or newer) where you run pulumi`,
    );
  }
  return require(`./${modulePath}`).provider;
}

/** The lookup, and one getter per key for the states that index the registry (`registry.kc`). */
const registry = { at } as { at: typeof at } & Readonly<Record<ShimKey, pulumi.dynamic.ResourceProvider>>;
for (const key of modulePaths.keys()) {
  Object.defineProperty(registry, key, { enumerable: true, get: () => at(key) });
}

export = registry;
