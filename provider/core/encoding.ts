/**
 * The two encodings both request signers are built on: RFC 3986 percent-encoding and the hex
 * SHA-256 of a text. Alibaba Cloud (RPC v1 and ACS3) and Huawei Cloud (`SDK-HMAC-SHA256`) encode
 * and hash the same way; their signers re-export these under their own names.
 */
import { createHash } from "node:crypto";

/**
 * Percent-encodes a string as RFC 3986 requires: UTF-8, only `A-Za-z0-9-_.~` left literal,
 * uppercase hex (space → `%20`, `*` → `%2A`, `~` stays).
 *
 * @example
 * ```ts
 * percentEncode("a b*c~"); // "a%20b%2Ac~"
 * percentEncode("2016-02-23T12:46:24Z"); // "2016-02-23T12%3A46%3A24Z"
 * ```
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/**
 * Hex SHA-256 of a UTF-8 text (a body, a canonical request).
 *
 * @example
 * ```ts
 * sha256Hex(""); // "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
 * ```
 */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
