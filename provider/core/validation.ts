/**
 * Input validation for `check()`: every failure with its property path and a reason, at preview
 * time, before any API call.
 */
import { z } from "zod";
import { InputError } from "./errors";
import { durationMs } from "./waiter";

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
 * Validates inputs against a zod schema: the parsed value, or every failure with its property path.
 *
 * A value unknown during preview reaches a dynamic provider's `check()` as the engine's unknown
 * sentinel ({@link UNKNOWN}); failures at such a value are left to `pulumi up`, when it is known, and
 * the parsed value is then absent. A required field that is absent or null is missing for real (a
 * JavaScript program has no types to catch it, or an output resolved to undefined) and is refused:
 * with the schema's own message when it has one, else "is required".
 */
export function validate<S extends z.ZodType>(
  schema: S,
  inputs: unknown,
): { ok: true; value?: z.output<S> } | { ok: false; failures: CheckFailure[] } {
  const result = schema.safeParse(inputs, {
    error: (issue) =>
      issue.code === "invalid_type" && (issue.input === undefined || issue.input === null)
        ? "is required"
        : undefined,
  });
  if (result.success) return { ok: true, value: result.data };
  const failures = result.error.issues
    .filter((issue) => !containsUnknown(valueAt(inputs, issue.path)))
    .map((issue) => ({ property: propertyPath(issue.path) || "(resource)", reason: issue.message }));
  return failures.length ? { ok: false, failures } : { ok: true };
}

/**
 * The parsed inputs right before a mutation (create, update), when every value is known: what
 * `check()` would refuse is refused here too, before any API call, as
 * `invalid <resource> inputs: <property>: <reason>; ...`.
 */
export function validInputs<S extends z.ZodType>(schema: S, inputs: object, resource: string): z.output<S> {
  const result = validate(schema, withoutProvider(inputs));
  if (result.ok && result.value !== undefined) return result.value;
  const reasons = result.ok
    ? ["a value is still unknown"]
    : result.failures.map((f) => `${f.property}: ${f.reason}`);
  throw new InputError("InvalidInput", `invalid ${resource} inputs: ${reasons.join("; ")}`);
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

/** The sentinel the engine uses for values unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value (or anything inside it) is unknown during preview. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** A duration string in the one grammar of {@link durationMs} (`"90m"`, `"2h"`, `"30s"`). */
const duration = z
  .string()
  .refine((text) => durationMs(text) !== undefined, 'must be a duration such as "90m", "2h" or "30s"');

/** The `timeouts` input every resource accepts. */
export const timeoutsSchema = z
  .object({ create: duration.optional(), update: duration.optional(), delete: duration.optional() })
  .strict()
  .optional();

/**
 * A dynamic provider's `check()` for a schema: the inputs pass through unchanged, failures carry
 * their property paths, and the serialized provider (`__provider`) is not judged.
 */
export function checkWith<T>(
  schema: z.ZodType,
): (olds: T, news: T) => Promise<{ inputs: T; failures?: CheckFailure[] }> {
  return async (_olds, news) => {
    const result = validate(schema, withoutProvider(news as T & object));
    return result.ok ? { inputs: news } : { inputs: news, failures: result.failures };
  };
}
