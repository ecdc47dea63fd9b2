/**
 * One declaration per resource (provider/core/declaration.ts): both faces come from it. The tokens
 * it derives are the ones existing stacks hold (written out below as literals: a change of a
 * declaration's cloud or name fails here), the class a program constructs registers under its
 * token, and the plugin's schema reads the resource's, the inputs' and the outputs' descriptions,
 * the output types and the replacing inputs from it — a change of the declaration shows there.
 */
import * as pulumi from "@pulumi/pulumi";
import { declareResource, described, STRING } from "../../../provider/core/declaration";
import { SHIM_KEYS } from "../../../provider/core/shim";
import { DCS_INSTANCE_SSL } from "../../../provider/huaweicloud/dcs-instance-ssl.resource";
import { PLUGIN_RESOURCES, resourceOf } from "../../../provider/plugin/declarations";
import { inputJsonSchema, packageSchema } from "../../../provider/plugin/schema";
import { KAKAO_CLUSTER_SETTLED } from "../../../provider/kakaocloud/cluster-settled.resource";
import { KAKAO_MEMBER_SETTLED } from "../../../provider/kakaocloud/settled.resource";
import { PLUGIN_TYPE_TOKENS, TYPE_TOKENS } from "../../../provider/tokens";

/** The six public declarations (the plugin serves them) and the two internal children's. */
const PUBLIC_DECLARATIONS = PLUGIN_RESOURCES;
const DECLARATIONS = [...PLUGIN_RESOURCES, KAKAO_MEMBER_SETTLED, KAKAO_CLUSTER_SETTLED];

/** What existing stacks and programs hold: name → [dynamic token, plugin token (public types only)]. */
const EXISTING: Record<string, [string, string | undefined]> = {
  KakaoRedisCluster: [
    "pulumi-nodejs:dynamic/kakaocloud:KakaoRedisCluster",
    "managed-redis:kakaocloud:KakaoRedisCluster",
  ],
  KakaoShard: ["pulumi-nodejs:dynamic/kakaocloud:KakaoShard", "managed-redis:kakaocloud:KakaoShard"],
  KakaoReplica: ["pulumi-nodejs:dynamic/kakaocloud:KakaoReplica", "managed-redis:kakaocloud:KakaoReplica"],
  KakaoMemberSettled: ["pulumi-nodejs:dynamic/kakaocloud:KakaoMemberSettled", undefined],
  KakaoClusterSettled: ["pulumi-nodejs:dynamic/kakaocloud:KakaoClusterSettled", undefined],
  TairDirectConnection: [
    "pulumi-nodejs:dynamic/alicloud:TairDirectConnection",
    "managed-redis:alicloud:TairDirectConnection",
  ],
  InstanceSSL: ["pulumi-nodejs:dynamic/alicloud:InstanceSSL", "managed-redis:alicloud:InstanceSSL"],
  DcsInstanceSSL: [
    "pulumi-nodejs:dynamic/huaweicloud:DcsInstanceSSL",
    "managed-redis:huaweicloud:DcsInstanceSSL",
  ],
};

/** The classes by name, as a program imports them (the internal children from their files). */
const CLASSES: Record<string, { __pulumiType: string }> = {
  ...(require("../../../provider") as Record<string, { __pulumiType: string }>),
  KakaoMemberSettled: require("../../../provider/kakaocloud/settled.resource").KakaoMemberSettled,
  KakaoClusterSettled: require("../../../provider/kakaocloud/cluster-settled.resource").KakaoClusterSettled,
};

