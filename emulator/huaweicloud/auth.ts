/**
 * Authentication of the emulated Huawei Cloud API gateway: `SDK-HMAC-SHA256` AK/SK signatures
 * (recomputed with the known secret key, `X-Sdk-Date` within the allowed clock skew) or an IAM
 * token in `X-Auth-Token`. Failures answer 401 in the gateway's error shape
 * (`{error_code: "APIGW.0301", error_msg, request_id}`).
 */
import { timingSafeEqual } from "node:crypto";
import type { EmuRequest, EmuResponse } from "../server";
import { huaweiSignatureOf } from "../signing/rules";

/** `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`, parsed; undefined otherwise. */
function parseAuthorization(header: string) {
  const m =
    /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/.exec(
      header.trim(),
    );
  if (!m) return undefined;
  return { accessKey: m[1], signedHeaders: m[2].split(";").filter(Boolean), signature: m[3].toLowerCase() };
}

/** `YYYYMMDDTHHMMSSZ` to a time; undefined when malformed. */
function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(t) ? undefined : t;
}

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
  const auth = parseAuthorization(header);
  if (!auth) return apigwUnauthorized("Authorization header is not SDK-HMAC-SHA256", requestId);
  const credential = config.credentials.find((c) => c.accessKey === auth.accessKey);
  if (!credential) return apigwUnauthorized("access key not found", requestId);
  if (!auth.signedHeaders.includes("host") || !auth.signedHeaders.includes("x-sdk-date")) {
    return apigwUnauthorized("host and x-sdk-date must be signed", requestId);
  }
  const sdkDate = req.headers["x-sdk-date"] ?? "";
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined)
    return apigwUnauthorized("X-Sdk-Date missing or not YYYYMMDDTHHMMSSZ", requestId);
  if (Math.abs(now - signedAt) > config.maxClockSkewMs) {
    return apigwUnauthorized("X-Sdk-Date is too far from the server time (request expired)", requestId);
  }
  for (const name of auth.signedHeaders) {
    if (req.headers[name] === undefined) return apigwUnauthorized(`signed header ${name} missing`, requestId);
  }
  const expected = huaweiSignatureOf(
    {
      method: req.method,
      path: req.path,
      query: req.query,
      headers: req.headers,
      signedHeaders: auth.signedHeaders,
      body: req.rawBody,
    },
    sdkDate,
    credential.secretKey,
  );
  return sameHex(expected, auth.signature)
    ? undefined
    : apigwUnauthorized("verify aksk signature fail", requestId);
}
