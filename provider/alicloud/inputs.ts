/**
 * The inputs of the two Alibaba Cloud resources: their timeouts and the input schema. Their
 * `check()` is the core's `checkParsed` (`core/validation.ts`): it hands the parsed inputs back.
 */
import { z } from "zod";
import { parseDuration } from "../core/waiter";

/** Per-operation deadlines, as duration strings (`"30m"`, `"90s"`, `"2h"`). */
export interface TairTimeouts {
  /** Deadline of create (including the wait until the change is live). */
  create?: string;
  /** Deadline of update. */
  update?: string;
  /** Deadline of delete. */
  delete?: string;
}

const durationText = z.string().refine(
  (v) => {
    try {
      parseDuration(v, 0);
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be a duration such as "30m", "90s" or "2h" (a number followed by ms, s, m or h)' },
);

/** zod schema of {@link TairTimeouts}. */
export const timeoutsSchema = z.strictObject(
  { create: durationText.optional(), update: durationText.optional(), delete: durationText.optional() },
  { error: "timeouts must be an object with optional create, update and delete durations" },
);

/**
 * The input schema of an Alibaba resource: the `instanceId` of the `instanceKind` it belongs to
 * (such as `"Tair instance"`), then the fields of `shape`. Strict: an unknown key is refused as
 * every resource refuses it (`core/validation.ts`).
 */
export function inputSchema<S extends z.ZodRawShape>(instanceKind: string, shape: S) {
  const instanceId = z
    .string({ error: `instanceId is required: the id of a ${instanceKind}, e.g. r-bp1zxszhcgatnx****` })
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,63}$/, {
      error: "instanceId must be an instance id such as r-bp1zxszhcgatnx****",
    });
  return z.strictObject({ instanceId, ...shape });
}
