/**
 * The inputs of the two Alibaba Cloud resources: their timeouts, the input schema, the `check()`
 * that hands the parsed inputs back to the engine, and the properties a resource object registers.
 */
import { z } from "zod";
import type { ProviderProps } from "../core/types";
import { type CheckFailure, validate, withoutProvider } from "../core/validation";
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

/**
 * `check()` of an Alibaba resource: the core's {@link validate} (as `checkWith` uses it) judges the
 * inputs against `schema` (an unknown key refused at its path, with the name meant when one is
 * close), values unknown at preview not judged. Once the inputs parse, the engine gets the parsed
 * inputs back, defaults applied and `enabled` a boolean: the one form the rest of the provider
 * works with. Until then (a value still unknown) the inputs stay as they are, and `pulumi up`
 * calls check again.
 */
export function checkParsed<I>(
  schema: z.ZodType,
): (olds: I, news: I) => Promise<{ inputs: I; failures: CheckFailure[] }> {
  return async (_olds, news) => {
    const raw = news as I & ProviderProps;
    // One parse: validate() hands back the parsed value when every value is known and valid.
    const result = validate(schema, withoutProvider(raw));
    if (!result.ok) return { inputs: news, failures: result.failures };
    if (result.value === undefined) return { inputs: news, failures: [] };
    return { inputs: { ...(result.value as I), __provider: raw.__provider }, failures: [] };
  };
}
