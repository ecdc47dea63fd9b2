/**
 * `pulumi-managed-redis/r`: the implementations behind the serialized providers, by the short key
 * the state holds (see `core/shim.ts`). Each is loaded on first use, so a stack with only DCS
 * resources never loads the KakaoCloud code. Not an API for programs.
 *
 * @packageDocumentation
 */
import type * as pulumi from "@pulumi/pulumi";
import { StateError } from "./core/errors";
import { SHIM_KEYS } from "./core/shim";

const registry: Record<string, pulumi.dynamic.ResourceProvider> = {};
for (const [modulePath, key] of Object.entries(SHIM_KEYS)) {
  Object.defineProperty(registry, key, {
    enumerable: true,
    get: () => require(`./${modulePath}`).provider,
  });
}

/** A key this version does not know: the state was written by a newer version of the package. */
function unknownKey(key: string): never {
  throw new StateError(
    "UnknownImplementation",
    `pulumi-managed-redis has no implementation "${key}": the stack's state was written by a newer ` +
      `version of pulumi-managed-redis; install that version (or newer) where you run pulumi`,
  );
}

export = new Proxy(registry, {
  get: (target, key) =>
    typeof key === "string" && /^[a-z]{2}$/.test(key) && !(key in target)
      ? unknownKey(key)
      : Reflect.get(target, key),
});
