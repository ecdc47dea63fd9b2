/** Redis versions the KakaoCloud API document lists (a module of its own: the package root exports it). */
export const KAKAO_REDIS_VERSIONS = ["7.2.6", "7.0.15", "6.2.16", "6.2.5", "5.0.6"] as const;
