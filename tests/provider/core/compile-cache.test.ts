/**
 * Node's compile cache: turned on by the provider process (the registry, which only it loads) and
 * never by a program (the package root), since it is a setting of the whole process.
 */
import { fresh } from "../../helpers/fresh";

type Enable = jest.Mock<unknown, []>;

/** Loads `path` in a fresh module registry with `node:module`'s `enableCompileCache` replaced by `enable`. */
function loadWith(path: string, enable: Enable | undefined): Record<string, unknown> {
  return fresh(() => {
    jest.doMock("node:module", () => ({ ...jest.requireActual("node:module"), enableCompileCache: enable }));
    return require(path) as Record<string, unknown>;
  });
}

afterEach(() => jest.dontMock("node:module"));

describe("enableCompileCache", () => {
  const helper = (enable: Enable | undefined) =>
    (
      loadWith(
        "../../../provider/core/compile-cache",
        enable,
      ) as typeof import("../../../provider/core/compile-cache")
    ).enableCompileCache;

  test("turns Node's cache on and answers what Node answered", () => {
    const enable: Enable = jest.fn(() => ({ status: 1, directory: "/tmp/node-compile-cache" }));
    expect(helper(enable)()).toEqual({ status: 1, directory: "/tmp/node-compile-cache" });
    expect(enable).toHaveBeenCalledTimes(1);
  });

  test("does nothing on a Node.js without the cache (20)", () => {
    expect(helper(undefined)()).toBeUndefined();
  });

  test("never throws: a cache that cannot be opened only costs time", () => {
    const enable: Enable = jest.fn(() => {
      throw new Error("EACCES");
    });
    expect(helper(enable)()).toBeUndefined();
    expect(enable).toHaveBeenCalledTimes(1);
  });
});

test("the registry, which only the provider process loads, turns the cache on", () => {
  const enable: Enable = jest.fn(() => undefined);
  const registry = loadWith("../../../provider/registry", enable);
  expect(typeof registry.at).toBe("function");
  expect(enable).toHaveBeenCalledTimes(1);
});

test("the package root, which a program loads, leaves the program's process alone", () => {
  const enable: Enable = jest.fn(() => undefined);
  const root = loadWith("../../../provider", enable);
  expect(typeof root.KakaoRedisCluster).toBe("function");
  expect(enable).not.toHaveBeenCalled();
});
