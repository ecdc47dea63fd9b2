/** Tests of the type helpers' runtime functions, `plain` and `definedOnly`. */
import { definedOnly, plain } from "../../../provider/core/types";

describe("plain", () => {
  test("drops undefined values at any depth and keeps everything else", () => {
    const value = { a: 1, b: undefined, c: { d: undefined, e: "x", f: [1, null] }, g: null, h: false };
    expect(plain(value)).toEqual({ a: 1, c: { e: "x", f: [1, null] }, g: null, h: false });
    expect(Object.keys(plain(value))).toEqual(["a", "c", "g", "h"]);
    expect(Object.keys(plain(value).c)).toEqual(["e", "f"]);
  });

  test("returns a copy, not the value itself", () => {
    const value = { a: { b: 1 } };
    const copy = plain(value);
    expect(copy).not.toBe(value);
    expect(copy.a).not.toBe(value.a);
  });
});

describe("definedOnly", () => {
  test("drops the keys whose value is undefined, at the top only", () => {
    const args = { a: 1, b: undefined, c: { d: undefined }, e: null, f: false, g: "" };
    expect(definedOnly(args)).toEqual({ a: 1, c: { d: undefined }, e: null, f: false, g: "" });
    expect(Object.keys(definedOnly(args))).toEqual(["a", "c", "e", "f", "g"]);
    expect(definedOnly(args).c).toBe(args.c);
  });
});
