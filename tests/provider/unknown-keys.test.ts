/**
 * Every public resource refuses an input key its schema does not name, the same way: one failure
 * per key at the key's own property path, `did you mean <key>?` when a known key is close, the
 * allowed keys otherwise; nested objects too; the engine's own keys (`__provider`, `__...`) pass.
 * Driven through each provider's `check()`, as the engine calls it at preview.
 */
import type * as pulumi from "@pulumi/pulumi";
import { provider as directConnection } from "../../provider/alicloud/direct-connection";
import { provider as instanceSsl } from "../../provider/alicloud/instance-ssl";
import { z } from "zod";
import { closestKey, UNKNOWN, validate } from "../../provider/core/validation";
import { provider as dcsInstanceSsl } from "../../provider/huaweicloud/dcs-instance-ssl";
import { provider as cluster } from "../../provider/kakaocloud/cluster";
import { provider as replica } from "../../provider/kakaocloud/replica";
import { provider as shard } from "../../provider/kakaocloud/shard";
import { clusterInputs } from "../helpers/kakao";

interface Case {
  type: string;
  provider: pulumi.dynamic.ResourceProvider;
  /** Inputs check() accepts as they are. */
  valid: Record<string, unknown>;
  /** A misspelling of one of its keys, and the key meant. */
  typo: [string, string];
}

const SUBNETS = { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] };

const CASES: Case[] = [
  {
    type: "KakaoRedisCluster",
    provider: cluster,
    valid: { ...clusterInputs() },
    typo: ["shardcount", "shardCount"],
  },
  {
    type: "KakaoShard",
    provider: shard,
    valid: { clusterId: "c-1", nodeCount: 2, subnetAssignments: SUBNETS },
    typo: ["nodeCuont", "nodeCount"],
  },
  {
    type: "KakaoReplica",
    provider: replica,
    valid: { clusterId: "c-1", shardId: "001", subnetId: "subnet-a" },
    typo: ["subnetID", "subnetId"],
  },
  {
    type: "TairDirectConnection",
    provider: directConnection,
    valid: { instanceId: "r-dc-1" },
    typo: ["prot", "port"],
  },
  {
    type: "InstanceSSL",
    provider: instanceSsl,
    valid: { instanceId: "r-ssl-1", enabled: true },
    typo: ["leaveOnDestory", "leaveOnDestroy"],
  },
  {
    type: "DcsInstanceSSL",
    provider: dcsInstanceSsl,
    valid: { projectId: "p-1", instanceId: "5560df16-cebf-4473-95c4-d1b573c16e79", enabled: true },
    typo: ["leaveOnDestory", "leaveOnDestroy"],
  },
];

/** check() as the engine calls it: no olds (a create), the program's inputs. */
const checkOf = (p: pulumi.dynamic.ResourceProvider, news: object) => p.check!({}, news);

async function failuresOf(c: Case, extra: Record<string, unknown>) {
  const news = { ...c.valid, ...extra, __provider: "serialized provider text" };
  const result = await c.provider.check!({}, news);
  return result.failures ?? [];
}

describe.each(CASES)("$type refuses unknown input keys", (c) => {
  it("accepts its valid inputs with the engine's keys", async () => {
    expect(await failuresOf(c, { __internalFlag: true })).toEqual([]);
  });

  it(`names the key meant for a misspelling (${c.typo[0]} → ${c.typo[1]})`, async () => {
    const [typo, meant] = c.typo;
    expect(await failuresOf(c, { [typo]: c.valid[meant] ?? true })).toEqual([
      { property: typo, reason: `unknown property "${typo}"; did you mean ${meant}?` },
    ]);
  });

  it("lists the allowed keys when none is close, one failure per key at its path", async () => {
    const failures = await failuresOf(c, { colour: "blue", tags: { env: "x" } });
    expect(failures.map((f) => f.property)).toEqual(["colour", "tags"]);
    for (const f of failures) {
      expect(f.reason).toMatch(new RegExp(`^unknown property "${f.property}"; allowed: .*\\btimeouts\\b`));
      expect(f.reason).not.toMatch(/__provider/);
    }
  });

  it("refuses a misspelt key at preview, when the other inputs are unknown (outputs of other resources)", async () => {
    const [typo, meant] = c.typo;
    const unknowns = Object.fromEntries(Object.keys(c.valid).map((k) => [k, UNKNOWN]));
    const news = { ...unknowns, [typo]: UNKNOWN, __provider: "serialized provider text" };
    expect((await c.provider.check!({}, news)).failures).toEqual([
      { property: typo, reason: `unknown property "${typo}"; did you mean ${meant}?` },
    ]);
  });

  it("refuses an unknown key inside timeouts at timeouts.<key>", async () => {
    expect(await failuresOf(c, { timeouts: { craete: "5m" } })).toEqual([
      { property: "timeouts.craete", reason: 'unknown property "craete"; did you mean create?' },
    ]);
  });
});

