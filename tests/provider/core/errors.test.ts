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
import { fresh } from "../../helpers/fresh";

type ErrorsModule = typeof import("../../../provider/core/errors");
/** A copy of errors.ts loaded in the test: its own patterns and its own registry of secrets. */
const errorsModule = () => fresh(() => require("../../../provider/core/errors") as ErrorsModule);

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

  // "Authorization: <scheme> <credential>": the credential after the scheme is hidden too.
  test("removes the credential of an Authorization header with a scheme", () => {
    expect(redact("Authorization: Bearer eyJhbGciOi.payload.sig")).not.toContain("eyJhbGciOi");
    expect(
      redact("Authorization: SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=5f2a9c"),
    ).not.toContain("5f2a9c");
  });

  // Headers as util.inspect prints them (single quotes).
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

describe("redact, credential patterns (each in a fresh copy of the module)", () => {
  test.each([
    // key=value, unquoted key and value: the value ends at whitespace , ; & }
    ["password=abc", "password=***"],
    ["password=abc, next", "password=***, next"],
    ["{password=abc}", "{password=***}"],
    ["secret=s1;x=1", "secret=***;x=1"],
    ["a=1&secretKey=sk1&b=2", "a=1&secretKey=***&b=2"],
    ["SecurityToken = st-1 more", "SecurityToken = *** more"],
    // JSON and JavaScript forms, spaces around the colon, quoted values with spaces
    ['{"password":"p@ss word","name":"r1"}', '{"password":***,"name":"r1"}'],
    ['{"Password" : "x"}', '{"Password" : ***}'],
    ['{"token": "tkn"}', '{"token": ***}'],
    ["token: tkn", "token: ***"],
    ["{ password: 'p@ss word', name: 'r1' }", "{ password: ***, name: 'r1' }"],
    ["{ 'accessKeySecret': 'a b' }", "{ 'accessKeySecret': *** }"],
  ])("a credential field: %s", (text, expected) => {
    expect(errorsModule().redact(text)).toBe(expected);
  });

  test.each([
    // Header values run to the end of the value, spaces included (a scheme and its credential).
    ["Authorization: Bearer eyJhbGciOi.payload.sig", "Authorization: ***"],
    ["Authorization=abc.def", "Authorization=***"],
    ["authorization:abc.def", "authorization:***"],
    ["X-Auth-Token: gAAAAB part2", "X-Auth-Token: ***"],
    ["X-Subject-Token: gAAAAB part2; other", "X-Subject-Token: ***; other"],
    ["x-security-token:st 1, next", "x-security-token:***, next"],
    ['"Authorization" : "Bearer abc"', '"Authorization" : ***'],
    ['{"Authorization":"Bearer a,b","x":1}', '{"Authorization":***,"x":1}'],
    ["{ 'authorization': 'Bearer a;b', x: 1 }", "{ 'authorization': ***, x: 1 }"],
    // The unquoted header form also takes the space before the brace.
    ["{ 'x-auth-token': 'supersecret-token-123' }", "{ 'x-auth-token': ***}"],
  ])("a credential header: %s", (text, expected) => {
    expect(errorsModule().redact(text)).toBe(expected);
  });

  test.each([
    // A query value runs to the next & or whitespace, commas and semicolons included.
    ["/?Action=X&Signature=abc,def&PageSize=10", "/?Action=X&Signature=***&PageSize=10"],
    ["/?SecurityToken=t;1 GET", "/?SecurityToken=*** GET"],
    ["/?a=1&AccessKeySecret=k}1&b=2", "/?a=1&AccessKeySecret=***&b=2"],
  ])("a credential query parameter: %s", (text, expected) => {
    expect(errorsModule().redact(text)).toBe(expected);
  });

  test.each([
    "kakaocloud POST /v1/clusters: Conflict: name r1 already used (HTTP 409)",
    "/?Action=DescribeInstances&PageSize=10&RegionId=cn-hangzhou",
    "the password policy requires 8 characters",
    "token bucket empty; retry in 2s",
    '{"name":"r1","port":6379,"tags":{"env":"dev"}}',
  ])("leaves text without a credential value as it is: %s", (text) => {
    expect(errorsModule().redact(text)).toBe(text);
  });

  test("a registered secret of exactly 4 characters is redacted; a shorter one is not", () => {
    const m = errorsModule();
    m.registerSecret("Q7#z");
    m.registerSecret("k9!");
    expect(m.redact("id Q7#z and k9! end")).toBe("id *** and k9! end");
  });
});

describe("wait errors, full messages and codes", () => {
  test("WaitTimeoutError without a last status", () => {
    const e = new WaitTimeoutError("cluster c-1 to be Active", undefined, 90_600);
    expect(e.code).toBe("WaitTimeout");
    expect(e.message).toBe(
      "timed out after 91s waiting for cluster c-1 to be Active; the operation may still be running in the " +
        "cloud: run `pulumi refresh` and `pulumi up` again, or raise the resource's timeout input",
    );
    expect([e.what, e.lastStatus, e.elapsedMs]).toEqual(["cluster c-1 to be Active", undefined, 90_600]);
  });

  test("WaitFailedError has the code WaitFailed", () => {
    expect(new WaitFailedError("job j-1", "FAIL").code).toBe("WaitFailed");
  });
});
