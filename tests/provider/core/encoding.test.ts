/**
 * Tests of the two encodings the request signers share: RFC 3986 percent-encoding and hex SHA-256.
 */
import { createHash } from "node:crypto";
import { percentEncode, sha256Hex } from "../../../provider/core/encoding";

describe("percentEncode", () => {
  test("leaves only A-Za-z0-9-_.~ literal and encodes the rest with uppercase hex", () => {
    expect(percentEncode("a b*c~")).toBe("a%20b%2Ac~");
    expect(percentEncode("2016-02-23T12:46:24Z")).toBe("2016-02-23T12%3A46%3A24Z");
    expect(percentEncode("AZaz09-_.~")).toBe("AZaz09-_.~");
  });

  test("also encodes the characters encodeURIComponent leaves alone: ! ' ( ) *", () => {
    expect(percentEncode("!'()*")).toBe("%21%27%28%29%2A");
    expect(percentEncode("f(x)=y!")).toBe("f%28x%29%3Dy%21");
  });

  test("encodes UTF-8 bytes and reserved characters with uppercase hex", () => {
    expect(percentEncode("é/ä?&=+")).toBe("%C3%A9%2F%C3%A4%3F%26%3D%2B");
  });
});

describe("sha256Hex", () => {
  test("is the lowercase hex SHA-256 of the UTF-8 text", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  test("hashes non-ASCII text as UTF-8, not as Latin-1", () => {
    // Both forms hash to the same value only when "é" is read as its two UTF-8 bytes.
    expect(sha256Hex("é")).toBe(sha256HexOfBytes([0xc3, 0xa9]));
    expect(sha256Hex("é")).not.toBe(sha256HexOfBytes([0xe9]));
  });
});

function sha256HexOfBytes(bytes: number[]): string {
  return createHash("sha256").update(Buffer.from(bytes)).digest("hex");
}
