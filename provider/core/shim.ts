/**
 * The serialized dynamic provider.
 *
 * Pulumi stores a dynamic resource's provider in its state as the source text of a closure
 * (`__provider`). Everything the closure captures is inlined by value, so a provider that captures
 * clients, schemas and classes bloats every resource's state and freezes old code into it. This
 * shim captures only the name of an implementation module and `require`s it by package name at
 * call time: the state holds a few hundred bytes, and refresh and destroy run the installed
 * implementation.
 */
import type * as pulumi from "@pulumi/pulumi";

const shims = new Map<string, pulumi.dynamic.ResourceProvider>();

/**
 * Returns the provider object handed to `dynamic.Resource` for the implementation module
 * `pulumi-managed-redis/internal/<modulePath>` (which exports `provider`).
 */
export function shimProvider(modulePath: string): pulumi.dynamic.ResourceProvider {
  // One object per implementation: Pulumi caches the serialized text per provider object, so
  // 40 resources of 6 types cost 6 closure serializations in the program instead of 40.
  const known = shims.get(modulePath);
  if (known) return known;
  // Short names on purpose: every method is serialized into every resource's state.
  const load = () => require("pulumi-managed-redis/internal/" + modulePath).provider;
  const shim: pulumi.dynamic.ResourceProvider = {
    configure: (r) => load().configure(r),
    check: (o, n) => load().check(o, n),
    diff: (i, o, n) => load().diff(i, o, n),
    create: (n) => load().create(n),
    read: (i, o) => load().read(i, o),
    update: (i, o, n) => load().update(i, o, n),
    delete: (i, o) => load().delete(i, o),
  };
  shims.set(modulePath, shim);
  return shim;
}
