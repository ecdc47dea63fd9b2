/**
 * The package root, as a program loads it: the resource classes and the small core they need, and
 * none of what the provider process runs (the schemas and their zod, the HTTP clients and undici,
 * the cron parser, the lock's mutex, the waiters). Every `pulumi preview` and `up` pays for what the
 * program loads before it registers its first resource (see docs/performance.md).
 */
const IMPLEMENTATION_ONLY = ["zod", "undici", "cron-parser", "async-mutex", "p-retry"];

/** Loads the package root in a fresh module registry, with `names` made to throw when required. */
function loadRootRefusing(names: string[]): Record<string, unknown> {
  let root: Record<string, unknown> = {};
  jest.isolateModules(() => {
    for (const name of names) {
      jest.doMock(name, () => {
        throw new Error(`the package root loaded ${name}`);
      });
    }
    root = require("../../provider") as Record<string, unknown>;
  });
  return root;
}

afterEach(() => {
  for (const name of IMPLEMENTATION_ONLY) jest.dontMock(name);
});

it("the package root loads no implementation dependency", () => {
  const root = loadRootRefusing(IMPLEMENTATION_ONLY);
  for (const name of [
    "KakaoRedisCluster",
    "KakaoShard",
    "KakaoReplica",
    "TairDirectConnection",
    "InstanceSSL",
    "DcsInstanceSSL",
  ]) {
    expect(typeof root[name]).toBe("function");
  }
  expect(root.KAKAO_REDIS_VERSIONS).toEqual(["7.2.6", "7.0.15", "6.2.16", "6.2.5", "5.0.6"]);
});

it("the check above can fail: an implementation module does load zod", () => {
  let failure: unknown;
  jest.isolateModules(() => {
    jest.doMock("zod", () => {
      throw new Error("the implementation loaded zod");
    });
    try {
      require("../../provider/kakaocloud/cluster");
    } catch (err) {
      failure = err;
    }
  });
  expect(String(failure)).toMatch(/the implementation loaded zod/);
});
