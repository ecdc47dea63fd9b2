/**
 * What the two Alibaba Cloud resources share beyond the client and their inputs: the instance's
 * status (waiting for `Normal`, terminal statuses, an instance gone), sending a mutation once
 * (waiting out busy answers, reconciling ambiguous failures), partial failures and the
 * per-instance lock.
 */
import { CloudError, WaitFailedError } from "../core/errors";
import { sleep } from "../core/http";
import { withLock } from "../core/lock";
import { logProgress } from "../core/log";
import { remainingMs } from "../core/deadline";
import { type Observation, pollScale, waitFor } from "../core/waiter";
import type { AlicloudClient, InstanceAttribute } from "./client";
import { isBusy, isInstanceNotFound } from "./errors";

/**
 * Instance statuses that will not turn into `Normal` by waiting, with what the user can do. Every
 * wait of both resources ends on them at once instead of polling until its deadline.
 */
const TERMINAL_STATUSES: Readonly<Record<string, string>> = {
  Released:
    "the instance was released; remove the resource from the program, or point it at another instance",
  Error:
    "the instance is in an error state; look at it in the Alibaba Cloud console or ask Alibaba Cloud support",
  Unavailable:
    "the instance is unavailable; look at it in the Alibaba Cloud console or ask Alibaba Cloud support",
  Inactive:
    "the instance is locked (expired, or suspended for an overdue payment); renew it or settle the payment, then run pulumi up again",
};

/** Whether an instance status will not turn into `Normal` by waiting (`Released`, `Error`, `Unavailable`, `Inactive`). */
export function isTerminalStatus(status: string): boolean {
  return Object.hasOwn(TERMINAL_STATUSES, status);
}

/**
 * The waiter's observation for an instance status: `failed` (with what to do) when the status is
 * terminal, else `pending` with the status (or `extra` appended when given).
 */
export function notNormal(instanceId: string, status: string): Observation<never> {
  if (isTerminalStatus(status)) {
    return {
      state: "failed",
      status,
      detail: `instance ${instanceId} is ${status}, which does not turn into Normal by waiting: ${TERMINAL_STATUSES[status]}`,
    };
  }
  return { state: "pending", status };
}

/** Whether a wait failed because the instance was released (for delete: nothing is left to undo). */
export function isReleased(err: unknown): boolean {
  return err instanceof WaitFailedError && err.status === "Released";
}

/** What `look` finds, or `undefined` when the instance does not exist (a read of a resource gone). */
export async function ifInstanceExists<T>(look: () => Promise<T>): Promise<T | undefined> {
  try {
    return await look();
  } catch (err) {
    if (isInstanceNotFound(err)) return undefined;
    throw err;
  }
}

/** Runs a delete's work; when the instance is gone or released, nothing is left to undo. */
export async function unlessGone(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (isInstanceNotFound(err) || isReleased(err)) return;
    throw err;
  }
}

/** Waits until the instance is `Normal`; a terminal status (see {@link isTerminalStatus}) fails the wait at once. */
export function waitForNormal(
  client: AlicloudClient,
  instanceId: string,
  deadline: number,
  why: string,
): Promise<InstanceAttribute> {
  return waitFor<InstanceAttribute>(
    async () => {
      const attr = await client.describeInstanceAttribute(instanceId);
      if (attr.InstanceStatus === "Normal") return { state: "done", value: attr };
      return notNormal(instanceId, attr.InstanceStatus);
    },
    {
      what: `instance ${instanceId} to be Normal ${why}`,
      timeoutMs: remainingMs(deadline),
      maxIntervalMs: 20_000,
    },
  );
}

/** Whether a failed mutation may nevertheless have been applied (no answer, or a 5xx). */
export function isAmbiguous(err: unknown): err is CloudError {
  return (
    err instanceof CloudError && !err.refused && (err.code === "NetworkError" || (err.httpStatus ?? 0) >= 500)
  );
}

/** What a mutation attempt concluded. */
export type MutationOutcome = "applied" | "already" | "retry";

/**
 * Sends a mutation until the cloud accepts it: waits for `Normal` before each attempt, waits out
 * busy answers, and after an ambiguous failure asks `reconcile` whether it was applied before
 * sending it again. `onFault` may turn a documented fault into an outcome (e.g. "state already
 * exists" into `already`); anything else is thrown.
 */
export async function mutateWhenReady(opts: {
  client: AlicloudClient;
  instanceId: string;
  deadline: number;
  what: string;
  send(): Promise<unknown>;
  reconcile(): Promise<MutationOutcome>;
  onFault?(err: CloudError): Promise<MutationOutcome | undefined>;
}): Promise<"applied" | "already"> {
  let backoff = 2000 * pollScale();
  for (let attempt = 1; ; attempt++) {
    await waitForNormal(opts.client, opts.instanceId, opts.deadline, `before ${opts.what}`);
    try {
      await opts.send();
      return "applied";
    } catch (err) {
      let outcome: MutationOutcome | undefined;
      if (isBusy(err)) outcome = "retry";
      else if (isAmbiguous(err)) outcome = await opts.reconcile();
      else if (err instanceof CloudError && opts.onFault) outcome = await opts.onFault(err);
      if (outcome === undefined) throw err;
      if (outcome !== "retry") return outcome;
      if (backoff >= remainingMs(opts.deadline) || attempt >= 20) throw err;
      logProgress(`${opts.what} on ${opts.instanceId}: ${(err as Error).message}; retrying`);
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 30_000 * pollScale());
    }
  }
}

export { partialFailure, type PartialFailure } from "../core/partial";

/** Runs `work` holding the instance's lock, shared by both Alibaba resources: one change at a time per instance. */
export function onInstance<T>(instanceId: string, work: () => Promise<T>): Promise<T> {
  return withLock(`alicloud:${instanceId}`, work);
}
