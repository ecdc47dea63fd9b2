/**
 * Request parsing and signature verification of the emulated Alibaba Cloud RPC endpoint: v1
 * (`HMAC-SHA1`, the signature is a parameter) and ACS3 (`ACS3-HMAC-SHA256`, the signature is in
 * `Authorization`). The signature is recomputed with the known secret, by the emulator's own
 * reading of the published rules (`../signing/rules`, never the provider's signer); a wrong signature, a
 * replayed nonce, a stale timestamp and an unknown AccessKey id are refused with Alibaba's codes.
 */
import { timingSafeEqual } from "node:crypto";
import { acs3Signature, aliyunV1Signature, sha256 } from "../signing/rules";
import type { EmuRequest } from "../server";

/** An AccessKey the emulator accepts. */
export interface EmulatorCredential {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, requests with this AccessKey must carry this STS token. */
  securityToken?: string;
}

/** An RPC request with its parameters merged from the query string and the form body. */
export interface RpcCall {
  action?: string;
  version?: string;
  params: Record<string, string>;
  scheme: "v1" | "v3" | "none";
}

/** A refusal: HTTP status, Alibaba error code and message. */
export interface AuthFault {
  status: number;
  code: string;
  message: string;
}

/** Merges query and form parameters; tells v1 from ACS3 by the `Authorization` header. */
export function parseRpc(req: EmuRequest): RpcCall {
  const params: Record<string, string> = {};
  for (const [k, v] of req.query) params[k] = v;
  const type = req.headers["content-type"] ?? "";
  if (req.rawBody && (type.includes("x-www-form-urlencoded") || type === "")) {
    for (const [k, v] of new URLSearchParams(req.rawBody)) params[k] = v;
  }
  const auth = req.headers["authorization"] ?? "";
  if (auth.startsWith("ACS3-HMAC-SHA256")) {
    return {
      action: req.headers["x-acs-action"],
      version: req.headers["x-acs-version"],
      params,
      scheme: "v3",
    };
  }
  return { action: params.Action, version: params.Version, params, scheme: params.Signature ? "v1" : "none" };
}

/** Remembers nonces for the replay check (bounded: old entries are dropped after the skew window). */
export class NonceBook {
  private readonly seen = new Map<string, number>();
  constructor(private readonly windowMs: number) {}

  /** Records a nonce; false when it was already used. */
  use(nonce: string, now: number): boolean {
    for (const [k, at] of this.seen) {
      if (now - at > 2 * this.windowMs) this.seen.delete(k);
      else break;
    }
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now);
    return true;
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Verifies a call's signature; returns the refusal, or `undefined` when the request is authentic. */
export function verify(
  req: EmuRequest,
  call: RpcCall,
  credentials: EmulatorCredential[],
  nonces: NonceBook,
  maxSkewMs: number,
  now = Date.now(),
): AuthFault | undefined {
  if (call.scheme === "none") {
    return {
      status: 400,
      code: "MissingParameter",
      message:
        'The input parameter "Signature" that is mandatory for processing this request is not supplied.',
    };
  }
  let accessKeyId: string;
  let nonce: string | undefined;
  let timestamp: string | undefined;
  let token: string | undefined;
  let sign: (secret: string) => string;
  let given: string;
  if (call.scheme === "v1") {
    accessKeyId = call.params.AccessKeyId ?? "";
    nonce = call.params.SignatureNonce;
    timestamp = call.params.Timestamp;
    token = call.params.SecurityToken;
    given = call.params.Signature;
    if (call.params.SignatureMethod !== "HMAC-SHA1" || call.params.SignatureVersion !== "1.0") {
      return {
        status: 400,
        code: "InvalidSignatureMethod",
        message: "Specified signature method is not supported: use HMAC-SHA1, version 1.0.",
      };
    }
    const { Signature: _omit, ...signed } = call.params;
    sign = (secret) => aliyunV1Signature(req.method, signed, secret);
  } else {
    const m = /^ACS3-HMAC-SHA256 Credential=([^,]*),SignedHeaders=([^,]*),Signature=([0-9a-f]*)$/.exec(
      req.headers["authorization"] ?? "",
    );
    if (!m)
      return { status: 400, code: "IncompleteSignature", message: "The Authorization header is malformed." };
    accessKeyId = m[1];
    given = m[3];
    nonce = req.headers["x-acs-signature-nonce"];
    timestamp = req.headers["x-acs-date"];
    token = req.headers["x-acs-security-token"];
    const names = m[2].split(";").filter(Boolean);
    for (const required of [
      "host",
      "x-acs-action",
      "x-acs-content-sha256",
      "x-acs-date",
      "x-acs-signature-nonce",
      "x-acs-version",
    ]) {
      if (!names.includes(required))
        return {
          status: 400,
          code: "IncompleteSignature",
          message: `The header ${required} must be signed.`,
        };
    }
    if (req.headers["x-acs-content-sha256"] !== sha256(req.rawBody)) {
      return {
        status: 400,
        code: "SignatureDoesNotMatch",
        message: "x-acs-content-sha256 does not match the request body.",
      };
    }
    const received = {
      method: req.method,
      path: req.path,
      query: req.query,
      headers: req.headers,
      signedHeaders: names,
      hashedPayload: sha256(req.rawBody),
    };
    sign = (secret) => acs3Signature(received, secret);
  }
  const credential = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!credential)
    return {
      status: 404,
      code: "InvalidAccessKeyId.NotFound",
      message: "Specified access key is not found.",
    };
  if (!timestamp || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(timestamp)) {
    return {
      status: 400,
      code: "InvalidTimeStamp.Format",
      message: "Specified time stamp or date value is not well formatted.",
    };
  }
  if (Math.abs(now - Date.parse(timestamp)) > maxSkewMs) {
    return {
      status: 400,
      code: "InvalidTimeStamp.Expired",
      message: "Specified time stamp or date value is expired.",
    };
  }
  if (!sameText(sign(credential.accessKeySecret), given ?? "")) {
    return {
      status: 400,
      code: "SignatureDoesNotMatch",
      message: "Specified signature is not matched with our calculation.",
    };
  }
  if (credential.securityToken !== undefined && token !== credential.securityToken) {
    return {
      status: 400,
      code: "InvalidSecurityToken.Mismatch",
      message: "Specified SecurityToken is not valid.",
    };
  }
  if (!nonce)
    return {
      status: 400,
      code: "MissingSignatureNonce",
      message: "SignatureNonce is mandatory for this action.",
    };
  if (!nonces.use(`${accessKeyId}:${nonce}`, now)) {
    return {
      status: 400,
      code: "SignatureNonceUsed",
      message: "Specified signature nonce was used already.",
    };
  }
  return undefined;
}
