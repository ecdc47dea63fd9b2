import type { ResourceValidationPolicy } from "@pulumi/policy";
import { integerSetting } from "./config";
import { isType, label } from "./resources";
import { Unknowns, isRecord, isUnknown, plainProps, plural, readNumber } from "./values";

/** The default of `minRetentionDays`. */
export const DEFAULT_MIN_RETENTION_DAYS = 7;

/** Configuration of {@link redisBackupRetention}. */
export interface RedisBackupRetentionConfig {
  /** The fewest days automatic backups must be kept; default 7. */
  minRetentionDays?: number;
}

/**
 * `redis-backup-retention` (advisory): a `KakaoRedisCluster` has automatic backups
 * (`backupSchedule: {cron, retentionLimit}`) kept at least `minRetentionDays` days (default 7).
 */
export const redisBackupRetention: ResourceValidationPolicy = {
  name: "redis-backup-retention",
  description: `KakaoCloud Redis clusters have a backupSchedule whose retentionLimit is at least minRetentionDays (default ${DEFAULT_MIN_RETENTION_DAYS}).`,
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      minRetentionDays: {
        type: "integer",
        minimum: 1,
        default: DEFAULT_MIN_RETENTION_DAYS,
        description: "The fewest days automatic backups must be kept (backupSchedule.retentionLimit).",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!isType(args, "KakaoRedisCluster"))
      args.notApplicable("only KakaoRedisCluster has a backup schedule");
    const minDays = integerSetting(
      args.getConfig<RedisBackupRetentionConfig>().minRetentionDays,
      DEFAULT_MIN_RETENTION_DAYS,
      1,
      Number.MAX_SAFE_INTEGER,
    );
    const unknowns = new Unknowns();
    const schedule = plainProps(args.props).backupSchedule;
    if (isUnknown(schedule)) {
      unknowns.note(
        `The backupSchedule of ${label(args)} is not known yet, so it cannot be checked during preview.`,
      );
    } else if (!isRecord(schedule)) {
      reportViolation(
        `${label(args)} has no backupSchedule: add backupSchedule with a cron expression and a retentionLimit ` +
          `of at least ${plural(minDays, "day")}.`,
      );
    } else {
      const days = readNumber(schedule.retentionLimit);
      if (!days.known && !days.missing) {
        unknowns.note(
          `The backup retentionLimit of ${label(args)} is not known yet, so it cannot be checked during preview.`,
        );
      } else if (!days.known) {
        reportViolation(
          `${label(args)} sets no backupSchedule.retentionLimit: keep backups at least ${plural(minDays, "day")}.`,
        );
      } else if (days.value < minDays) {
        reportViolation(
          `${label(args)} keeps backups ${plural(days.value, "day")} (backupSchedule.retentionLimit); this policy ` +
            `asks for at least ${minDays} (minRetentionDays). Raise retentionLimit to ${minDays} or more.`,
        );
      }
    }
    unknowns.finish();
  },
};
