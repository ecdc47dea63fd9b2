/**
 * Time for the provider's unit tests: the poll scale its waits and retries honour, and a `Date.now()`
 * the test moves by hand.
 */

const POLL_SCALE = "PULUMI_MANAGED_REDIS_POLL_SCALE";

/**
 * Sets `PULUMI_MANAGED_REDIS_POLL_SCALE` (every poll interval and retry delay is multiplied by it) for
 * each test of the enclosing file or `describe` block, and restores the previous value after each.
 */
export function usePollScale(scale: number | string): void {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[POLL_SCALE];
    process.env[POLL_SCALE] = String(scale);
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[POLL_SCALE];
    else process.env[POLL_SCALE] = saved;
  });
}

/**
 * `Date.now()` frozen at `frozenAt` (or running on from the real clock) and moved forward at will,
 * until {@link VirtualClock.restore} (or `jest.restoreAllMocks()`).
 */
export class VirtualClock {
  private offset = 0;
  private readonly spy: jest.SpyInstance<number, []>;

  constructor(frozenAt?: number) {
    const real = Date.now.bind(Date);
    this.spy = jest
      .spyOn(Date, "now")
      .mockImplementation(() => (frozenAt === undefined ? real() : frozenAt) + this.offset);
  }

  /** What `Date.now()` answers now. */
  get now(): number {
    return Date.now();
  }

  advance(ms: number): void {
    this.offset += ms;
  }

  restore(): void {
    this.spy.mockRestore();
  }
}

/**
 * `Date.now()` running `rate` times faster than the real clock from now on, until
 * {@link FastClock.restore} (or `jest.restoreAllMocks()`). With the emulator in the same process, a
 * cloud whose reads lag 7 s and a provider that waits on it run through in a fraction of the time,
 * every timestamp on both sides agreeing (timers still run on the real clock: a sleep of `ms`
 * spans `rate × ms` of this clock).
 */
export class FastClock {
  private readonly spy: jest.SpyInstance<number, []>;

  constructor(readonly rate: number) {
    const real = Date.now.bind(Date);
    const start = real();
    this.spy = jest.spyOn(Date, "now").mockImplementation(() => start + Math.round((real() - start) * rate));
  }

  restore(): void {
    this.spy.mockRestore();
  }
}