describe("the declarations' tokens", () => {
  it("are the tokens of existing stacks, on both faces, for exactly the eight types", () => {
    expect(DECLARATIONS.map((d) => d.name).sort()).toEqual(Object.keys(EXISTING).sort());
    for (const d of DECLARATIONS) {
      const [dynamic, plugin] = EXISTING[d.name];
      expect(d.token).toBe(dynamic);
      expect((TYPE_TOKENS as Record<string, string>)[d.name]).toBe(dynamic);
      expect(d.internal ? undefined : d.pluginToken).toBe(plugin);
      expect((PLUGIN_TYPE_TOKENS as Record<string, string>)[d.name]).toBe(plugin);
    }
    expect(Object.keys(TYPE_TOKENS)).toHaveLength(8);
    expect(Object.keys(PLUGIN_TYPE_TOKENS)).toHaveLength(6);
  });

  it("are each class's __pulumiType, and the __pulumiType's type is the literal token", () => {
    for (const d of DECLARATIONS) expect(CLASSES[d.name].__pulumiType).toBe(d.token);
    // A type-level check as well: policies and programs compare with the literal.
    const { DcsInstanceSSL } = require("../../../provider") as typeof import("../../../provider");
    const literal: "pulumi-nodejs:dynamic/huaweicloud:DcsInstanceSSL" = DcsInstanceSSL.__pulumiType;
    expect(literal).toBe(EXISTING.DcsInstanceSSL[0]);
  });

  it("name distinct implementation modules, each with its registry key", () => {
    const modules = DECLARATIONS.map((d) => d.module);
    expect(new Set(modules).size).toBe(modules.length);
    expect(modules.sort()).toEqual(Object.keys(SHIM_KEYS).sort());
  });

  it("serve the plugin: the six public declarations, found by their plugin token", () => {
    expect(PLUGIN_RESOURCES.map((r) => r.name)).toEqual(
      Object.entries(EXISTING)
        .filter(([, [, plugin]]) => plugin)
        .map(([name]) => name),
    );
    for (const r of PLUGIN_RESOURCES) expect(resourceOf(EXISTING[r.name][1]!)).toBe(r);
    expect(resourceOf(EXISTING.KakaoMemberSettled[0])).toBeUndefined();
  });
});

describe("the class a program constructs", () => {
  const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
  beforeAll(() => {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs });
          return { id: args.type.endsWith("KakaoShard") ? "c/001" : "c/001/n", state: args.inputs };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );
  });

  it("registers under its declaration's token, and its settle child under its own", async () => {
    const { DcsInstanceSSL, KakaoShard } = require("../../../provider") as typeof import("../../../provider");
    const ssl = new DcsInstanceSSL("ssl", { instanceId: "i", enabled: true });
    const shard = new KakaoShard("extra", {
      clusterId: "c",
      nodeCount: 1,
      subnetAssignments: { primary: { id: "s" }, replicas: [] },
    });
    await new Promise<void>((resolve) => pulumi.all([ssl.urn, shard.status]).apply(() => resolve()));
    expect(registered.map((r) => [r.name, r.type])).toEqual(
      expect.arrayContaining([
        ["ssl", EXISTING.DcsInstanceSSL[0]],
        ["extra", EXISTING.KakaoShard[0]],
        ["extra-settled", EXISTING.KakaoMemberSettled[0]],
      ]),
    );
  });
});

