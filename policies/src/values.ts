/**
 * Reading resource properties the way the policy engine hands them over, including values that are
 * not known during `pulumi preview`.
 *
 * `@pulumi/policy` wraps `props` in an "unknown-checking proxy": reading a property whose value is
 * unknown at preview (an output of a resource not created yet) throws `UnknownValueError`, and the
 * framework turns that into one advisory "can't run policy ... during preview" message for the whole
 * policy. The policies of this pack want finer control (check everything that is known, report what is
 * not), so they first copy the properties out of the proxy with {@link plain} and test for the engine's
 * unknown sentinels with {@link isUnknown}.
 */
import { UnknownValueError } from "@pulumi/policy";

/**
 * The sentinels the engine and `@pulumi/policy` use for values unknown during preview (from
 * `@pulumi/policy/proxy.js` 1.21.0 and `@pulumi/pulumi/runtime/rpc.js`; the engine itself always sends
 * the string one, `04da6b54-…`).
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (the engine's `unknownValue`)
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The engine's sentinel for an unknown value, as it appears in properties during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether `value` is unknown during preview (one of the {@link UNKNOWN_SENTINELS}). */
export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** Whether `value`, or anything nested in it, is unknown during preview. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isRecord(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/** Whether `value` is a plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A plain deep copy of `value` with the unknown-checking proxy of `@pulumi/policy` removed, so that
 * reading an unknown value gives its sentinel instead of throwing. Reads go through property
 * descriptors, which the proxy passes through to the wrapped object untouched. Works on plain objects
 * too (unit tests).
 */
export function plain(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    const length = Object.getOwnPropertyDescriptor(value, "length")?.value as number;
    for (let i = 0; i < length; i++) out.push(plain(Object.getOwnPropertyDescriptor(value, i)?.value));
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // assets, archives: keep as they are
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    out[key] = plain(Object.getOwnPropertyDescriptor(value, key)?.value);
  }
  return out;
}

/** The properties of a resource as a plain object (see {@link plain}); `{}` when there are none. */
export function plainProps(props: unknown): Record<string, unknown> {
  const copy = plain(props);
  return isRecord(copy) ? copy : {};
}

/** A known value, or the reason it is not usable. */
export type Read<T> = { known: true; value: T } | { known: false; missing: boolean };

/**
 * Reads a number: `{known: true}` for a finite number, `{known: false, missing: false}` when unknown
 * during preview, `{known: false, missing: true}` when absent or not a number.
 */
export function readNumber(value: unknown): Read<number> {
  if (isUnknown(value)) return { known: false, missing: false };
  if (typeof value === "number" && Number.isFinite(value)) return { known: true, value };
  return { known: false, missing: true };
}

/** Formats a list of strings for a message: `"a", "b" and "c"`. */
export function quoteList(items: readonly string[]): string {
  const quoted = items.map((i) => JSON.stringify(i));
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

/** `1 replica`, `2 replicas`. */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

type UnknownValueErrorClass = new (sentinel: string, path: string[]) => Error;

/**
 * Thrown at the end of a validation that found values it could not judge during preview. It extends
 * `@pulumi/policy`'s `UnknownValueError`, which the policy server reports as one **advisory**
 * message, "can't run policy '…' during preview: <message>", whatever the policy's enforcement level;
 * violations reported before the throw are kept. Mandatory policies can thus say what they could not
 * check without blocking the preview.
 */
export class NotKnownDuringPreview extends (UnknownValueError as unknown as UnknownValueErrorClass) {
  /** One sentence per value that could not be judged. */
  public readonly notes: readonly string[];

  constructor(notes: readonly string[]) {
    super(UNKNOWN, []);
    this.name = "NotKnownDuringPreview";
    this.notes = notes;
    this.message = notes.join(" ");
  }
}

/**
 * Collects what a validation cannot judge during preview; {@link Unknowns.finish} throws
 * {@link NotKnownDuringPreview} if anything was collected. Call `finish()` last, after every
 * violation has been reported.
 *
 * @example
 * ```typescript
 * const unknowns = new Unknowns();
 * if (isUnknown(props.version)) unknowns.note(`the version of ${label} is not known yet.`);
 * // ...report violations...
 * unknowns.finish();
 * ```
 */
export class Unknowns {
  private readonly notes: string[] = [];

  /** Records one sentence about a value that cannot be judged yet. */
  note(sentence: string): void {
    if (!this.notes.includes(sentence)) this.notes.push(sentence);
  }

  /** The sentences recorded so far. */
  get all(): readonly string[] {
    return this.notes;
  }

  /** Throws {@link NotKnownDuringPreview} when something was noted. */
  finish(): void {
    if (this.notes.length > 0) throw new NotKnownDuringPreview(this.notes);
  }
}
