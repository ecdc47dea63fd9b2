/**
 * `applySsl` up to the accepted PUT, against a scripted client (./fake-dcs.ts): the wait for a
 * ready instance, the PUT with busy refusals and ambiguous answers, and the per-instance lock.
 */
import { WaitFailedError, WaitTimeoutError } from "../../../provider/core/errors";
import { AcceptedChangeError, applySsl } from "../../../provider/huaweicloud/apply-ssl";
import { rejection } from "../../helpers/errors";
import { usePollScale } from "../../helpers/time";
import { apiError, FakeDcs, inTurn } from "./fake-dcs";

const P = "p-1";
const I = "i-1";
usePollScale(0.001);

const inMs = (ms: number) => Date.now() + ms;
const apply = (dcs: FakeDcs, wanted = true, ms = 5_000) => applySsl(dcs.client, P, I, wanted, inMs(ms));
const busy = () => apiError(400, "DCS.4049", "The instance status is not running.");
const lost = () => apiError(500, "DCS.5010", "Failed to operate SSL in database.");

describe("applySsl: the instance must be RUNNING with no task first", () => {
  it("waits through a creation and a task, then reads, sends one PUT, follows the job and confirms", async () => {
    const dcs = new FakeDcs();
    dcs.instance = inTurn(
      { status: "CREATING" },
      { status: "RUNNING", task: "BACKUPING" },
      { status: "RUNNING" },
    );
    dcs.job = inTurn({ job_id: "job-1", status: "RUNNING" }, { job_id: "job-1", status: "SUCCESS" });
    await expect(apply(dcs)).resolves.toEqual({ enabled: true });
    expect(dcs.calls).toEqual([
      "getInstance",
      "getInstance",
      "getInstance",
      "getSsl",
      "setSsl",
      "getJob",
      "getJob",
      "getSsl",
    ]);
  });

  it("sends nothing when SSL is already as wanted", async () => {
    const dcs = new FakeDcs();
    dcs.enabled = true;
    await expect(apply(dcs)).resolves.toEqual({ enabled: true });
    expect(dcs.calls).toEqual(["getInstance", "getSsl"]);
  });

  it.each(["CREATEFAILED", "ERROR", "FROZEN"])(
    "gives up at once on an instance in %s, before any PUT",
    async (status) => {
      const dcs = new FakeDcs();
      dcs.instance = () => ({ status });
      const err = await rejection(apply(dcs));
      expect(err).toBeInstanceOf(WaitFailedError);
      expect(err).not.toBeInstanceOf(AcceptedChangeError);
      expect((err as Error).message).toBe(
        `DCS instance ${I} to be RUNNING with no task failed with status ${status}: ` +
          "the instance cannot take an SSL change in this state",
      );
      expect(dcs.calls).toEqual(["getInstance"]);
    },
  );

  it("times out on an instance that keeps a task, naming the status and the task", async () => {
    const dcs = new FakeDcs();
    dcs.instance = () => ({ status: "RUNNING", task: { name: "RESTARTING" } });
    const err = await rejection(apply(dcs, true, 60));
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err).toMatchObject({
      what: `DCS instance ${I} to be RUNNING with no task`,
      lastStatus: "RUNNING, task RESTARTING",
    });
    expect(dcs.count("setSsl")).toBe(0);
    dcs.instance = () => ({ status: "EXTENDING" });
    expect(await rejection(apply(dcs, true, 60))).toMatchObject({ lastStatus: "EXTENDING" });
  }, 5_000);
});

