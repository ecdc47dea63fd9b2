/**
 * The one way an operation's time budget is computed: a resource's `timeouts` input (or its
 * default) gives the budget of one operation, the budget gives a deadline, and every wait after it
 * is given what is left of that deadline.
 *
 * @example
 * ```ts
 * const deadline = deadlineOf(inputs.timeouts, "create", 30 * 60_000);
 * await waitFor(look, { what: "instance r-1 to be Normal", timeoutMs: remainingMs(deadline) });
 * ```
 */
import type { Timeouts } from "./types";
import { parseDuration } from "./waiter";

/** An operation a resource's `timeouts` input can bound. */
export type Operation = keyof Timeouts;

/**
 * The time budget of one operation in milliseconds: the resource's `timeouts[op]` (a duration such
 * as `"90m"`, see `parseDuration`), or `defaultMs` when the program sets none (absent or `""`).
 *
 * @throws {@link InputError} `InvalidInput` when the value is not a duration.
 */
export function timeoutOf(timeouts: Timeouts | undefined, op: Operation, defaultMs: number): number {
  return parseDuration(timeouts?.[op], defaultMs);
}

/** The deadline (epoch milliseconds) of something that may take `timeoutMs` from now. */
export function deadlineAfter(timeoutMs: number): number {
  return Date.now() + timeoutMs;
}

/**
 * When one operation must be done by (epoch milliseconds): now plus its budget
 * ({@link timeoutOf}).
 *
 * @throws {@link InputError} `InvalidInput` when `timeouts[op]` is not a duration.
 */
export function deadlineOf(timeouts: Timeouts | undefined, op: Operation, defaultMs: number): number {
  return deadlineAfter(timeoutOf(timeouts, op, defaultMs));
}

/**
 * What is left of `deadline` in milliseconds, and 0 once it has passed: the `timeoutMs` of every
 * wait after the first one of an operation. A wait given 0 still looks once (`waitFor` looks before
 * it compares the clock), then times out: never a success it did not see, never a wait past the
 * operation's deadline.
 */
export function remainingMs(deadline: number): number {
  return Math.max(0, deadline - Date.now());
}
