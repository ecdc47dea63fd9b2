/**
 * provider/alicloud/support.ts: instance statuses (notNormal, isReleased, waitForNormal), errors on
 * reads and deletes (ifInstanceExists, isAmbiguous), `mutateWhenReady` (busy retries, its back-off,
 * its attempt bound, faults) and the per-instance lock.
 */
import { CloudError, WaitFailedError, WaitTimeoutError } from "../../../provider/core/errors";
import { withLock } from "../../../provider/core/lock";
import {
  ifInstanceExists,
  isAmbiguous,
  isReleased,
  mutateWhenReady,
  notNormal,
  onInstance,
  waitForNormal,
} from "../../../provider/alicloud/support";
import { captureStderr } from "../../helpers/stderr";
import { VirtualClock, usePollScale } from "../../helpers/time";
import { FakeTair, apiError } from "./fake-tair";

const ID = "r-1";
// Back-off: 2000 ms x 0.0001 = 0.2 ms, doubling, capped at 30000 x 0.0001 = 3 ms.
const K = 0.0001;
const FIRST = 2000 * K;

usePollScale(K);
let stderr: ReturnType<typeof captureStderr>;
beforeEach(() => (stderr = captureStderr()));
// Restores the clock and the stderr capture.
afterEach(() => jest.restoreAllMocks());

describe("statuses", () => {
  it("reports a non-terminal status as pending, with the status", () => {
    expect(notNormal(ID, "Changing")).toEqual({ state: "pending", status: "Changing" });
    expect(notNormal(ID, "Inactive")).toMatchObject({ state: "failed", status: "Inactive" });
  });

  it("tells a released instance only from a failed wait with status Released", () => {
    expect(isReleased(new WaitFailedError("w", "Released"))).toBe(true);
    expect(isReleased(new WaitFailedError("w", "Error"))).toBe(false);
    expect(isReleased({ status: "Released" })).toBe(false);
    expect(isReleased(Object.assign(new Error("x"), { status: "Released" }))).toBe(false);
  });

  it("waits for Normal within the deadline, saying why", async () => {
    const fake = new FakeTair({ status: () => "Changing" });
    const err = await waitForNormal(fake.client, ID, Date.now() + 60, "before ModifyX").catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toContain(
      `waiting for instance ${ID} to be Normal before ModifyX (last status: Changing)`,
    );
  });

  it("resolves with the attribute once Normal", async () => {
    const fake = new FakeTair({ status: (n) => (n < 3 ? "Changing" : "Normal") });
    await expect(waitForNormal(fake.client, ID, Date.now() + 5000, "x")).resolves.toEqual({
      InstanceId: ID,
      InstanceStatus: "Normal",
    });
  });
});

describe("errors", () => {
  it("turns a missing instance into undefined and rethrows anything else", async () => {
    await expect(ifInstanceExists(async () => 1)).resolves.toBe(1);
    await expect(
      ifInstanceExists(() => Promise.reject(apiError("InvalidInstanceId.NotFound", 404))),
    ).resolves.toBeUndefined();
    await expect(
      ifInstanceExists(() => Promise.reject(apiError("Forbidden.RAM", 403))),
    ).rejects.toMatchObject({
      code: "Forbidden.RAM",
    });
  });

  it("takes only cloud errors without an answer or with a 5xx as ambiguous", () => {
    expect(isAmbiguous(apiError("ServiceUnavailable", 503))).toBe(true);
    expect(isAmbiguous(new CloudError({ cloud: "alicloud", code: "NetworkError", message: "reset" }))).toBe(
      true,
    );
    expect(isAmbiguous(apiError("Throttling.User", 503))).toBe(false);
    expect(isAmbiguous(apiError("InvalidConnType", 400))).toBe(false);
    expect(isAmbiguous({ code: "NetworkError", refused: false, httpStatus: 503 })).toBe(false);
    expect(isAmbiguous(Object.assign(new Error("x"), { code: "NetworkError" }))).toBe(false);
  });
});

