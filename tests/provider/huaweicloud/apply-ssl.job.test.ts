/**
 * `applySsl` after the accepted PUT, against a scripted client (./fake-dcs.ts): following the job,
 * the read-back of the SSL state, and what an {@link AcceptedChangeError} carries.
 */
import { WaitFailedError, WaitTimeoutError } from "../../../provider/core/errors";
import { AcceptedChangeError, applySsl } from "../../../provider/huaweicloud/apply-ssl";
import { rejection } from "../../helpers/errors";
import { usePollScale } from "../../helpers/time";
import { apiError, FakeDcs } from "./fake-dcs";

const P = "p-1";
const I = "i-1";
usePollScale(0.001);

/**
 * A clock that the fake cloud can move forward (`clock.skip(ms)`), so that waits of seconds end in
 * a few milliseconds of real time.
 */
const clock = { skew: 0, skip: (ms: number) => (clock.skew += ms) };
const realNow = Date.now.bind(Date);
beforeEach(() => {
  clock.skew = 0;
  jest.spyOn(Date, "now").mockImplementation(() => realNow() + clock.skew);
});
afterEach(() => jest.restoreAllMocks());

const apply = (dcs: FakeDcs, wanted = true, ms = 5_000) =>
  applySsl(dcs.client, P, I, wanted, Date.now() + ms);
const accepted = async (p: Promise<unknown>) => {
  const err = await rejection(p);
  expect(err).toBeInstanceOf(AcceptedChangeError);
  return err as AcceptedChangeError;
};

describe("applySsl: following the job", () => {
  it("looks again for a job that is not visible yet (404)", async () => {
    const dcs = new FakeDcs();
    const notYet = apiError(404, "DCS.4012", "The job does not exist.");
    let looks = 0;
    dcs.job = (jobId) => {
      if (++looks <= 2) throw notYet;
      return { job_id: jobId, status: "SUCCESS" };
    };
    await expect(apply(dcs)).resolves.toEqual({ enabled: true });
    expect(dcs.count("getJob")).toBe(3);
  });

  it("times out on a job that never shows up, as an accepted change", async () => {
    const dcs = new FakeDcs();
    dcs.job = () => {
      throw apiError(404, "DCS.4012", "The job does not exist.");
    };
    const err = await accepted(apply(dcs, true, 60));
    expect(err.code).toBe("WaitTimeout");
    expect(err.original).toBeInstanceOf(WaitTimeoutError);
    expect(err.original).toMatchObject({
      what: `DCS job job-1 (SSL on on instance ${I})`,
      lastStatus: "NOT_VISIBLE_YET",
    });
  }, 5_000);

  it("ends the wait at once on another error reading the job", async () => {
    const dcs = new FakeDcs();
    const down = apiError(503, "DCS.5000", "service unavailable");
    dcs.job = () => {
      throw down;
    };
    const err = await accepted(apply(dcs));
    expect(err.original).toBe(down);
    expect(err.code).toBe("DCS.5000");
    expect(dcs.count("getJob")).toBe(1);
  });

  it("reports a FAILed job with its reason, or says it gave none", async () => {
    const dcs = new FakeDcs();
    dcs.job = () => ({ job_id: "job-1", status: "FAIL", fail_reason: "certificate deployment failed" });
    const err = await accepted(apply(dcs));
    expect(err.original).toBeInstanceOf(WaitFailedError);
    expect(err.message).toBe(
      `DCS job job-1 (SSL on on instance ${I}) failed with status FAIL: certificate deployment failed`,
    );
    dcs.enabled = true;
    dcs.job = () => ({ job_id: "job-1", status: "FAIL", fail_reason: null });
    expect((await accepted(apply(dcs, false))).message).toBe(
      `DCS job job-1 (SSL off on instance ${I}) failed with status FAIL: no fail_reason given`,
    );
  });

  it("times out on a job still running, with the SSL state read after the failure", async () => {
    const dcs = new FakeDcs();
    dcs.put = () => ({ jobId: "job-7", instanceId: I }); // accepted, not applied yet
    dcs.job = (jobId) => ({ job_id: jobId, status: "RUNNING" });
    let reads = 0;
    dcs.ssl = () => (++reads === 1 ? { enabled: false } : { enabled: true, port: 6379 });
    const err = await accepted(apply(dcs, true, 60));
    expect(err.original).toMatchObject({
      what: `DCS job job-7 (SSL on on instance ${I})`,
      lastStatus: "RUNNING",
    });
    expect(err.known).toEqual({ enabled: true, port: 6379 });
  }, 5_000);

  it("keeps the state read before the change when the read after the failure fails too", async () => {
    const dcs = new FakeDcs();
    dcs.job = () => ({ job_id: "job-1", status: "FAIL" });
    const before = { enabled: false, port: 6379 };
    let reads = 0;
    dcs.ssl = () => {
      if (++reads === 1) return before;
      throw apiError(500, "DCS.5000", "down");
    };
    const err = await accepted(apply(dcs));
    expect(err.known).toBe(before);
    expect(err.code).toBe("WaitFailed");
  });
});

describe("applySsl: reading the change back", () => {
  it("waits until SSL reads as wanted after the job", async () => {
    const dcs = new FakeDcs();
    dcs.put = () => ({ jobId: "job-1", instanceId: I });
    let reads = 0;
    dcs.ssl = () => {
      reads++;
      return { enabled: reads >= 3, domainName: reads >= 3 ? "redis.example.com" : undefined };
    };
    await expect(apply(dcs)).resolves.toEqual({ enabled: true, domainName: "redis.example.com" });
    expect(dcs.calls).toEqual(["getInstance", "getSsl", "setSsl", "getJob", "getSsl", "getSsl"]);
  });

  it("gives the read-back 5 s even when the deadline has passed", async () => {
    const dcs = new FakeDcs();
    dcs.put = () => {
      clock.skip(60_000); // the PUT's answer came after the deadline
      return { jobId: "job-1", instanceId: I };
    };
    let reads = 0;
    dcs.ssl = () => {
      reads++;
      clock.skip(100);
      return { enabled: reads >= 3 };
    };
    await expect(apply(dcs, true, 1_000)).resolves.toEqual({ enabled: true });
    expect(reads).toBe(3);
  });

  it("times out when SSL never reads as wanted, naming what it read", async () => {
    const dcs = new FakeDcs();
    dcs.put = () => ({ jobId: "job-1", instanceId: I });
    dcs.ssl = () => {
      clock.skip(2_000);
      return { enabled: false };
    };
    const err = await accepted(apply(dcs));
    expect(err.code).toBe("WaitTimeout");
    expect(err.original).toMatchObject({
      what: `SSL on instance ${I} to read back as on`,
      lastStatus: "enabled=false",
    });
    expect(err.known).toEqual({ enabled: false });
  }, 5_000);
});
