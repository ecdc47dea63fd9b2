/**
 * Alibaba Cloud's error mapping (provider/alicloud/errors.ts): the code, message, hint, request id and
 * retry flags `alicloudError` derives from a response, the busy / not-found tests and `instanceNotListed`.
 */
import { CloudError } from "../../../provider/core/errors";
import type { HttpResponse } from "../../../provider/core/http";
import {
  alicloudError,
  instanceNotListed,
  isBusy,
  isInstanceNotFound,
} from "../../../provider/alicloud/errors";

const res = (
  status: number,
  body: unknown,
  text = "",
  headers: Record<string, string> = {},
): HttpResponse => ({
  status,
  body,
  text,
  headers,
});

const cloudError = (code: string) => new CloudError({ cloud: "alicloud", code, message: "m" });

describe("isInstanceNotFound", () => {
  it.each(["InvalidDbInstanceId.NotFound", "InvalidInstanceId.NotFound", "InvalidDBInstanceId.NotFound"])(
    "is true for %s",
    (code) => expect(isInstanceNotFound(cloudError(code))).toBe(true),
  );

  it("is false for other codes, for non-cloud errors and for empty codes", () => {
    expect(isInstanceNotFound(cloudError("IncorrectDBInstanceState"))).toBe(false);
    expect(isInstanceNotFound(cloudError(""))).toBe(false);
    const plain = Object.assign(new Error("x"), { code: "InvalidDbInstanceId.NotFound" });
    expect(isInstanceNotFound(plain)).toBe(false);
    expect(isInstanceNotFound({ code: "InvalidInstanceId.NotFound" })).toBe(false);
  });
});

describe("isBusy", () => {
  it("is true only for busy cloud errors", () => {
    expect(isBusy(cloudError("TaskHasExist"))).toBe(true);
    expect(isBusy(cloudError("InstanceStatus.NotSupport"))).toBe(true);
    expect(isBusy(cloudError("InvalidInstanceId.NotFound"))).toBe(false);
    expect(isBusy(Object.assign(new Error("x"), { code: "TaskHasExist" }))).toBe(false);
  });
});

