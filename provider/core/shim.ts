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

/**
 * Returns the provider object handed to `dynamic.Resource` for the implementation module
 * `pulumi-managed-redis/internal/<modulePath>` (which exports `provider`).
 */
export function shimProvider(modulePath: string): pulumi.dynamic.ResourceProvider {
  // Each method requires the implementation itself: a shared helper function would be serialized
  // as one more closure in every resource's state.
  const pkg = "pulumi-managed-redis/internal/";
  return {
    configure: (req) => require(pkg + modulePath).provider.configure(req),
    check: (olds, news) => require(pkg + modulePath).provider.check(olds, news),
    diff: (id, olds, news) => require(pkg + modulePath).provider.diff(id, olds, news),
    create: (inputs) => require(pkg + modulePath).provider.create(inputs),
    read: (id, props) => require(pkg + modulePath).provider.read(id, props),
    update: (id, olds, news) => require(pkg + modulePath).provider.update(id, olds, news),
    delete: (id, props) => require(pkg + modulePath).provider.delete(id, props),
  };
}
