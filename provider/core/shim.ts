/**
 * The serialized dynamic provider.
 *
 * Pulumi stores a dynamic resource's provider in its state as the source text of a closure
 * (`__provider`). Everything the closure captures is inlined by value, so a provider that captures
 * clients, schemas and classes bloats every resource's state and freezes old code into it. This
 * shim captures only a short key and, at call time, `require`s the implementation through the
 * package's registry (`pulumi-managed-redis/r`): the state holds about 2 KB (most of it the
 * serializer's wrapper around each of the seven methods), and refresh and destroy run the installed
 * implementation.
 *
 * States written before the registry existed hold `require("pulumi-managed-redis/internal/<path>")`;
 * that entry point stays for them.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Implementation module (under `provider/`) → the short key stored in the state. */
export const SHIM_KEYS = {
  "kakaocloud/cluster": "kc",
  "kakaocloud/shard": "ks",
  "kakaocloud/replica": "kr",
  "kakaocloud/settled": "km",
  "alicloud/direct-connection": "ad",
  "alicloud/instance-ssl": "as",
  "huaweicloud/dcs-instance-ssl": "hd",
} as const;

/** A module path that has a registry key. */
export type ShimModule = keyof typeof SHIM_KEYS;

const shims = new Map<string, pulumi.dynamic.ResourceProvider>();

/**
 * Returns the provider object handed to `dynamic.Resource` for the implementation module
 * `provider/<modulePath>` (which exports `provider`).
 */
export function shimProvider(modulePath: ShimModule): pulumi.dynamic.ResourceProvider {
  // One object per implementation: Pulumi caches the serialized text per provider object, so
  // 40 resources of 6 types cost 6 closure serializations in the program instead of 40.
  const known = shims.get(modulePath);
  if (known) return known;
  // Every byte below is serialized into every resource's state: a one-letter loader, a two-letter
  // key and rest parameters (the serializer writes one parameter name per declared parameter).
  const m: string = SHIM_KEYS[modulePath];
  const L = () => require("pulumi-managed-redis/r")[m];
  const shim: pulumi.dynamic.ResourceProvider = {
    configure: (...a) => L().configure(...a),
    check: (...a) => L().check(...a),
    diff: (...a) => L().diff(...a),
    create: (...a) => L().create(...a),
    read: (...a) => L().read(...a),
    update: (...a) => L().update(...a),
    delete: (...a) => L().delete(...a),
  };
  shims.set(modulePath, shim);
  return shim;
}
