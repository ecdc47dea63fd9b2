/** Tests of the type helpers' one runtime function, `plain`. */
import { plain } from "../../../provider/core/types";

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
