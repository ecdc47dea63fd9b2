import { createHash, createHmac } from "node:crypto";
import {
  huaweiCanonicalQuery,
  huaweiCanonicalRequest,
  huaweiCanonicalUri,
  huaweiParseAuthorization,
  huaweiParseSdkDate,
  huaweiSdkDate,
  huaweiSign,
  huaweiStringToSign,
  huaweiUriEncode,
  signSdkHmacSha256,
} from "../../../provider/huaweicloud/signing";

// Huawei Cloud "API Request Signing Guide" (AK/SK signing and authentication algorithm): the VPC
// list call of the worked example, its hashed canonical request, string to sign and signature.
const EXAMPLE = {
  ak: "QTWAOYTTINDUT2QVKYUC",
  sk: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
  url: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
  date: "20191115T033655Z",
  canonicalRequest:
    "GET\n" +
    "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n" +
    "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n" +
    "content-type:application/json\n" +
    "host:service.region.example.com\n" +
    "x-sdk-date:20191115T033655Z\n" +
    "\n" +
    "content-type;host;x-sdk-date\n" +
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  hashedCanonicalRequest: "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
  signature: "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
};

describe("Huawei SDK-HMAC-SHA256 signing", () => {
  it("reproduces Huawei's published worked example", () => {
    const signed = huaweiSign(
      { accessKey: EXAMPLE.ak, secretKey: EXAMPLE.sk },
      { method: "GET", url: EXAMPLE.url, headers: { "Content-Type": "application/json" } },
      { timestamp: EXAMPLE.date },
    );
    expect(signed.canonicalRequest).toBe(EXAMPLE.canonicalRequest);
    expect(createHash("sha256").update(signed.canonicalRequest).digest("hex")).toBe(
      EXAMPLE.hashedCanonicalRequest,
    );
    expect(signed.stringToSign).toBe(`SDK-HMAC-SHA256\n${EXAMPLE.date}\n${EXAMPLE.hashedCanonicalRequest}`);
    expect(signed.signedHeaders).toBe("content-type;host;x-sdk-date");
    expect(signed.signature).toBe(EXAMPLE.signature);
    expect(signed.headers).toEqual({
      "Content-Type": "application/json",
      "X-Sdk-Date": EXAMPLE.date,
      Authorization: `SDK-HMAC-SHA256 Access=${EXAMPLE.ak}, SignedHeaders=content-type;host;x-sdk-date, Signature=${EXAMPLE.signature}`,
    });
  });

  it("takes a Date and formats X-Sdk-Date as YYYYMMDDTHHMMSSZ", () => {
    const at = new Date(Date.UTC(2019, 10, 15, 3, 36, 55, 123));
    expect(huaweiSdkDate(at)).toBe("20191115T033655Z");
    const headers = signSdkHmacSha256(
      { accessKey: EXAMPLE.ak, secretKey: EXAMPLE.sk },
      { method: "get", url: EXAMPLE.url, headers: { "content-type": "application/json" } },
      { timestamp: at },
    );
    expect(headers.Authorization).toContain(`Signature=${EXAMPLE.signature}`);
    expect(huaweiParseSdkDate("20191115T033655Z")?.toISOString()).toBe("2019-11-15T03:36:55.000Z");
    expect(huaweiParseSdkDate("2019-11-15T03:36:55Z")).toBeUndefined();
  });

  it("signs a PUT with a JSON body: path ends in /, body hashed, host with port", () => {
    const body = '{"enabled":true}';
    const signed = huaweiSign(
      { accessKey: "demo-ak", secretKey: "demo-sk" },
      {
        method: "PUT",
        url: "http://127.0.0.1:8080/huaweicloud/v2/demo-project/instances/5560df16-cebf-4473-95c4-d1b573c16e79/ssl",
        headers: { "Content-Type": "application/json;charset=UTF-8" },
        body,
      },
      { timestamp: "20240102T030405Z" },
    );
    const bodyHash = createHash("sha256").update(body).digest("hex");
    const expected =
      "PUT\n" +
      "/huaweicloud/v2/demo-project/instances/5560df16-cebf-4473-95c4-d1b573c16e79/ssl/\n" +
      "\n" +
      "content-type:application/json;charset=UTF-8\n" +
      "host:127.0.0.1:8080\n" +
      "x-sdk-date:20240102T030405Z\n" +
      "\n" +
      "content-type;host;x-sdk-date\n" +
      bodyHash;
    expect(signed.canonicalRequest).toBe(expected);
    const sts = `SDK-HMAC-SHA256\n20240102T030405Z\n${createHash("sha256").update(expected).digest("hex")}`;
    expect(signed.stringToSign).toBe(sts);
    expect(signed.signature).toBe(createHmac("sha256", "demo-sk").update(sts).digest("hex"));
  });

  it("signs the security token of temporary credentials and never returns the secret key", () => {
    const signed = huaweiSign(
      { accessKey: "tmp-ak", secretKey: "tmp-sk-secret", securityToken: "sec-token" },
      { method: "GET", url: "https://dcs.ap-southeast-1.myhuaweicloud.com/v2/p/jobs/j" },
      { timestamp: "20240102T030405Z" },
    );
    expect(signed.signedHeaders).toBe("host;x-sdk-date;x-security-token");
    expect(signed.headers["X-Security-Token"]).toBe("sec-token");
    expect(JSON.stringify(signed.headers)).not.toContain("tmp-sk-secret");
  });

  it("ignores caller-supplied host, date and authorization headers", () => {
    const signed = huaweiSign(
      { accessKey: "a", secretKey: "b" },
      {
        method: "GET",
        url: "https://h.example.com/x",
        headers: { Host: "evil", "X-Sdk-Date": "x", Authorization: "y" },
      },
      { timestamp: "20240102T030405Z" },
    );
    expect(signed.canonicalRequest).toContain("host:h.example.com\n");
    expect(Object.keys(signed.headers).sort()).toEqual(["Authorization", "X-Sdk-Date"]);
  });

  it("encodes the URI and query as RFC 3986 and sorts the query", () => {
    expect(huaweiUriEncode("a b*c~!'()")).toBe("a%20b%2Ac~%21%27%28%29");
    expect(huaweiCanonicalUri("")).toBe("/");
    expect(huaweiCanonicalUri("/")).toBe("/");
    expect(huaweiCanonicalUri("/v2/a b/x%2Fy")).toBe("/v2/a%20b/x%2Fy/");
    expect(huaweiCanonicalUri("/v2/already/")).toBe("/v2/already/");
    expect(huaweiCanonicalQuery("?b=2&a=x y&a=1&c")).toBe("a=1&a=x%20y&b=2&c=");
    expect(huaweiCanonicalQuery("")).toBe("");
  });

  it("sorts the query by raw names and raw values, then encodes (as the official signers)", () => {
    // Raw "_" (0x5f) < "{" (0x7b), though encoded "%7B" < "_".
    expect(huaweiCanonicalQuery("a%7B=1&a_=2")).toBe("a_=2&a%7B=1");
    // Repeated name: raw " " (0x20) < "+" (0x2b), though encoded "%2B" < "%20".
    expect(huaweiCanonicalQuery("k=%2B&k=%20")).toBe("k=%20&k=%2B");
  });

  it("uses UNSIGNED-PAYLOAD when asked to", () => {
    const { canonicalRequest } = huaweiCanonicalRequest({
      method: "POST",
      pathname: "/x",
      query: "",
      headers: { host: "h", "x-sdk-date": "20240102T030405Z", "X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD" },
      body: "anything",
    });
    expect(canonicalRequest.split("\n").pop()).toBe("UNSIGNED-PAYLOAD");
  });

  it("builds the string to sign from a canonical request", () => {
    const cr = "GET\n/\n\nhost:h\nx-sdk-date:20240102T030405Z\n\nhost;x-sdk-date\n" + "e3b0".padEnd(64, "0");
    expect(huaweiStringToSign(cr, "20240102T030405Z")).toBe(
      `SDK-HMAC-SHA256\n20240102T030405Z\n${createHash("sha256").update(cr).digest("hex")}`,
    );
  });

  it("parses an Authorization header and refuses other schemes", () => {
    expect(
      huaweiParseAuthorization(
        "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=ABCdef01",
      ),
    ).toEqual({ accessKey: "AK1", signedHeaders: ["host", "x-sdk-date"], signature: "abcdef01" });
    expect(
      huaweiParseAuthorization("ACS3-HMAC-SHA256 Credential=x,SignedHeaders=y,Signature=z"),
    ).toBeUndefined();
    expect(huaweiParseAuthorization("SDK-HMAC-SHA256 Access=AK1")).toBeUndefined();
  });
});

