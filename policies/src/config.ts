/**
 * Reading policy configuration (`--policy-pack-config`) with the defaults of the `configSchema`.
 * The engine validates the configuration against the schema; these helpers apply the defaults again
 * and fall back to them on anything malformed, so that unit tests and older engines behave the same.
 */

/** An integer setting: `value` when it is an integer within `[min, max]`, else `fallback`. */
export function integerSetting(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
    ? value
    : fallback;
}

/** A list-of-strings setting: `value` when it is an array of strings, else `fallback`. */
export function stringListSetting(value: unknown, fallback: readonly string[]): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? [...value] : [...fallback];
}
