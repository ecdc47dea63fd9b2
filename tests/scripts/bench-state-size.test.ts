/** The bench's state-size measure (scripts/bench/state-size.js): bytes of each resource's entry in `pulumi stack export`. */
const { stateSizes, shortType } = require("../../scripts/bench/state-size") as {
  stateSizes(deployment: unknown): {
    types: Record<string, { token: string; count: number; min: number; max: number; total: number }>;
    resources: number;
    resourceBytes: number;
    engineBytes: number;
    deploymentBytes: number;
  };
  shortType(token: string): string;
};

const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x));

describe("scripts/bench/state-size", () => {
  const stack = { urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", type: "pulumi:pulumi:Stack" };
  const provider = {
    urn: "urn:...::default",
    type: "pulumi:providers:managed-redis",
    inputs: { version: "1.0.0" },
  };
  const dynamic = (name: string, shim: string) => ({
    urn: `urn:pulumi:s::p::pulumi-nodejs:dynamic/kakaocloud:KakaoShard::${name}`,
    type: "pulumi-nodejs:dynamic/kakaocloud:KakaoShard",
    inputs: { __provider: shim, clusterId: "c-1", nodeCount: 2 },
    outputs: { __provider: shim, clusterId: "c-1", nodeCount: 2, shardId: "003" },
  });
  const plugin = {
    urn: "urn:pulumi:s::p::managed-redis:kakaocloud:KakaoShard::shard-0",
    type: "managed-redis:kakaocloud:KakaoShard",
    inputs: { clusterId: "c-1", nodeCount: 2 },
    outputs: { clusterId: "c-1", nodeCount: 2, shardId: "003" },
  };

  it("measures each resource entry's compact JSON, keyed by the type's last segment across faces", () => {
    expect(shortType("pulumi-nodejs:dynamic/kakaocloud:KakaoShard")).toBe("KakaoShard");
    expect(shortType("managed-redis:kakaocloud:KakaoShard")).toBe("KakaoShard");
    const a = dynamic("shard-0", "exports.handler = x".repeat(10));
    const b = dynamic("shard-1", "exports.handler = y".repeat(20));
    const d = stateSizes({ resources: [stack, provider, a, b] });
    expect(Object.keys(d.types)).toEqual(["KakaoShard"]);
    expect(d.types.KakaoShard).toEqual({
      token: "pulumi-nodejs:dynamic/kakaocloud:KakaoShard",
      count: 2,
      min: bytes(a),
      max: bytes(b),
      total: bytes(a) + bytes(b),
    });
    expect(d.resources).toBe(2);
    expect(d.resourceBytes).toBe(bytes(a) + bytes(b));
    const p = stateSizes({ resources: [stack, provider, plugin] });
    expect(p.types.KakaoShard.max).toBe(bytes(plugin));
    // The dynamic face's entry carries `__provider` twice (inputs and outputs); the plugin's does not.
    expect(d.types.KakaoShard.min - p.types.KakaoShard.max).toBeGreaterThan(2 * 190);
  });

  it("counts the engine's own entries (stack, providers) apart, and the whole deployment", () => {
    const dep = { manifest: { time: "t" }, resources: [stack, provider, plugin] };
    const s = stateSizes(dep);
    expect(s.resources).toBe(1);
    expect(s.engineBytes).toBe(bytes(stack) + bytes(provider));
    expect(s.deploymentBytes).toBe(bytes(dep));
    expect(stateSizes({})).toEqual({
      types: {},
      resources: 0,
      resourceBytes: 0,
      engineBytes: 0,
      deploymentBytes: 2,
    });
  });
});
