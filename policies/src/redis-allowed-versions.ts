import type { ResourceValidationPolicy } from "@pulumi/policy";
import { stringListSetting } from "./config";
import { isType, label } from "./resources";
import { Unknowns, isUnknown, plainProps } from "./values";

/** The Redis versions the KakaoCloud create-cluster document lists (cluster mode enabled). */
export const KAKAO_REDIS_VERSIONS: readonly string[] = ["7.2.6", "7.0.15", "6.2.16", "6.2.5", "5.0.6"];

/**
 * The default of `allowedVersions`: the documented versions without 5.0.6. Redis 5.0 is end of life
 * (no fixes since Redis 7.0 shipped in 2022), so new clusters should not start on it; a team that must
 * keep one lists the versions it accepts in the policy configuration.
 */
export const DEFAULT_ALLOWED_VERSIONS: readonly string[] = KAKAO_REDIS_VERSIONS.filter((v) => v !== "5.0.6");

/** Configuration of {@link redisAllowedVersions}. */
export interface RedisAllowedVersionsConfig {
  /** The Redis versions a cluster may use; default {@link DEFAULT_ALLOWED_VERSIONS}. */
  allowedVersions?: string[];
}

/**
 * `redis-allowed-versions` (advisory): a `KakaoRedisCluster` uses one of `allowedVersions` (default
 * 7.2.6, 7.0.15, 6.2.16 and 6.2.5: the documented versions without the end-of-life 5.0.6). The version
 * of an existing cluster cannot be changed in place (the update API takes only the description and
 * the parameter group), so a change of version replaces the cluster.
 */
export const redisAllowedVersions: ResourceValidationPolicy = {
  name: "redis-allowed-versions",
  description:
    "KakaoCloud Redis clusters use an allowed Redis version (default: the documented versions except the end-of-life 5.0.6).",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      allowedVersions: {
        type: "array",
        items: { type: "string" },
        minItems: 1,
        default: [...DEFAULT_ALLOWED_VERSIONS],
        description: "The Redis versions a KakaoRedisCluster may use.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!isType(args, "KakaoRedisCluster"))
      args.notApplicable("only KakaoRedisCluster declares a Redis version");
    const allowed = stringListSetting(
      args.getConfig<RedisAllowedVersionsConfig>().allowedVersions,
      DEFAULT_ALLOWED_VERSIONS,
    );
    const unknowns = new Unknowns();
    const version = plainProps(args.props).version;
    const choices = allowed.join(", ");
    if (isUnknown(version)) {
      unknowns.note(
        `The version of ${label(args)} is not known yet, so it cannot be checked during preview.`,
      );
    } else if (typeof version !== "string" || version === "") {
      reportViolation(`${label(args)} declares no Redis version: set version to one of ${choices}.`);
    } else if (!allowed.includes(version)) {
      reportViolation(
        `${label(args)} uses Redis ${version}, which this policy does not allow (allowed: ${choices}). ` +
          "Set version to an allowed one; changing the version of an existing cluster replaces it.",
      );
    }
    unknowns.finish();
  },
};
