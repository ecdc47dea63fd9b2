/**
 * Tests of the typed errors and of redaction: message format, fields, `cause`, registered secrets
 * and credential-looking patterns.
 */
import {
  CloudError,
  isHttpStatus,
  redact,
  registerSecret,
  WaitFailedError,
  WaitTimeoutError,
} from "../../../provider/core/errors";

describe("CloudError", () => {
  test("the message has cloud, operation, code, message, HTTP status and request id", () => {
    const e = new CloudError({
      cloud: "alicloud",
      code: "IncorrectDBInstanceState",
      message: "the instance is being modified; retry later",
      httpStatus: 403,
      requestId: "5E3A-REQ",
      operation: "ModifyInstanceSpec",
    });
    expect(e.message).toBe(
      "alicloud ModifyInstanceSpec: IncorrectDBInstanceState: the instance is being modified; retry later (HTTP 403, request id 5E3A-REQ)",
    );
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("CloudError");
    expect(e.cloud).toBe("alicloud");
    expect(e.code).toBe("IncorrectDBInstanceState");
    expect(e.httpStatus).toBe(403);
    expect(e.requestId).toBe("5E3A-REQ");
    expect(e.operation).toBe("ModifyInstanceSpec");
  });

  test("parts that are absent are left out of the message", () => {
    expect(new CloudError({ cloud: "huaweicloud", code: "NetworkError", message: "no route" }).message).toBe(
      "huaweicloud: NetworkError: no route",
    );
    expect(new CloudError({ cloud: "kakaocloud", code: "X", message: "m", httpStatus: 500 }).message).toBe(
      "kakaocloud: X: m (HTTP 500)",
    );
    expect(new CloudError({ cloud: "kakaocloud", code: "X", message: "m", requestId: "r1" }).message).toBe(
      "kakaocloud: X: m (request id r1)",
    );
  });

  test("retryable and refused default to false; retryAfterSeconds is kept", () => {
    const plain = new CloudError({ cloud: "kakaocloud", code: "X", message: "m" });
    expect(plain.retryable).toBe(false);
    expect(plain.refused).toBe(false);
    expect(plain.retryAfterSeconds).toBeUndefined();
    const busy = new CloudError({
      cloud: "kakaocloud",
      code: "Busy",
      message: "m",
      retryable: true,
      refused: true,
      retryAfterSeconds: 3,
    });
    expect([busy.retryable, busy.refused, busy.retryAfterSeconds]).toEqual([true, true, 3]);
  });

  test("cause is kept, and absent when not given", () => {
    const cause = new Error("socket hang up");
    expect(new CloudError({ cloud: "kakaocloud", code: "NetworkError", message: "m", cause }).cause).toBe(
      cause,
    );
    const e = new CloudError({ cloud: "kakaocloud", code: "X", message: "m" });
    expect(e.cause).toBeUndefined();
    expect("cause" in e).toBe(false);
  });

  test("the message is redacted", () => {
    const e = new CloudError({
      cloud: "kakaocloud",
      code: "InvalidParameter",
      message: 'bad body {"name":"r1","password":"Hunter2!pw"}',
    });
    expect(e.message).not.toContain("Hunter2!pw");
    expect(e.message).toContain('"password":***');
    expect(e.message).toContain('"name":"r1"');
  });

  test("isHttpStatus tells a CloudError with that status", () => {
    const e = new CloudError({ cloud: "kakaocloud", code: "NotFound", message: "m", httpStatus: 404 });
    expect(isHttpStatus(e, 404)).toBe(true);
    expect(isHttpStatus(e, 409)).toBe(false);
    expect(isHttpStatus(Object.assign(new Error("x"), { httpStatus: 404 }), 404)).toBe(false);
    expect(isHttpStatus(undefined, 404)).toBe(false);
  });
});

describe("redact", () => {
  test("replaces every occurrence of a registered secret", () => {
    registerSecret("s3cr3t-value-xyz");
    expect(redact("key=s3cr3t-value-xyz and again s3cr3t-value-xyz.")).toBe("key=*** and again ***.");
  });

  test("ignores secrets shorter than 4 characters and undefined", () => {
    registerSecret("abc");
    registerSecret(undefined);
    registerSecret("");
    expect(redact("abc abcd")).toBe("abc abcd");
  });

  test.each([
    ['{"password":"p@ss word"}', '{"password":***}'],
    ['{"Password" : "x"}', '{"Password" : ***}'],
    ['{"accessKeySecret":"AKS123"}', '{"accessKeySecret":***}'],
    ['{"token": "tkn"}', '{"token": ***}'],
    ['{"Signature":"c2ln"}', '{"Signature":***}'],
    ['password="abc"', "password=***"],
  ])("removes a quoted credential value: %s", (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  test.each([
    ["X-Auth-Token: supersecret-token-123", "X-Auth-Token: ***"],
    ["x-auth-token:abc123, next", "x-auth-token:***, next"],
    ["X-Subject-Token: gAAAAB; other", "X-Subject-Token: ***; other"],
    ["Authorization=abc.def", "Authorization=***"],
    ['{"X-Auth-Token":"abc123"}', '{"X-Auth-Token":***}'],
  ])("removes a credential header value: %s", (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  // Known defect (reported): the header pattern stops at the first space, so for
  // "Authorization: <scheme> <credential>" only the scheme is hidden and the credential stays.
  test("removes the credential of an Authorization header with a scheme", () => {
    expect(redact("Authorization: Bearer eyJhbGciOi.payload.sig")).not.toContain("eyJhbGciOi");
    expect(
      redact("Authorization: SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=5f2a9c"),
    ).not.toContain("5f2a9c");
  });

  // Known defect (reported): headers printed by util.inspect use single quotes, which no pattern matches.
  test("removes a token from an inspected headers object", () => {
    expect(redact("{ 'x-auth-token': 'supersecret-token-123' }")).not.toContain("supersecret-token-123");
  });

  test("removes credentials from query strings", () => {
    expect(redact("/?Action=X&Signature=abc%2Bdef&SecurityToken=tok&PageSize=10")).toBe(
      "/?Action=X&Signature=***&SecurityToken=***&PageSize=10",
    );
  });

  test("leaves ordinary text alone", () => {
    const text = "kakaocloud POST /v1/clusters: Conflict: name r1 already used (HTTP 409)";
    expect(redact(text)).toBe(text);
  });
});

describe("wait errors", () => {
  test("WaitTimeoutError says what, the last status, the time and what to do", () => {
    const e = new WaitTimeoutError("instance r-1 to be Normal", "Changing", 125_400);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("WaitTimeoutError");
    expect(e.message).toMatch(
      /^timed out after 125s waiting for instance r-1 to be Normal \(last status: Changing\); /,
    );
    expect(e.message).toContain("pulumi refresh");
    expect(new WaitTimeoutError("x", undefined, 1000).message).not.toContain("last status");
  });

  test("WaitFailedError says what, the status and the detail", () => {
    const e = new WaitFailedError("job j-1", "FAIL", "disk full");
    expect(e.name).toBe("WaitFailedError");
    expect(e.status).toBe("FAIL");
    expect(e.message).toBe("job j-1 failed with status FAIL: disk full");
    expect(new WaitFailedError("job j-1", "FAIL").message).toBe("job j-1 failed with status FAIL");
  });
});
