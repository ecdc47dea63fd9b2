/**
 * The serialized dynamic provider.
 *
 * Pulumi stores a dynamic resource's provider in its state as the source text of a closure
 * (`__provider`). Everything the closure captures is inlined by value, so a provider that captures
 * clients, schemas and classes bloats every resource's state and freezes old code into it. This
 * shim captures only a short key and, at call time, `require`s the implementation through the
 * package's registry (`pulumi-managed-redis/r`, see `registry.ts`): the state holds about 2.3 KB
 * (most of it the serializer's wrapper around each of the seven methods), and refresh and destroy
 * run the installed implementation.
 *
 * The provider process resolves the package from its working directory (the project, or the
 * automation process's working directory for an Automation API inline program), then from the
 * folder of the installation that wrote the state, which the text holds as an absolute path: an
 * inline program works from any working directory, and a state moved to another machine runs the
 * package installed there (the path is only a fallback, and the next `pulumi up` rewrites it).
 *
 * Older states hold one of two other forms, and both keep working:
 * - `require("pulumi-managed-redis/r")[key]` (the registry's getters, one per key below);
 * - `require("pulumi-managed-redis/internal/<path>").provider`, written before the registry existed
 *   (the `./internal/*` export of `package.json`; every module path below still exports `provider`).
 */
import type * as pulumi from "@pulumi/pulumi";
import { warnPlainSecrets } from "./plain-secrets";

/**
 * Implementation module (under `provider/`) → the key stored in the state. The keys are a stable
 * format: states hold them, so a key is never renamed or reused.
 */
export const SHIM_KEYS = {
  "kakaocloud/cluster": "kc",
  "kakaocloud/shard": "ks",
  "kakaocloud/replica": "kr",
  "kakaocloud/settled": "km",
  "kakaocloud/cluster-settled": "kw",
  "alicloud/direct-connection": "ad",
  "alicloud/instance-ssl": "as",
  "huaweicloud/dcs-instance-ssl": "hd",
} as const;

/** A module path that has a registry key. */
export type ShimModule = keyof typeof SHIM_KEYS;

const shims = new Map<string, pulumi.dynamic.ResourceProvider>();

/**
 * The `provider/` folder of this installation (absolute; `lib/provider` once built), which the state
 * holds by value: where the loader resolves `pulumi-managed-redis` when the provider process's
 * working directory has no such package.
 */
const INSTALLED_AT: string = require("node:path").resolve(__dirname, "..");

/**
 * Returns the provider object handed to `dynamic.Resource` for the implementation module
 * `provider/<modulePath>` (which exports `provider`).
 *
 * Each method forwards its arguments to the installed implementation, which it looks up by key in
 * the registry at call time (`at` in `registry.ts`). The closures capture `key`, `installedAt` and
 * `load` (the lazy loader) only, so the serialized text names no implementation module and carries
 * no code. The first call warns about cloud secrets set in plain text (`warnPlainSecrets`).
 */
export function shimProvider(modulePath: ShimModule): pulumi.dynamic.ResourceProvider {
  // Every resource class of the package passes here when the program constructs it: the one
  // place that sees the program's configuration (a cloud secret set without --secret).
  warnPlainSecrets();
  // One object per implementation: Pulumi caches the serialized text per provider object, so
  // 40 resources of 6 types cost 6 closure serializations in the program instead of 40.
  const known = shims.get(modulePath);
  if (known) return known;
  const key: string = SHIM_KEYS[modulePath];
  const installedAt = INSTALLED_AT;
  const load = () =>
    require(require.resolve("pulumi-managed-redis/r", { paths: [".", installedAt] })).at(key);
  const shim: pulumi.dynamic.ResourceProvider = {
    configure: (request) => load().configure(request),
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
  shims.set(modulePath, shim);
  return shim;
}
