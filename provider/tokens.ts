/**
 * The type token of every resource in this package: `pulumi-nodejs:dynamic/<cloud>:<Type>`.
 * Each resource class carries the same token as its static `__pulumiType`; policies match on it.
 */
export const TYPE_TOKENS = {
  KakaoRedisCluster: "pulumi-nodejs:dynamic/kakaocloud:KakaoRedisCluster",
  KakaoShard: "pulumi-nodejs:dynamic/kakaocloud:KakaoShard",
  KakaoReplica: "pulumi-nodejs:dynamic/kakaocloud:KakaoReplica",
  /** Internal child of KakaoShard / KakaoReplica: the wait until the new member is Running. */
  KakaoMemberSettled: "pulumi-nodejs:dynamic/kakaocloud:KakaoMemberSettled",
  /** Internal child of KakaoRedisCluster: the wait until the new cluster is Running. */
  KakaoClusterSettled: "pulumi-nodejs:dynamic/kakaocloud:KakaoClusterSettled",
  TairDirectConnection: "pulumi-nodejs:dynamic/alicloud:TairDirectConnection",
  InstanceSSL: "pulumi-nodejs:dynamic/alicloud:InstanceSSL",
  DcsInstanceSSL: "pulumi-nodejs:dynamic/huaweicloud:DcsInstanceSSL",
} as const;

/** A resource type of this package. */
export type ResourceTypeName = keyof typeof TYPE_TOKENS;

/** The internal children, which have no token of their own on the plugin face. */
type InternalTypeName = "KakaoMemberSettled" | "KakaoClusterSettled";

/** A public resource type of this package (both faces). */
export type PublicTypeName = Exclude<ResourceTypeName, InternalTypeName>;

/** The provider plugin face's package name: the launcher is `pulumi-resource-managed-redis`. */
export const PLUGIN_PACKAGE = "managed-redis";

/**
 * The type token of each public resource on the provider plugin face, `managed-redis:<cloud>:<Type>`:
 * the dynamic token's module and type under the plugin's package
 * (`pulumi-nodejs:dynamic/alicloud:InstanceSSL` → `managed-redis:alicloud:InstanceSSL`). The plugin
 * (`plugin/declarations.ts`) and the policy pack both read it from here.
 */
export const PLUGIN_TYPE_TOKENS = {
  KakaoRedisCluster: `${PLUGIN_PACKAGE}:kakaocloud:KakaoRedisCluster`,
  KakaoShard: `${PLUGIN_PACKAGE}:kakaocloud:KakaoShard`,
  KakaoReplica: `${PLUGIN_PACKAGE}:kakaocloud:KakaoReplica`,
  TairDirectConnection: `${PLUGIN_PACKAGE}:alicloud:TairDirectConnection`,
  InstanceSSL: `${PLUGIN_PACKAGE}:alicloud:InstanceSSL`,
  DcsInstanceSSL: `${PLUGIN_PACKAGE}:huaweicloud:DcsInstanceSSL`,
} as const satisfies Record<PublicTypeName, string>;
