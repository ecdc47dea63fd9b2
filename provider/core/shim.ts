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
  const load = () => require("pulumi-managed-redis/internal/" + modulePath).provider;
  return {
    configure: (req) => load().configure(req),
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}
