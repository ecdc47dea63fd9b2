/**
 * Authentication of the emulated Huawei Cloud API gateway: `SDK-HMAC-SHA256` AK/SK signatures
 * (recomputed with the known secret key, `X-Sdk-Date` within the allowed clock skew) or an IAM
 * token in `X-Auth-Token`. Failures answer 401 in the gateway's error shape
 * (`{error_code: "APIGW.0301", error_msg, request_id}`).
 */
import { timingSafeEqual } from "node:crypto";
import {
  huaweiCanonicalRequest,
  huaweiParseAuthorization,
  huaweiParseSdkDate,
  huaweiSignature,
  huaweiStringToSign,
} from "../../provider/huaweicloud/signing";
import type { EmuRequest, EmuResponse } from "../server";

/** An AK/SK pair the emulator accepts. */
export interface HuaweiEmuCredential {
  accessKey: string;
  secretKey: string;
}

/** What {@link checkHuaweiAuth} needs to know. */
export interface HuaweiAuthConfig {
  credentials: HuaweiEmuCredential[];
  tokens: string[];
  /** Largest accepted difference between `X-Sdk-Date` and the emulator's clock. */
  maxClockSkewMs: number;
}

/** A 401 in the API gateway's shape. */
export function apigwUnauthorized(detail: string, requestId: string): EmuResponse {
  return {
    status: 401,
    headers: { "x-request-id": requestId },
    body: {
      error_code: "APIGW.0301",
      error_msg: `Incorrect IAM authentication information: ${detail}`,
      request_id: requestId,
    },
  };
}

/** A 400 of the API gateway (a request no client would send, e.g. an invalid `Host`). */
export function apigwBadRequest(detail: string, requestId: string): EmuResponse {
  return {
    status: 400,
    headers: { "x-request-id": requestId },
    body: { error_code: "APIGW.0201", error_msg: detail, request_id: requestId },
  };
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a request's credentials. Returns `undefined` when they are valid, else the 401 to send.
 */
export function checkHuaweiAuth(
  req: EmuRequest,
  config: HuaweiAuthConfig,
  requestId: string,
  now = Date.now(),
): EmuResponse | undefined {
  const token = req.headers["x-auth-token"];
  if (token !== undefined) {
    return config.tokens.includes(token)
      ? undefined
      : apigwUnauthorized("token is invalid or expired", requestId);
  }
  const header = req.headers["authorization"];
  if (!header) return apigwUnauthorized("neither Authorization nor X-Auth-Token header found", requestId);
  const auth = huaweiParseAuthorization(header);
  if (!auth) return apigwUnauthorized("Authorization header is not SDK-HMAC-SHA256", requestId);
  const credential = config.credentials.find((c) => c.accessKey === auth.accessKey);
  if (!credential) return apigwUnauthorized("access key not found", requestId);
  if (!auth.signedHeaders.includes("host") || !auth.signedHeaders.includes("x-sdk-date")) {
    return apigwUnauthorized("host and x-sdk-date must be signed", requestId);
  }
  const sdkDate = req.headers["x-sdk-date"] ?? "";
  const signedAt = huaweiParseSdkDate(sdkDate);
  if (!signedAt) return apigwUnauthorized("X-Sdk-Date missing or not YYYYMMDDTHHMMSSZ", requestId);
  if (Math.abs(now - signedAt.getTime()) > config.maxClockSkewMs) {
    return apigwUnauthorized("X-Sdk-Date is too far from the server time (request expired)", requestId);
  }
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = req.headers[name];
    if (value === undefined) return apigwUnauthorized(`signed header ${name} missing`, requestId);
    headers[name] = value;
  }
  const { canonicalRequest } = huaweiCanonicalRequest({
    method: req.method,
    pathname: req.path,
    query: req.query,
    headers,
    signedHeaders: auth.signedHeaders,
    body: req.rawBody,
  });
  const expected = huaweiSignature(credential.secretKey, huaweiStringToSign(canonicalRequest, sdkDate));
  return sameHex(expected, auth.signature)
    ? undefined
    : apigwUnauthorized("verify aksk signature fail", requestId);
}
