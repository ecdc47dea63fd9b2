/**
 * Every resource type of the package, by name and cloud: the one place a type's name and cloud are
 * written. Both tokens are derived from it — the dynamic face's `pulumi-nodejs:dynamic/<cloud>:<Type>`
 * (existing stacks hold it: a name or cloud here never changes) and the plugin face's
 * `managed-redis:<cloud>:<Type>` — and each resource's declaration (`core/declaration.ts`, in its
 * `.resource.ts` file) takes its tokens from here by name.
 *
 * This file imports nothing: the policy pack reads the tokens from it without loading (or, in its
 * build, compiling) any resource.
 *
 * @packageDocumentation
 */

/** The provider plugin face's package name: the launcher is `pulumi-resource-managed-redis`. */
export const PLUGIN_PACKAGE = "managed-redis";

/** Each resource type's cloud: the module part of both its tokens. */
export const RESOURCE_CLOUDS = {
  KakaoRedisCluster: "kakaocloud",
  KakaoShard: "kakaocloud",
  KakaoReplica: "kakaocloud",
  /** Internal child of KakaoShard / KakaoReplica: the wait until the new member is Running. */
  KakaoMemberSettled: "kakaocloud",
  /** Internal child of KakaoRedisCluster: the wait until the new cluster is Running. */
  KakaoClusterSettled: "kakaocloud",
  TairDirectConnection: "alicloud",
  InstanceSSL: "alicloud",
  DcsInstanceSSL: "huaweicloud",
} as const;

/** A resource type of this package. */
export type ResourceTypeName = keyof typeof RESOURCE_CLOUDS;

/** The internal children, which have no token of their own on the plugin face. */
export const INTERNAL_TYPES = ["KakaoMemberSettled", "KakaoClusterSettled"] as const;

/** A public resource type of this package (both faces). */
export type PublicTypeName = Exclude<ResourceTypeName, (typeof INTERNAL_TYPES)[number]>;

/** The cloud of type `N`. */
type CloudOf<N extends ResourceTypeName> = (typeof RESOURCE_CLOUDS)[N];

/** The dynamic face's type token of `N`. */
export type DynamicTokenOf<N extends ResourceTypeName> = `pulumi-nodejs:dynamic/${CloudOf<N>}:${N}`;

/** The plugin face's type token of `N`. */
export type PluginTokenOf<N extends ResourceTypeName> = `${typeof PLUGIN_PACKAGE}:${CloudOf<N>}:${N}`;

/** The dynamic token of a type (the value existing stacks hold). */
export function dynamicToken<N extends ResourceTypeName>(name: N): DynamicTokenOf<N> {
  return `pulumi-nodejs:dynamic/${RESOURCE_CLOUDS[name]}:${name}` as DynamicTokenOf<N>;
}

/** The plugin token of a type. */
export function pluginToken<N extends ResourceTypeName>(name: N): PluginTokenOf<N> {
  return `${PLUGIN_PACKAGE}:${RESOURCE_CLOUDS[name]}:${name}` as PluginTokenOf<N>;
}

const NAMES = Object.keys(RESOURCE_CLOUDS) as ResourceTypeName[];

/** Whether a type is public (has a plugin token). */
const isPublic = (name: ResourceTypeName): name is PublicTypeName =>
  !(INTERNAL_TYPES as readonly string[]).includes(name);

/**
 * The type token of every resource in this package: `pulumi-nodejs:dynamic/<cloud>:<Type>`.
 * Each resource class carries the same token as its static `__pulumiType`; policies match on it.
 */
export const TYPE_TOKENS = Object.fromEntries(NAMES.map((n) => [n, dynamicToken(n)])) as {
  readonly [N in ResourceTypeName]: DynamicTokenOf<N>;
};

/**
 * The type token of each public resource on the provider plugin face, `managed-redis:<cloud>:<Type>`
 * (`pulumi-nodejs:dynamic/alicloud:InstanceSSL` → `managed-redis:alicloud:InstanceSSL`). The plugin
 * and the policy pack both read it from here.
 */
export const PLUGIN_TYPE_TOKENS = Object.fromEntries(
  NAMES.filter(isPublic).map((n) => [n, pluginToken(n)]),
) as { readonly [N in PublicTypeName]: PluginTokenOf<N> };
