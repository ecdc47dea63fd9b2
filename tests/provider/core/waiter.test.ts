/**
 * Tests of the shared waiter with real timers: first look, done / failed / timeout paths, the
 * schedule and its cap, early wake-ups, progress lines, abort, the poll-scale knob and
 * `parseDuration`.
 */
import { AbortedError, InputError, WaitFailedError, WaitTimeoutError } from "../../../provider/core/errors";
import { type Observation, parseDuration, pollScale, waitFor } from "../../../provider/core/waiter";

const SCALE = "PULUMI_MANAGED_REDIS_POLL_SCALE";
let savedScale: string | undefined;

beforeEach(() => {
  savedScale = process.env[SCALE];
  delete process.env[SCALE];
});

afterEach(() => {
  if (savedScale === undefined) delete process.env[SCALE];
  else process.env[SCALE] = savedScale;
});

/** A look that records when it was called and answers from `answer(n, elapsedMs)`. */
function recorder<T>(answer: (n: number, elapsedMs: number) => Observation<T>) {
  const start = performance.now();
  const times: number[] = [];
  const look = async (): Promise<Observation<T>> => {
    const t = performance.now() - start;
    times.push(t);
    return answer(times.length, t);
  };
  return { look, times };
}

const pending = (status = "Creating") => ({ state: "pending" as const, status });

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => ({ resolved: v }),
    (e: unknown) => e,
  );
}

describe("waitFor outcomes", () => {
  test("the first look is immediate and a done look resolves with its value", async () => {
    const r = recorder(() => ({ state: "done", value: { id: "c-1" } }));
    const value = await waitFor(r.look, { what: "cluster c-1 to be Running", timeoutMs: 10_000 });
    expect(value).toEqual({ id: "c-1" });
    expect(r.times).toHaveLength(1);
    expect(r.times[0]).toBeLessThan(20);
  });

  test("keeps looking while pending and resolves when done", async () => {
    const r = recorder((n) => (n < 4 ? pending() : { state: "done", value: `after ${n}` }));
    await expect(waitFor(r.look, { what: "x", timeoutMs: 10_000, minIntervalMs: 10 })).resolves.toBe(
      "after 4",
    );
    expect(r.times).toHaveLength(4);
  });

  test("a failed look rejects with WaitFailedError carrying status and detail, and looks no more", async () => {
    const r = recorder((n) =>
      n < 2 ? pending() : { state: "failed", status: "CreateFailed", detail: "no capacity" },
    );
    const err = await rejection(
      waitFor(r.look, { what: "cluster c-1 to be Running", timeoutMs: 10_000, minIntervalMs: 10 }),
    );
    expect(err).toBeInstanceOf(WaitFailedError);
    expect((err as WaitFailedError).status).toBe("CreateFailed");
    expect((err as Error).message).toBe(
      "cluster c-1 to be Running failed with status CreateFailed: no capacity",
    );
    expect(r.times).toHaveLength(2);
  });

  test("an error thrown by look propagates unchanged", async () => {
    const boom = new Error("API down");
    await expect(waitFor(async () => Promise.reject(boom), { what: "x", timeoutMs: 1_000 })).rejects.toBe(
      boom,
    );
  });

  test("a timeout rejects with WaitTimeoutError (never resolves) naming the last status", async () => {
    const r = recorder((n) => pending(n < 3 ? "Creating" : "Scaling"));
    const start = performance.now();
    const err = await rejection(
      waitFor(r.look, { what: "cluster c-1 to be Running", timeoutMs: 300, minIntervalMs: 20 }),
    );
    const elapsed = performance.now() - start;
    expect(err).toBeInstanceOf(WaitTimeoutError);
    const e = err as WaitTimeoutError;
    expect(e.lastStatus).toBe("Scaling");
    expect(e.what).toBe("cluster c-1 to be Running");
    expect(e.elapsedMs).toBeGreaterThanOrEqual(300);
    expect(e.message).toContain("waiting for cluster c-1 to be Running");
    expect(e.message).toContain("(last status: Scaling)");
    expect(e.message).toContain("pulumi refresh");
    expect(elapsed).toBeGreaterThanOrEqual(299);
    expect(elapsed).toBeLessThan(1_000);
  });

  test("looks once more at the deadline before giving up", async () => {
    // Looks at 0 ms and about 150-200 ms; the next sleep is cut to the deadline (300 ms).
    const r = recorder((_n, t) => (t >= 280 ? { state: "done", value: "just in time" } : pending()));
    await expect(waitFor(r.look, { what: "x", timeoutMs: 300, minIntervalMs: 200 })).resolves.toBe(
      "just in time",
    );
    expect(r.times.length).toBeLessThanOrEqual(3);
  });
});

