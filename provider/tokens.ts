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
