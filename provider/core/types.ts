/** Type helpers shared by the resources: each field's type is written once, in `XInputs`. */
import type * as pulumi from "@pulumi/pulumi";

/** `T` where every value, at any depth, may also be a promise or an output. */
export type DeepInput<T> = pulumi.Input<
  T extends (infer U)[] ? DeepInput<U>[] : T extends object ? { [K in keyof T]: DeepInput<T[K]> } : T
>;

/** The user-facing arguments of a resource whose plain provider inputs are `T`. */
export type ArgsOf<T> = { [K in keyof T]: DeepInput<T[K]> };

/** Timeouts of a resource's operations, as durations such as `"90m"` or `"2h"`. */
export interface Timeouts {
  /** How long create may wait for the cloud to settle. */
  create?: string;
  /** How long update may wait. */
  update?: string;
  /** How long delete may wait. */
  delete?: string;
}

/** Properties every dynamic resource carries besides its own. */
export interface ProviderProps {
  __provider?: string;
}

/**
 * Drops `undefined` values at any depth: the engine's property maps cannot carry them, and an
 * output that is absent must compare equal to one that was never set.
 */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The keys of `args` whose value is not `undefined`: what an internal child registers. Each property
 * a resource registers costs the program four promises with a recorded stack trace, although an
 * `undefined` input never reaches the state; a class the program sees keeps its keys (they are
 * outputs of the resource object), an internal child does not need them.
 */
export function definedOnly<T extends object>(args: T): T {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The properties a resource class registers: the program's arguments, and the outputs named, unknown
 * until the provider reports them (so that each becomes an output of the resource object).
 */
export function withOutputs(args: object, outputs: readonly string[]): Record<string, unknown> {
  return { ...args, ...Object.fromEntries(outputs.map((name) => [name, undefined])) };
}
