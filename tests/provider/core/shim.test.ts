/**
 * Tests of the serialized-provider shim: every method is present, each one's source refers to
 * nothing but the lazy loader `load` and its own parameters, `load` looks the implementation up in
 * the registry by package name at call time, calls are forwarded unchanged, the serialized text
 * stays within the 2.4 KB budget per resource, and states written by this and by older versions
 * (`registry[key]`, `internal/<path>`) load the installed implementation.
 */
import Module from "node:module";
import * as path from "node:path";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as pulumi from "@pulumi/pulumi";
import type * as errors from "../../../provider/core/errors";
import { SHIM_KEYS, type ShimModule, shimProvider } from "../../../provider/core/shim";

const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

/** Each method's parameters, as the serialized source names them. */
const PARAMETERS: Record<(typeof METHODS)[number], string> = {
  configure: "request",
  check: "olds, news",
  diff: "id, olds, news",
  create: "inputs",
  read: "id, props",
  update: "id, olds, news",
  delete: "id, props",
};

/** The most bytes a resource's `__provider` may take in the state. */
const PROVIDER_BUDGET_BYTES = 2400;

/** The `__provider` text a resource's state holds for a shim (as `dynamic.Resource` serializes it). */
async function stateText(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
  return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

/**
 * Loads a `__provider` text the way the engine's dynamic-provider host does (`require-from-string`,
 * then `handler()`), with Node's own module loader: `require("pulumi-managed-redis/...")` inside it
 * resolves to the built package (lib/) through node_modules, as in a user's program. The engine's
 * module has no file name, so it resolves from the working directory: `dir` stands for it.
 */
function loadState(text: string, dir = path.resolve(__dirname, "../../..")): pulumi.dynamic.ResourceProvider {
  const filename = path.join(dir, "__provider.js");
  const m = new Module(filename) as Module & { _compile(code: string, filename: string): void };
  m.filename = filename;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    path.dirname(filename),
  );
  m._compile(text, filename);
  return (m.exports as { handler(): pulumi.dynamic.ResourceProvider }).handler();
}

/** The installed (built) implementation behind a key, loaded by Node as the shim loads it. */
function installed(modulePath: ShimModule): pulumi.dynamic.ResourceProvider {
  return loadState(
    `exports.handler = () => require("pulumi-managed-redis/internal/${modulePath}").provider;`,
  );
}

/** What `check` says about empty inputs: different for every resource type, so it names the implementation. */
async function checkEmpty(provider: pulumi.dynamic.ResourceProvider): Promise<unknown> {
  return provider.check!({}, {});
}

/** A registry that serves the given implementations by key (for `jest.doMock`). */
function registryOf(implementations: Record<string, unknown>) {
  return { at: (key: string) => implementations[key] };
}

/** The installation folder a state written from this checkout holds (`provider/`, as ts-jest runs it). */
const INSTALLED_AT = path.resolve(__dirname, "../../../provider");

