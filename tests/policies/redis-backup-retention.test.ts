import { redisBackupRetention as policy } from "../../policies/src/redis-backup-retention";
import { UNKNOWN, clusterProps, dcsSslProps, messages, resourceArgs, runResource } from "./util";

const args = (overrides: Record<string, unknown>, config?: object) =>
  resourceArgs("KakaoRedisCluster", clusterProps(overrides), { name: "cache", config });

describe("redis-backup-retention", () => {
  it("is advisory, with minRetentionDays configurable (default 7)", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.configSchema?.properties.minRetentionDays).toMatchObject({
      type: "integer",
      minimum: 1,
      default: 7,
    });
  });

  it("passes a 7-day backup schedule", async () => {
    expect(await runResource(policy, args({}))).toEqual({ violations: [], previewNotes: [] });
  });

  it("flags a cluster without a backup schedule", async () => {
    expect(messages(await runResource(policy, args({ backupSchedule: undefined })))).toEqual([
      'KakaoRedisCluster "cache" has no backupSchedule: add backupSchedule with a cron expression and a ' +
        "retentionLimit of at least 7 days.",
    ]);
  });

  it("flags a short retention", async () => {
    expect(
      messages(await runResource(policy, args({ backupSchedule: { cron: "0 3 * * *", retentionLimit: 3 } }))),
    ).toEqual([
      'KakaoRedisCluster "cache" keeps backups 3 days (backupSchedule.retentionLimit); this policy asks for at ' +
        "least 7 (minRetentionDays). Raise retentionLimit to 7 or more.",
    ]);
  });

  it("flags a schedule without retentionLimit", async () => {
    expect(messages(await runResource(policy, args({ backupSchedule: { cron: "0 3 * * *" } })))).toEqual([
      'KakaoRedisCluster "cache" sets no backupSchedule.retentionLimit: keep backups at least 7 days.',
    ]);
  });

  it("applies minRetentionDays from the configuration", async () => {
    const out = await runResource(policy, args({}, { minRetentionDays: 30 }));
    expect(messages(out)).toEqual([
      expect.stringContaining(
        "keeps backups 7 days (backupSchedule.retentionLimit); this policy asks for at least 30",
      ),
    ]);
  });

  it("says it cannot check values unknown at preview", async () => {
    expect(await runResource(policy, args({ backupSchedule: UNKNOWN }))).toEqual({
      violations: [],
      previewNotes: [
        'The backupSchedule of KakaoRedisCluster "cache" is not known yet, so it cannot be checked during preview.',
      ],
    });
    expect(
      (await runResource(policy, args({ backupSchedule: { cron: "0 3 * * *", retentionLimit: UNKNOWN } })))
        .previewNotes,
    ).toEqual([
      'The backup retentionLimit of KakaoRedisCluster "cache" is not known yet, so it cannot be checked during preview.',
    ]);
  });

  it("is not applicable to other resources", async () => {
    const out = await runResource(policy, resourceArgs("DcsInstanceSSL", dcsSslProps()));
    expect(out.notApplicable).toBe("only KakaoRedisCluster has a backup schedule");
  });
});
