/**
 * Alibaba Cloud request signing, as pure functions (no clock, no randomness, no I/O): the caller
 * passes the timestamp and the nonce, so every result is reproducible.
 *
 * Two published schemes:
 * - RPC v1 (`SignatureVersion=1.0`, `HMAC-SHA1`): the signature is one more request parameter.
 *   Reproduces the worked example of Alibaba's "Request syntax and signature method V2 for RPC
 *   APIs" (`DescribeDedicatedHosts`, `testid` / `testsecret` → `9NaGiOspFP5UPcwX8Iwt2YJXXuk=`).
 * - ACS3 (`ACS3-HMAC-SHA256`): the signature travels in the `Authorization` header. Reproduces the
 *   worked example of "Request syntax and signature method V3" (`RunInstances`,
 *   `YourAccessKeyId` / `YourAccessKeySecret` → `06563a9e…f3283c0`).
 */
import { createHmac } from "node:crypto";
import { percentEncode, sha256Hex } from "../core/encoding";

/** An AccessKey pair, optionally with an STS token. */
export interface AlicloudCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** STS token: sent as the `SecurityToken` parameter (v1) or `x-acs-security-token` header (ACS3). */
  securityToken?: string;
}

/** The per-request values that make a signature unique: fix them in tests, draw them fresh in use. */
export interface SignatureContext {
  /** UTC time, as a `Date` or already formatted `yyyy-MM-ddTHH:mm:ssZ`. */
  timestamp: Date | string;
  /** A value never used before with these credentials. */
  nonce: string;
}

/**
 * Percent-encodes a string the way Alibaba Cloud signs it (RFC 3986: only `A-Za-z0-9-_.~` left
 * literal, uppercase hex), and the hex SHA-256 of a body (`x-acs-content-sha256`): the shared
 * encodings of both signers.
 */
export { percentEncode, sha256Hex } from "../core/encoding";

/**
 * Formats a time as Alibaba's `yyyy-MM-ddTHH:mm:ssZ` (UTC, no milliseconds).
 *
 * @example
 * ```ts
 * formatTimestamp(new Date(Date.UTC(2016, 1, 23, 12, 46, 24))); // "2016-02-23T12:46:24Z"
 * ```
 */
