/**
 * The read-back and diff rules of provider/kakaocloud/readback.ts (and two check messages of
 * provider/kakaocloud/cluster-inputs.ts) for the values the mutation run left untested.
 *
 * The live values come from the API's JSON as the client passes it on (`ApiCluster` is a type, not
 * a check): a field may be null, a list may hold `null` or references without an id, an object may
 * lack a field or be a text, a scalar may come back as a list or an object. A read must write such a
 * value back as drift (in the declared shape where it has one), never throw, never mistake it for
 * the declared value.
 */
import { provider, type KakaoRedisClusterInputs } from "../../../provider/kakaocloud/cluster";
import { readBack } from "../../../provider/kakaocloud/readback";
import { clusterInputs } from "../../helpers/kakao";

const schedule = { object: ["cron", "retentionLimit"] } as const;
const declaredSchedule = { cron: "0 3 * * *", retentionLimit: 7 };

describe("readBack of an id list (subnets, securityGroups)", () => {
  it("writes back a live value that is not a list as it came, without throwing", () => {
    const declared = [{ id: "subnet-a" }];
    expect(readBack(declared, "subnet-a", "idSet")).toBe("subnet-a");
    expect(readBack(declared, { id: "subnet-a" }, "idSet")).toEqual({ id: "subnet-a" });
    expect(readBack(declared, 3, "idSet")).toBe(3);
  });

  it("reads a null element or one without an id as the empty id, in the declared shape", () => {
    const declared = [{ id: "subnet-a" }];
    expect(readBack(declared, [null, { id: "subnet-b" }], "idSet")).toEqual([{ id: "" }, { id: "subnet-b" }]);
    expect(readBack(declared, [{ name: "no id" }], "idSet")).toEqual([{ id: "" }]);
  });

  it.each(["subnet-a", "x", "null"])("a live reference without an id matches no declared id (%j)", (id) => {
    expect(readBack([{ id }], [{}], "idSet")).toEqual([{ id: "" }]);
    expect(readBack([{ id }], [{ id: undefined }], "idSet")).toEqual([{ id: "" }]);
  });
});

describe("readBack of a scalar (name, version, tlsEnabled, ...)", () => {
  it("writes back a list or an object as it came (a scalar has no declared shape)", () => {
    const list = [{ id: "7.2.6", extra: 1 }];
    expect(readBack("7.2.6", list, "scalar")).toEqual(list);
    expect(readBack("7.2.6", ["7.2.6"], "scalar")).toEqual(["7.2.6"]);
    const object = { major: 7, minor: 2 };
    expect(readBack("7.2.6", object, "scalar")).toEqual(object);
  });

  it("keeps the declared value when the API reports null (not reported)", () => {
    expect(readBack("test", null, "scalar")).toBe("test");
    expect(readBack(true, null, "scalar")).toBe(true);
    const declared = [{ id: "sg-1" }];
    expect(readBack(declared, null, "idSet")).toBe(declared);
    expect(readBack(declaredSchedule, null, schedule)).toBe(declaredSchedule);
  });
});

describe("readBack of backupSchedule", () => {
  it("tells the cron fields apart: spacing is ignored, field boundaries are not", () => {
    expect(
      readBack({ cron: "0 3 1 * *", retentionLimit: 7 }, { cron: "0 31 * * *", retentionLimit: 7 }, schedule),
    ).toEqual({ cron: "0 31 * * *", retentionLimit: 7 });
    expect(
      readBack(
        { cron: "0 31 * * *", retentionLimit: 7 },
        { cron: "03 1 * * *", retentionLimit: 7 },
        schedule,
      ),
    ).toEqual({ cron: "03 1 * * *", retentionLimit: 7 });
    const s = { cron: "0 3 1 * *", retentionLimit: 7 };
    expect(readBack(s, { cron: "0  3   1 * *", retentionLimit: 7 }, schedule)).toBe(s);
  });

  it("reports another retention limit as drift", () => {
    expect(readBack(declaredSchedule, { cron: "0 3 * * *", retentionLimit: 14 }, schedule)).toEqual({
      cron: "0 3 * * *",
      retentionLimit: 14,
    });
    expect(
      readBack(declaredSchedule, { cron: " 0 3 * * * ", retentionLimit: 1, enabled: true }, schedule),
    ).toEqual({ cron: " 0 3 * * * ", retentionLimit: 1 });
  });

  it("reports a schedule without a cron, or a cron that is not a text, without throwing", () => {
    expect(readBack(declaredSchedule, { retentionLimit: 7 }, schedule)).toEqual({ retentionLimit: 7 });
    expect(readBack(declaredSchedule, { cron: 3, retentionLimit: 7 }, schedule)).toEqual({
      cron: 3,
      retentionLimit: 7,
    });
  });

  it("writes back a live schedule that is not an object as it came", () => {
    expect(readBack(declaredSchedule, "daily", schedule)).toBe("daily");
    expect(readBack(declaredSchedule, 7, schedule)).toBe(7);
    expect(readBack(declaredSchedule, true, schedule)).toBe(true);
  });
});

describe("diff of user (compared field by field, create-only)", () => {
  const diff = (olds: Partial<KakaoRedisClusterInputs>, news: Partial<KakaoRedisClusterInputs>) =>
    provider.diff!("c-1", clusterInputs(olds) as never, clusterInputs(news));

  it("replaces the cluster for another password or name, spacing included", async () => {
    for (const [from, to] of [
      [
        { name: "app", password: "secret-one" },
        { name: "app", password: "secret-two" },
      ],
      [
        { name: "app", password: "pass word" },
        { name: "app", password: "pass  word" },
      ],
      [
        { name: "app", password: "secret" },
        { name: "app", password: " secret" },
      ],
      [
        { name: "app", password: "p" },
        { name: "other", password: "p" },
      ],
    ]) {
      const d = await diff({ user: from }, { user: to });
      expect({ from, to, ...d }).toEqual({
        from,
        to,
        changes: true,
        replaces: ["user"],
        deleteBeforeReplace: true,
      });
    }
  });

  it("finds no change for the same user", async () => {
    const d = await diff(
      { user: { name: "a b", password: "p  q" } },
      { user: { password: "p  q", name: "a b" } },
    );
    expect(d).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });
});

describe("check of subnetAssignments replicas (cluster-inputs.ts)", () => {
  it("says how many replica subnets nodeCountPerShard needs and how many were given", async () => {
    const failures = (await provider.check!({} as never, clusterInputs({ nodeCountPerShard: 3 }))).failures;
    expect(failures).toEqual([
      {
        property: "subnetAssignments[0].replicas",
        reason: "needs nodeCountPerShard - 1 = 2 replica subnets, 1 given",
      },
      {
        property: "subnetAssignments[1].replicas",
        reason: "needs nodeCountPerShard - 1 = 2 replica subnets, 1 given",
      },
    ]);
  });
});
