/**
 * Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), as pure functions: no clock, no I/O.
 * The caller passes the timestamp, so every result is reproducible.
 *
 * The scheme (Huawei Cloud "API Request Signing Guide", AK/SK signing and authentication
 * algorithm):
 *
 * ```text
 * CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HexEncode(SHA256(body))
 * StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n HexEncode(SHA256(CanonicalRequest))
 * Signature        = HexEncode(HMAC-SHA256(SK, StringToSign))
 * Authorization    = "SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=..."
 * ```
 *
 * The canonical URI is the path with every segment RFC 3986-encoded and always ending in `/` (the
 * request itself need not end in `/`); the query is sorted by raw name (then raw value), and
 * then names and values are RFC 3986-encoded; headers are lower-cased, trimmed, sorted and each
 * followed by `\n`; `host` and `x-sdk-date` are always signed. Reproduces Huawei's published worked example (the VPC list call
 * `GET /v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-...` at
 * `20191115T033655Z`: hashed canonical request `b25362e6...bcd7a`, signature `7be66680...f6ebe`);
 * see the unit tests.
 */
import { createHmac } from "node:crypto";
import { percentEncode, sha256Hex } from "../core/encoding";

/** The algorithm name, first word of the `Authorization` header and first line of the string to sign. */
export const HUAWEI_SIGNING_ALGORITHM = "SDK-HMAC-SHA256";

/** An AK/SK pair, optionally with the security token of temporary credentials. */
export interface HuaweiCredentials {
  /** Access key id (AK). */
  accessKey: string;
  /** Secret access key (SK). Never sent; only used as the HMAC key. */
  secretKey: string;
  /** Security token of temporary AK/SK: sent (and signed) as `X-Security-Token`. */
  securityToken?: string;
}

/** The request to sign. */
export interface HuaweiRequestToSign {
  /** HTTP method, any case. */
  method: string;
  /** Absolute URL including the query string. The `host` header is taken from it. */
  url: string;
  /** Headers to send and sign (any case). `host` and `x-sdk-date` are added. */
  headers?: Record<string, string>;
  /** The exact body that will be sent (empty for none). */
  body?: string;
}

/** The per-request value that makes a signature unique: fix it in tests, use the current time in use. */
export interface HuaweiSignatureContext {
  /** UTC time, as a `Date` or already formatted `YYYYMMDDTHHMMSSZ`. */
  timestamp: Date | string;
}

/**
 * RFC 3986 encoding (UTF-8, only `A-Za-z0-9-_.~` literal, uppercase hex: `"a b*c~"` →
 * `"a%20b%2Ac~"`) and the hex SHA-256 of a UTF-8 string, under the names this signer has always
 * exported: the encodings it shares with the Alibaba signer.
 */
export { percentEncode as huaweiUriEncode, sha256Hex as huaweiSha256Hex } from "../core/encoding";

/**
 * Formats a time as `X-Sdk-Date` wants it: `YYYYMMDDTHHMMSSZ` (UTC).
 *
 * @example
 * ```ts
 * huaweiSdkDate(new Date(Date.UTC(2019, 10, 15, 3, 36, 55))); // "20191115T033655Z"
 * ```
 */
export function huaweiSdkDate(time: Date | string): string {
  if (typeof time === "string") return time;
  return time
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

/** Parses an `X-Sdk-Date` value back into a time; `undefined` when it is not `YYYYMMDDTHHMMSSZ`. */
export function huaweiParseSdkDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The canonical URI: each path segment decoded once and RFC 3986-encoded again, ending in `/`.
 *
 * @example
 * ```ts
 * huaweiCanonicalUri("/v2/p1/instances/i-1/ssl"); // "/v2/p1/instances/i-1/ssl/"
 * ```
 */
export function huaweiCanonicalUri(pathname: string): string {
  const encoded = pathname
    .split("/")
    .map((segment) => percentEncode(safeDecode(segment)))
    .join("/");
  const withRoot = encoded.startsWith("/") ? encoded : `/${encoded}`;
  return withRoot.endsWith("/") ? withRoot : `${withRoot}/`;
}

/**
 * The canonical query string: pairs sorted by raw name (code-unit order), a repeated name's values
 * by raw value, then names and values RFC 3986-encoded, `name=value` joined with `&` (a name
 * without value gives `name=`). Sorting before encoding is what the official signers do (Node
 * `@huaweicloud/huaweicloud-sdk-core` `AKSKSigner.CanonicalQueryString`, Go `core/auth/signer`);
 * it differs from sorting the encoded names when a name holds a character outside `A-Za-z0-9-_.~`.
 *
 * @example
 * ```ts
 * huaweiCanonicalQuery("?b=2&a=x y"); // "a=x%20y&b=2"
 * huaweiCanonicalQuery("a{=1&a_=2"); // "a_=2&a%7B=1" (raw "_" < "{", although "%7B" < "_")
 * ```
 */
export function huaweiCanonicalQuery(search: string | URLSearchParams): string {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const pairs: [string, string][] = [...params];
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  return pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&");
}

/** Lower-cases header names, trims values; the last of duplicate names (in any case) wins. */
function normalizeHeaders(headers: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) out.set(k.toLowerCase(), String(v).trim());
  return out;
}

/** The parts of a canonical request, for tests and for a verifier that has them separately. */
export interface HuaweiCanonicalParts {
  method: string;
  /** Path as sent (encoded or not), without the query. */
  pathname: string;
  /** Query string (with or without `?`) or parsed parameters. */
  query: string | URLSearchParams;
  /** The headers to sign, any case; must include `host` and `x-sdk-date`. */
  headers: Record<string, string>;
  /** Header names to sign; by default every header in `headers`. */
  signedHeaders?: string[];
  body: string;
}

