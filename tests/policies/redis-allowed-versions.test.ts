import {
  DEFAULT_ALLOWED_VERSIONS,
  redisAllowedVersions as policy,
} from "../../policies/src/redis-allowed-versions";
import { UNKNOWN, clusterProps, messages, resourceArgs, runResource, shardProps } from "./util";

describe("redis-allowed-versions", () => {
  it("is advisory and allows every offered line but the end-of-life 5.0 by default", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(DEFAULT_ALLOWED_VERSIONS).toEqual(["7.2", "7.0", "6.2"]);
    expect(policy.configSchema?.properties.allowedVersions).toMatchObject({
      type: "array",
      default: DEFAULT_ALLOWED_VERSIONS,
    });
  });

  it("passes by default every version KakaoCloud publishes but 5.0.6, those newer than the document too", async () => {
    for (const version of ["7.2.11", "7.2.6", "7.0.15", "6.2.20", "6.2.16", "6.2.5"]) {
      const out = await runResource(policy, resourceArgs("KakaoRedisCluster", clusterProps({ version })));
      expect(out).toEqual({ violations: [], previewNotes: [] });
    }
  });

  it("flags 5.0.6 by default", async () => {
    const out = await runResource(
      policy,
      resourceArgs("KakaoRedisCluster", clusterProps({ version: "5.0.6" }), { name: "cache" }),
    );
    expect(messages(out)).toEqual([
      'KakaoRedisCluster "cache" uses Redis 5.0.6, which this policy does not allow (allowed: 7.2, 7.0, 6.2). ' +
        "Set version to an allowed one; changing the version of an existing cluster replaces it.",
    ]);
  });

  it("follows allowedVersions from the configuration", async () => {
    const config = { allowedVersions: ["7.2.6"] };
    const old = await runResource(
      policy,
      resourceArgs("KakaoRedisCluster", clusterProps({ version: "6.2.16" }), { config }),
    );
    expect(messages(old)).toEqual([
      expect.stringContaining("uses Redis 6.2.16, which this policy does not allow (allowed: 7.2.6)"),
    ]);
    const legacy = await runResource(
      policy,
      resourceArgs("KakaoRedisCluster", clusterProps({ version: "5.0.6" }), {
        config: { allowedVersions: ["5.0.6"] },
      }),
    );
    expect(legacy.violations).toEqual([]);
  });

  it("reads a major.minor entry as its line and a full version as exactly that version", async () => {
    const run = async (version: string, allowedVersions: string[]) =>
      (
        await runResource(
          policy,
          resourceArgs("KakaoRedisCluster", clusterProps({ version }), { config: { allowedVersions } }),
        )
      ).violations.length;
    expect(await run("7.2.11", ["7.2"])).toBe(0);
    expect(await run("7.20.1", ["7.2"])).toBe(1); // another line, not a prefix match
    expect(await run("7.2.11", ["7.2.6"])).toBe(1);
    expect(await run("7.2.6", ["7.2.6"])).toBe(0);
    expect(await run("7.2.6", ["7"])).toBe(1); // a major alone is not a line
  });

  it("flags a cluster without a version", async () => {
    const out = await runResource(
      policy,
      resourceArgs("KakaoRedisCluster", clusterProps({ version: undefined }), { name: "cache" }),
    );
    expect(messages(out)).toEqual([
      'KakaoRedisCluster "cache" declares no Redis version: set version to an allowed one (allowed: 7.2, 7.0, 6.2).',
    ]);
  });

  it("says it cannot check a version unknown at preview", async () => {
    const out = await runResource(
      policy,
      resourceArgs("KakaoRedisCluster", clusterProps({ version: UNKNOWN }), { name: "cache" }),
    );
    expect(out).toEqual({
      violations: [],
      previewNotes: [
        'The version of KakaoRedisCluster "cache" is not known yet, so it cannot be checked during preview.',
      ],
    });
  });

  it("is not applicable to other resources", async () => {
    const out = await runResource(policy, resourceArgs("KakaoShard", shardProps()));
    expect(out.notApplicable).toBe("only KakaoRedisCluster declares a Redis version");
  });
});
