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
 *
 * Unknown keys are refused the same way for every resource (its schema and each nested object
 * schema being strict): one failure per key at its own path (`subnetAssignments[0].primary.idd`),
 * `unknown property "leaveOnDestory"; did you mean leaveOnDestroy?` when a known key is close,
 * else the keys allowed there. Keys of the engine (`__provider`, any key starting with `__`) are
 * not judged.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  inputs: unknown,
): { ok: true; value?: z.output<S> } | { ok: false; failures: CheckFailure[] } {
  const judged = withoutEngineKeys(inputs);
  const result = schema.safeParse(judged, {
    error: (issue) =>
      issue.code === "invalid_type" && (issue.input === undefined || issue.input === null)
        ? "is required"
        : undefined,
  });
  if (result.success) return { ok: true, value: result.data };
  const failures = flattenUnions(result.error.issues)
    // An unknown key is refused even when a value is unknown at preview: its name is known.
    .filter((issue) => issue.code === "unrecognized_keys" || !containsUnknown(valueAt(judged, issue.path)))
    .flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => unknownKeyFailure(schema, issue.path, key))
        : [{ property: propertyPath(issue.path) || "(resource)", reason: issue.message }],
    );
  return failures.length ? { ok: false, failures } : { ok: true };
}

/**
 * Keys the engine or the SDK adds to a resource's properties (`__provider`, and any other key
 * starting with `__`): never judged, never refused as unknown.
 */
export function isEngineKey(key: string): boolean {
  return key.startsWith("__");
}

function withoutEngineKeys(inputs: unknown): unknown {
  if (!inputs || typeof inputs !== "object" || Array.isArray(inputs)) return inputs;
  return Object.fromEntries(Object.entries(inputs).filter(([k]) => !isEngineKey(k)));
}

/**
 * A union none of whose options fits reports `invalid_union` ("Invalid input") with each option's
 * issues; when exactly one option has the value's shape (none of its issues is about the value
 * as a whole, but unknown keys), that option's issues are the ones that say what is wrong. Else
 * the union's own message stands.
 */
function flattenUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union") return [issue];
    const fitting = issue.errors.filter(
      (branch) => !branch.some((i) => i.path.length === 0 && i.code !== "unrecognized_keys"),
    );
    if (fitting.length !== 1) return [issue];
    return flattenUnions(fitting[0]).map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
  });
}

/**
 * The failure of an input key no schema names, at its own path: `unknown property
 * "leaveOnDestory"; did you mean leaveOnDestroy?` when a known key is close (an edit distance of
 * at most 2, or the same letters in another case), else the keys allowed there.
 */
function unknownKeyFailure(schema: z.ZodType, path: ReadonlyArray<PropertyKey>, key: string): CheckFailure {
  const property = propertyPath([...path, key]);
  const known = knownKeysAt(schema, path);
  const near = closestKey(key, known);
  const hint = near ? `did you mean ${near}?` : known.length ? `allowed: ${known.join(", ")}` : "";
  return { property, reason: `unknown property "${key}"${hint ? `; ${hint}` : ""}` };
}

/** The known key closest to `key`, when one is close enough to be a misspelling of it. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, name);
    if (distance <= 2 && distance < key.length && (!best || distance < best.distance))
      best = { name, distance };
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** The keys the object schema(s) at `path` inside `schema` name (through optional, nullable, default, array, union). */
function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let level: z.core.$ZodType[] = [schema];
  for (const step of path) {
    level = level.flatMap(unwrap).flatMap((s): z.core.$ZodType[] => {
      const def = defOf(s);
      if (typeof step === "number") return def.type === "array" ? [def.element as z.core.$ZodType] : [];
      if (def.type !== "object") return [];
      const field = (def.shape as Record<string, z.core.$ZodType>)[String(step)];
      return field ? [field] : [];
    });
  }
  const keys = level
    .flatMap(unwrap)
    .flatMap((s) => (defOf(s).type === "object" ? Object.keys(defOf(s).shape as object) : []));
  return [...new Set(keys)];
}

/** A schema's definition, read field by field (zod's own types name each kind's fields apart). */
function defOf(schema: z.core.$ZodType): Record<string, unknown> {
  return schema._zod.def as unknown as Record<string, unknown>;
}

/** The schemas a wrapper stands for: its inner schema(s), or itself. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType[] {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
      return unwrap(def.innerType as z.core.$ZodType);
    case "union":
      return (def.options as z.core.$ZodType[]).flatMap(unwrap);
    default:
      return [schema];
  }
}

/**
 * The parsed inputs right before a mutation (create, update), when every value is known: what
 * `check()` would refuse is refused here too, before any API call, as
 * `invalid <resource> inputs: <property>: <reason>; ...`. Top-level keys the schema does not name
 * are left out, not refused: `check()` refused them in the program's inputs already, and an
 * update may be handed inputs that carry the state's outputs beside them.
 */
export function validInputs<S extends z.ZodType>(schema: S, inputs: object, resource: string): z.output<S> {
  const known = new Set(knownKeysAt(schema, []));
  const named = Object.fromEntries(Object.entries(withoutProvider(inputs)).filter(([k]) => known.has(k)));
  const result = validate(schema, named);
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
 * A dynamic provider's `check()` for a schema that hands the inputs back **as the program gave
 * them**: failures carry their property paths (none listed when there are none), values unknown at
 * preview are left to `pulumi up`, and the serialized provider (`__provider`) is not judged.
 *
 * Use it when the schema only judges (no transform, no default the rest of the provider relies
 * on): the state keeps the program's own form, and `create`/`update` parse again with
 * {@link validInputs}. The KakaoCloud resources and `DcsInstanceSSL` use it. Use
 * {@link checkParsed} instead when the schema turns the inputs into the one form the provider works
 * with.
 */
export function checkWith<T>(
  schema: z.ZodType,
): (olds: T, news: T) => Promise<{ inputs: T; failures?: CheckFailure[] }> {
  return async (_olds, news) => {
    const result = validate(schema, withoutProvider(news as T & object));
    return result.ok ? { inputs: news } : { inputs: news, failures: result.failures };
  };
}

/**
 * A dynamic provider's `check()` for a schema that hands the **parsed** inputs back: judged as
 * {@link checkWith} judges them, but once every value is known and valid the engine gets the
 * schema's output (defaults applied, transforms done, `__provider` kept), so the state, `diff` and
 * every operation see one form. Until then (a value unknown at preview, or a failure) the inputs
 * stay as they came, and `pulumi up` calls check again. `failures` is always listed (empty when
 * none).
 *
 * Use it when the schema transforms or defaults a value the provider relies on: the Alibaba Cloud
 * resources (`enabled: "Enable"` → `true`, `port: "6380"` → `6380`, `leaveOnDestroy` defaulted).
 */
export function checkParsed<T>(
  schema: z.ZodType,
): (olds: T, news: T) => Promise<{ inputs: T; failures: CheckFailure[] }> {
  return async (_olds, news) => {
    const raw = news as T & { __provider?: string };
    // One parse: validate() hands back the parsed value when every value is known and valid.
    const result = validate(schema, withoutProvider(raw));
    if (!result.ok) return { inputs: news, failures: result.failures };
    if (result.value === undefined) return { inputs: news, failures: [] };
    return { inputs: { ...(result.value as T), __provider: raw.__provider }, failures: [] };
  };
}