describe("waitFor schedule", () => {
  test("intervals are min + 10% of the time waited", async () => {
    const prop = recorder(() => pending());
    const opts = { what: "x", timeoutMs: 2_000, minIntervalMs: 50 };
    expect(await rejection(waitFor(prop.look, opts))).toBeInstanceOf(WaitTimeoutError);
    // Gaps of 50 ms + 10% of the time waited: about 10 × ln(1 + 0.1 × 2000 / 50) = 16 looks.
    expect(prop.times.length).toBeGreaterThanOrEqual(12);
    expect(prop.times.length).toBeLessThanOrEqual(22);
    // Each proportional gap is 98-100% of (50 ms + 10% of the time already waited): a settle is
    // seen at most min + 10% later, which is the lag target (0.5 s + 10% with the 400 ms default).
    for (let i = 1; i < prop.times.length; i++) {
      const before = prop.times[i - 1];
      if (prop.times[i] > 1_985) continue; // cut short by the deadline
      const gap = prop.times[i] - before;
      expect(gap).toBeGreaterThanOrEqual(0.98 * (50 + 0.1 * before) - 5);
      expect(gap).toBeLessThanOrEqual(50 + 0.1 * before + 150); // timers can run late, never early
    }
  });

  test("intervals never exceed maxIntervalMs", async () => {
    const r = recorder(() => pending());
    await rejection(
      waitFor(r.look, {
        what: "x",
        timeoutMs: 1500,
        minIntervalMs: 20,
        maxIntervalMs: 60,
        proportion: 1,
      }),
    );
    const gaps = r.times.slice(1).map((t, i) => t - r.times[i]);
    // Uncapped, 20 ms + 100% of the time waited gives looks at 0, 20, 60, 140, 300, 620 and 1260 ms
    // (gaps up to 640 ms, 8 looks with the one at the deadline). Capped at 60 ms: about 25 looks.
    // The bounds leave room for timers that run late on a loaded machine.
    expect(Math.max(...gaps)).toBeLessThan(450);
    expect(r.times.length).toBeGreaterThanOrEqual(10);
  });

  test("PULUMI_MANAGED_REDIS_POLL_SCALE shrinks the intervals", async () => {
    const slow = recorder(() => pending());
    await rejection(waitFor(slow.look, { what: "x", timeoutMs: 400, minIntervalMs: 500 }));
    process.env[SCALE] = "0.1";
    const fast = recorder(() => pending());
    await rejection(waitFor(fast.look, { what: "x", timeoutMs: 400, minIntervalMs: 500 }));
    // 0 ms, then 375-400 ms (jittered 500 ms cut to the deadline), maybe once more at the deadline.
    expect(slow.times.length).toBeGreaterThanOrEqual(2);
    expect(slow.times.length).toBeLessThanOrEqual(3);
    expect(slow.times.slice(1).every((t) => t >= 370)).toBe(true);
    expect(fast.times.length).toBeGreaterThanOrEqual(5);
  });
});

