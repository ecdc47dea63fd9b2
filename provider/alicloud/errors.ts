/**
 * Alibaba Cloud's error answers: the `{RequestId, HostId, Code, Message, Recommend}` body turned
 * into a {@link CloudError} whose message says what to do next, and the tests on a caught error
 * (busy instance, instance not found) the resources branch on.
 */
import { CloudError } from "../core/errors";
import { type HttpResponse, parseRetryAfter } from "../core/http";

/** Alibaba's error body. */
interface AlicloudErrorBody {
  RequestId?: string;
  HostId?: string;
  Code?: string;
  Message?: string;
  Recommend?: string;
}

/** Codes that mean "the instance is busy with another change: wait until it is Normal and retry". */
export const BUSY_CODES = new Set(["IncorrectDBInstanceState", "InstanceStatus.NotSupport", "TaskHasExist"]);

/** Whether an error says the instance is busy (waited out by the resources, not failed). */
export function isBusy(err: unknown): err is CloudError {
  return err instanceof CloudError && BUSY_CODES.has(err.code);
}

/**
 * Codes that say SSL encryption is not available on this instance at all (its type, engine or
 * minor version): a `DescribeInstanceSSL` answered with one means SSL is off, and must not fail the
 * refresh of the instance's other resources (the lesson of terraform-provider-alicloud #9971).
 */
export const SSL_UNSUPPORTED_CODES = new Set([
  "IncorrectCharacterType",
  "IncorrectEngineVersion",
  "InvalidRedisVersionPattern",
]);

/** Whether an error says SSL encryption is not available on the instance (see {@link SSL_UNSUPPORTED_CODES}). */
export function isSslUnsupported(err: unknown): err is CloudError {
  return err instanceof CloudError && err.cloud === "alicloud" && SSL_UNSUPPORTED_CODES.has(err.code);
}

/** Whether an error says the instance does not exist. */
export function isInstanceNotFound(err: unknown): err is CloudError {
  return (
    err instanceof CloudError &&
    (err.code === "InvalidDbInstanceId.NotFound" ||
      err.code === "InvalidInstanceId.NotFound" ||
      err.code === "InvalidDBInstanceId.NotFound")
  );
}

/** What to do next, by error code (documented codes, and the emulator's codes for undocumented conflicts). */
const HINTS: Record<string, string> = {
  IncorrectDBInstanceState: "the instance is busy with another change; wait until it is Normal and retry",
  "InstanceStatus.NotSupport": "the instance is busy with another change; wait until it is Normal and retry",
  TaskHasExist: "another task is running on the instance; wait until it is Normal and retry",
  DirectConnectionAlreadyExists:
    "the instance already has a direct connection: adopt it (TairDirectConnection adoptExisting: true) or release it",
  NetTypeExists:
    "the instance already has a direct connection (perhaps one another client is allocating): adopt it once it is listed (TairDirectConnection adoptExisting: true) or release it",
  NetTypeNotExists: "the instance has no direct connection",
  ConnectionStringAlreadyExists: "the endpoint prefix is taken: choose another connectionStringPrefix",
  InvalidConnectionString:
    "connectionStringPrefix must start with a lowercase letter, contain only lowercase letters and digits, and be 8 to 40 characters long",
  "InvalidConnectionString.Format":
    "connectionStringPrefix must start with a lowercase letter, contain only lowercase letters and digits, and be 8 to 40 characters long",
  InvalidConnType: "direct connections are available only for cluster instances",
  InvalidVPCParamGroup:
    "the instance must be in a VPC: call SwitchNetwork to move it out of the classic network",
  UnsupportedEngineVersion: "direct connections need Redis 4.0 or 5.0 (Community) or Tair 5.0",
  IncorrectMinorVersion: "update the instance to the latest minor version and try again",
  IncorrectEngineVersion:
    "the instance's engine (minor) version does not support SSL encryption: update its minor version and try again",
  IncorrectCharacterType:
    "SSL encryption is not available for this instance's type (character type): remove the InstanceSSL resource of this instance, or use an instance type that supports SSL",
  InvalidRedisVersionPattern:
    "SSL encryption is not available for this instance's engine or proxy version: remove the InstanceSSL resource of this instance, or upgrade the instance",
  IncorrectDBInstanceLockMode:
    "the instance is locked (expired, an overdue payment, or its disk is full): unlock it (renew it, settle the payment or free space), then run pulumi up again",
  EnabledSSLNotSupport:
    "SSL encryption is not available in this instance's region: remove the InstanceSSL resource, or set enabled: false",
  "SSLEnabled.NotSupport": "disable SSL first (InstanceSSL enabled=false), then create the direct connection",
  "DirectConnection.NotSupport":
    "release the direct connection first (delete the TairDirectConnection), then enable SSL",
  SignatureDoesNotMatch: "check managed-redis:alicloudAccessKeySecret / ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  "InvalidAccessKeyId.NotFound": "check managed-redis:alicloudAccessKeyId / ALIBABA_CLOUD_ACCESS_KEY_ID",
  "InvalidTimeStamp.Expired": "the local clock is off by more than 15 minutes: synchronise it",
  "InvalidDbInstanceId.NotFound": "check instanceId and managed-redis:alicloudRegion",
  "InvalidInstanceId.NotFound": "check instanceId and managed-redis:alicloudRegion",
};

/**
 * Turns a non-2xx response into a {@link CloudError}: `Throttling*` is retryable and refused (safe
 * to resend even for a mutation), 5xx is retryable, the rest is final with a hint.
 */
export function alicloudError(res: HttpResponse, operation: string): CloudError {
  const body = (res.body && typeof res.body === "object" ? res.body : {}) as AlicloudErrorBody;
  const code = body.Code ?? `HTTP${res.status}`;
  const throttled = /^Throttling/i.test(code) || res.status === 429;
  const serviceBusy = code === "ServiceUnavailable" || code === "InternalError" || code === "UnknownError";
  const hint =
    HINTS[code] ??
    (/ssl/i.test(code) && /Allocate/.test(operation) ? HINTS["SSLEnabled.NotSupport"] : undefined);
  const message = [body.Message ?? ((res.text ?? "").slice(0, 200) || "no error body"), hint]
    .filter(Boolean)
    .join(": ");
  return new CloudError({
    cloud: "alicloud",
    code,
    message,
    httpStatus: res.status,
    requestId: body.RequestId ?? res.headers["x-acs-request-id"],
    operation,
    retryable: throttled || serviceBusy || res.status >= 500,
    refused: throttled,
    retryAfterSeconds: parseRetryAfter(res.headers["retry-after"]),
  });
}

/**
 * The error of a `DescribeInstanceAttribute` answer that does not list the instance asked for
 * (answered like `InvalidInstanceId.NotFound`, with its hint).
 */
export function instanceNotListed(instanceId: string, requestId: string | undefined): CloudError {
  return new CloudError({
    cloud: "alicloud",
    code: "InvalidInstanceId.NotFound",
    message: `instance ${instanceId} is not listed: ${HINTS["InvalidInstanceId.NotFound"]}`,
    httpStatus: 404,
    requestId,
    operation: `DescribeInstanceAttribute ${instanceId}`,
  });
}
