/**
 * A scripted stand-in for {@link DcsClient} for the unit tests of `applySsl`: each call is logged by
 * name and answered, after a turn of the event loop, by a replaceable function (which may throw a
 * real {@link CloudError} built by `dcsError`). By default the instance is `RUNNING` with no task, a
 * PUT is accepted and applied at once (job `job-1`), and jobs succeed.
 */
import type { HttpResponse } from "../../../provider/core/http";
import type { DcsClient, DcsInstance, DcsJob, DcsSslInfo } from "../../../provider/huaweicloud/client";
import { dcsError } from "../../../provider/huaweicloud/errors";

export type DcsCall = "getInstance" | "getSsl" | "setSsl" | "getJob";

export class FakeDcs {
  /** Every call made, in order. */
  readonly calls: DcsCall[] = [];
  /** SSL as the fake cloud holds it. */
  enabled = false;
  instance: () => Partial<DcsInstance> = () => ({ status: "RUNNING", task: null });
  ssl: () => DcsSslInfo = () => ({ enabled: this.enabled });
  put: (enabled: boolean) => { jobId: string; instanceId: string } = (enabled) => {
    this.enabled = enabled;
    return { jobId: "job-1", instanceId: "i-1" };
  };
  job: (jobId: string) => DcsJob = (jobId) => ({ job_id: jobId, status: "SUCCESS" });

  /** The fake as the client `applySsl` takes. */
  get client(): DcsClient {
    const look = async <T>(call: DcsCall, answer: () => T): Promise<T> => {
      this.calls.push(call);
      await new Promise((resolve) => setImmediate(resolve));
      return answer();
    };
    const client: Pick<DcsClient, DcsCall> = {
      getInstance: (_p, instanceId) =>
        look("getInstance", () => ({ instance_id: instanceId, status: "RUNNING", ...this.instance() })),
      getSsl: () => look("getSsl", () => this.ssl()),
      setSsl: (_p, _i, enabled) => look("setSsl", () => this.put(enabled)),
      getJob: (_p, jobId) => look("getJob", () => this.job(jobId)),
    };
    return client as DcsClient;
  }

  /** How many times a call was made. */
  count(call: DcsCall): number {
    return this.calls.filter((c) => c === call).length;
  }
}

/** Answers from a list, one per call; the last one repeats. */
export function inTurn<T>(...answers: T[]): () => T {
  let next = 0;
  return () => answers[Math.min(next++, answers.length - 1)];
}

/** The error the DCS client raises for an error answer of the API (`dcsError`, as over HTTP). */
export function apiError(status: number, code: string, message = "error") {
  const res: HttpResponse = {
    status,
    headers: {},
    body: { error_code: code, error_msg: message },
    text: JSON.stringify({ error_code: code, error_msg: message }),
  };
  return dcsError(res, "test");
}
