/**
 * The `backupSchedule.cron` input: a cron expression of five fields (minute, hour, day of month,
 * month, day of week), as the create-cluster body takes it (docs/cloud-facts.md). The field count is
 * checked here (the parser also reads six fields, with seconds, and fills in missing ones); each
 * field's syntax and range are left to `cron-parser`, loaded on the first expression checked (a
 * program without a backup schedule never loads it).
 */
import { z } from "zod";

/** The five fields, in order. */
const FIELD_NAMES = ["minute", "hour", "day-of-month", "month", "day-of-week"] as const;

function cronParser(): typeof import("cron-parser").CronExpressionParser {
  return (require("cron-parser") as typeof import("cron-parser")).CronExpressionParser;
}

/** The parser's complaint about `expression`, or `undefined` when it reads it. */
function parserComplaint(expression: string): string | undefined {
  try {
    cronParser().parse(expression);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Why `expression` is not a five-field cron expression, or `undefined` when it is one. A bad field
 * is named: each field is read alone (the others `*`) before the whole expression.
 *
 * @example
 * ```ts
 * cronProblem("0 3 * * *"); // undefined
 * cronProblem("61 3 * * *");
 * // 'the minute field "61" is not valid: Constraint error, got value 61 expected range 0-59'
 * ```
 */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== FIELD_NAMES.length) {
    return `must be a cron expression of 5 fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"; ${fields.filter(Boolean).length} given`;
  }
  for (const [i, name] of FIELD_NAMES.entries()) {
    const alone = FIELD_NAMES.map((_, j) => (j === i ? fields[i] : "*")).join(" ");
    const problem = parserComplaint(alone);
    if (problem) return `the ${name} field "${fields[i]}" is not valid: ${problem}`;
  }
  const problem = parserComplaint(fields.join(" "));
  return problem && `is not a valid cron expression: ${problem}`;
}

/** The schema of a five-field cron expression. */
export const cronSchema = z.string().superRefine((value, ctx) => {
  const problem = cronProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
