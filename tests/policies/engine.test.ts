/**
 * The pack as the policy server runs it: requests built as the engine sends them (protobuf structs
 * with the unknown sentinel, property dependencies as URNs) go through `@pulumi/policy`'s own analyze
 * functions, which wrap props in the unknown-checking proxy, resolve dependencies, turn
 * `notApplicable()` and "not known during preview" into their protocol answers and apply the
 * enforcement levels.
 */
import * as policy from "@pulumi/policy";
import { allPolicies, tairSslDirectConnectionExclusive } from "../../policies/src";
import { TYPE_TOKENS } from "../../provider/tokens";
import {
  PROVIDER,
  TAIR_ID,
  UNKNOWN,
  assignment,
  clusterProps,
  directConnectionProps,
  instanceSslProps,
  shardProps,
  tokenOf,
  urnOf,
} from "./util";

/* eslint-disable @typescript-eslint/no-explicit-any */
const server = require("@pulumi/policy/server") as {
  makeAnalyzeRpcFun: (name: string, version: string, level: string, policies: unknown) => RpcFun;
  makeAnalyzeStackRpcFun: (name: string, version: string, level: string, policies: unknown) => RpcFun;
};
const pb = require("@pulumi/pulumi/proto/analyzer_pb") as any;
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as any;
type RpcFun = (call: { request: unknown }, callback: (err: unknown, resp: any) => void) => Promise<void>;

const ADVISORY = 0;
const MANDATORY = 1;

interface Built {
  type: string;
  name: string;
  props: Record<string, unknown>;
  propertyDependencies?: Record<string, string[]>;
}

function fill(msg: any, r: Built): any {
  msg.setType(tokenOf(r.type));
  msg.setName(r.name);
  msg.setUrn(urnOf(r.type, r.name));
  msg.setProperties(Struct.fromJavaScript({ __provider: PROVIDER, ...r.props }));
  msg.setOptions(new pb.AnalyzerResourceOptions());
  return msg;
}

function stackRequest(resources: Built[]): any {
  const req = new pb.AnalyzeStackRequest();
  req.setResourcesList(
    resources.map((r) => {
      const msg = fill(new pb.AnalyzerResource(), r);
      const deps = r.propertyDependencies ?? {};
      msg.setDependenciesList([...new Set(Object.values(deps).flat())]);
      for (const [key, urns] of Object.entries(deps)) {
        const d = new pb.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        msg.getPropertydependenciesMap().set(key, d);
      }
      return msg;
    }),
  );
  return req;
}

interface Result {
  diagnostics: { policy: string; message: string; level: number; urn: string }[];
  notApplicable: { policy: string; reason: string }[];
}

async function call(fun: RpcFun, request: unknown): Promise<Result> {
  let error: unknown;
  let resp: any;
  await fun({ request }, (e, r) => {
    error = e;
    resp = r;
  });
  if (error) throw error;
  return {
    diagnostics: resp.getDiagnosticsList().map((d: any) => ({
      policy: d.getPolicyname(),
      message: d.getMessage(),
      level: d.getEnforcementlevel(),
      urn: d.getUrn(),
    })),
    notApplicable: resp
      .getNotApplicableList()
      .map((n: any) => ({ policy: n.getPolicyName(), reason: n.getReason() })),
  };
}

const analyzeStack = (resources: Built[]) =>
  call(
    server.makeAnalyzeStackRpcFun("managed-redis", "0.1.0", "advisory", allPolicies),
    stackRequest(resources),
  );
const analyze = (r: Built) =>
  call(
    server.makeAnalyzeRpcFun("managed-redis", "0.1.0", "advisory", allPolicies),
    fill(new pb.AnalyzeRequest(), r),
  );

const INSTANCE = {
  type: "alicloud:kvstore/instance:Instance",
  name: "tair",
  props: { instanceClass: "redis.shard.small.2.ce" },
};
const instanceUrn = urnOf(INSTANCE.type, INSTANCE.name);

