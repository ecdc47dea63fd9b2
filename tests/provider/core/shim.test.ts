/**
 * Tests of the serialized-provider shim: every method is present, each one's source refers to
 * nothing but the lazy `load`, `load` requires the implementation by package name at call time,
 * and calls are forwarded unchanged.
 */
import { shimProvider } from "../../../provider/core/shim";

const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

/** Identifiers a method's source uses that are neither its parameters nor property names. */
function freeIdentifiers(source: string): string[] {
  const arrow = /^\s*\(([^)]*)\)\s*=>\s*([\s\S]*)$/.exec(source);
  if (!arrow) throw new Error(`not an arrow function: ${source}`);
  const params = new Set(
    arrow[1]
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean),
  );
  const body = arrow[2].replace(/\.\s*[A-Za-z_$][\w$]*/g, ""); // drop `.property` accesses
  const ids = body.match(/[A-Za-z_$][\w$]*/g) ?? [];
  return [...new Set(ids.filter((id) => !params.has(id)))];
}

describe("shimProvider", () => {
  test("returns every provider method", () => {
    const p = shimProvider("kakaocloud/cluster") as unknown as Record<string, unknown>;
    for (const m of METHODS) expect(typeof p[m]).toBe("function");
    expect(Object.keys(p).sort()).toEqual([...METHODS].sort());
  });

  test("each method refers to nothing but the lazy loader and its own parameters", () => {
    const p = shimProvider("kakaocloud/cluster") as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const m of METHODS) {
      const source = p[m].toString();
      expect(freeIdentifiers(source)).toEqual(["load"]);
      expect(source).toContain(`load().${m}(`);
      expect(source.length).toBeLessThan(60);
    }
  });

  test("the loader requires the implementation by package name, with nothing else captured", () => {
    const source = shimProvider.toString();
    expect(source).toMatch(/require\("pulumi-managed-redis\/internal\/" \+ modulePath\)\.provider/);
    // The only require is the by-name one: no relative module, no module-level helper captured.
    expect(source.match(/require\(/g)).toHaveLength(1);
    expect(source).not.toMatch(/\b(exports|module|__dirname|__filename|errors_1|http_1|config_1)\b/);
  });

  test("the implementation is loaded at call time, not when the shim is made", () => {
    const p = shimProvider("nowhere/missing");
    expect(() => p.check!({}, {})).toThrow(
      /Cannot find module 'pulumi-managed-redis\/internal\/nowhere\/missing'/,
    );
  });

  test("every call is forwarded to the implementation with its arguments and result", async () => {
    const calls: [string, unknown[]][] = [];
    const impl = Object.fromEntries(
      METHODS.map((m) => [
        m,
        (...args: unknown[]) => {
          calls.push([m, args]);
          return Promise.resolve({ from: m });
        },
      ]),
    );
    jest.doMock("pulumi-managed-redis/internal/testcloud/fake", () => ({ provider: impl }), {
      virtual: true,
    });
    const p = shimProvider("testcloud/fake");
    const olds = { a: 1 };
    const news = { a: 2 };
    await expect(p.configure!({ config: { get: () => undefined, require: () => "" } })).resolves.toEqual({
      from: "configure",
    });
    await expect(p.check!(olds, news)).resolves.toEqual({ from: "check" });
    await expect(p.diff!("id-1", olds, news)).resolves.toEqual({ from: "diff" });
    await expect(p.create(news)).resolves.toEqual({ from: "create" });
    await expect(p.read!("id-1", olds)).resolves.toEqual({ from: "read" });
    await expect(p.update!("id-1", olds, news)).resolves.toEqual({ from: "update" });
    await expect(p.delete!("id-1", olds)).resolves.toEqual({ from: "delete" });
    expect(calls.map(([m]) => m)).toEqual([...METHODS]);
    expect(calls[1][1]).toEqual([olds, news]);
    expect(calls[1][1][0]).toBe(olds);
    expect(calls[2][1]).toEqual(["id-1", olds, news]);
    expect(calls[3][1]).toEqual([news]);
    expect(calls[4][1]).toEqual(["id-1", olds]);
    expect(calls[5][1]).toEqual(["id-1", olds, news]);
    expect(calls[6][1]).toEqual(["id-1", olds]);
  });
});
