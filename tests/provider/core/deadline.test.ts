/**
 * Tests of the one deadline helper (`core/deadline.ts`): an operation's budget from its `timeouts`
 * input or the default, the deadline it gives, and what is left of it at each wait.
 */
import { deadlineAfter, deadlineOf, remainingMs, timeoutOf } from "../../../provider/core/deadline";
import { InputError, WaitTimeoutError } from "../../../provider/core/errors";
import { waitFor } from "../../../provider/core/waiter";
import { VirtualClock } from "../../helpers/time";

afterEach(() => jest.restoreAllMocks());

describe("timeoutOf", () => {
  test("the operation's own timeout, in milliseconds", () => {
    const timeouts = { create: "90m", update: "30s", delete: "2h" };
    expect(timeoutOf(timeouts, "create", 1)).toBe(90 * 60_000);
    expect(timeoutOf(timeouts, "update", 1)).toBe(30_000);
    expect(timeoutOf(timeouts, "delete", 1)).toBe(2 * 3_600_000);
  });

  test("the default when the program sets none for that operation (absent, or empty)", () => {
    expect(timeoutOf(undefined, "create", 1234)).toBe(1234);
    expect(timeoutOf({ update: "5m" }, "create", 1234)).toBe(1234);
    expect(timeoutOf({ create: "" }, "create", 1234)).toBe(1234);
  });

  test("refuses a value that is not a duration", () => {
    expect(() => timeoutOf({ create: "ten minutes" }, "create", 1)).toThrow(InputError);
  });
});

describe("deadlineOf, deadlineAfter, remainingMs", () => {
  test("the deadline is now plus the budget", () => {
    const clock = new VirtualClock(1_000_000);
    expect(deadlineAfter(5_000)).toBe(1_005_000);
    expect(deadlineOf({ delete: "10s" }, "delete", 1)).toBe(1_010_000);
    expect(deadlineOf(undefined, "delete", 7)).toBe(1_000_007);
    clock.restore();
  });

  test("what is left shrinks as time passes, and is 0 (never negative) once the deadline passed", () => {
    const clock = new VirtualClock(1_000_000);
    const deadline = deadlineAfter(3_000);
    expect(remainingMs(deadline)).toBe(3_000);
    clock.advance(1_000);
    expect(remainingMs(deadline)).toBe(2_000);
    clock.advance(2_000);
    expect(remainingMs(deadline)).toBe(0);
    clock.advance(60_000);
    expect(remainingMs(deadline)).toBe(0);
  });

  test("a wait started after its deadline looks once, then times out: never a success it did not see", async () => {
    const clock = new VirtualClock(1_000_000);
    const deadline = deadlineAfter(1_000);
    clock.advance(5_000);
    let looks = 0;
    const waited = waitFor(
      async () => {
        looks++;
        return { state: "pending" as const, status: "Creating" };
      },
      { what: "something", timeoutMs: remainingMs(deadline) },
    );
    await expect(waited).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(looks).toBe(1);
  });
});