describe("the pack under @pulumi/policy's analyzer", () => {
  it("really hands policies a proxy that throws on unknown values (why the policies copy props first)", () => {
    const proxied = (policy as any).unknownCheckingProxy({ instanceId: UNKNOWN });
    expect(() => proxied.instanceId).toThrow(policy.UnknownValueError);
  });

  it("blocks SSL plus a direct connection on one instance whose id is unknown at preview", async () => {
    const result = await analyzeStack([
      INSTANCE,
      {
        type: "InstanceSSL",
        name: "ssl",
        props: instanceSslProps({ instanceId: UNKNOWN }),
        propertyDependencies: { instanceId: [instanceUrn] },
      },
      {
        type: "TairDirectConnection",
        name: "direct",
        props: directConnectionProps({ instanceId: UNKNOWN }),
        propertyDependencies: { instanceId: [instanceUrn] },
      },
    ]);
    expect(result.diagnostics).toEqual([
      {
        policy: "tair-ssl-direct-connection-exclusive",
        // The server puts the policy's description before the message.
        message:
          `${tairSslDirectConnectionExclusive.description}\n` +
          'TairDirectConnection "direct" allocates a direct connection on the Tair instance whose id comes from ' +
          'alicloud:kvstore/instance:Instance "tair", where InstanceSSL "ssl" enables SSL. A Tair instance cannot ' +
          "have both: AllocateDirectConnection requires SSL encryption to be disabled. Set enabled: false (or " +
          '"Disable") on InstanceSSL "ssl", or remove TairDirectConnection "direct" and connect through the ' +
          "instance's proxy endpoint.",
        level: MANDATORY,
        urn: urnOf("TairDirectConnection", "direct"),
      },
    ]);
    expect(result.notApplicable.map((n) => n.policy)).toEqual(["kakao-shard-count"]);
  });

  it("keeps mandatory violations and adds one advisory note for what preview cannot tell", async () => {
    const result = await analyzeStack([
      { type: "InstanceSSL", name: "ssl", props: instanceSslProps() },
      { type: "InstanceSSL", name: "other", props: instanceSslProps({ instanceId: UNKNOWN }) },
      { type: "TairDirectConnection", name: "direct", props: directConnectionProps() },
    ]);
    const tair = result.diagnostics.filter((d) => d.policy === "tair-ssl-direct-connection-exclusive");
    expect(tair).toEqual([
      expect.objectContaining({
        level: MANDATORY,
        message: expect.stringContaining(`Tair instance "${TAIR_ID}"`),
      }),
      {
        policy: "tair-ssl-direct-connection-exclusive",
        level: ADVISORY,
        urn: "",
        message:
          "can't run policy 'tair-ssl-direct-connection-exclusive' from policy pack 'managed-redis@v0.1.0' during " +
          'preview: The instance ids of InstanceSSL "other" and TairDirectConnection "direct" are not known yet, so ' +
          "whether they target the same Tair instance cannot be checked during preview.",
      },
    ]);
  });

  it("finds a KakaoShard's cluster through property dependencies sent as URNs", async () => {
    const cluster = {
      type: "KakaoRedisCluster",
      name: "cache",
      props: clusterProps({
        shardCount: 12,
        subnetAssignments: Array.from({ length: 12 }, () => assignment(2)),
      }),
    };
    const shard = {
      type: "KakaoShard",
      name: "extra",
      props: shardProps(),
      propertyDependencies: { clusterId: [urnOf("KakaoRedisCluster", "cache")] },
    };
    const result = await analyzeStack([shard, cluster]);
    const kakao = result.diagnostics.filter((d) => d.policy === "kakao-shard-count");
    expect(kakao).toEqual([
      expect.objectContaining({
        level: MANDATORY,
        urn: urnOf("KakaoRedisCluster", "cache"),
        message: expect.stringMatching(
          /\nKakaoRedisCluster "cache" would have 13 shards: shardCount 12 plus 1 KakaoShard \("extra"\)/,
        ),
      }),
    ]);
  });

  it("runs the resource policies on inputs with unknowns without failing the preview", async () => {
    const result = await analyze({
      type: "KakaoRedisCluster",
      name: "cache",
      props: clusterProps({ version: "5.0.6", backupSchedule: UNKNOWN }),
    });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        policy: "redis-allowed-versions",
        level: ADVISORY,
        message: expect.stringContaining('KakaoRedisCluster "cache" uses Redis 5.0.6'),
      }),
      expect.objectContaining({
        policy: "redis-backup-retention",
        level: ADVISORY,
        message:
          "can't run policy 'redis-backup-retention' from policy pack 'managed-redis@v0.1.0' during preview: " +
          'The backupSchedule of KakaoRedisCluster "cache" is not known yet, so it cannot be checked during preview.',
      }),
    ]);
    expect(result.notApplicable).toEqual([]);
  });

  it("answers not-applicable for resources a resource policy does not cover", async () => {
    const result = await analyze({ type: "InstanceSSL", name: "ssl", props: instanceSslProps() });
    expect(result.diagnostics).toEqual([]);
    expect(result.notApplicable.map((n) => n.policy).sort()).toEqual([
      "redis-allowed-versions",
      "redis-backup-retention",
      "redis-replicas-per-shard",
    ]);
    expect(tokenOf("InstanceSSL")).toBe(TYPE_TOKENS.InstanceSSL);
  });
});