/**
 * Builds the canonical request and the `SignedHeaders` value.
 *
 * @example
 * ```ts
 * const { canonicalRequest, signedHeaders } = huaweiCanonicalRequest({
 *   method: "GET", pathname: "/v2/p1/jobs/j1", query: "",
 *   headers: { host: "dcs.example.com", "x-sdk-date": "20191115T033655Z" }, body: "",
 * });
 * // signedHeaders === "host;x-sdk-date"
 * ```
 */
export function huaweiCanonicalRequest(parts: HuaweiCanonicalParts): {
  canonicalRequest: string;
  signedHeaders: string;
} {
  const headers = normalizeHeaders(parts.headers);
  const names = (parts.signedHeaders ?? [...headers.keys()]).map((n) => n.toLowerCase()).sort();
  const unique = names.filter((n, i) => names.indexOf(n) === i);
  const canonicalHeaders = unique.map((n) => `${n}:${headers.get(n) ?? ""}\n`).join("");
  const signedHeaders = unique.join(";");
  const payloadHash =
    headers.get("x-sdk-content-sha256") === "UNSIGNED-PAYLOAD" ? "UNSIGNED-PAYLOAD" : sha256Hex(parts.body);
  const canonicalRequest = [
    parts.method.toUpperCase(),
    huaweiCanonicalUri(parts.pathname),
    huaweiCanonicalQuery(parts.query),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join("\n");
  return { canonicalRequest, signedHeaders };
}

/**
 * The string to sign: algorithm, `X-Sdk-Date` and the hex SHA-256 of the canonical request, one per
 * line.
 *
 * @example
 * ```ts
 * huaweiStringToSign(canonicalRequest, "20191115T033655Z");
 * // "SDK-HMAC-SHA256\n20191115T033655Z\n<hex sha256 of canonicalRequest>"
 * ```
 */
export function huaweiStringToSign(canonicalRequest: string, sdkDate: string): string {
  return `${HUAWEI_SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
}

/** Hex HMAC-SHA256 of the string to sign with the secret key. */
export function huaweiSignature(secretKey: string, stringToSign: string): string {
  return createHmac("sha256", secretKey).update(stringToSign, "utf8").digest("hex");
}

/** Everything a signing produced, for tests and debugging (never log `headers.Authorization` values' keys). */
export interface HuaweiSignature {
  /** Headers to send: the input headers plus `X-Sdk-Date`, `Authorization` (and `X-Security-Token`). */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signedHeaders: string;
  signature: string;
}

/**
 * Signs a request with `SDK-HMAC-SHA256` and returns the headers to send, with the intermediate
 * strings. The `host` header is signed but not returned: the HTTP client derives it from the URL,
 * which must therefore be the URL actually requested.
 *
 * @example
 * ```ts
 * const signed = huaweiSign(
 *   { accessKey: "QTWAOYTTINDUT2QVKYUC", secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc" },
 *   { method: "GET", url: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
 *     headers: { "Content-Type": "application/json" } },
 *   { timestamp: "20191115T033655Z" },
 * );
 * // signed.signature === "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
 * ```
 */
export function huaweiSign(
  credentials: HuaweiCredentials,
  request: HuaweiRequestToSign,
  context: HuaweiSignatureContext,
): HuaweiSignature {
  const url = new URL(request.url);
  const sdkDate = huaweiSdkDate(context.timestamp);
  const sent: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers ?? {})) {
    const lower = k.toLowerCase();
    if (lower === "host" || lower === "x-sdk-date" || lower === "authorization") continue;
    sent[k] = v;
  }
  if (credentials.securityToken) sent["X-Security-Token"] = credentials.securityToken;
  sent["X-Sdk-Date"] = sdkDate;
  const { canonicalRequest, signedHeaders } = huaweiCanonicalRequest({
    method: request.method,
    pathname: url.pathname,
    query: url.search,
    headers: { ...sent, host: url.host },
    body: request.body ?? "",
  });
  const stringToSign = huaweiStringToSign(canonicalRequest, sdkDate);
  const signature = huaweiSignature(credentials.secretKey, stringToSign);
  const authorization = `${HUAWEI_SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return {
    headers: { ...sent, Authorization: authorization },
    canonicalRequest,
    stringToSign,
    signedHeaders,
    signature,
  };
}

/**
 * Signs a request and returns only the headers to send (`X-Sdk-Date`, `Authorization` and the
 * input headers). See {@link huaweiSign} for the details.
 *
 * @example
 * ```ts
 * const headers = signSdkHmacSha256(
 *   { accessKey: ak, secretKey: sk },
 *   { method: "PUT", url: `${endpoint}/v2/${projectId}/instances/${id}/ssl`,
 *     headers: { "Content-Type": "application/json" }, body: '{"enabled":true}' },
 *   { timestamp: new Date() },
 * );
 * ```
 */
export function signSdkHmacSha256(
  credentials: HuaweiCredentials,
  request: HuaweiRequestToSign,
  context: HuaweiSignatureContext,
): Record<string, string> {
  return huaweiSign(credentials, request, context).headers;
}

/** The parsed `Authorization` header of an `SDK-HMAC-SHA256` request. */
export interface HuaweiAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

/**
 * Parses `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`; `undefined` when the
 * header is not of that form. Used by verifiers (the local emulator).
 */
export function huaweiParseAuthorization(header: string): HuaweiAuthorization | undefined {
  const m =
    /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/.exec(
      header.trim(),
    );
  if (!m) return undefined;
  return { accessKey: m[1], signedHeaders: m[2].split(";").filter(Boolean), signature: m[3].toLowerCase() };
}
