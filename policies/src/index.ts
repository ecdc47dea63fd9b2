/**
 * The policies of the `pulumi-managed-redis` CrossGuard pack, as values, so that a platform team can
 * compose its own pack:
 *
 * @example
 * ```typescript
 * import { PolicyPack } from "@pulumi/policy";
 * import { kakaoShardCount, tairSslDirectConnectionExclusive } from "pulumi-managed-redis/policies";
 *
 * new PolicyPack("our-redis-rules", {
 *   policies: [tairSslDirectConnectionExclusive, { ...kakaoShardCount, enforcementLevel: "advisory" }],
 * });
 * ```
 */
import type { Policies } from "@pulumi/policy";
import { kakaoShardCount } from "./kakao-shard-count";
import { redisAllowedVersions } from "./redis-allowed-versions";
import { redisBackupRetention } from "./redis-backup-retention";
import { redisEncryptionInTransit } from "./redis-encryption-in-transit";
import { redisReplicasPerShard } from "./redis-replicas-per-shard";
import { tairSslDirectConnectionExclusive } from "./tair-ssl-direct-connection-exclusive";

export * from "./kakao-shard-count";
export * from "./redis-allowed-versions";
export * from "./redis-backup-retention";
export * from "./redis-encryption-in-transit";
export * from "./redis-replicas-per-shard";
export * from "./tair-ssl-direct-connection-exclusive";
export { NotKnownDuringPreview, UNKNOWN, isUnknown, plain } from "./values";

/**
 * Every policy of the pack: the two mandatory rules (`tair-ssl-direct-connection-exclusive`,
 * `kakao-shard-count`) and the advisory Redis baseline (`redis-encryption-in-transit`,
 * `redis-replicas-per-shard`, `redis-allowed-versions`, `redis-backup-retention`).
 */
export const allPolicies: Policies = [
  tairSslDirectConnectionExclusive,
  kakaoShardCount,
  redisEncryptionInTransit,
  redisReplicasPerShard,
  redisAllowedVersions,
  redisBackupRetention,
];
