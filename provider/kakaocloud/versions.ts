/**
 * Redis versions the KakaoCloud API document lists (a module of its own: the package root exports
 * it). A cluster may use any version the cloud lists (`GET /v1/redis/versions`, see ./lookups.ts);
 * these five are what `create` accepts when that list cannot be asked.
 */
export const KAKAO_REDIS_VERSIONS = ["7.2.6", "7.0.15", "6.2.16", "6.2.5", "5.0.6"] as const;

/**
 * The versions an editor suggests for `KakaoRedisCluster.version`: the document's five and those
 * KakaoCloud has published since (7.2.11, 6.2.20). The input takes any other string too
 * (`KnownKakaoRedisVersion | (string & {})`): the cloud's own list decides at `pulumi up`.
 */
export type KnownKakaoRedisVersion = (typeof KAKAO_REDIS_VERSIONS)[number] | "7.2.11" | "6.2.20";
