/**
 * Tests of the one diff style (`core/diff.ts`): each rule on its own — comparison as `changedKeys`
 * compares, a value unknown at preview, a value the program removed, the resource's own way to read
 * the old and new values, the order of `replaces`, and `deleteBeforeReplace`.
 */
import { compareField, deleteFirst, type DiffSpec, diffOf, fieldDiff } from "../../../provider/core/diff";
import { UNKNOWN } from "../../../provider/core/validation";

type Bag = Record<string, unknown>;

describe("compareField", () => {
  test("another known value replaces a replacement field and updates any other", () => {
    expect(compareField({}, true, "a", "b")).toBe("replace");
    expect(compareField({}, false, "a", "b")).toBe("update");
    expect(compareField({}, true, "a", "a")).toBe("none");
  });

  test("compares as changedKeys does: undefined equals null, key order is no change, arrays keep order", () => {
    expect(compareField({}, true, undefined, null)).toBe("none");
    expect(compareField({}, true, { a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toBe("none");
    expect(compareField({}, true, [1, 2], [2, 1])).toBe("replace");
    expect(compareField({}, true, 0, undefined)).toBe("replace");
    expect(compareField({}, false, undefined, false)).toBe("update");
  });

  test("normal is applied to both values before they are compared", () => {
    const port = { normal: (p: unknown) => Number(p ?? 6379) };
    expect(compareField(port, true, undefined, 6379)).toBe("none");
    expect(compareField(port, true, "6380", 6380)).toBe("none");
    expect(compareField(port, true, undefined, 6380)).toBe("replace");
    expect(compareField({ normal: Boolean }, false, undefined, false)).toBe("none");
  });

  test("a value unknown at preview is a change, never a replacement, by default", () => {
    expect(compareField({}, true, "r-1", UNKNOWN)).toBe("update");
    expect(compareField({}, false, "r-1", UNKNOWN)).toBe("update");
    // Also deep inside the value, and whatever normal would make of it.
    expect(compareField({}, true, { a: "x" }, { a: [UNKNOWN] })).toBe("update");
    expect(compareField({ normal: Boolean }, false, true, UNKNOWN)).toBe("update");
  });

  test("a field may count an unknown value as a replacement (only if it replaces) or as unchanged", () => {
    expect(compareField({ unknown: "replace" }, true, "c-1", UNKNOWN)).toBe("replace");
    expect(compareField({ unknown: "replace" }, false, "c-1", UNKNOWN)).toBe("update");
    expect(compareField({ unknown: "unchanged" }, true, "r-1", UNKNOWN)).toBe("none");
  });

  test("a removed value replaces by default; a field may count it as an update or as unchanged", () => {
    expect(compareField({}, true, "p", undefined)).toBe("replace");
    expect(compareField({ absent: "update" }, true, "p", undefined)).toBe("update");
    expect(compareField({ absent: "update" }, true, "p", null)).toBe("update");
    expect(compareField({ absent: "unchanged" }, true, "p", undefined)).toBe("none");
    // A value that is present is not absent: another value still replaces.
    expect(compareField({ absent: "unchanged" }, true, "p", "q")).toBe("replace");
    // Judged on the value, not on what normal makes of it.
    expect(compareField({ absent: "unchanged", normal: (v) => v ?? "d" }, true, "p", undefined)).toBe("none");
  });
});

describe("fieldDiff", () => {
  const spec: DiffSpec<Bag, Bag> = {
    replaces: ["a", { key: "b", unknown: "unchanged" }],
    inPlace: ["c", { key: "d", normal: (v) => v ?? false }],
  };

  test("lists every changed field and the replacing ones, replacements first, in the spec's order", () => {
    const olds = { a: 1, b: 2, c: 3, d: false };
    expect(fieldDiff(spec, "id", olds, { a: 1, b: 2, c: 3 })).toEqual({ changed: [], replaces: [] });
    expect(fieldDiff(spec, "id", olds, { a: 9, b: 8, c: 7, d: true })).toEqual({
      changed: ["a", "b", "c", "d"],
      replaces: ["a", "b"],
    });
    expect(fieldDiff(spec, "id", olds, { a: 1, b: UNKNOWN, c: UNKNOWN })).toEqual({
      changed: ["c"],
      replaces: [],
    });
  });

  test("compares only the fields the spec names (never __provider or outputs)", () => {
    const olds = { a: 1, b: 2, __provider: "old", status: "Running" };
    expect(fieldDiff(spec, "id", olds, { a: 1, b: 2, __provider: "new", extra: UNKNOWN })).toEqual({
      changed: [],
      replaces: [],
    });
  });

  test("reads the old value with the resource id, and the new value with the old one", () => {
    const project: DiffSpec<Bag, Bag> = {
      replaces: [
        {
          key: "projectId",
          old: (olds, id) => olds.projectId ?? id.split("/")[0],
          new: (news, old) => news.projectId ?? old,
        },
      ],
    };
    expect(fieldDiff(project, "p1/i", {}, {})).toEqual({ changed: [], replaces: [] });
    // The old project is the id's: the same project in the inputs is no change.
    expect(fieldDiff(project, "p1/i", {}, { projectId: "p1" })).toEqual({ changed: [], replaces: [] });
    expect(fieldDiff(project, "p1/i", {}, { projectId: "p2" })).toEqual({
      changed: ["projectId"],
      replaces: ["projectId"],
    });
    expect(fieldDiff(project, "p1/i", { projectId: "p3" }, { projectId: "p1" }).replaces).toEqual([
      "projectId",
    ]);
  });
});

describe("diffOf and deleteFirst", () => {
  test("diffOf gives changes, replaces and deleteBeforeReplace, nothing else", async () => {
    const diff = diffOf<Bag, Bag>({ replaces: ["a"], inPlace: ["c"] });
    expect(await diff("id", { a: 1, c: 1 }, { a: 1, c: 1 })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await diff("id", { a: 1, c: 1 }, { a: 1, c: 2 })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await diff("id", { a: 1, c: 1 }, { a: 2, c: 1 })).toEqual({
      changes: true,
      replaces: ["a"],
      deleteBeforeReplace: false,
    });
  });

  test("deleteBeforeReplace is the spec's constant, or its decision from the replacements and both bags", async () => {
    expect(
      (await diffOf<Bag, Bag>({ replaces: ["a"], deleteBeforeReplace: true })("id", {}, {}))
        .deleteBeforeReplace,
    ).toBe(true);
    const whenNameKept: DiffSpec<Bag, Bag> = {
      replaces: ["a"],
      deleteBeforeReplace: (replaces, olds, news) => replaces.length > 0 && olds.name === news.name,
    };
    expect(deleteFirst(whenNameKept, ["a"], { name: "n" }, { name: "n" })).toBe(true);
    expect(deleteFirst(whenNameKept, ["a"], { name: "n" }, { name: "m" })).toBe(false);
    expect(deleteFirst(whenNameKept, [], { name: "n" }, { name: "n" })).toBe(false);
    const diff = diffOf(whenNameKept);
    expect(await diff("id", { a: 1, name: "n" }, { a: 2, name: "n" })).toEqual({
      changes: true,
      replaces: ["a"],
      deleteBeforeReplace: true,
    });
  });
});
