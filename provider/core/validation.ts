/**
 * Input validation for `check()`: every failure with its property path and a reason, at preview
 * time, before any API call.
 */
import type { z } from "zod";

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
): { ok: true; value: z.output<S> } | { ok: false; failures: CheckFailure[] } {
  const result = schema.safeParse(inputs);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    failures: result.error.issues.map((issue) => ({
      property: propertyPath(issue.path) || "(resource)",
      reason: issue.message,
    })),
  };
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
