/**
 * The one `diff()` style: a resource declares which input fields replace it and which update in
 * place, each with its own way to read the old value and to normalise, and {@link fieldDiff}
 * applies the same rules to all of them:
 *
 * 1. **Compared as `changedKeys` compares**: after `normal`, as JSON with object keys sorted, an
 *    absent value (`undefined`) equal to `null`: key order and `undefined` never read as a change.
 * 2. **A value unknown at preview** (`UNKNOWN`, at any depth of the new value) is a change,
 *    never a replacement, unless the field says otherwise (`unknown`): `pulumi up` diffs again with
 *    the known value.
 * 3. **Another known value** of a replacement field replaces the resource; of any other field, it
 *    updates it in place. A field may count a value the program removed otherwise (`absent`).
 * 4. `deleteBeforeReplace` is the resource's own.
 *
 * @example
 * ```ts
 * diff: diffOf<Outputs, Inputs>({
 *   replaces: [{ key: "instanceId", unknown: "unchanged" }, { key: "port", normal: (p) => Number(p ?? 6379) }],
 *   inPlace: ["enabled", { key: "timeouts", normal: (t) => t ?? {} }],
 *   deleteBeforeReplace: (replaces) => replaces.length > 0,
 * }),
 * ```
 */
import { containsUnknown, stableJson } from "./validation";

/**
 * How a field's new value counts when it is unknown at preview, or absent (the program removed it):
 * `"update"` a change in place (never a replacement), `"replace"` a replacement (for a replacement
 * field), `"unchanged"` no change at all (the value stays what it was).
 */
export type FieldOutcome = "update" | "replace" | "unchanged";

/** What {@link compareField} found for one field. */
export type FieldChange = "none" | "update" | "replace";

/** One input field of a diff, with the resource's own way to read and normalise its values. */
export interface DiffField<O = Record<string, unknown>, N = Record<string, unknown>> {
  /** The field's input name: where both values are read by default, and its name in `replaces`. */
  key: keyof N & string;
  /** The old value (default `olds[key]`, the state); `id` is the resource's id. */
  old?(olds: O, id: string): unknown;
  /** The new value (default `news[key]`, the program's inputs); `old` is the value `old` read. */
  new?(news: N, old: unknown): unknown;
  /** What is compared of a known value (default the value itself), applied to both sides. */
  normal?(value: unknown): unknown;
  /** How a new value unknown at preview counts (default `"update"`: a change, never a replacement). */
  unknown?: FieldOutcome;
  /**
   * How a new value absent from the program (`undefined` or `null`) counts when it differs from the
   * old one (default: like any other value). `"update"`: removing the field leaves the cloud as it
   * is, the state forgets the value; `"unchanged"`: the program accepts what the cloud has.
   */
  absent?: Exclude<FieldOutcome, "replace">;
}

/** How a field compares: the parts of {@link DiffField} that judge two values. */
export type CompareRule = Pick<DiffField, "normal" | "unknown" | "absent">;

/** A field given by its name alone: every default of {@link DiffField}. */
export type FieldSpec<O, N> = (keyof N & string) | DiffField<O, N>;

/** The fields of a resource's diff, and whether a replacement deletes the old resource first. */
export interface DiffSpec<O, N> {
  /** The fields another value of which replaces the resource, in the order `replaces` lists them. */
  replaces?: readonly FieldSpec<O, N>[];
  /** The fields another value of which updates the resource in place. */
  inPlace?: readonly FieldSpec<O, N>[];
  /**
   * Whether a replacement deletes the old resource before it creates the new one (default false):
   * a constant, or decided from the fields that replace it and both property bags.
   */
  deleteBeforeReplace?: boolean | ((replaces: readonly string[], olds: O, news: N) => boolean);
}

/** What {@link fieldDiff} found: every field that changed, and those that replace the resource. */
export interface FieldDiff {
  /** Every field with a change (replacements included), in the order the spec lists them. */
  changed: string[];
  /** The fields that replace the resource. */
  replaces: string[];
}

/** The result of a dynamic provider's `diff()`. */
export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

function fieldOf<O, N>(spec: FieldSpec<O, N>): DiffField<O, N> {
  return typeof spec === "string" ? { key: spec } : spec;
}

/** Whether two known values are the same for `changedKeys`: JSON with sorted keys, `undefined` as `null`. */
function same(a: unknown, b: unknown): boolean {
  return stableJson(a ?? null) === stableJson(b ?? null);
}

/**
 * How one field changes from `old` to `next` (see {@link DiffField} and the rules of this module):
 * `"none"`, `"update"` (in place) or `"replace"` (only for a field with `replaces` true).
 */
export function compareField(
  field: CompareRule,
  replaces: boolean,
  old: unknown,
  next: unknown,
): FieldChange {
  const outcome = (how: FieldOutcome): FieldChange =>
    how === "unchanged" ? "none" : how === "replace" && replaces ? "replace" : "update";
  if (containsUnknown(next)) return outcome(field.unknown ?? "update");
  const normal = field.normal ?? ((v: unknown) => v);
  if (same(normal(old), normal(next))) return "none";
  if ((next === undefined || next === null) && field.absent) return outcome(field.absent);
  return replaces ? "replace" : "update";
}

/**
 * The fields of `spec` that changed from `olds` (the state) to `news` (the program's inputs), and
 * those that replace the resource. Only the fields the spec names are compared (never
 * `__provider`).
 */
export function fieldDiff<O, N>(spec: DiffSpec<O, N>, id: string, olds: O, news: N): FieldDiff {
  const changed: string[] = [];
  const replaces: string[] = [];
  const visit = (specs: readonly FieldSpec<O, N>[] | undefined, replacing: boolean) => {
    for (const field of (specs ?? []).map(fieldOf)) {
      const old = field.old ? field.old(olds, id) : (olds as Record<string, unknown>)[field.key];
      const next = field.new ? field.new(news, old) : (news as Record<string, unknown>)[field.key];
      const change = compareField(field, replacing, old, next);
      if (change !== "none") changed.push(field.key);
      if (change === "replace") replaces.push(field.key);
    }
  };
  visit(spec.replaces, true);
  visit(spec.inPlace, false);
  return { changed, replaces };
}

/** `deleteBeforeReplace` of `spec` for a diff that replaces `replaces`. */
export function deleteFirst<O, N>(
  spec: DiffSpec<O, N>,
  replaces: readonly string[],
  olds: O,
  news: N,
): boolean {
  const rule = spec.deleteBeforeReplace ?? false;
  return typeof rule === "function" ? rule(replaces, olds, news) : rule;
}

/**
 * A dynamic provider's `diff()` from a {@link DiffSpec}: `changes` when any field changed,
 * `replaces` the fields that replace the resource, `deleteBeforeReplace` the spec's.
 */
export function diffOf<O, N>(spec: DiffSpec<O, N>): (id: string, olds: O, news: N) => Promise<DiffResult> {
  return async (id, olds, news) => {
    const { changed, replaces } = fieldDiff(spec, id, olds, news);
    return {
      changes: changed.length > 0,
      replaces,
      deleteBeforeReplace: deleteFirst(spec, replaces, olds, news),
    };
  };
}
