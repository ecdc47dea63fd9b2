/**
 * Huawei Cloud DCS's error answers: the `{error_code, error_msg, error_ext_msg}` body (or the API
 * gateway's) turned into a {@link CloudError} whose message says what to do next, and the tests on
 * a caught error (busy instance, not found, SSL unsupported) the resource branches on.
 */
import { CloudError } from "../core/errors";
import { type HttpResponse, parseRetryAfter } from "../core/http";

/**
 * Error codes the official Terraform provider treats as "the instance is busy, try again later"
 * (`huaweicloud/services/dcs`, `operateErrorCode`): the instance is not RUNNING, or another task
 * (backup, restore, restart, resize, configuration, password change, upgrade, creation) is running.
 */
export const DCS_BUSY_CODES: ReadonlySet<string> = new Set([
  "DCS.4026", // this operation is not allowed in the instance's current state
  "DCS.4049", // the instance status is not running
  "DCS.4096", // backup
  "DCS.4097", // restore
  "DCS.4104", // recovering from an internal fault
  "DCS.4111", // restarting
  "DCS.4113", // extending (resize)
  "DCS.4114", // configuring
  "DCS.4115", // changing password
  "DCS.4116", // upgrading
  "DCS.4117", // rolling back
  "DCS.4118", // creating
  "DCS.4120", // freezing
  "DCS.4121", // resetting password
  "DCS.4975", // creating / restarting
]);

/** API gateway throttling codes (answered with 429). */
const THROTTLE_CODES = new Set(["APIGW.0308", "APIG.0308"]);

/** Turns a DCS (or API gateway) error response `{error_code, error_msg, error_ext_msg}` into a {@link CloudError}. */
export function dcsError(res: HttpResponse, operation: string): CloudError {
  const body = (res.body && typeof res.body === "object" ? res.body : {}) as Record<string, unknown>;
  const code = typeof body.error_code === "string" && body.error_code ? body.error_code : `HTTP${res.status}`;
  const apiMessage =
    typeof body.error_msg === "string" && body.error_msg
      ? body.error_msg
      : res.text.slice(0, 200) || "no details";
  const busy = DCS_BUSY_CODES.has(code);
  const throttled = res.status === 429 || THROTTLE_CODES.has(code);
  return new CloudError({
    cloud: "huaweicloud",
    code,
    message: explain(code, res.status, apiMessage),
    httpStatus: res.status,
    requestId:
      res.headers["x-request-id"] ?? (typeof body.request_id === "string" ? body.request_id : undefined),
    operation,
    retryable: busy || throttled || res.status >= 500,
    refused: busy || throttled,
    retryAfterSeconds: parseRetryAfter(res.headers["retry-after"]),
  });
}

function explain(code: string, status: number, message: string): string {
  if (code === "DCS.4201") {
    return (
      `${message} SSL is only supported on DCS Redis 6.0 basic edition instances (single-node, master/standby ` +
      `or Redis Cluster); this instance is another engine, version or edition, so SSL cannot be configured on it`
    );
  }
  if (code === "DCS.5010") {
    return (
      `${message} (a DCS server error: the SSL change was not recorded; it is sent again until the resource's ` +
      `timeout; if it persists, contact Huawei Cloud support with the request id)`
    );
  }
  if (DCS_BUSY_CODES.has(code)) return `${message} (the instance is busy with another task; try again later)`;
  if (status === 401) {
    return (
      `${message}; check the AK/SK (managed-redis:huaweicloudAccessKey / huaweicloudSecretKey or HW_ACCESS_KEY / ` +
      `HW_SECRET_KEY) or the IAM token, and that this machine's clock is right (X-Sdk-Date must be within 15 minutes)`
    );
  }
  if (status === 403) return `${message}; the credentials lack DCS permissions in this project`;
  return message;
}

/** Whether an error says the DCS instance is busy (a refusal: nothing was applied). */
export function isDcsBusy(err: unknown): err is CloudError {
  return err instanceof CloudError && err.cloud === "huaweicloud" && DCS_BUSY_CODES.has(err.code);
}

/** Whether an error is a 404 (instance or job not found). */
export function isDcsNotFound(err: unknown): err is CloudError {
  return err instanceof CloudError && err.httpStatus === 404;
}

/** Whether an error is `DCS.4201` (SSL not supported by this instance). */
export function isSslUnsupported(err: unknown): err is CloudError {
  return err instanceof CloudError && err.code === "DCS.4201";
}
