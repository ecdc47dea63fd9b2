/**
 * Both faces of the package are judged alike: a resource of the provider plugin
 * (`managed-redis:<cloud>:<Type>`, used from Pulumi YAML; no `__provider` in its props) gets exactly the
 * verdicts of the same resource on the dynamic face (`pulumi-nodejs:dynamic/<cloud>:<Type>`), and a
 * stack that mixes the faces is related across them.
 */
import type { PolicyResource } from "@pulumi/policy";
import { allPolicies } from "../../policies/src";
import { kakaoShardCount } from "../../policies/src/kakao-shard-count";
import { redisAllowedVersions } from "../../policies/src/redis-allowed-versions";
import { redisBackupRetention } from "../../policies/src/redis-backup-retention";
import { redisEncryptionInTransit } from "../../policies/src/redis-encryption-in-transit";
import { redisReplicasPerShard } from "../../policies/src/redis-replicas-per-shard";
import { isType, label, typeName } from "../../policies/src/resources";
import { tairSslDirectConnectionExclusive } from "../../policies/src/tair-ssl-direct-connection-exclusive";
import { PLUGIN_RESOURCES } from "../../provider/plugin/declarations";
import { PLUGIN_TYPE_TOKENS, type PublicTypeName, TYPE_TOKENS } from "../../provider/tokens";
import {
  assignment,
  clusterProps,
  dcsSslProps,
  directConnectionProps,
  instanceSslProps,
  messages,
  resourceArgs,
  runResource,
  runStack,
  shardProps,
  stackArgs,
  stackResource,
  urnOf,
} from "./util";

type Face = "dynamic" | "plugin";
const FACES: Face[] = ["dynamic", "plugin"];

/** The token of `name` on `face`. */
const token = (face: Face, name: PublicTypeName): string =>
  face === "plugin" ? PLUGIN_TYPE_TOKENS[name] : TYPE_TOKENS[name];

const PUBLIC_TYPES: PublicTypeName[] = [
  "KakaoRedisCluster",
  "KakaoShard",
  "KakaoReplica",
  "TairDirectConnection",
  "InstanceSSL",
  "DcsInstanceSSL",
];