describe("alicloudError", () => {
  it("builds the message from Message and the hint, joined by ': '", () => {
    const err = alicloudError(
      res(400, { RequestId: "R-1", Code: "NetTypeExists", Message: "exists" }),
      "AllocateDirectConnection r-1",
    );
    expect(err.code).toBe("NetTypeExists");
    expect(err.message).toBe(
      "alicloud AllocateDirectConnection r-1: NetTypeExists: exists: the instance already has a direct connection (perhaps one another client is allocating): adopt it once it is listed (TairDirectConnection adoptExisting: true) or release it (HTTP 400, request id R-1)",
    );
    expect(err.requestId).toBe("R-1");
    expect(err.retryable).toBe(false);
    expect(err.refused).toBe(false);
  });

  it("has no trailing separator when there is no hint", () => {
    const err = alicloudError(res(400, { Code: "Odd.Code", Message: "odd" }), "Op");
    expect(err.message).toBe("alicloud Op: Odd.Code: odd (HTTP 400)");
  });

  it("falls back to the first 200 characters of the text, then to 'no error body'", () => {
    const long = "x".repeat(250);
    expect(alicloudError(res(502, undefined, long), "Op").message).toBe(
      `alicloud Op: HTTP502: ${"x".repeat(200)} (HTTP 502)`,
    );
    expect(alicloudError(res(502, "not an object", "plain text"), "Op").message).toBe(
      "alicloud Op: HTTP502: plain text (HTTP 502)",
    );
    expect(alicloudError(res(502, null, ""), "Op").message).toBe(
      "alicloud Op: HTTP502: no error body (HTTP 502)",
    );
    const noText = { status: 503, body: undefined, headers: {} } as unknown as HttpResponse;
    expect(alicloudError(noText, "Op").message).toBe("alicloud Op: HTTP503: no error body (HTTP 503)");
  });

  it("prefers Message over the text", () => {
    const err = alicloudError(res(400, { Code: "Odd", Message: "from body" }, "from text"), "Op");
    expect(err.message).toBe("alicloud Op: Odd: from body (HTTP 400)");
  });

  it("takes the request id from the header when the body has none", () => {
    const err = alicloudError(
      res(400, { Code: "Odd", Message: "m" }, "", { "x-acs-request-id": "H-9" }),
      "Op",
    );
    expect(err.requestId).toBe("H-9");
    const both = alicloudError(
      res(400, { RequestId: "B-1", Code: "Odd" }, "", { "x-acs-request-id": "H-9" }),
      "Op",
    );
    expect(both.requestId).toBe("B-1");
  });

  it("marks Throttling* codes and HTTP 429 as retryable and refused", () => {
    for (const e of [
      alicloudError(res(400, { Code: "Throttling.User" }), "Op"),
      alicloudError(res(400, { Code: "throttling" }), "Op"),
      alicloudError(res(429, { Code: "TooMany" }), "Op"),
    ]) {
      expect(e.retryable).toBe(true);
      expect(e.refused).toBe(true);
    }
    const notPrefix = alicloudError(res(400, { Code: "Quota.Throttling" }), "Op");
    expect(notPrefix.retryable).toBe(false);
    expect(notPrefix.refused).toBe(false);
  });

  it.each(["ServiceUnavailable", "InternalError", "UnknownError"])(
    "marks %s as retryable but not refused, even on a 4xx",
    (code) => {
      const err = alicloudError(res(400, { Code: code }), "Op");
      expect(err.retryable).toBe(true);
      expect(err.refused).toBe(false);
    },
  );

  it("marks 5xx as retryable from 500 on, and 4xx as final", () => {
    expect(alicloudError(res(500, { Code: "Boom" }), "Op").retryable).toBe(true);
    expect(alicloudError(res(501, { Code: "Boom" }), "Op").retryable).toBe(true);
    expect(alicloudError(res(499, { Code: "Boom" }), "Op").retryable).toBe(false);
    expect(alicloudError(res(400, { Code: "" }), "Op").retryable).toBe(false);
  });

  it("hints to disable SSL for an SSL code of an Allocate call only", () => {
    const hint = "disable SSL first (InstanceSSL enabled=false), then create the direct connection";
    expect(
      alicloudError(res(400, { Code: "Ssl.Conflict", Message: "m" }), "AllocateDirectConnection r").message,
    ).toBe(`alicloud AllocateDirectConnection r: Ssl.Conflict: m: ${hint} (HTTP 400)`);
    expect(
      alicloudError(res(400, { Code: "Ssl.Conflict", Message: "m" }), "ModifyInstanceSSL r").message,
    ).toBe("alicloud ModifyInstanceSSL r: Ssl.Conflict: m (HTTP 400)");
    expect(
      alicloudError(res(400, { Code: "Other", Message: "m" }), "AllocateDirectConnection r").message,
    ).toBe("alicloud AllocateDirectConnection r: Other: m (HTTP 400)");
  });

  it("reads Retry-After", () => {
    expect(alicloudError(res(503, {}, "", { "retry-after": "7" }), "Op").retryAfterSeconds).toBe(7);
  });
});

describe("instanceNotListed", () => {
  it("answers like InvalidInstanceId.NotFound, with its hint", () => {
    const err = instanceNotListed("r-abc", "REQ-2");
    expect(err).toBeInstanceOf(CloudError);
    expect(err.code).toBe("InvalidInstanceId.NotFound");
    expect(err.cloud).toBe("alicloud");
    expect(err.httpStatus).toBe(404);
    expect(err.requestId).toBe("REQ-2");
    expect(err.operation).toBe("DescribeInstanceAttribute r-abc");
    expect(err.message).toBe(
      "alicloud DescribeInstanceAttribute r-abc: InvalidInstanceId.NotFound: instance r-abc is not listed: check instanceId and managed-redis:alicloudRegion (HTTP 404, request id REQ-2)",
    );
    expect(isInstanceNotFound(err)).toBe(true);
  });
});