describe("the plugin's schema, from the declarations", () => {
  const schema = packageSchema("0.0.1");

  it("has one resource per public declaration, with its description and every output's", () => {
    expect(Object.keys(schema.resources).sort()).toEqual(
      PUBLIC_DECLARATIONS.map((d) => d.pluginToken).sort(),
    );
    for (const d of PUBLIC_DECLARATIONS) {
      const res = schema.resources[d.pluginToken];
      expect(res.description).toBe(d.description);
      for (const [name, spec] of Object.entries({ ...d.outputs, ...d.pluginOutputs })) {
        expect(res.properties[name]).toMatchObject({ ...spec, description: expect.any(String) });
      }
    }
  });

  it.each(PUBLIC_DECLARATIONS.map((d) => [d.name, d] as const))(
    "%s: every zod input has a description in the declaration, and every description a zod input",
    (_name, d) => {
      const zodInputs = Object.keys(inputJsonSchema(d).properties ?? {});
      expect(Object.keys(d.inputs).sort()).toEqual([...zodInputs].sort());
      const res = schema.resources[d.pluginToken];
      for (const key of zodInputs) {
        expect(d.inputs[key]).toMatch(/\w{3,}/);
        expect(res.inputProperties[key].description).toBe(d.inputs[key]);
        expect(res.properties[key].description).toBe(d.inputs[key]);
      }
    },
  );

  it("follows a change of a declaration: description, an input's description, a new output", () => {
    jest.isolateModules(() => {
      const path = "../../../provider/huaweicloud/dcs-instance-ssl.resource";
      const actual = jest.requireActual(path) as { DCS_INSTANCE_SSL: typeof DCS_INSTANCE_SSL };
      const changed = {
        ...actual.DCS_INSTANCE_SSL,
        description: "Changed in the declaration.",
        inputs: { ...actual.DCS_INSTANCE_SSL.inputs, enabled: "Whether SSL is on (changed)." },
        outputs: { ...actual.DCS_INSTANCE_SSL.outputs, sslCipher: described(STRING, "The cipher.") },
      };
      jest.doMock(path, () => ({ ...actual, DCS_INSTANCE_SSL: changed }));
      const { packageSchema: fresh } = require("../../../provider/plugin/schema");
      const dcs = fresh("0.0.1").resources["managed-redis:huaweicloud:DcsInstanceSSL"];
      expect(dcs.description).toBe("Changed in the declaration.");
      expect(dcs.inputProperties.enabled).toEqual({
        type: "boolean",
        description: "Whether SSL is on (changed).",
      });
      expect(dcs.properties.sslCipher).toEqual({ type: "string", description: "The cipher." });
      jest.dontMock(path);
    });
    const dcs = schema.resources["managed-redis:huaweicloud:DcsInstanceSSL"];
    expect(dcs.description).toBe(DCS_INSTANCE_SSL.description);
    expect(dcs.properties.sslCipher).toBeUndefined();
  });

  it("takes the replacing inputs from the declaration (a list, every input, or the implementation's rules)", () => {
    const replacing = (token: string) =>
      Object.entries(schema.resources[token].inputProperties)
        .filter(([, p]) => p.replaceOnChanges)
        .map(([k]) => k)
        .sort();
    expect(replacing("managed-redis:huaweicloud:DcsInstanceSSL")).toEqual(["instanceId", "projectId"]);
    expect(replacing("managed-redis:kakaocloud:KakaoReplica")).toEqual(["clusterId", "shardId", "subnetId"]);
    expect(replacing("managed-redis:kakaocloud:KakaoRedisCluster")).toEqual([
      "backupSchedule",
      "flavorId",
      "name",
      "port",
      "securityGroups",
      "subnets",
      "tlsEnabled",
      "user",
      "version",
    ]);
  });
});

describe("declareResource", () => {
  interface Inputs {
    instanceId: string;
    enabled?: boolean;
  }
  const base = {
    name: "DcsInstanceSSL",
    module: "huaweicloud/dcs-instance-ssl",
    description: "An example.",
    inputSchema: () => require("zod").z.object({}),
    outputs: { ip: described(STRING, "An address.") },
    replaceOnChanges: ["instanceId"],
    unreported: [],
  } as const;

  it("derives the cloud and both tokens from the name (tokens.ts), and lists the outputs in order", () => {
    const d = declareResource<Inputs>()({ ...base, inputs: { instanceId: "Id.", enabled: "On." } });
    expect([d.cloud, d.token, d.pluginToken]).toEqual([
      "huaweicloud",
      "pulumi-nodejs:dynamic/huaweicloud:DcsInstanceSSL",
      "managed-redis:huaweicloud:DcsInstanceSSL",
    ]);
    expect(d.outputNames).toEqual(["ip"]);
    expect(Object.isFrozen(d)).toBe(true);
  });

  it("is refused by the compiler, not at run time, when an input description is missing or extra", () => {
    // The compiler's refusals: `npm run lint` type-checks this file, and a directive below that
    // expects an error where there is none fails it.
    const both = { instanceId: "Id.", enabled: "On." };
    // @ts-expect-error `enabled` is missing
    const missing = declareResource<Inputs>()({ ...base, inputs: { instanceId: "Id." } });
    // @ts-expect-error `port` is not an input
    const extra = declareResource<Inputs>()({ ...base, inputs: { ...both, port: "No." } });
    // @ts-expect-error `port` is not an input, so it cannot replace
    const replacing = declareResource<Inputs>()({ ...base, inputs: both, replaceOnChanges: ["port"] });
    // @ts-expect-error a type not listed in tokens.ts has no cloud, so no tokens
    const unlisted = declareResource<Inputs>()({ ...base, name: "Example", inputs: both });
    // What run time makes of them: exactly what was written, unchecked.
    void unlisted;
    expect(Object.keys(missing.inputs)).toEqual(["instanceId"]);
    expect(Object.keys(extra.inputs)).toEqual(["instanceId", "enabled", "port"]);
    expect(replacing.replaceOnChanges).toEqual(["port"]);
  });
});