const fixture = (name: string) => readFileSync(path.join(__dirname, "fixtures", name), "utf8");

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

  test("each method refers to nothing but the lazy loader and its own named parameters", () => {
    const p = shimProvider("kakaocloud/cluster") as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const m of METHODS) {
      const source = p[m].toString();
      expect(freeIdentifiers(source)).toEqual(["load"]);
      expect(source).toBe(`(${PARAMETERS[m]}) => load().${m}(${PARAMETERS[m]})`);
    }
  });

  test("the loader looks the implementation up by package name and key, with nothing else captured", () => {
    const source = shimProvider.toString();
    // By name from the provider's working directory first, then from the installation that wrote the state.
    expect(source).toMatch(
      /require\(require\.resolve\("pulumi-managed-redis\/r", \{ paths: \["\.", installedAt\] \}\)\)\.at\(key\)/,
    );
    // The only require is the by-name one: no relative module, no module-level helper captured.
    expect(source.match(/require\(/g)).toHaveLength(1);
    // The key and the installation's folder are looked up outside the serialized closures; nothing
    // else of the module is used.
    const rest = source
      .replace(/const key = exports\.SHIM_KEYS\[modulePath\];/, "")
      .replace(/const installedAt = INSTALLED_AT;/, "");
    expect(rest).not.toMatch(/\b(exports|module|__dirname|__filename|errors_1|http_1|config_1)\b/);
  });

  test("the implementation is loaded at call time, not when the shim is made", async () => {
    jest.resetModules();
    let loaded = 0;
    jest.doMock("pulumi-managed-redis/r", () => {
      loaded++;
      return registryOf({ ks: { check: async () => ({ inputs: {}, failures: [] }) } });
    });
    const p = shimProvider("kakaocloud/shard");
    expect(loaded).toBe(0);
    await expect(p.check!({}, {})).resolves.toEqual({ inputs: {}, failures: [] });
    expect(loaded).toBe(1);
    jest.dontMock("pulumi-managed-redis/r");
  });

  test("the registry maps every key to its implementation, by lookup and by getter", () => {
    jest.resetModules();
    const registry = jest.requireActual("../../../provider/registry") as Record<string, unknown> & {
      at(key: string): unknown;
    };
    for (const [modulePath, key] of Object.entries(SHIM_KEYS)) {
      const impl = jest.requireActual(`../../../provider/${modulePath}`) as { provider: unknown };
      expect(registry.at(key)).toBe(impl.provider);
      expect(registry[key]).toBe(impl.provider);
    }
    expect(Object.keys(registry).sort()).toEqual(["at", ...Object.values(SHIM_KEYS)].sort());
    expect(registry["__esModule"]).toBeUndefined();
  });

  test("an unknown key is a StateError UnknownImplementation that says to install a newer version", () => {
    jest.resetModules();
    const { at } = jest.requireActual("../../../provider/registry") as { at(key: string): unknown };
    const { StateError } = jest.requireActual("../../../provider/core/errors") as typeof errors;
    expect(() => at("zz")).toThrow(
      'pulumi-managed-redis has no implementation "zz": the stack\'s state was written by a newer ' +
        "version of pulumi-managed-redis; install that version (or newer) where you run pulumi",
    );
    let thrown: unknown;
    try {
      at("zz");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(StateError);
    expect(thrown).toMatchObject({ code: "UnknownImplementation", name: "StateError" });
  });

  test("the registry loads each implementation on first use: a DCS-only stack never loads the others", () => {
    jest.resetModules();
    const others = (Object.keys(SHIM_KEYS) as ShimModule[]).filter(
      (m) => m !== "huaweicloud/dcs-instance-ssl",
    );
    for (const modulePath of others) {
      jest.doMock(`../../../provider/${modulePath}`, () => {
        throw new Error(`the registry loaded ${modulePath}`);
      });
    }
    try {
      const registry = jest.requireActual("../../../provider/registry") as Record<string, unknown> & {
        at(key: string): unknown;
      };
      // Listing the keys (as the engine's serializer may) runs no getter.
      expect(Object.keys(registry)).toHaveLength(others.length + 2);
      const dcs = jest.requireActual("../../../provider/huaweicloud/dcs-instance-ssl") as {
        provider: unknown;
      };
      expect(registry.at("hd")).toBe(dcs.provider);
      expect(registry["hd"]).toBe(dcs.provider);
      // The check can fail: a key whose module is refused does load it.
      expect(() => registry.at("kc")).toThrow("the registry loaded kakaocloud/cluster");
    } finally {
      for (const modulePath of others) jest.dontMock(`../../../provider/${modulePath}`);
      jest.resetModules();
    }
  });

  test("a state written by this version, run with an older installation, gets the same advice", () => {
    // The registry of 0.1.0 (a Proxy): any unknown two-letter name is a key from a newer version.
    const olderRegistry = new Proxy({} as Record<string, unknown>, {
      get: (target, name) => {
        if (typeof name === "string" && /^[a-z]{2}$/.test(name) && !(name in target)) {
          throw new Error(
            `pulumi-managed-redis has no implementation "${name}": the stack's state was written by a newer version of pulumi-managed-redis; install that version (or newer) where you run pulumi`,
          );
        }
        return Reflect.get(target, name);
      },
    });
    jest.resetModules();
    jest.doMock("pulumi-managed-redis/r", () => olderRegistry);
    expect(() => shimProvider("kakaocloud/cluster").check!({}, {})).toThrow(
      /written by a newer version of pulumi-managed-redis; install that version/,
    );
    jest.dontMock("pulumi-managed-redis/r");
  });

  test("the serialized provider of every resource type is at most 2.4 KB and names no module", async () => {
    for (const modulePath of Object.keys(SHIM_KEYS) as ShimModule[]) {
      const text = await stateText(shimProvider(modulePath));
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(PROVIDER_BUDGET_BYTES);
      expect(text).toContain(`key: "${SHIM_KEYS[modulePath]}"`);
      // The one path it holds is the installation's folder, absolute; the rest fits 2300 bytes, so
      // an installation path of up to 100 bytes stays within the budget.
      expect(text).toContain(`installedAt: ${JSON.stringify(INSTALLED_AT)}`);
      expect(path.isAbsolute(INSTALLED_AT)).toBe(true);
      expect(Buffer.byteLength(text) - Buffer.byteLength(INSTALLED_AT)).toBeLessThanOrEqual(2300);
      const rest = text.replace(INSTALLED_AT, "");
      expect(rest).not.toMatch(/internal|kakaocloud\/|alicloud\/|huaweicloud\//);
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
    jest.doMock("pulumi-managed-redis/r", () => registryOf({ hd: impl }));
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

describe("states in the stack", () => {
  // Each form is loaded with Node's own loader from the built package (lib/), as the engine does.
  test("a state written by this version runs the installed implementation of its type", async () => {
    for (const modulePath of Object.keys(SHIM_KEYS) as ShimModule[]) {
      const provider = loadState(await stateText(shimProvider(modulePath)));
      await expect(checkEmpty(provider)).resolves.toEqual(await checkEmpty(installed(modulePath)));
    }
  });

  test('an older state holding require("pulumi-managed-redis/r")[key] still loads, for every key', async () => {
    // The `__provider` text of a KakaoRedisCluster as version 0.1.0 wrote it (2018 bytes).
    const text = fixture("state-provider-registry-key.txt");
    expect(text).toContain('return () => require("pulumi-managed-redis/r")[m];');
    for (const [modulePath, key] of Object.entries(SHIM_KEYS) as [ShimModule, string][]) {
      const provider = loadState(text.replace('m: "kc"', `m: "${key}"`));
      await expect(checkEmpty(provider)).resolves.toEqual(await checkEmpty(installed(modulePath)));
    }
  });

  test('an older state holding require("pulumi-managed-redis/internal/<path>") still loads', async () => {
    // The `__provider` text of a KakaoRedisCluster as written before the registry existed.
    const text = fixture("state-provider-internal-path.txt");
    expect(text).toContain('require("pulumi-managed-redis/internal/" + modulePath).provider');
    const paths: ShimModule[] = [
      "kakaocloud/cluster",
      "kakaocloud/shard",
      "kakaocloud/replica",
      "alicloud/direct-connection",
      "alicloud/instance-ssl",
      "huaweicloud/dcs-instance-ssl",
    ];
    for (const modulePath of paths) {
      const provider = loadState(text.replace('"kakaocloud/cluster"', `"${modulePath}"`));
      await expect(checkEmpty(provider)).resolves.toEqual(await checkEmpty(installed(modulePath)));
    }
  });

  describe("where the provider process finds the package", () => {
    const cwd = process.cwd();
    let scratch: string;
    let elsewhere: string;
    let other: string;
    beforeAll(() => {
      scratch = mkdtempSync(path.join(os.tmpdir(), "shim-"));
      // A folder without node_modules: the working directory of an Automation API inline program's
      // provider when the automation process runs outside the project.
      elsewhere = path.join(scratch, "elsewhere");
      mkdirSync(elsewhere);
      // Another installation of the package, whose registry says where it was loaded from.
      other = path.join(scratch, "app", "node_modules", "pulumi-managed-redis");
      mkdirSync(other, { recursive: true });
      writeFileSync(
        path.join(other, "package.json"),
        JSON.stringify({ name: "pulumi-managed-redis", exports: { "./r": "./r.js" } }),
      );
      writeFileSync(
        path.join(other, "r.js"),
        'exports.at = (key) => ({ check: async () => ({ from: "app", key }) });\n',
      );
    });
    afterEach(() => process.chdir(cwd));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    /** This version's `__provider` text of a type, as written by the installation at `installedAt`. */
    const writtenBy = async (installedAt: string, modulePath: ShimModule = "kakaocloud/shard") =>
      (await stateText(shimProvider(modulePath))).replace(
        `installedAt: ${JSON.stringify(INSTALLED_AT)}`,
        `installedAt: ${JSON.stringify(installedAt)}`,
      );

    test("from a working directory without the package, the installation that wrote the state", async () => {
      process.chdir(elsewhere);
      const provider = loadState(await writtenBy(path.join(other, "lib", "provider")), elsewhere);
      await expect(checkEmpty(provider)).resolves.toEqual({ from: "app", key: "ks" });
    });

    test("the package in the working directory comes first (a state moved to another machine)", async () => {
      const provider = loadState(await writtenBy(path.join(other, "lib", "provider")));
      await expect(checkEmpty(provider)).resolves.toEqual(await checkEmpty(installed("kakaocloud/shard")));
    });

    test("with neither, the call fails saying the package cannot be found", async () => {
      process.chdir(elsewhere);
      const provider = loadState(await writtenBy(path.join(scratch, "gone", "lib", "provider")), elsewhere);
      expect(() => provider.check!({}, {})).toThrow(/Cannot find module 'pulumi-managed-redis\/r'/);
    });
  });

  test("the check results tell the implementations apart (so the comparisons above mean something)", async () => {
    const results = await Promise.all(
      (Object.keys(SHIM_KEYS) as ShimModule[]).map(async (p) =>
        JSON.stringify(await checkEmpty(installed(p))),
      ),
    );
    expect(new Set(results).size).toBe(results.length);
  });
});