describe("applySsl: the PUT", () => {
  it("waits out busy refusals without looking at the instance again", async () => {
    const dcs = new FakeDcs();
    const accept = dcs.put;
    let refusals = 3;
    dcs.put = (enabled) => {
      if (refusals-- > 0) throw busy();
      return accept(enabled);
    };
    await expect(apply(dcs)).resolves.toEqual({ enabled: true });
    expect(dcs.calls).toEqual([
      "getInstance",
      "getSsl",
      "setSsl",
      "setSsl",
      "setSsl",
      "setSsl",
      "getJob",
      "getSsl",
    ]);
  });

  it.each([
    [true, "on"],
    [false, "off"],
  ])(
    "times out on a PUT (enabled: %s) refused busy until the deadline, naming the refusal",
    async (wanted, onOff) => {
      const dcs = new FakeDcs();
      dcs.enabled = !wanted;
      dcs.put = () => {
        throw busy();
      };
      const err = await rejection(apply(dcs, wanted, 60));
      expect(err).toBeInstanceOf(WaitTimeoutError);
      expect(err).not.toBeInstanceOf(AcceptedChangeError);
      expect(err).toMatchObject({
        what: `DCS instance ${I} to accept turning SSL ${onOff}`,
        lastStatus: "busy (DCS.4049)",
      });
      expect(dcs.count("setSsl")).toBeGreaterThan(1);
      expect(dcs.count("getInstance")).toBe(1);
    },
    5_000,
  );

  it("throws a refusal that waiting cannot cure at once, after one PUT", async () => {
    const unsupported = apiError(400, "DCS.4201", "Do not support SSL.");
    const dcs = new FakeDcs();
    dcs.put = () => {
      throw unsupported;
    };
    expect(await rejection(apply(dcs))).toBe(unsupported);
    expect(dcs.count("setSsl")).toBe(1);

    const bug = new TypeError("unexpected answer");
    dcs.put = () => {
      throw bug;
    };
    expect(await rejection(apply(dcs))).toBe(bug);
    expect(dcs.count("setSsl")).toBe(2);
  });

  it("after an ambiguous answer, waits for the instance to settle and sends no second PUT when it took", async () => {
    const dcs = new FakeDcs();
    // The PUT started a job although its answer was a 500: the instance restarts, then shows the
    // task, then settles with SSL on. SSL reads as on only once the job is over.
    let afterPut: { status: string; task?: string }[] = [];
    dcs.put = () => {
      afterPut = [{ status: "RESTARTING" }, { status: "RUNNING", task: "SSL_SWITCHING" }];
      throw lost();
    };
    dcs.instance = () => {
      const next = afterPut.shift();
      if (next) return next;
      dcs.enabled = dcs.count("setSsl") > 0;
      return { status: "RUNNING" };
    };
    await expect(apply(dcs)).resolves.toEqual({ enabled: true });
    expect(dcs.count("setSsl")).toBe(1);
    expect(dcs.calls).toEqual([
      "getInstance",
      "getSsl",
      "setSsl",
      "getInstance",
      "getInstance",
      "getInstance",
      "getSsl",
      // No job id is known: straight to the read-back.
      "getSsl",
    ]);
  });

  it("after an ambiguous answer that did not take, sends the PUT again, and looks only after ambiguous answers", async () => {
    const dcs = new FakeDcs();
    const accept = dcs.put;
    const answers = inTurn<"lost" | "busy" | "ok">("lost", "busy", "ok");
    dcs.put = (enabled) => {
      const a = answers();
      if (a === "lost") throw lost();
      if (a === "busy") throw busy();
      return accept(enabled);
    };
    await expect(apply(dcs)).resolves.toEqual({ enabled: true });
    expect(dcs.calls).toEqual([
      "getInstance",
      "getSsl",
      "setSsl", // 500
      "getInstance",
      "getSsl", // off: not applied
      "setSsl", // busy
      "setSsl", // accepted
      "getJob",
      "getSsl",
    ]);
  });

  it("times out after ambiguous answers only, saying it was checking", async () => {
    const dcs = new FakeDcs();
    dcs.put = () => {
      throw lost();
    };
    const err = await rejection(apply(dcs, true, 60));
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect(err).toMatchObject({
      what: `DCS instance ${I} to accept turning SSL on`,
      lastStatus: expect.stringMatching(
        /^no clear answer \(huaweicloud test: DCS\.5010: .*\(HTTP 500\)\); checking whether it was applied$/,
      ),
    });
    expect(dcs.count("setSsl")).toBeGreaterThan(1);
  }, 5_000);

  it("after an ambiguous answer, a deadline reached while the instance is busy names its state", async () => {
    const dcs = new FakeDcs();
    let puts = 0;
    dcs.put = () => {
      puts++;
      throw lost();
    };
    dcs.instance = () => (puts === 0 ? { status: "RUNNING" } : { status: "RUNNING", task: "SSL_SWITCHING" });
    expect(await rejection(apply(dcs, true, 60))).toMatchObject({
      code: "WaitTimeout",
      lastStatus: "RUNNING, task SSL_SWITCHING",
    });
    expect(puts).toBe(1);
    puts = 0;
    dcs.instance = () => ({ status: puts === 0 ? "RUNNING" : "RESTARTING" });
    expect(await rejection(apply(dcs, true, 60))).toMatchObject({ lastStatus: "RESTARTING" });
    expect(puts).toBe(1);
  }, 5_000);
});

describe("applySsl: one change per instance at a time", () => {
  it("serializes the changes of one instance and runs those of different instances side by side", async () => {
    const events: string[] = [];
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    /** A client whose every call is logged as `<name> <call>`, and whose first look waits for `gate`. */
    const client = (name: string, gate: Promise<unknown>) => {
      const dcs = new FakeDcs();
      const inner = dcs.client;
      let first = true;
      return Object.assign(Object.create(null), inner, {
        getInstance: async (p: string, i: string) => {
          events.push(`${name} getInstance`);
          if (first) {
            first = false;
            await Promise.race([gate, sleep(1_000)]);
          }
          return inner.getInstance(p, i);
        },
        getSsl: async (p: string, i: string) => {
          events.push(`${name} getSsl`);
          return inner.getSsl(p, i);
        },
      }) as typeof inner;
    };

    // Different instances: the first one's look waits for the second one's change to be over.
    let bDone!: () => void;
    const b = new Promise<void>((resolve) => (bDone = resolve));
    await Promise.all([
      applySsl(client("a", b), P, "i-parallel-a", true, inMs(5_000)),
      applySsl(client("b", Promise.resolve()), P, "i-parallel-b", true, inMs(5_000)).then(() => bDone()),
    ]);
    expect(events).toEqual([
      "a getInstance",
      "b getInstance",
      "b getSsl",
      "b getSsl",
      "a getSsl",
      "a getSsl",
    ]);

    // One instance: the second change starts once the first is over.
    events.length = 0;
    await Promise.all([
      applySsl(client("c", sleep(30)), P, "i-serial", true, inMs(5_000)),
      applySsl(client("d", Promise.resolve()), P, "i-serial", true, inMs(5_000)),
    ]);
    expect(events).toEqual([
      "c getInstance",
      "c getSsl",
      "c getSsl",
      "d getInstance",
      "d getSsl",
      "d getSsl",
    ]);
  });
});