export function formatTimestamp(time: Date | string): string {
  if (typeof time === "string") return time;
  return time.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The canonicalized query string: parameters sorted by name (code-point order), names and values
 * percent-encoded, joined with `&`. `Signature` itself is never part of it.
 *
 * @example
 * ```ts
 * canonicalizeQuery({ Version: "2015-01-01", Action: "DescribeInstanceSSL" });
 * // "Action=DescribeInstanceSSL&Version=2015-01-01"
 * ```
 */
export function canonicalizeQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== "Signature" && params[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
    .join("&");
}

/**
 * The v1 string to sign: `METHOD&%2F&` + percent-encode(canonicalized query).
 *
 * @example
 * ```ts
 * rpcStringToSign("GET", { Action: "DescribeRegions", Timestamp: "2016-02-23T12:46:24Z" });
 * // "GET&%2F&Action%3DDescribeRegions%26Timestamp%3D2016-02-23T12%253A46%253A24Z"
 * ```
 */
export function rpcStringToSign(method: string, params: Record<string, string>): string {
  return `${method.toUpperCase()}&${percentEncode("/")}&${percentEncode(canonicalizeQuery(params))}`;
}

/**
 * The v1 signature of a complete parameter set: Base64(HMAC-SHA1(secret + "&", string to sign)).
 *
 * @example
 * ```ts
 * rpcSignature("GET", params, "testsecret"); // "9NaGiOspFP5UPcwX8Iwt2YJXXuk=" for the published example
 * ```
 */
export function rpcSignature(
  method: string,
  params: Record<string, string>,
  accessKeySecret: string,
): string {
  return createHmac("sha1", `${accessKeySecret}&`)
    .update(rpcStringToSign(method, params), "utf8")
    .digest("base64");
}

/** An RPC request before signing: its HTTP method and its parameters (`Action`, `Version`, ...). */
export interface RpcRequestToSign {
  method: "GET" | "POST";
  params: Record<string, string>;
}

/**
 * Signs an RPC request with v1 (HMAC-SHA1): adds `AccessKeyId`, `SignatureMethod`,
 * `SignatureVersion`, `SignatureNonce`, `Timestamp`, `SecurityToken` (with STS credentials) and
 * `Signature` to the caller's parameters (which carry `Action`, `Version`, `Format`, ...), and
 * returns the full parameter set to send as the query string or the form body.
 *
 * @example
 * ```ts
 * const params = signRpcV1(
 *   { accessKeyId: "testid", accessKeySecret: "testsecret" },
 *   { method: "GET", params: { Action: "DescribeDedicatedHosts", Format: "JSON", RegionId: "cn-beijing", Version: "2014-05-26" } },
 *   { timestamp: "2023-03-13T08:34:30Z", nonce: "edb2b34af0af9a6d14deaf7c1a5315eb" },
 * );
 * params.Signature; // "9NaGiOspFP5UPcwX8Iwt2YJXXuk="
 * ```
 */
export function signRpcV1(
  credentials: AlicloudCredentials,
  request: RpcRequestToSign,
  context: SignatureContext,
): Record<string, string> {
  const params: Record<string, string> = {
    ...request.params,
    AccessKeyId: credentials.accessKeyId,
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: context.nonce,
    Timestamp: formatTimestamp(context.timestamp),
  };
  if (credentials.securityToken) params.SecurityToken = credentials.securityToken;
  delete params.Signature;
  params.Signature = rpcSignature(request.method, params, credentials.accessKeySecret);
  return params;
}

/** A request to sign with ACS3. */
export interface Acs3RequestToSign {
  method: "GET" | "POST";
  /** `host` header value, e.g. `r-kvstore.aliyuncs.com` (with `:port` when not the default). */
  host: string;
  /** API name (`x-acs-action`). */
  action: string;
  /** API version (`x-acs-version`), e.g. `2015-01-01`. */
  version: string;
  /** Canonical URI: `/` for RPC APIs. */
  path?: string;
  /** Query parameters (sent in the URL). */
  query?: Record<string, string>;
  /** Raw body (e.g. a form-encoded parameter set); empty when absent. */
  body?: string;
  /** Content type of the body; signed when given. */
  contentType?: string;
}

/** What {@link signAcs3} computed: the headers to send and the intermediate strings (for tests). */
export interface Acs3Signature {
  /** Headers to send, lower-case names, including `authorization`. */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/**
 * Signs a request with ACS3-HMAC-SHA256. The canonical request is the method, the URI, the
 * sorted encoded query, the lower-case sorted `name:value\n` headers (`host`, `content-type` and
 * every `x-acs-*`), the `;`-joined signed header names and the hex SHA-256 of the body, one per
 * line; the string to sign is `ACS3-HMAC-SHA256\n` + hex(SHA-256(canonical request)); the
 * signature is hex(HMAC-SHA256(secret, string to sign)).
 *
 * @example
 * ```ts
 * const signed = signAcs3(
 *   { accessKeyId: "YourAccessKeyId", accessKeySecret: "YourAccessKeySecret" },
 *   { method: "POST", host: "ecs.cn-shanghai.aliyuncs.com", action: "RunInstances", version: "2014-05-26",
 *     query: { ImageId: "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", RegionId: "cn-shanghai" } },
 *   { timestamp: "2023-10-26T10:22:32Z", nonce: "3156853299f313e23d1673dc12e1703d" },
 * );
 * signed.signature; // "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
 * ```
 */
export function signAcs3(
  credentials: AlicloudCredentials,
  request: Acs3RequestToSign,
  context: SignatureContext,
): Acs3Signature {
  const body = request.body ?? "";
  const headers: Record<string, string> = {
    host: request.host,
    "x-acs-action": request.action,
    "x-acs-version": request.version,
    "x-acs-date": formatTimestamp(context.timestamp),
    "x-acs-signature-nonce": context.nonce,
    "x-acs-content-sha256": sha256Hex(body),
  };
  if (request.contentType) headers["content-type"] = request.contentType;
  if (credentials.securityToken) headers["x-acs-security-token"] = credentials.securityToken;
  const canonicalRequest = acs3CanonicalRequest(
    request.method,
    request.path ?? "/",
    request.query ?? {},
    headers,
    body,
  );
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac("sha256", credentials.accessKeySecret)
    .update(stringToSign, "utf8")
    .digest("hex");
  const signedHeaders = Object.keys(headers).sort().join(";");
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${credentials.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return { headers, canonicalRequest, stringToSign, signature };
}

/**
 * The ACS3 canonical request from its parts (also used by the emulator to verify a signature).
 * `headers` are the headers to sign (names in any case; values trimmed).
 */
export function acs3CanonicalRequest(
  method: string,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
  body: string,
): string {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v.trim();
  const names = Object.keys(lower).sort();
  const canonicalHeaders = names.map((n) => `${n}:${lower[n]}\n`).join("");
  const canonicalUri = path.split("/").map(percentEncode).join("/") || "/";
  return [
    method.toUpperCase(),
    canonicalUri,
    canonicalizeQuery(query),
    canonicalHeaders,
    names.join(";"),
    sha256Hex(body),
  ].join("\n");
}
