/** The read-back and diff rules of provider/kakaocloud/readback.ts, field by field. */
import { UNKNOWN } from "../../../provider/core/validation";
import { fieldChange, readBack } from "../../../provider/kakaocloud/readback";

const schedule = { object: ["cron", "retentionLimit"] } as const;

describe("readBack", () => {
  it("leaves out what the program left out, whatever the API reports", () => {
    expect(readBack(undefined, false, "scalar")).toBeUndefined();
    expect(readBack(undefined, [{ id: "s" }], "idSet")).toBeUndefined();
    expect(readBack(undefined, { cron: "0 0 * * *", retentionLimit: 1 }, schedule)).toBeUndefined();
  });

  it("keeps the declared form when the live value means the same", () => {
    const declared = [{ id: "a" }, { id: "b" }];
    expect(readBack(declared, [{ id: "b", name: "B" }, { id: "a" }, { id: "a" }], "idSet")).toBe(declared);
    const s = { cron: "0 3 * * *", retentionLimit: 7 };
    expect(readBack(s, { cron: " 0  3 * * * ", retentionLimit: 7, enabled: true }, schedule)).toBe(s);
    expect(readBack("x", undefined, "scalar")).toBe("x"); // not reported
  });

  it("reports real drift in the declared shape", () => {
    expect(readBack([{ id: "a" }], [{ id: "z", name: "Z" }], "idSet")).toEqual([{ id: "z" }]);
    expect(
      readBack(
        { cron: "0 3 * * *", retentionLimit: 7 },
        { cron: "0 4 * * *", retentionLimit: 7, x: 1 },
        schedule,
      ),
    ).toEqual({ cron: "0 4 * * *", retentionLimit: 7 });
    expect(readBack(true, false, "scalar")).toBe(false);
  });
});

describe("fieldChange", () => {
  it("removing a field updates (nothing is sent for a create-only one); another value of a create-only field replaces", () => {
    expect(fieldChange(true, undefined, "scalar", false)).toBe("update");
    expect(fieldChange(true, false, "scalar", false)).toBe("replace");
    expect(fieldChange("a", "b", "scalar", true)).toBe("update");
    expect(fieldChange([{ id: "a" }, { id: "b" }], [{ id: "b" }, { id: "a" }], "idSet", false)).toBe("none");
    expect(fieldChange(undefined, undefined, "scalar", false)).toBe("none");
  });

  it("an unknown value (preview) of a create-only field replaces, of an in-place one updates", () => {
    expect(fieldChange("c-1", UNKNOWN, "scalar", false)).toBe("replace");
    expect(fieldChange("d", UNKNOWN, "scalar", true)).toBe("update");
  });
});
