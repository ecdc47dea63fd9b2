/**
 * Brings SSL on one DCS instance to the wanted state: wait until the instance is `RUNNING` with no
 * task, read the SSL state, send the PUT only when it differs (busy refusals waited out, ambiguous
 * failures reconciled before any second PUT), follow the job to `SUCCESS` or `FAIL`, and confirm
 * with the SSL query.
 */
import { CloudError, ManagedRedisError } from "../core/errors";
import { remainingMs } from "../core/deadline";
import { withLock } from "../core/lock";
import { waitFor } from "../core/waiter";
import { currentTask, type DcsClient, type DcsInstance, type DcsJob, type DcsSslInfo } from "./client";
import { isDcsBusy, isDcsNotFound } from "./errors";

/** Instance states from which the instance will not become `RUNNING` by waiting. */
const BROKEN_STATES = new Set(["CREATEFAILED", "ERROR", "FROZEN"]);

/**
 * The PUT was accepted (a job runs in the cloud) but what followed failed: `original` is that
 * failure (also the `cause`), `known` the last SSL state read. Its code is the original's (a
 * `WaitTimeout`, a `WaitFailed`, the API's code), or `WaitFailed` for a failure without one: the
 * wait for the accepted change did not end in the wanted state.
 */
export class AcceptedChangeError extends ManagedRedisError {
  constructor(
    readonly original: unknown,
    readonly known: DcsSslInfo,
  ) {
    super(
      original instanceof ManagedRedisError ? original.code : "WaitFailed",
      original instanceof Error ? original.message : String(original),
      { cause: original },
    );
  }
}

/**
 * Brings SSL on an instance to `wanted`: instance ready, state read, PUT only when it differs (busy
 * refusals waited out), job followed, state confirmed. Rejects with {@link AcceptedChangeError} once
 * the PUT has been accepted.
 */
export async function applySsl(
  client: DcsClient,
  projectId: string,
  instanceId: string,
  wanted: boolean,
  deadline: number,
): Promise<DcsSslInfo> {
  const onOff = wanted ? "on" : "off";
  return withLock(`huaweicloud/dcs/${projectId}/${instanceId}`, async () => {
    await waitFor<DcsInstance>(
      async () => {
        const inst = await client.getInstance(projectId, instanceId);
        const task = currentTask(inst.task);
        if (inst.status === "RUNNING" && !task) return { state: "done", value: inst };
        if (BROKEN_STATES.has(inst.status)) {
          return {
            state: "failed",
            status: inst.status,
            detail: "the instance cannot take an SSL change in this state",
          };
        }
        return { state: "pending", status: task ? `${inst.status}, task ${task}` : inst.status };
      },
      {
        what: `DCS instance ${instanceId} to be RUNNING with no task`,
        timeoutMs: remainingMs(deadline),
        minIntervalMs: 2_000,
        maxIntervalMs: 10_000,
      },
    );
    const before = await client.getSsl(projectId, instanceId);
    if (before.enabled === wanted) return before;

    // After an ambiguous failure (reset, 5xx) the PUT may or may not have started a job: look at
    // the instance (task, then SSL state) before sending it again, so that no second job starts.
    let maybeApplied = false;
    const { jobId } = await waitFor<{ jobId?: string }>(
      async () => {
        if (maybeApplied) {
          const inst = await client.getInstance(projectId, instanceId);
          const task = currentTask(inst.task);
          if (inst.status !== "RUNNING" || task) {
            return { state: "pending", status: task ? `${inst.status}, task ${task}` : inst.status };
          }
          if ((await client.getSsl(projectId, instanceId)).enabled === wanted)
            return { state: "done", value: {} };
          maybeApplied = false;
        }
        try {
          return { state: "done", value: await client.setSsl(projectId, instanceId, wanted) };
        } catch (err) {
          if (isDcsBusy(err)) return { state: "pending", status: `busy (${err.code})` };
          if (err instanceof CloudError && err.retryable) {
            maybeApplied = true;
            return {
              state: "pending",
              status: `no clear answer (${err.message}); checking whether it was applied`,
            };
          }
          throw err;
        }
      },
      {
        what: `DCS instance ${instanceId} to accept turning SSL ${onOff}`,
        timeoutMs: remainingMs(deadline),
        minIntervalMs: 2_000,
        maxIntervalMs: 15_000,
      },
    );

    try {
      if (jobId)
        await waitFor<DcsJob>(
          async () => {
            let job: DcsJob;
            try {
              job = await client.getJob(projectId, jobId);
            } catch (err) {
              // A job just submitted may not be visible yet: keep looking until the deadline.
              if (isDcsNotFound(err)) return { state: "pending", status: "NOT_VISIBLE_YET" };
              throw err;
            }
            if (job.status === "SUCCESS") return { state: "done", value: job };
            if (job.status === "FAIL")
              return { state: "failed", status: "FAIL", detail: job.fail_reason ?? "no fail_reason given" };
            return { state: "pending", status: job.status };
          },
          {
            what: `DCS job ${jobId} (SSL ${onOff} on instance ${instanceId})`,
            timeoutMs: remainingMs(deadline),
          },
        );
      return await waitFor<DcsSslInfo>(
        async () => {
          const ssl = await client.getSsl(projectId, instanceId);
          return ssl.enabled === wanted
            ? { state: "done", value: ssl }
            : { state: "pending", status: `enabled=${ssl.enabled}` };
        },
        {
          what: `SSL on instance ${instanceId} to read back as ${onOff}`,
          timeoutMs: Math.max(remainingMs(deadline), 5_000),
          minIntervalMs: 1_000,
        },
      );
    } catch (err) {
      let known = before;
      try {
        known = await client.getSsl(projectId, instanceId);
      } catch {
        // keep the state read before the change
      }
      throw new AcceptedChangeError(err, known);
    }
  });
}
