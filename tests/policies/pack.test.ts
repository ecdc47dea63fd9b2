import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Policy, PolicyConfigSchema } from "@pulumi/policy";

type PolicyConfigJSONSchema = PolicyConfigSchema["properties"][string];

const mockConstructed: unknown[][] = [];
jest.mock("@pulumi/policy", () => ({
  ...jest.requireActual("@pulumi/policy"),
  // The real PolicyPack starts a gRPC server: record the call instead.
  PolicyPack: jest.fn((...args: unknown[]) => mockConstructed.push(args)),
}));

import * as pack from "../../policies/src";

const POLICIES_DIR = path.join(__dirname, "..", "..", "policies");

describe("the managed-redis policy pack", () => {
  it("lists six policies with unique kebab-case names, descriptions and the agreed enforcement levels", () => {
    const levels = Object.fromEntries(
      (pack.allPolicies as Policy[]).map((p) => [p.name, p.enforcementLevel]),
    );
    expect(levels).toEqual({
      "tair-ssl-direct-connection-exclusive": "mandatory",
      "kakao-shard-count": "mandatory",
      "redis-encryption-in-transit": "advisory",
      "redis-replicas-per-shard": "advisory",
      "redis-allowed-versions": "advisory",
      "redis-backup-retention": "advisory",
    });
    for (const p of pack.allPolicies as Policy[]) {
      expect(p.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.description.length).toBeGreaterThan(20);
    }
  });

  it("exports each policy as a value for composing other packs", () => {
    expect(pack.allPolicies).toEqual([
      pack.tairSslDirectConnectionExclusive,
      pack.kakaoShardCount,
      pack.redisEncryptionInTransit,
      pack.redisReplicasPerShard,
      pack.redisAllowedVersions,
      pack.redisBackupRetention,
    ]);
  });

  it("gives every configurable setting a default that satisfies its own schema", () => {
    for (const p of pack.allPolicies as Policy[]) {
      for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {}) as [
        string,
        PolicyConfigJSONSchema,
      ][]) {
        expect(key).not.toBe("enforcementLevel"); // reserved by the policy server
        expect(schema.default).toBeDefined();
        expect(schema.description).toBeTruthy();
        if (typeof schema.default === "number") {
          expect(schema.default).toBeGreaterThanOrEqual(schema.minimum ?? -Infinity);
          expect(schema.default).toBeLessThanOrEqual(schema.maximum ?? Infinity);
        }
      }
    }
  });

  it("has an entry that only constructs the pack, loaded from TypeScript in this repository", () => {
    jest.isolateModules(() => {
      require("../../policies/pack.js");
    });
    expect(mockConstructed).toHaveLength(1);
    expect(mockConstructed[0][0]).toBe("managed-redis");
    expect((mockConstructed[0][1] as { policies: unknown[] }).policies).toHaveLength(6);
    expect((mockConstructed[0][1] as { policies: Policy[] }).policies.map((p) => p.name)).toEqual(
      (pack.allPolicies as Policy[]).map((p) => p.name),
    );
  });

  it("refuses to start from node_modules without the compiled pack, saying how to build it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policies-"));
    const packDir = path.join(dir, "node_modules", "pulumi-managed-redis", "policies");
    fs.mkdirSync(packDir, { recursive: true });
    fs.copyFileSync(path.join(POLICIES_DIR, "pack.js"), path.join(packDir, "pack.js"));
    const before = mockConstructed.length;
    try {
      expect(() => jest.isolateModules(() => require(path.join(packDir, "pack.js")))).toThrow(
        `pulumi-managed-redis policies: ${path.join(packDir, "bin", "policies", "index.js")} is missing.`,
      );
      expect(mockConstructed).toHaveLength(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is a nodejs policy pack folder with caret ranges from the oldest tested versions", () => {
    const yaml = fs.readFileSync(path.join(POLICIES_DIR, "PulumiPolicy.yaml"), "utf8");
    expect(yaml).toMatch(/^runtime: nodejs$/m);
    expect(yaml).toMatch(/^description: \S/m);
    const manifest = JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "package.json"), "utf8"));
    expect(manifest).toMatchObject({
      name: "pulumi-managed-redis-policies",
      main: "pack.js",
      dependencies: { "@pulumi/policy": "^1.21.0", "@pulumi/pulumi": "^3.248.0" },
    });
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
