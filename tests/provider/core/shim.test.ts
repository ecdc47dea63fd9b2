/**
 * Tests of the serialized-provider shim: every method is present, each one's source refers to
 * nothing but the lazy loader `L`, `L` requires the registry by package name at call time, calls
 * are forwarded unchanged, and the serialized text stays under the 2 KB budget per resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { SHIM_KEYS, type ShimModule, shimProvider } from "../../../provider/core/shim";

const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

/** Identifiers a method's source uses that are neither its parameters nor property names. */
function freeIdentifiers(source: string): string[] {
  const arrow = /^\s*\(([^)]*)\)\s*=>\s*([\s\S]*)$/.exec(source);
  if (!arrow) throw new Error(`not an arrow function: ${source}`);
  const params = new Set(
    arrow[1]
      .split(",")
      .map((p) => p.replace("...", "").trim())
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
      expect(freeIdentifiers(source)).toEqual(["L"]);
      expect(source).toContain(`L().${m}(...a)`);
      expect(source.length).toBeLessThan(40);
    }
  });

  test("the loader requires the implementation by package name, with nothing else captured", () => {
    const source = shimProvider.toString();
    expect(source).toMatch(/require\("pulumi-managed-redis\/r"\)\[m\]/);
    // The only require is the by-name one: no relative module, no module-level helper captured.
    expect(source.match(/require\(/g)).toHaveLength(1);
    // The key is looked up outside the serialized closures; nothing else of the module is used.
    const rest = source.replace(/const m = exports\.SHIM_KEYS\[modulePath\];/, "");
    expect(rest).not.toMatch(/\b(exports|module|__dirname|__filename|errors_1|http_1|config_1)\b/);
  });

  test("the implementation is loaded at call time, not when the shim is made", async () => {
    jest.resetModules();
    let loaded = 0;
    jest.doMock(
      "pulumi-managed-redis/r",
      () => {
        loaded++;
        return { ks: { check: async () => ({ inputs: {}, failures: [] }) } };
      },
      { virtual: true },
    );
    const p = shimProvider("kakaocloud/shard");
    expect(loaded).toBe(0);
    await expect(p.check!({}, {})).resolves.toEqual({ inputs: {}, failures: [] });
    expect(loaded).toBe(1);
    jest.dontMock("pulumi-managed-redis/r");
  });

  test("the registry maps every key to its implementation and explains an unknown one", () => {
    jest.resetModules();
    const registry = jest.requireActual("../../../provider/registry") as Record<string, unknown>;
    for (const [modulePath, key] of Object.entries(SHIM_KEYS)) {
      const impl = jest.requireActual(`../../../provider/${modulePath}`) as { provider: unknown };
      expect(registry[key]).toBe(impl.provider);
    }
    expect(() => registry["zz"]).toThrow(/written by a newer version of pulumi-managed-redis/);
    expect(() => registry["zz"]).toThrow(expect.objectContaining({ code: "UnknownImplementation" }));
    expect(registry["__esModule"]).toBeUndefined();
  });

  test("the serialized provider of every resource type is at most 2 KB", async () => {
    for (const modulePath of Object.keys(SHIM_KEYS) as ShimModule[]) {
      const shim = shimProvider(modulePath);
      const sf = await pulumi.runtime.serializeFunction(() => shim, { allowSecrets: true });
      expect(sf.text.length).toBeLessThanOrEqual(2048);
      expect(sf.text).toContain(`"${SHIM_KEYS[modulePath]}"`);
      expect(sf.text).not.toMatch(/internal|kakaocloud\/|alicloud\/|huaweicloud\//);
    }
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
    jest.resetModules();
    jest.doMock("pulumi-managed-redis/r", () => ({ hd: impl }), { virtual: true });
    const p = shimProvider("huaweicloud/dcs-instance-ssl");
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