describe("mutateWhenReady", () => {
  const busy = () => Promise.reject(apiError("TaskHasExist", 400, `ModifyX ${ID}`));
  const mutate = (
    fake: FakeTair,
    send: () => Promise<unknown>,
    deadline: number,
    extra: { onFault?: (err: CloudError) => Promise<"applied" | "already" | "retry" | undefined> } = {},
  ) =>
    mutateWhenReady({
      client: fake.client,
      instanceId: ID,
      deadline,
      what: "ModifyX",
      send,
      reconcile: async () => "retry",
      ...extra,
    });

  it("answers applied when the send succeeds", async () => {
    const fake = new FakeTair();
    await expect(mutate(fake, async () => undefined, Date.now() + 5000)).resolves.toBe("applied");
  });

  it("waits for Normal before sending, saying before what", async () => {
    const fake = new FakeTair({ status: () => "Error" });
    await expect(mutate(fake, async () => undefined, Date.now() + 5000)).rejects.toThrow(
      `instance ${ID} to be Normal before ModifyX failed with status Error`,
    );
  });

  it("retries busy answers, logging each, and gives up after 20 attempts", async () => {
    new VirtualClock(1_000_000);
    const fake = new FakeTair();
    let sends = 0;
    const err = await mutate(fake, () => (sends++, busy()), 1_000_000 + 3_600_000).catch((e: unknown) => e);
    expect((err as CloudError).code).toBe("TaskHasExist");
    expect(sends).toBe(20);
    expect(stderr.lines()).toContain(
      `ModifyX on ${ID}: alicloud ModifyX ${ID}: TaskHasExist: injected TaskHasExist`,
    );
    expect(stderr.lines().match(/; retrying/g)).toHaveLength(19);
  });

  it("gives up as soon as the next back-off would reach the deadline", async () => {
    new VirtualClock(1_000_000);
    const fake = new FakeTair();
    let sends = 0;
    await expect(mutate(fake, () => (sends++, busy()), 1_000_000 + FIRST)).rejects.toMatchObject({
      code: "TaskHasExist",
    });
    expect(sends).toBe(1);
  });

  it("doubles the back-off after each busy answer", async () => {
    // 0.2, 0.4, 0.8 fit before the deadline (1 ms away); 1.6 does not: 4 sends.
    new VirtualClock(1_000_000);
    let sends = 0;
    await expect(mutate(new FakeTair(), () => (sends++, busy()), 1_000_000 + 1)).rejects.toBeInstanceOf(
      CloudError,
    );
    expect(sends).toBe(4);
  });

  it("caps the back-off at 30 s (scaled)", async () => {
    // Capped at 3 ms, the back-off never reaches a deadline 5 ms away: the attempt bound ends it.
    new VirtualClock(1_000_000);
    let sends = 0;
    await expect(mutate(new FakeTair(), () => (sends++, busy()), 1_000_000 + 5)).rejects.toBeInstanceOf(
      CloudError,
    );
    expect(sends).toBe(20);
  });

  it("asks onFault about cloud errors only, and throws them without one", async () => {
    const fake = new FakeTair();
    const onFault = jest.fn(async () => "already" as const);
    const plain = new Error("not a cloud error");
    await expect(mutate(fake, () => Promise.reject(plain), Date.now() + 5000, { onFault })).rejects.toBe(
      plain,
    );
    expect(onFault).not.toHaveBeenCalled();
    const final = apiError("InvalidConnType", 400);
    await expect(mutate(fake, () => Promise.reject(final), Date.now() + 5000)).rejects.toBe(final);
    await expect(mutate(fake, () => Promise.reject(final), Date.now() + 5000, { onFault })).resolves.toBe(
      "already",
    );
  });
});

describe("onInstance", () => {
  it("shares the lock alicloud:<instanceId> and leaves other instances free", async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = withLock(`alicloud:${ID}`, () => new Promise<void>((r) => (release = r)));
    const same = onInstance(ID, async () => {
      order.push("same");
    });
    const other = onInstance("r-2", async () => {
      order.push("other");
    });
    await other;
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(["other"]);
    release();
    await held;
    await same;
    expect(order).toEqual(["other", "same"]);
  });
});
