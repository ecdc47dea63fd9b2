/**
 * The package root, as a program loads it: the resource classes and the small core they need, and
 * none of what the provider process runs (the schemas and their zod, the HTTP clients and undici,
 * the cron parser, the lock's mutex, the waiters). Every `pulumi preview` and `up` pays for what the
 * program loads before it registers its first resource (see docs/performance.md).
 */
import { fresh } from "../helpers/fresh";

const IMPLEMENTATION_ONLY = ["zod", "undici", "cron-parser", "async-mutex", "p-retry"];

/** Loads `path` in a fresh module registry, with `names` made to throw when required. */
function loadRefusing(path: string, names: string[]): Record<string, unknown> {
  return fresh(() => {
    for (const name of names) {
      jest.doMock(name, () => {
        throw new Error(`${path} loaded ${name}`);
      });
    }
    return require(path) as Record<string, unknown>;
  });
}

afterEach(() => {
  for (const name of IMPLEMENTATION_ONLY) jest.dontMock(name);
});

it("the package root loads no implementation dependency", () => {
  const root = loadRefusing("../../provider", IMPLEMENTATION_ONLY);
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
  // The lookups a program awaits: exported from the root, their client loaded only when called.
  for (const name of ["getKakaoFlavor", "getKakaoFlavors", "getKakaoRedisVersion", "getKakaoRedisVersions"]) {
    expect(typeof root[name]).toBe("function");
  }
});

it("the check above can fail: an implementation module does load zod", () => {
  expect(() => loadRefusing("../../provider/kakaocloud/cluster", ["zod"])).toThrow(
    "../../provider/kakaocloud/cluster loaded zod",
  );
});
