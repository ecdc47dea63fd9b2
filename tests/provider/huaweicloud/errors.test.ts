/**
 * `dcsError` on answers off the beaten path (codes and messages of other types, long texts, request
 * ids in the body, throttling by status or by code) and the exact advice of each message; the
 * predicates the resource branches on.
 */
import { CloudError } from "../../../provider/core/errors";
import type { HttpResponse } from "../../../provider/core/http";
import { dcsError, isDcsBusy, isDcsNotFound, isSslUnsupported } from "../../../provider/huaweicloud/errors";

const res = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body,
  text: body === undefined ? "" : JSON.stringify(body),
});
const OP = "PUT /v2/p/instances/i/ssl";

describe("dcsError: reading the answer", () => {
  it("takes the code and message only when they are non-empty strings", () => {
    const body = { error_code: 4049, error_msg: 17 };
    const err = dcsError(res(400, body), OP);
    expect(err.code).toBe("HTTP400");
    expect(err.message).toBe(`huaweicloud ${OP}: HTTP400: ${JSON.stringify(body)} (HTTP 400)`);
    expect(err.retryable).toBe(false);
    expect(dcsError(res(400, { error_code: "", error_msg: "" }), OP).code).toBe("HTTP400");
  });

  it("quotes at most 200 characters of a body it cannot read, and says when there is none", () => {
    const text = "x".repeat(500);
    const long = dcsError({ status: 502, headers: {}, body: undefined, text }, "GET /x");
    expect(long.message).toBe(`huaweicloud GET /x: HTTP502: ${"x".repeat(200)} (HTTP 502)`);
    const empty = dcsError({ status: 503, headers: {}, body: undefined, text: "" }, "GET /x");
    expect(empty.message).toBe("huaweicloud GET /x: HTTP503: no details (HTTP 503)");
  });

  it("takes the request id from the header, else from the body when it is a string", () => {
    const fromBody = dcsError(
      res(404, { error_code: "DCS.4001", error_msg: "no", request_id: "r-body" }),
      OP,
    );
    expect(fromBody.requestId).toBe("r-body");
    expect(fromBody.message).toContain("(HTTP 404, request id r-body)");
    const header = dcsError(
      res(
        404,
        { error_code: "DCS.4001", error_msg: "no", request_id: "r-body" },
        { "x-request-id": "r-head" },
      ),
      OP,
    );
    expect(header.requestId).toBe("r-head");
    expect(dcsError(res(404, { error_code: "DCS.4001", request_id: 12 }), OP).requestId).toBeUndefined();
  });

  it("treats a 429 with any code, and the gateway's throttling codes with any status, as throttling", () => {
    for (const [status, code] of [
      [429, "APIGW.0399"],
      [400, "APIGW.0308"],
      [400, "APIG.0308"],
    ] as const) {
      expect([
        status,
        code,
        dcsError(res(status, { error_code: code, error_msg: "slow" }), OP),
      ]).toMatchObject([status, code, { retryable: true, refused: true }]);
    }
    expect(dcsError(res(400, { error_code: "APIGW.0309", error_msg: "other" }), OP)).toMatchObject({
      retryable: false,
      refused: false,
    });
  });
});

describe("dcsError: what the message advises", () => {
  const message = (status: number, code: string) =>
    dcsError(res(status, { error_code: code, error_msg: "The API said so." }), OP).message;

  it("says a busy instance should be tried again later", () => {
    expect(message(400, "DCS.4111")).toBe(
      `huaweicloud ${OP}: DCS.4111: The API said so. (the instance is busy with another task; try again later) (HTTP 400)`,
    );
  });

  it("says what to check on a 401", () => {
    expect(message(401, "APIGW.0301")).toBe(
      `huaweicloud ${OP}: APIGW.0301: The API said so.; check the AK/SK (managed-redis:huaweicloudAccessKey / ` +
        "huaweicloudSecretKey or HW_ACCESS_KEY / HW_SECRET_KEY) or the IAM token, and that this machine's clock " +
        "is right (X-Sdk-Date must be within 15 minutes) (HTTP 401)",
    );
  });

  it("says the credentials lack permissions on a 403", () => {
    expect(message(403, "DCS.4003")).toBe(
      `huaweicloud ${OP}: DCS.4003: The API said so.; the credentials lack DCS permissions in this project (HTTP 403)`,
    );
  });

  it("adds nothing to other answers", () => {
    expect(message(400, "DCS.4202")).toBe(`huaweicloud ${OP}: DCS.4202: The API said so. (HTTP 400)`);
    expect(message(404, "DCS.3022")).toBe(`huaweicloud ${OP}: DCS.3022: The API said so. (HTTP 404)`);
  });
});

describe("the predicates on a caught error", () => {
  const huawei = (code: string, httpStatus = 400) =>
    new CloudError({ cloud: "huaweicloud", code, message: "m", httpStatus });

  it("isDcsBusy: a Huawei Cloud CloudError with a busy code, nothing else", () => {
    expect(isDcsBusy(huawei("DCS.4049"))).toBe(true);
    expect(isDcsBusy(huawei("DCS.4201"))).toBe(false);
    expect(isDcsBusy(new CloudError({ cloud: "alicloud", code: "DCS.4049", message: "m" }))).toBe(false);
    expect(isDcsBusy({ cloud: "huaweicloud", code: "DCS.4049" })).toBe(false);
    expect(isDcsBusy(undefined)).toBe(false);
  });

  it("isDcsNotFound and isSslUnsupported look at a CloudError's status and code", () => {
    expect(isDcsNotFound(huawei("DCS.3022", 404))).toBe(true);
    expect(isDcsNotFound(huawei("DCS.3022", 400))).toBe(false);
    expect(isDcsNotFound({ httpStatus: 404 })).toBe(false);
    expect(isSslUnsupported(huawei("DCS.4201"))).toBe(true);
    expect(isSslUnsupported(huawei("DCS.4202"))).toBe(false);
    expect(isSslUnsupported({ code: "DCS.4201" })).toBe(false);
  });
});