describe("Huawei signing: edge cases of the canonical parts and of the parsers", () => {
  it("refuses an X-Sdk-Date with anything before or after the date", () => {
    expect(huaweiParseSdkDate("20191115T033655Z ")).toBeUndefined();
    expect(huaweiParseSdkDate("20191115T033655Z1")).toBeUndefined();
    expect(huaweiParseSdkDate("x20191115T033655Z")).toBeUndefined();
  });

  it("roots a path given without its leading slash, and keeps a segment that does not decode as it is", () => {
    expect(huaweiCanonicalUri("v2/jobs")).toBe("/v2/jobs/");
    expect(huaweiCanonicalUri("/v2/%E0%A4%A/x")).toBe("/v2/%25E0%25A4%25A/x/");
  });

  it("orders the values of a repeated name whatever order they came in", () => {
    expect(huaweiCanonicalQuery("k=1&k=2&k=3")).toBe("k=1&k=2&k=3");
    expect(huaweiCanonicalQuery("k=3&k=1&k=2")).toBe("k=1&k=2&k=3");
    expect(huaweiCanonicalQuery(new URLSearchParams("b=1&a=2"))).toBe("a=2&b=1");
  });

  it("signs trimmed header values, each signed header once, and a signed header that is absent as empty", () => {
    const { canonicalRequest, signedHeaders } = huaweiCanonicalRequest({
      method: "get",
      pathname: "/x",
      query: "",
      headers: { host: "h", "x-sdk-date": "20240102T030405Z", "X-Custom": "  spaced value  " },
      signedHeaders: ["Host", "host", "x-custom", "x-sdk-date", "X-Missing"],
      body: "",
    });
    expect(signedHeaders).toBe("host;x-custom;x-missing;x-sdk-date");
    expect(canonicalRequest).toBe(
      "GET\n/x/\n\n" +
        "host:h\nx-custom:spaced value\nx-missing:\nx-sdk-date:20240102T030405Z\n\n" +
        "host;x-custom;x-missing;x-sdk-date\n" +
        createHash("sha256").update("").digest("hex"),
    );
  });

  it("drops caller headers named host, x-sdk-date or authorization in any case", () => {
    const signed = huaweiSign(
      { accessKey: "a", secretKey: "b" },
      {
        method: "GET",
        url: "https://h.example.com/x",
        headers: {
          HOST: "evil",
          "x-sdk-date": "19990101T000000Z",
          authorization: "stale",
          "Content-Type": "application/json",
        },
      },
      { timestamp: "20240102T030405Z" },
    );
    expect(Object.keys(signed.headers).sort()).toEqual(["Authorization", "Content-Type", "X-Sdk-Date"]);
    expect(signed.headers["X-Sdk-Date"]).toBe("20240102T030405Z");
    expect(signed.signedHeaders).toBe("content-type;host;x-sdk-date");
    expect(signed.canonicalRequest).toContain("\nhost:h.example.com\nx-sdk-date:20240102T030405Z\n");
  });

  it("parses an Authorization header whatever its spacing, and refuses anything around it", () => {
    expect(
      huaweiParseAuthorization(
        "  SDK-HMAC-SHA256  Access=AK1,SignedHeaders=host;;x-sdk-date,Signature=ABCD01  ",
      ),
    ).toEqual({ accessKey: "AK1", signedHeaders: ["host", "x-sdk-date"], signature: "abcd01" });
    const valid = "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=abcd01";
    expect(huaweiParseAuthorization(valid)).toEqual({
      accessKey: "AK1",
      signedHeaders: ["host"],
      signature: "abcd01",
    });
    expect(huaweiParseAuthorization(`x ${valid}`)).toBeUndefined();
    expect(huaweiParseAuthorization(`${valid}, extra`)).toBeUndefined();
    expect(huaweiParseAuthorization(`${valid}xyz`)).toBeUndefined();
  });
});
