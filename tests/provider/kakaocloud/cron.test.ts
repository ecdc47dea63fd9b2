import { provider } from "../../../provider/kakaocloud/cluster";
import { cronProblem } from "../../../provider/kakaocloud/cron";
import { clusterInputs } from "../../helpers/kakao";

const failuresOf = async (cron: string) =>
  (await provider.check!({} as never, clusterInputs({ backupSchedule: { cron, retentionLimit: 7 } })))
    .failures ?? [];

describe("backupSchedule.cron", () => {
  it.each([
    "0 3 * * *",
    "30 1 * * 0",
    "0 */6 * * *",
    "*/15 1-5 * JAN MON",
    "0,30 3 1-15 * *",
    " 0  3 * * * ",
  ])("accepts %j", async (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
    expect(await failuresOf(cron)).toEqual([]);
  });

  it.each([
    ["61 3 * * *", 'the minute field "61" is not valid', "0-59"],
    ["0 24 * * *", 'the hour field "24" is not valid', "0-23"],
    ["0 3 32 * *", 'the day-of-month field "32" is not valid', "1-31"],
    ["0 3 * 13 *", 'the month field "13" is not valid', "1-12"],
    ["0 3 * * 8", 'the day-of-week field "8" is not valid', "0-7"],
    ["0 3-1 * * *", 'the hour field "3-1" is not valid', "3-1"],
    ["x 3 * * *", 'the minute field "x" is not valid', "Invalid characters"],
    ["0 0 31 2 *", "is not a valid cron expression", "day of month"],
  ])("refuses %j, naming the field and the range", async (cron, reason, detail) => {
    const failures = await failuresOf(cron);
    expect(failures).toEqual([{ property: "backupSchedule.cron", reason: expect.stringContaining(reason) }]);
    expect(failures[0].reason).toContain(detail);
  });

  it.each([
    ["0 3 * *", "4 given"],
    ["0 3 * * * *", "6 given"],
    ["", "0 given"],
    ["@daily", "1 given"],
  ])("refuses %j: not five fields (the parser alone would read it)", async (cron, count) => {
    expect(await failuresOf(cron)).toEqual([
      {
        property: "backupSchedule.cron",
        reason: `must be a cron expression of 5 fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"; ${count}`,
      },
    ]);
  });

  it("is refused by create too, before any API call", async () => {
    await expect(
      provider.create(clusterInputs({ backupSchedule: { cron: "61 3 * * *", retentionLimit: 7 } })),
    ).rejects.toThrow(/^invalid KakaoRedisCluster inputs: backupSchedule\.cron: the minute field "61"/);
  });
});