describe("the plugin face's tokens", () => {
  it("are managed-redis:<cloud>:<Type>, the dynamic token's module and type", () => {
    expect(PUBLIC_TYPES.map((name) => PLUGIN_TYPE_TOKENS[name])).toEqual([
      "managed-redis:kakaocloud:KakaoRedisCluster",
      "managed-redis:kakaocloud:KakaoShard",
      "managed-redis:kakaocloud:KakaoReplica",
      "managed-redis:alicloud:TairDirectConnection",
      "managed-redis:alicloud:InstanceSSL",
      "managed-redis:huaweicloud:DcsInstanceSSL",
    ]);
  });

  it("are the dynamic tokens' module and type under the plugin's package, and the plugin serves each", () => {
    for (const name of PUBLIC_TYPES) {
      expect(PLUGIN_TYPE_TOKENS[name]).toBe(
        TYPE_TOKENS[name].replace(/^pulumi-nodejs:dynamic\//, "managed-redis:"),
      );
    }
    expect(PLUGIN_RESOURCES.map((r) => [r.name, r.pluginToken])).toEqual(
      PUBLIC_TYPES.map((name) => [name, PLUGIN_TYPE_TOKENS[name]]),
    );
  });

  it.each(PUBLIC_TYPES)("name %s on both faces, and nothing that only looks alike", (name) => {
    for (const face of FACES) {
      expect(typeName(token(face, name))).toBe(name);
      expect(isType({ type: token(face, name) }, name)).toBe(true);
      expect(label({ type: token(face, name), name: "x", urn: "" })).toBe(`${name} "x"`);
    }
    const [, module] = TYPE_TOKENS[name].match(/^pulumi-nodejs:dynamic\/(\w+):/) ?? [];
    for (const other of [
      `managed-redis:${module}:${name}Extra`,
      `managed-redis:other:${name}`,
      `other-redis:${module}:${name}`,
      `managed-redis:${module}/x:${name}`,
      name,
    ]) {
      expect(typeName(other)).toBeUndefined();
      expect(isType({ type: other }, name)).toBe(false);
    }
  });
});

describe.each(FACES)("every policy on the %s face", (face) => {
  const t = (name: PublicTypeName) => token(face, name);

  it("refuses 13 shards on a cluster, declared or with a KakaoShard added (kakao-shard-count)", async () => {
    const big = stackResource(
      t("KakaoRedisCluster"),
      "cache",
      clusterProps({ shardCount: 13, subnetAssignments: Array.from({ length: 13 }, () => assignment(2)) }),
    );
    expect(messages(await runStack(kakaoShardCount, stackArgs([big])))).toEqual([
      expect.stringMatching(/^KakaoRedisCluster "cache" declares shardCount 13, more than the 12 shards/),
    ]);

    const c = stackResource(
      t("KakaoRedisCluster"),
      "cache",
      clusterProps({ shardCount: 12, subnetAssignments: Array.from({ length: 12 }, () => assignment(2)) }),
    );
    const extra = stackResource(t("KakaoShard"), "extra", shardProps(), {
      propertyDependencies: { clusterId: [c] },
    });
    const out = await runStack(kakaoShardCount, stackArgs([c, extra]));
    expect(out.violations).toEqual([
      {
        message: expect.stringMatching(
          /^KakaoRedisCluster "cache" would have 13 shards: shardCount 12 plus 1 KakaoShard \("extra"\)/,
        ),
        urn: urnOf(t("KakaoRedisCluster"), "cache"),
      },
    ]);
  });

  it("refuses SSL and a direct connection on one Tair instance (tair-ssl-direct-connection-exclusive)", async () => {
    const out = await runStack(
      tairSslDirectConnectionExclusive,
      stackArgs([
        stackResource(t("InstanceSSL"), "ssl", instanceSslProps()),
        stackResource(t("TairDirectConnection"), "direct", directConnectionProps()),
      ]),
    );
    expect(out.violations).toEqual([
      {
        message: expect.stringMatching(
          /^TairDirectConnection "direct" allocates .* InstanceSSL "ssl" enables SSL/,
        ),
        urn: urnOf(t("TairDirectConnection"), "direct"),
      },
    ]);
  });

  it("flags a cluster without TLS and Tair and DCS instances without SSL (redis-encryption-in-transit)", async () => {
    const out = await runStack(
      redisEncryptionInTransit,
      stackArgs([
        stackResource(t("KakaoRedisCluster"), "cache", clusterProps({ tlsEnabled: false })),
        stackResource(t("InstanceSSL"), "tair-ssl", instanceSslProps({ enabled: false })),
        stackResource(t("DcsInstanceSSL"), "dcs-ssl", dcsSslProps({ enabled: false })),
      ]),
    );
    expect(out.violations.map((v) => v.urn)).toEqual([
      urnOf(t("KakaoRedisCluster"), "cache"),
      urnOf(t("InstanceSSL"), "tair-ssl"),
      urnOf(t("DcsInstanceSSL"), "dcs-ssl"),
    ]);
    expect(messages(out)[0]).toMatch(/^KakaoRedisCluster "cache" does not enable TLS/);
  });

  it("flags single-node shards on a cluster, a KakaoShard and a KakaoReplica's shard (redis-replicas-per-shard)", async () => {
    const cluster = await runResource(
      redisReplicasPerShard,
      resourceArgs(t("KakaoRedisCluster"), clusterProps({ nodeCountPerShard: 1 }), { name: "cache" }),
    );
    expect(messages(cluster)).toEqual([expect.stringMatching(/^KakaoRedisCluster "cache" /)]);
    const shard = await runResource(
      redisReplicasPerShard,
      resourceArgs(t("KakaoShard"), shardProps({ nodeCount: 1 }), { name: "extra" }),
    );
    expect(messages(shard)).toEqual([expect.stringMatching(/^KakaoShard "extra" /)]);
  });

  it("flags Redis 5.0.6 (redis-allowed-versions) and a 3-day backup (redis-backup-retention)", async () => {
    const old = await runResource(
      redisAllowedVersions,
      resourceArgs(t("KakaoRedisCluster"), clusterProps({ version: "5.0.6" }), { name: "cache" }),
    );
    expect(messages(old)).toEqual([expect.stringMatching(/^KakaoRedisCluster "cache" uses Redis 5\.0\.6/)]);
    const short = await runResource(
      redisBackupRetention,
      resourceArgs(
        t("KakaoRedisCluster"),
        clusterProps({ backupSchedule: { cron: "0 3 * * *", retentionLimit: 3 } }),
        { name: "cache" },
      ),
    );
    expect(messages(short)).toEqual([expect.stringMatching(/^KakaoRedisCluster "cache" /)]);
  });
});

describe("a stack mixing both faces", () => {
  it("gets from every policy the verdicts of the same stack on one face", async () => {
    /** The stack's resources as [token, name, props]; the shard takes the cluster's clusterId. */
    const stack = (faces: Record<PublicTypeName, Face>): [string, string, Record<string, unknown>][] => {
      const t = (name: PublicTypeName) => token(faces[name], name);
      return [
        [t("KakaoRedisCluster"), "cache", clusterProps({ nodeCountPerShard: 1 })],
        [t("KakaoShard"), "extra", shardProps({ nodeCount: 1 })],
        [t("InstanceSSL"), "ssl", instanceSslProps()],
        [t("TairDirectConnection"), "direct", directConnectionProps()],
        [t("DcsInstanceSSL"), "dcs-ssl", dcsSslProps({ enabled: false })],
      ];
    };
    const all = (face: Face) =>
      Object.fromEntries(PUBLIC_TYPES.map((n) => [n, face])) as Record<PublicTypeName, Face>;
    const mixed = {
      ...all("dynamic"),
      KakaoShard: "plugin",
      TairDirectConnection: "plugin",
      DcsInstanceSSL: "plugin",
    } as Record<PublicTypeName, Face>;

    const verdicts = async (specs: [string, string, Record<string, unknown>][]) => {
      const resources: PolicyResource[] = [];
      for (const [type, name, props] of specs) {
        const deps = name === "extra" ? { propertyDependencies: { clusterId: [resources[0]] } } : {};
        resources.push(stackResource(type, name, props, deps));
      }
      const out: string[] = [];
      for (const p of allPolicies) {
        if ("validateStack" in p) {
          out.push(...messages(await runStack(p, stackArgs(resources))));
        } else if ("validateResource" in p) {
          for (const [type, name, props] of specs) {
            out.push(...messages(await runResource(p, resourceArgs(type, props, { name }))));
          }
        }
      }
      return out;
    };
    const dynamic = await verdicts(stack(all("dynamic")));
    expect(dynamic.length).toBeGreaterThanOrEqual(4);
    expect(await verdicts(stack(mixed))).toEqual(dynamic);
    expect(await verdicts(stack(all("plugin")))).toEqual(dynamic);
  });
});
