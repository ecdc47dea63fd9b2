/**
 * `pulumi-managed-redis`: Pulumi dynamic resources for managed Redis.
 *
 * - KakaoCloud Redis (cluster mode): {@link KakaoRedisCluster}, {@link KakaoShard}, {@link KakaoReplica}
 * - Alibaba Cloud Tair: {@link TairDirectConnection}, {@link InstanceSSL}
 * - Huawei Cloud DCS: {@link DcsInstanceSSL}
 *
 * Credentials and endpoints come from the stack configuration (`managed-redis:*` keys) or the
 * environment, never from resource inputs. See the README.
 *
 * @packageDocumentation
 */
export {
  KakaoRedisCluster,
  KAKAO_REDIS_VERSIONS,
  type KakaoRedisClusterArgs,
  type KakaoRedisClusterInputs,
  type KakaoRedisClusterOutputs,
  type ClusterShard,
  type ClusterNode,
  type SubnetAssignment,
  type IdRef,
} from "./kakaocloud/cluster";
export {
  KakaoShard,
  type KakaoShardArgs,
  type KakaoShardInputs,
  type KakaoShardOutputs,
} from "./kakaocloud/shard";
export {
  KakaoReplica,
  type KakaoReplicaArgs,
  type KakaoReplicaInputs,
  type KakaoReplicaOutputs,
} from "./kakaocloud/replica";
export {
  TairDirectConnection,
  type TairDirectConnectionArgs,
  type TairDirectConnectionInputs,
  type TairDirectConnectionOutputs,
} from "./alicloud/direct-connection";
export {
  InstanceSSL,
  type InstanceSSLArgs,
  type InstanceSSLInputs,
  type InstanceSSLOutputs,
} from "./alicloud/instance-ssl";
export {
  DcsInstanceSSL,
  type DcsInstanceSSLArgs,
  type DcsInstanceSSLInputs,
  type DcsInstanceSSLOutputs,
} from "./huaweicloud/dcs-instance-ssl";
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
