/**
 * `pulumi-managed-redis`: Pulumi dynamic resources for managed Redis.
 *
 * - KakaoCloud Redis (cluster mode): {@link KakaoRedisCluster}, {@link KakaoShard}, {@link KakaoReplica};
 *   the catalog lookups {@link getKakaoFlavor} and {@link getKakaoRedisVersion}
 * - Alibaba Cloud Tair: {@link TairDirectConnection}, {@link InstanceSSL}
 * - Huawei Cloud DCS: {@link DcsInstanceSSL}
 *
 * Credentials and endpoints come from the stack configuration (`managed-redis:*` keys) or the
 * environment, never from resource inputs. See the README.
 *
 * @packageDocumentation
 */
// The classes come from the *.resource.ts files, which load no implementation: a program that
// imports the package loads the classes, the core they need and nothing of the clients.
export { KakaoRedisCluster } from "./kakaocloud/cluster.resource";
export { KAKAO_REDIS_VERSIONS, type KnownKakaoRedisVersion } from "./kakaocloud/versions";
// The lookups load the KakaoCloud client only when called.
export {
  getKakaoFlavor,
  getKakaoFlavors,
  getKakaoRedisVersion,
  getKakaoRedisVersions,
  type KakaoFlavor,
  type KakaoFlavorQuery,
} from "./kakaocloud/lookups";
export type {
  KakaoRedisClusterArgs,
  KakaoRedisClusterInputs,
  KakaoRedisClusterOutputs,
  ClusterShard,
  ClusterNode,
  SubnetAssignment,
  IdRef,
} from "./kakaocloud/cluster";
export { KakaoShard } from "./kakaocloud/shard.resource";
export type { KakaoShardArgs } from "./kakaocloud/shard.resource";
export type { KakaoShardInputs, KakaoShardOutputs } from "./kakaocloud/shard";
export { KakaoReplica } from "./kakaocloud/replica.resource";
export type { KakaoReplicaArgs } from "./kakaocloud/replica.resource";
export type { KakaoReplicaInputs, KakaoReplicaOutputs } from "./kakaocloud/replica";
export { TairDirectConnection } from "./alicloud/direct-connection.resource";
export type { TairDirectConnectionArgs } from "./alicloud/direct-connection.resource";
export type { TairDirectConnectionInputs, TairDirectConnectionOutputs } from "./alicloud/direct-connection";
export { InstanceSSL } from "./alicloud/instance-ssl.resource";
export type { InstanceSSLArgs } from "./alicloud/instance-ssl.resource";
export type { InstanceSSLInputs, InstanceSSLOutputs } from "./alicloud/instance-ssl";
export { DcsInstanceSSL } from "./huaweicloud/dcs-instance-ssl.resource";
export type { DcsInstanceSSLArgs } from "./huaweicloud/dcs-instance-ssl.resource";
export type { DcsInstanceSSLInputs, DcsInstanceSSLOutputs } from "./huaweicloud/dcs-instance-ssl";
export { TYPE_TOKENS, type ResourceTypeName } from "./tokens";
export {
  AbortedError,
  CloudError,
  ConfigError,
  type CloudName,
  type ErrorCode,
  InputError,
  ManagedRedisError,
  StateError,
  WaitFailedError,
  WaitTimeoutError,
} from "./core/errors";
export type { Timeouts } from "./core/types";