describe("nested objects", () => {
  it("KakaoRedisCluster: subnetAssignments[0].primary.idd", async () => {
    const inputs = clusterInputs();
    inputs.subnetAssignments[0] = { primary: { idd: "subnet-a" } as never, replicas: [{ id: "subnet-b" }] };
    const { failures } = await checkOf(cluster, inputs);
    expect(failures).toEqual(
      expect.arrayContaining([
        { property: "subnetAssignments[0].primary.idd", reason: 'unknown property "idd"; did you mean id?' },
      ]),
    );
  });

  it("KakaoRedisCluster: backupSchedule.retention and user.passwd", async () => {
    const { failures } = await checkOf(
      cluster,
      clusterInputs({
        backupSchedule: { cron: "0 3 * * *", retentionLimit: 7, retention: 3 } as never,
        user: { name: "app", passwd: "x" } as never,
      }),
    );
    expect(failures).toEqual([
      { property: "user.passwd", reason: 'unknown property "passwd"; did you mean password?' },
      {
        property: "backupSchedule.retention",
        reason: 'unknown property "retention"; allowed: cron, retentionLimit',
      },
    ]);
  });

  it("KakaoShard: the assignment given as an object or as a one-element list", async () => {
    const one = { primary: { id: "subnet-a", name: "x" }, replicas: [{ id: "subnet-b" }] };
    const asObject = await checkOf(shard, { clusterId: "c-1", nodeCount: 2, subnetAssignments: one });
    expect(asObject.failures).toEqual([
      { property: "subnetAssignments.primary.name", reason: 'unknown property "name"; allowed: id' },
    ]);
    const asList = await checkOf(shard, { clusterId: "c-1", nodeCount: 2, subnetAssignments: [one] });
    expect(asList.failures).toEqual([
      { property: "subnetAssignments[0].primary.name", reason: 'unknown property "name"; allowed: id' },
    ]);
  });
});

describe("closestKey", () => {
  test.each([
    ["leaveOnDestory", "leaveOnDestroy"],
    ["leaveondestroy", "leaveOnDestroy"],
    ["enable", "enabled"],
    ["instanceID", "instanceId"],
    ["colour", undefined],
    ["id", undefined],
  ])("%s → %s", (key, expected) => {
    expect(closestKey(key, ["instanceId", "enabled", "leaveOnDestroy", "port", "timeouts"])).toBe(expected);
  });
});

describe("validate(): unknown keys through the schema's wrappers", () => {
  const inner = (key: string) => z.object({ [key]: z.string() }).strict();
  const schema = z
    .object({
      opt: inner("alpha").optional(),
      nul: inner("beta").nullable().optional(),
      def: inner("gamma").default({ gamma: "g" }),
      list: z.array(inner("delta")).optional(),
      either: z.union([inner("epsilon"), z.array(inner("epsilon"))]).optional(),
      shape: z.union([inner("zeta"), inner("eta")]).optional(),
    })
    .strict();
  const failures = (value: unknown) => {
    const r = validate(schema, value);
    return r.ok ? [] : r.failures;
  };

  test.each([
    [{ opt: { alpah: "x" } }, "opt.alpah", "did you mean alpha?"],
    [{ nul: { beat: "x" } }, "nul.beat", "did you mean beta?"],
    [{ def: { gama: "x" } }, "def.gama", "did you mean gamma?"],
    [{ list: [{ delta: "x" }, { detla: "x" }] }, "list[1].detla", "did you mean delta?"],
    [{ either: { epsilon: "x", other: 1 } }, "either.other", "allowed: epsilon"],
    [{ either: [{ epsilon: "x", other: 1 }] }, "either[0].other", "allowed: epsilon"],
  ])("%j: %s, %s", (value, property, hint) => {
    expect(failures(value)).toContainEqual({ property, reason: expect.stringContaining(hint) });
  });

  it("keeps the union's own message when more than one option has the value's shape", () => {
    expect(failures({ shape: { other: 1 } })).toEqual([{ property: "shape", reason: "Invalid input" }]);
  });

  it("judges no engine key, and an unknown key even when its value is unknown at preview", () => {
    expect(failures({ opt: { alpha: "a" }, __anything: 1 })).toEqual([]);
    expect(validate(schema, { oops: UNKNOWN })).toEqual({
      ok: false,
      failures: [{ property: "oops", reason: expect.stringContaining('unknown property "oops"') }],
    });
  });
});