describe("waitFor early wake-ups", () => {
  test("a wake-up makes the waiter look again at once, and it unsubscribes when done", async () => {
    let subscribers = 0;
    let wakeUp: (() => void) | undefined;
    const r = recorder((n) => (n >= 2 ? { state: "done", value: n } : pending()));
    const wait = waitFor(r.look, {
      what: "x",
      timeoutMs: 10_000,
      minIntervalMs: 5_000,
      wake: (now) => {
        subscribers++;
        wakeUp = now;
        return () => {
          subscribers--;
          wakeUp = undefined;
        };
      },
    });
    await new Promise((res) => setTimeout(res, 100));
    expect(r.times).toHaveLength(1);
    expect(subscribers).toBe(1);
    wakeUp!();
    await expect(wait).resolves.toBe(2);
    expect(r.times[1]).toBeLessThan(1_000); // not the 5 s interval
    expect(subscribers).toBe(0);
  });

  test("an abort still rejects while a wake-up is subscribed", async () => {
    const ac = new AbortController();
    const r = recorder(() => pending());
    const wait = rejection(
      waitFor(r.look, {
        what: "x",
        timeoutMs: 10_000,
        minIntervalMs: 5_000,
        signal: ac.signal,
        wake: () => () => {},
      }),
    );
    setTimeout(() => ac.abort(new Error("stop")), 50);
    expect(await wait).toEqual(new Error("stop"));
    expect(r.times).toHaveLength(1);
  });
});

describe("waitFor progress and abort", () => {
  test("progress lines name what, the status and the elapsed time", async () => {
    const lines: string[] = [];
    const r = recorder((_n, t) => (t < 300 ? pending("Modifying") : { state: "done", value: true }));
    await waitFor(r.look, {
      what: "cluster c-7 to be Running",
      timeoutMs: 5_000,
      minIntervalMs: 20,
      progressEveryMs: 50,
      onProgress: (l) => lines.push(l),
    });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(7);
    for (const line of lines) {
      expect(line).toMatch(/^waiting for cluster c-7 to be Running: status Modifying, \d+s elapsed$/);
    }
  });

  test("no progress line before progressEveryMs has passed", async () => {
    const lines: string[] = [];
    const r = recorder((n) => (n < 5 ? pending() : { state: "done", value: 1 }));
    await waitFor(r.look, {
      what: "x",
      timeoutMs: 5_000,
      minIntervalMs: 10,
      onProgress: (l) => lines.push(l),
    });
    expect(lines).toEqual([]);
  });

  test("an abort signal rejects with its reason and stops looking", async () => {
    const r = recorder(() => pending());
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("user cancelled")), 100);
    const start = performance.now();
    await expect(
      waitFor(r.look, { what: "x", timeoutMs: 10_000, minIntervalMs: 30, signal: ac.signal }),
    ).rejects.toThrow("user cancelled");
    expect(performance.now() - start).toBeLessThan(500);
    const count = r.times.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(r.times).toHaveLength(count);
  });

  test("an already-aborted signal means no look at all", async () => {
    const r = recorder(() => ({ state: "done", value: 1 }));
    await expect(
      waitFor(r.look, { what: "x", timeoutMs: 1_000, signal: AbortSignal.abort(new Error("gone")) }),
    ).rejects.toThrow("gone");
    expect(r.times).toHaveLength(0);
  });

  test("a signal aborted without a reason rejects with an AbortedError", async () => {
    const r = recorder(() => ({ state: "done", value: 1 }));
    const signal = { aborted: true, reason: undefined } as AbortSignal;
    const err = await waitFor(r.look, { what: "cluster c-1", timeoutMs: 1_000, signal }).catch((e) => e);
    expect(err).toBeInstanceOf(AbortedError);
    expect(err).toMatchObject({ code: "Aborted", message: "aborted waiting for cluster c-1" });
    expect(r.times).toHaveLength(0);
  });
});

describe("parseDuration", () => {
  test.each([
    ["90m", 5_400_000],
    ["2h", 7_200_000],
    ["1.5h", 5_400_000],
    ["30s", 30_000],
    ["250ms", 250],
    ["45", 45_000],
    [" 10m ", 600_000],
  ])("%j is %d ms", (text, ms) => {
    expect(parseDuration(text, 1)).toBe(ms);
  });

  test("a number is seconds; undefined and empty give the fallback", () => {
    expect(parseDuration(30, 1)).toBe(30_000);
    expect(parseDuration(undefined, 1234)).toBe(1234);
    expect(parseDuration("", 1234)).toBe(1234);
  });

  test.each(["10 minutes", "-5m", "m", "1d", "1h30m"])("%j is refused with an example", (text) => {
    expect(() => parseDuration(text, 1)).toThrow(`invalid duration "${text}"`);
    expect(() => parseDuration(text, 1)).toThrow('(e.g. "90m")');
    expect(() => parseDuration(text, 1)).toThrow(expect.objectContaining({ code: "InvalidInput" }));
  });

  test("a refusal is an InputError", () => {
    expect(() => parseDuration("soon", 1)).toThrow(InputError);
  });
});

