/**
 * KakaoCloud's errors: an error answer as a {@link CloudError} whose message says what to check
 * (the credential's config keys and environment variables for a 401), and the predicates the
 * resources use on them.
 */
import { CloudError } from "../core/errors";
import { type HttpResponse, parseRetryAfter } from "../core/http";

/** Turns a KakaoCloud error response into a {@link CloudError}. */
export function kakaoError(res: HttpResponse, operation: string): CloudError {
  const body = (res.body ?? {}) as Record<string, unknown>;
  const nested = (body.error ?? {}) as Record<string, unknown>;
  const code = String(body.code ?? nested.code ?? nested.title ?? httpCodeName(res.status));
  const message = String(
    body.message ?? nested.message ?? body.detail ?? (res.text.slice(0, 200) || "no details"),
  );
  const busy = res.status === 409 && !/already|duplicate|exist/i.test(message);
  return new CloudError({
    cloud: "kakaocloud",
    code,
    message: explain(res.status, message, operation),
    httpStatus: res.status,
    requestId: res.headers["x-request-id"] ?? res.headers["x-openstack-request-id"],
    operation,
    retryable: res.status === 429 || res.status >= 500,
    refused: res.status === 429 || busy,
    retryAfterSeconds: parseRetryAfter(res.headers["retry-after"]),
  });
}

function httpCodeName(status: number): string {
  return (
    {
      400: "BadRequest",
      401: "Unauthorized",
      403: "Forbidden",
      404: "NotFound",
      409: "Conflict",
      422: "Unprocessable",
    }[status] ?? (status >= 500 ? "InternalError" : `HTTP${status}`)
  );
}

/** Where the KakaoCloud credentials come from, for a 401's message. */
const CREDENTIAL_SOURCES =
  "managed-redis:kakaoApplicationCredentialId and managed-redis:kakaoApplicationCredentialSecret " +
  "(or the environment variables KAKAOCLOUD_APPLICATION_CREDENTIAL_ID and KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET)";

function explain(status: number, message: string, operation: string): string {
  if (status === 401 && operation.includes("/auth/tokens")) {
    return (
      `${message}; the application credential was refused: check ${CREDENTIAL_SOURCES}, and that ` +
      "managed-redis:kakaoIamEndpoint / KAKAOCLOUD_IAM_ENDPOINT is the IAM endpoint of the credential's region"
    );
  }
  if (status === 401) {
    return (
      `${message}; the IAM token was refused: check managed-redis:kakaoAuthToken / KAKAOCLOUD_AUTH_TOKEN ` +
      `(an IAM token expires), or use an application credential: ${CREDENTIAL_SOURCES}`
    );
  }
  if (status === 403) return `${message}; the credential lacks permission for this project`;
  return message;
}

/** Whether an error says the cluster is busy with another operation. */
export function isBusy(err: unknown): boolean {
  return err instanceof CloudError && err.cloud === "kakaocloud" && err.httpStatus === 409 && err.refused;
}

/** Whether an error is a 404. */
export function isNotFound(err: unknown): boolean {
  return err instanceof CloudError && err.httpStatus === 404;
}
