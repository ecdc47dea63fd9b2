import type { ResourceValidationPolicy } from "@pulumi/policy";
import { stringListSetting } from "./config";
import { isType, label } from "./resources";
import { Unknowns, isUnknown, plainProps } from "./values";

/** The Redis versions the KakaoCloud create-cluster document lists (cluster mode enabled). */
export const KAKAO_REDIS_VERSIONS: readonly string[] = ["7.2.6", "7.0.15", "6.2.16", "6.2.5", "5.0.6"];

/**
 * The default of `allowedVersions`: every line KakaoCloud offers except 5.0, so that a patch the cloud
 * publishes later (7.2.11 and 6.2.20 came after the document) passes without a new policy release.
 * Redis 5.0 is end of life (no fixes since Redis 7.0 shipped in 2022), so new clusters should not
 * start on it; a team that must keep one lists the versions it accepts in the policy configuration.
 */
export const DEFAULT_ALLOWED_VERSIONS: readonly string[] = ["7.2", "7.0", "6.2"];

/** Configuration of {@link redisAllowedVersions}. */
export interface RedisAllowedVersionsConfig {
  /**
   * The Redis versions a cluster may use: `major.minor.patch` allows that version, `major.minor`
   * every version of that line; default {@link DEFAULT_ALLOWED_VERSIONS}.
   */
  allowedVersions?: string[];
}

/** Whether `version` is allowed by `entry`: the same version, or a version of the `major.minor` line it names. */
export function versionAllowed(version: string, entry: string): boolean {
  return version === entry || (/^\d+\.\d+$/.test(entry) && version.startsWith(`${entry}.`));
}

/**
 * `redis-allowed-versions` (advisory): a `KakaoRedisCluster` uses one of `allowedVersions` (default
 * the 7.2, 7.0 and 6.2 lines: every line offered but the end-of-life 5.0). The version
 * of an existing cluster cannot be changed in place (the update API takes only the description and
 * the parameter group), so a change of version replaces the cluster.
 */
export const redisAllowedVersions: ResourceValidationPolicy = {
  name: "redis-allowed-versions",
  description:
    "KakaoCloud Redis clusters use an allowed Redis version (default: the 7.2, 7.0 and 6.2 lines, not the end-of-life 5.0).",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      allowedVersions: {
        type: "array",
        items: { type: "string" },
        minItems: 1,
        default: [...DEFAULT_ALLOWED_VERSIONS],
        description:
          'The Redis versions a KakaoRedisCluster may use: "7.2.11" allows that version, "7.2" every 7.2 version.',
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
      reportViolation(
        `${label(args)} declares no Redis version: set version to an allowed one (allowed: ${choices}).`,
      );
    } else if (!allowed.some((entry) => versionAllowed(version, entry))) {
      reportViolation(
        `${label(args)} uses Redis ${version}, which this policy does not allow (allowed: ${choices}). ` +
          "Set version to an allowed one; changing the version of an existing cluster replaces it.",
      );
    }
    unknowns.finish();
  },
};