describe("pollScale", () => {
  test.each([
    [undefined, 1],
    ["0.5", 0.5],
    ["3", 3],
    ["0", 1],
    ["-2", 1],
    ["abc", 1],
    ["Infinity", 1],
  ])("PULUMI_MANAGED_REDIS_POLL_SCALE=%s gives %d", (value, expected) => {
    if (value === undefined) delete process.env[SCALE];
    else process.env[SCALE] = value;
    expect(pollScale()).toBe(expected);
  });
});

describe("waitFor, exact schedule (fake clock; the jitter source fixed)", () => {
  const T0 = 1_000_000;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** Runs a wait that never settles to its end: the times of the looks, the progress lines, the error. */
  async function run(options: Partial<Parameters<typeof waitFor>[1]>, random = 1) {
    jest.setSystemTime(T0);
    jest.spyOn(Math, "random").mockReturnValue(random);
    const looks: number[] = [];
    const lines: string[] = [];
    const p = waitFor(
      async () => {
        looks.push(Date.now() - T0);
        return { state: "pending", status: "Creating" } as Observation<never>;
      },
      {
        what: "cluster c-1",
        timeoutMs: 250,
        minIntervalMs: 100,
        proportion: 0,
        progressEveryMs: 1_000_000,
        onProgress: (line) => lines.push(`${Date.now() - T0} ${line}`),
        ...options,
      },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    await jest.runAllTimersAsync();
    return { looks, lines, error: (await p) as WaitTimeoutError };
  }

  test("the last nap is cut short at the deadline, where one more look is made", async () => {
    const r = await run({});
    expect(r.looks).toEqual([0, 100, 200, 250]);
    expect(r.error).toBeInstanceOf(WaitTimeoutError);
    expect(r.error.elapsedMs).toBe(250);
    expect(r.error.lastStatus).toBe("Creating");
  });

  test("the jitter only shortens a nap, by up to 2%", async () => {
    expect((await run({ timeoutMs: 300 }, 1)).looks).toEqual([0, 100, 200, 300]);
    expect((await run({ timeoutMs: 300 }, 0)).looks).toEqual([0, 98, 196, 294, 300]);
  });

  test("naps grow by the proportion of the time waited, up to maxIntervalMs", async () => {
    const r = await run({ timeoutMs: 3_500, proportion: 1, maxIntervalMs: 1_000 });
    expect(r.looks).toEqual([0, 100, 300, 700, 1_500, 2_500, 3_500]);
  });

  test("the poll scale shrinks maxIntervalMs too", async () => {
    process.env[SCALE] = "0.5";
    const r = await run({ timeoutMs: 600, minIntervalMs: 200, proportion: 1, maxIntervalMs: 200 });
    expect(r.looks).toEqual([0, 100, 200, 300, 400, 500, 600]);
  });

  test("a progress line is due once progressEveryMs has passed, and gives the elapsed seconds", async () => {
    const r = await run({ timeoutMs: 3_000, minIntervalMs: 500, progressEveryMs: 1_000 });
    expect(r.lines).toEqual([
      "1000 waiting for cluster c-1: status Creating, 1s elapsed",
      "2000 waiting for cluster c-1: status Creating, 2s elapsed",
    ]); // the look at 3000 is at the deadline: it ends the wait instead
    expect(r.error.message).toMatch(/^timed out after 3s waiting for cluster c-1 \(last status: Creating\)/);
  });

  test("with a wake-up subscribed, a wake-up during a nap still makes the next look at once", async () => {
    const ac = new AbortController();
    let wakeUp: (() => void) | undefined;
    setTimeout(() => wakeUp?.(), 30);
    const r = await run({
      timeoutMs: 250,
      signal: ac.signal,
      wake: (cb) => {
        wakeUp = cb;
        return () => (wakeUp = undefined);
      },
    });
    expect(r.looks).toEqual([0, 30, 130, 230, 250]);
  });
});
