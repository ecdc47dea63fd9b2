/**
 * What a KakaoCloud read may write back into a resource's inputs, and how `diff()` compares them.
 *
 * The dynamic-provider host stores what `read()` returns as the resource's outputs, and `diff()`
 * compares the program's inputs with those outputs. A value the API reports for a field the program
 * left out (a default such as `tlsEnabled: false`, a list in another order, an object with extra
 * fields) must therefore never land in that field, or the next preview proposes a replacement the
 * program never asked for. The rules:
 *
 * - **Absent stays absent.** A field the program left out is left out of the read's result, whatever
 *   the API reports.
 * - **Equal keeps the declared form.** A declared field whose live value is equal in meaning (the
 *   same set of ids in another order, the same object with extra fields the API adds, the same cron
 *   expression spaced differently) keeps the value the program declared.
 * - **Real drift is reported.** A declared field whose live value differs is replaced by the live
 *   value in the declared shape (only the fields the inputs define), so the preview shows the change
 *   and `pulumi up` puts the declared value back (or replaces, for a create-only field).
 * - A field the API does not report keeps the declared value.
 *
 * In `diff()` (the core's `diffOf`, `core/diff.ts`, through {@link diffSpecOf}), removing an optional
 * field from the program leaves the cloud as it is: it is an in-place change (the state forgets the
 * value, nothing is sent for a create-only field), never a replacement. See {@link fieldChange}.
 */
import { type CompareRule, compareField, type DiffSpec, type FieldChange, fieldDiff } from "../core/diff";
import { stableJson } from "../core/validation";

/** How one input field of a resource is compared. */
export type FieldKind =
  /** Compared as is (strings, numbers, booleans). */
  | "scalar"
  /** A list of `{id}` references whose order carries no meaning: compared as a set of ids. */
  | "idSet"
  /** An object: compared on the fields listed in `fields` (others the API adds are ignored). */
  | { object: readonly string[] };

/** How one input field compares, and whether a change of it updates the resource in place. */
export interface FieldRule {
  kind: FieldKind;
  inPlace: boolean;
}

/** The {@link FieldRule} of every input field of a resource. */
export type FieldRules<Inputs> = Record<keyof Inputs, FieldRule>;

/**
 * The rules of a resource whose every field but `timeouts` replaces it (a shard, a replica): each
 * field with its kind, `timeouts` (an object) in place.
 */
export function replacingFields<Inputs extends { timeouts?: unknown }>(
  kinds: Record<Exclude<keyof Inputs, "timeouts">, FieldKind>,
): FieldRules<Inputs> {
  const rules = Object.fromEntries(
    Object.entries<FieldKind>(kinds).map(([key, kind]) => [key, { kind, inPlace: false }]),
  );
  return {
    ...rules,
    timeouts: { kind: { object: ["create", "update", "delete"] }, inPlace: true },
  } as FieldRules<Inputs>;
}

/** An id reference as the API and the inputs write it. */
interface Ref {
  id: string;
}

/** The ids of a list of references, without duplicates and sorted (undefined when not a list). */
export function idSet(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return [...new Set(value.map((r) => String((r as Ref | undefined)?.id ?? "")))].sort();
}

function normalizeCron(value: unknown): unknown {
  return typeof value === "string" ? value.trim().split(/\s+/).join(" ") : value;
}

/** A value reduced to what `kind` compares (a canonical JSON text). */
export function canonical(value: unknown, kind: FieldKind): string {
  if (value === undefined || value === null) return "null";
  if (kind === "idSet") return stableJson(idSet(value) ?? value);
  if (kind === "scalar" || typeof value !== "object" || Array.isArray(value)) return stableJson(value);
  const picked: Record<string, unknown> = {};
  for (const f of kind.object) {
    const v = (value as Record<string, unknown>)[f];
    picked[f] = f === "cron" ? normalizeCron(v) : (v ?? null);
  }
  return stableJson(picked);
}

