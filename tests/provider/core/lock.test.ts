/**
 * Tests of the per-key lock: same key serialized in call order, different keys concurrent, a
 * rejection releases the lock, a deadline rejects with code WaitTimeout and keeps the order.
 */
import { ManagedRedisError } from "../../../provider/core/errors";
import { withLock } from "../../../provider/core/lock";

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs tasks under locks and records start/end events and the peak concurrency per key. */
function tracker() {
  const events: string[] = [];
  const running = new Map<string, number>();
  const peak = new Map<string, number>();
  let peakAll = 0;
  let all = 0;
  const task =
    <T>(key: string, name: string, ms: number, result: T, fail = false) =>
    async (): Promise<T> => {
      events.push(`start ${name}`);
      running.set(key, (running.get(key) ?? 0) + 1);
      peak.set(key, Math.max(peak.get(key) ?? 0, running.get(key)!));
      peakAll = Math.max(peakAll, ++all);
      await delay(ms);
      running.set(key, running.get(key)! - 1);
      all--;
      events.push(`end ${name}`);
      if (fail) throw new Error(`${name} failed`);
      return result;
    };
  return { events, peak, task, peakAll: () => peakAll };
}

describe("withLock", () => {
  test("calls with the same key never overlap and run in call order", async () => {
    const t = tracker();
    // The first task is the slowest: without the lock the others would finish first.
    const results = await Promise.all([
      withLock("cluster-1", t.task("cluster-1", "a", 60, 1)),
      withLock("cluster-1", t.task("cluster-1", "b", 10, 2)),
      withLock("cluster-1", t.task("cluster-1", "c", 30, 3)),
      withLock("cluster-1", t.task("cluster-1", "d", 1, 4)),
    ]);
    expect(results).toEqual([1, 2, 3, 4]);
    expect(t.peak.get("cluster-1")).toBe(1);
    expect(t.events).toEqual([
      "start a",
      "end a",
      "start b",
      "end b",
      "start c",
      "end c",
      "start d",
      "end d",
    ]);
  });

  test("calls with different keys run at the same time", async () => {
    const t = tracker();
    const start = performance.now();
    await Promise.all([
      withLock("k1", t.task("k1", "a", 100, 0)),
      withLock("k2", t.task("k2", "b", 100, 0)),
      withLock("k3", t.task("k3", "c", 100, 0)),
    ]);
    expect(t.peakAll()).toBe(3);
    expect(performance.now() - start).toBeLessThan(250);
    expect(t.events.slice(0, 3)).toEqual(["start a", "start b", "start c"]);
  });

  test("a rejection is passed to its caller and releases the lock for the next one", async () => {
    const t = tracker();
    const first = withLock("k", t.task("k", "a", 20, 0, true));
    const second = withLock("k", t.task("k", "b", 5, "ok"));
    await expect(first).rejects.toThrow("a failed");
    await expect(second).resolves.toBe("ok");
    expect(t.events).toEqual(["start a", "end a", "start b", "end b"]);
    // The key is usable afterwards, with no leftover wait.
    const t0 = performance.now();
    await expect(withLock("k", async () => "again")).resolves.toBe("again");
    expect(performance.now() - t0).toBeLessThan(50);
  });

  test("a synchronous throw inside fn also releases the lock", async () => {
    const p1 = withLock("sync", () => {
      throw new Error("sync boom");
    });
    const p2 = withLock("sync", async () => "after");
    await expect(p1).rejects.toThrow("sync boom");
    await expect(p2).resolves.toBe("after");
  });

  test("a call made while others wait joins the end of the queue", async () => {
    const order: string[] = [];
    const p1 = withLock("q", async () => {
      await delay(30);
      order.push("1");
    });
    const p2 = withLock("q", async () => {
      order.push("2");
    });
    await delay(10); // p1 is running, p2 is queued
    const p3 = withLock("q", async () => {
      order.push("3");
    });
    await Promise.all([p1, p2, p3]);
    expect(order).toEqual(["1", "2", "3"]);
  });

  test("a caller that cannot get the lock by its deadline rejects, runs nothing, and keeps the order", async () => {
    const t = tracker();
    const holder = withLock("d", t.task("d", "a", 150, "a"));
    const started = performance.now();
    const late = withLock("d", t.task("d", "late", 1, "late"), {
      timeoutMs: 40,
      what: "changes of cluster d",
    });
    const next = withLock("d", t.task("d", "next", 1, "next"));
    await expect(late).rejects.toThrow(
      /timed out after 0s waiting for another operation on changes of cluster d in this run to finish; nothing was changed/,
    );
    await expect(late).rejects.toBeInstanceOf(ManagedRedisError);
    await expect(late).rejects.toMatchObject({ code: "WaitTimeout", name: "ManagedRedisError" });
    expect(performance.now() - started).toBeLessThan(120);
    await expect(holder).resolves.toBe("a");
    await expect(next).resolves.toBe("next");
    // The one that gave up never ran, and the next one still waited for the holder.
    expect(t.events).toEqual(["start a", "end a", "start next", "end next"]);
    expect(t.peak.get("d")).toBe(1);
  });

  test("a call made after the first holder finished still waits for the one that took over", async () => {
    const t = tracker();
    const a = withLock("h", t.task("h", "a", 30, "a"));
    const b = withLock("h", t.task("h", "b", 80, "b"));
    await a; // b holds the lock now
    const c = withLock("h", t.task("h", "c", 1, "c"));
    await Promise.all([b, c]);
    expect(t.events).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(t.peak.get("h")).toBe(1);
  });

  test("the timeout error gives the deadline in whole seconds, and names the key when `what` is absent", async () => {
    let release!: () => void;
    const holder = withLock("cluster-s", () => new Promise<void>((resolve) => (release = resolve)));
    const late = withLock("cluster-s", async () => "late", { timeoutMs: 1_500 });
    await expect(late).rejects.toThrow(
      /^timed out after 2s waiting for another operation on cluster-s in this run to finish; nothing was changed: run `pulumi up` again, or raise the resource's timeout input$/,
    );
    release();
    await holder;
  });
});
