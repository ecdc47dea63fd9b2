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