/** The live value in the declared shape: references reduced to `{id}`, objects to their known fields. */
function shaped(live: unknown, kind: FieldKind): unknown {
  if (kind === "idSet" && Array.isArray(live)) return live.map((r) => ({ id: String((r as Ref)?.id ?? "") }));
  if (typeof kind === "object" && live && typeof live === "object" && !Array.isArray(live)) {
    const out: Record<string, unknown> = {};
    for (const f of kind.object) {
      const v = (live as Record<string, unknown>)[f];
      if (v !== undefined) out[f] = v;
    }
    return out;
  }
  return live;
}

/**
 * The value a read writes back for one input field: absent when the program left it out, the
 * declared value when the live one is equal in meaning or not reported, else the live value (drift).
 */
export function readBack<T>(declared: T | undefined, live: unknown, kind: FieldKind): T | undefined {
  if (declared === undefined || declared === null) return undefined;
  if (live === undefined || live === null) return declared;
  return canonical(declared, kind) === canonical(live, kind) ? declared : (shaped(live, kind) as T);
}

/** What {@link fieldChange} found for one field. */
export type Change = FieldChange;

/**
 * How a KakaoCloud field compares in the core's diff (`core/diff.ts`): through {@link canonical} of
 * its kind; removing it from the program updates (the cloud stays as it is); a value unknown at
 * preview of a create-only field replaces (the engine learns the real value only at `pulumi up`).
 */
function compareRule(kind: FieldKind): CompareRule {
  return { normal: (value) => canonical(value, kind), unknown: "replace", absent: "update" };
}

/**
 * How a field's change from `olds` (the outputs in the state) to `news` (the program's inputs)
 * is carried out: `none` when equal in meaning; `update` when it updates in place, or when the
 * program removed it (removing an optional field leaves the cloud as it is); `replace` when a
 * create-only field is set to another value. An unknown new value (preview) of a create-only field
 * replaces: the engine learns the real value only at `pulumi up`.
 */
export function fieldChange(old: unknown, next: unknown, kind: FieldKind, inPlace: boolean): Change {
  return compareField(compareRule(kind), !inPlace, old, next);
}

/**
 * The core {@link DiffSpec} of per-field rules: the create-only fields in `replaces`, the others in
 * `inPlace`, each compared by {@link fieldChange}'s rules. `views` reads a field's values in
 * another form first, on both sides (e.g. a shard's one assignment, whichever form it was given in).
 */
export function diffSpecOf<K extends string>(
  fields: Record<K, FieldRule>,
  views: Partial<Record<K, (value: unknown) => unknown>> = {},
): DiffSpec<Readonly<Partial<Record<K, unknown>>>, Readonly<Partial<Record<K, unknown>>>> {
  const entries = Object.entries<FieldRule>(fields) as [K, FieldRule][];
  const fieldOf = ([key, { kind }]: [K, FieldRule]) => {
    const view = views[key];
    const read = view && ((props: Readonly<Partial<Record<K, unknown>>>) => view(props[key]));
    return { key, ...compareRule(kind), ...(read && { old: read, new: read }) };
  };
  return {
    replaces: entries.filter(([, rule]) => !rule.inPlace).map(fieldOf),
    inPlace: entries.filter(([, rule]) => rule.inPlace).map(fieldOf),
  };
}

/**
 * The diff of a resource from per-field rules: `changes` when any field changed, `replaces` the
 * create-only fields set to another value. Only the fields of `fields` are compared (never the
 * serialized provider, `__provider`).
 */
export function diffFields<K extends string>(
  olds: NoInfer<{ readonly [P in K]?: unknown }>,
  news: NoInfer<{ readonly [P in K]?: unknown }>,
  fields: Record<K, FieldRule>,
): { changes: boolean; replaces: string[] } {
  const { changed, replaces } = fieldDiff(diffSpecOf(fields), "", olds, news);
  return { changes: changed.length > 0, replaces };
}
