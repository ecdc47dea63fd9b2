/**
 * The emulator's own reading of the clouds' published signing rules, written apart from the
 * provider's signers (which it must never import) so that one misreading cannot pass on both
 * sides. Sources: Alibaba Cloud "Request syntax and signature method V2 for RPC APIs" (v1,
 * HMAC-SHA1) and "... V3" (ACS3-HMAC-SHA256); Huawei Cloud "API Request Signing Guide"
 * (SDK-HMAC-SHA256), whose official signers (Node `@huaweicloud/huaweicloud-sdk-core`, Go
 * `core/auth/signer`) sort the query by raw names and values before encoding them.
 */
import { createHash, createHmac } from "node:crypto";

/** RFC 3986 percent-encoding of UTF-8: only `A-Za-z0-9-_.~` stay literal; uppercase hex. */
export function rfc3986(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Hex SHA-256 of a UTF-8 text. */
export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Hex HMAC-SHA256. */
export function hmacSha256Hex(key: string, text: string): string {
  return createHmac("sha256", key).update(text, "utf8").digest("hex");
}

/** Compares two strings by UTF-16 code units (JavaScript's default sort order). */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Alibaba v1 (RPC, HMAC-SHA1): the parameters sorted by name, each `encode(name)=encode(value)`,
 * joined with `&`; the string to sign is `METHOD&%2F&encode(joined)`; the signature
 * Base64(HMAC-SHA1(secret + "&", string to sign)). `params` must not contain `Signature`.
 */
export function aliyunV1Signature(method: string, params: Record<string, string>, secret: string): string {
  const joined = Object.keys(params)
    .sort(byCodeUnits)
    .map((name) => `${rfc3986(name)}=${rfc3986(params[name])}`)
    .join("&");
  const stringToSign = `${method.toUpperCase()}&${rfc3986("/")}&${rfc3986(joined)}`;
  return createHmac("sha1", `${secret}&`).update(stringToSign, "utf8").digest("base64");
}

/** What every header-signature verifier needs from a received request. */
export interface SignedReceived {
  method: string;
  /** The path as received (ACS3: `/` for RPC APIs; Huawei: still percent-encoded, as sent). */
  path: string;
  /** Query pairs as received (decoded). */
  query: Iterable<[string, string]>;
  /** Lower-case header names and values as received. */
  headers: Record<string, string>;
  /** Header names listed in `SignedHeaders`, in their order. */
  signedHeaders: string[];
}

/** What an ACS3 verifier needs from a received request. */
export interface Acs3Received extends SignedReceived {
  /** The value of `x-acs-content-sha256` (the hashed payload). */
  hashedPayload: string;
}

/**
 * ACS3-HMAC-SHA256: canonical request = method, canonical URI, canonical query (pairs sorted by
 * name, names and values RFC 3986-encoded), `name:value\n` of each signed header (lower case,
 * trimmed, sorted), the `;`-joined signed names and the hashed payload, one per line; string to
 * sign = `ACS3-HMAC-SHA256\n` + hex(SHA-256(canonical request)); signature =
 * hex(HMAC-SHA256(secret, string to sign)).
 */
export function acs3Signature(received: Acs3Received, secret: string): string {
  const pairs = [...received.query].sort(([a, va], [b, vb]) => byCodeUnits(a, b) || byCodeUnits(va, vb));
  const query = pairs.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join("&");
  const names = [...received.signedHeaders].map((n) => n.toLowerCase()).sort(byCodeUnits);
  const headers = names.map((n) => `${n}:${(received.headers[n] ?? "").trim()}\n`).join("");
  const uri =
    received.path
      .split("/")
      .map((s) => rfc3986(safeDecode(s)))
      .join("/") || "/";
  const canonical = [
    received.method.toUpperCase(),
    uri,
    query,
    headers,
    names.join(";"),
    received.hashedPayload,
  ].join("\n");
  return hmacSha256Hex(secret, `ACS3-HMAC-SHA256\n${sha256(canonical)}`);
}

/** What a Huawei SDK-HMAC-SHA256 verifier needs from a received request. */
export interface HuaweiReceived extends SignedReceived {
  /** The body as received. */
  body: string;
}

/**
 * SDK-HMAC-SHA256: canonical request = method; the path with each segment RFC 3986-encoded, ending
 * in `/`; the query sorted by raw name (and raw value of a repeated name), then encoded; the signed
 * headers as `name:value\n` (lower case, sorted); their `;`-joined names; hex SHA-256 of the body
 * (or `X-Sdk-Content-Sha256` when the client sent one). String to sign = `SDK-HMAC-SHA256\n` +
 * `X-Sdk-Date` + `\n` + hex(SHA-256(canonical request)); signature = hex(HMAC-SHA256(SK, ...)).
 */
export function huaweiSignatureOf(received: HuaweiReceived, sdkDate: string, secretKey: string): string {
  const pairs = [...received.query].sort(([a, va], [b, vb]) => byCodeUnits(a, b) || byCodeUnits(va, vb));
  const query = pairs.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join("&");
  let uri = received.path.split("/").map(rfc3986).join("/");
  if (!uri.endsWith("/")) uri += "/";
  const names = received.signedHeaders.map((n) => n.toLowerCase()).sort(byCodeUnits);
  const headers = names.map((n) => `${n}:${(received.headers[n] ?? "").trim()}\n`).join("");
  const payload = received.headers["x-sdk-content-sha256"] ?? sha256(received.body);
  const canonical = [received.method.toUpperCase(), uri, query, headers, names.join(";"), payload].join("\n");
  return hmacSha256Hex(secretKey, `SDK-HMAC-SHA256\n${sdkDate}\n${sha256(canonical)}`);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
