/**
 * Input validation for `check()`: every failure with its property path and a reason, at preview
 * time, before any API call.
 */
import { z } from "zod";

/** A `check()` failure as the Pulumi engine expects it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** Renders a zod issue path as a Pulumi property path (`subnetAssignments[1].primary.id`). */
export function propertyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/**
 * Validates inputs against a zod schema. Returns the parsed value or the failures.
 * Values unknown during preview arrive as `undefined` or as the engine's unknown sentinel;
 * callers strip them (see {@link stripUnknowns}) so that only known values are judged.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  inputs: unknown,
  opts: ValidateOptions = {},
): { ok: true; value: z.output<S> } | { ok: false; failures: CheckFailure[] } {
  const result = schema.safeParse(inputs);
  if (result.success) return { ok: true, value: result.data };
  // A value unknown during preview is judged at `pulumi up`, once it is known. The engine hands a
  // dynamic provider's check() such values as the unknown sentinel; by default an absent value is
  // not judged either (see ValidateOptions.absentIsUnknown).
  const absentIsUnknown = opts.absentIsUnknown ?? true;
  const failures = result.error.issues
    .filter((issue) => {
      const value = valueAt(inputs, issue.path);
      if (value === undefined || value === null) return !absentIsUnknown;
      return !containsUnknown(value);
    })
    .map((issue) => ({
      property: propertyPath(issue.path) || "(resource)",
      reason:
        issue.code === "invalid_type" && valueAt(inputs, issue.path) === undefined
          ? "is required"
          : issue.message,
    }));
  return failures.length ? { ok: false, failures } : { ok: true, value: inputs as z.output<S> };
}

/** Options of {@link validate} and {@link checkWith}. */
export interface ValidateOptions {
  /**
   * Whether an absent value is taken for one unknown during preview and left to `pulumi up`
   * (default true). With `false`, a required field left out is refused (a JavaScript program has no
   * types to catch it); values unknown during preview still arrive as the unknown sentinel and are
   * not judged.
   */
  absentIsUnknown?: boolean;
}

function valueAt(value: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** Removes the serialized provider from a property bag before validation or comparison. */
export function withoutProvider<T extends object>(props: T): Omit<T, "__provider"> {
  const { __provider: _p, ...rest } = props as T & { __provider?: unknown };
  return rest;
}

/**
 * Compares the user inputs named in `keys` and returns those that differ (undefined and missing
 * are equal).
 */
export function changedKeys(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  keys: readonly string[],
): string[] {
  return keys.filter((k) => stableJson(olds[k] ?? null) !== stableJson(news[k] ?? null));
}

/** JSON with object keys sorted, so that key order never reads as a change. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** A zod-compatible check of duration strings (`"90m"`, `"2h"`, `"30s"`). */
export const DURATION_PATTERN = /^\d+(\.\d+)?(ms|s|m|h)?$/;

/** The sentinel the engine uses for values unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value (or anything inside it) is unknown during preview. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** The `timeouts` input every resource accepts. */
export const timeoutsSchema = z
  .object({
    create: z.string().regex(DURATION_PATTERN, 'must be a duration such as "90m", "2h" or "30s"').optional(),
    update: z.string().regex(DURATION_PATTERN, 'must be a duration such as "90m", "2h" or "30s"').optional(),
    delete: z.string().regex(DURATION_PATTERN, 'must be a duration such as "90m", "2h" or "30s"').optional(),
  })
  .strict()
  .optional();

/**
 * A dynamic provider's `check()` for a schema: the inputs pass through unchanged, failures carry
 * their property paths, and the serialized provider (`__provider`) is not judged.
 */
export function checkWith<T>(
  schema: z.ZodType,
  opts: ValidateOptions = {},
): (olds: T, news: T) => Promise<{ inputs: T; failures?: CheckFailure[] }> {
  return async (_olds, news) => {
    const result = validate(schema, withoutProvider(news as T & object), opts);
    return result.ok ? { inputs: news } : { inputs: news, failures: result.failures };
  };
}
