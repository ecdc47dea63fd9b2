/**
 * The `KakaoShard` provider (provider/kakaocloud/shard.ts) against a scripted client
 * (./fake-kakao-members.ts): check of the list form, the diff's layout comparison
 * (either form, any replica order, odd shapes from old states), the create's id discovery, progress
 * line, input validation, conflict message and lock deadline, the read of an imported shard, and
 * every path of delete — a 404, other errors, the lock's deadline, the wait after the call and its
 * evidence (the shard no longer listed).
 */
import { withLock } from "../../../provider/core/lock";
import { provider } from "../../../provider/kakaocloud/shard";
import { captureStderr } from "../../helpers/stderr";
import { usePollScale } from "../../helpers/time";
import { cloudError, FakeKakaoMembers, fnode, fshard } from "./fake-kakao-members";

usePollScale(0.05);

let seq = 0;
let fake: FakeKakaoMembers;
let cid: string;
let stderr: ReturnType<typeof captureStderr>;

beforeEach(() => {
  cid = `c-shard-${++seq}`;
  fake = new FakeKakaoMembers(cid);
  fake.shards = [
    fshard("001", [fnode("n-1", "subnet-a", "primary"), fnode("n-2", "subnet-b")]),
    fshard("002", [fnode("n-3", "subnet-b", "primary"), fnode("n-4", "subnet-a")]),
  ];
  fake.install();
  stderr = captureStderr();
});
afterEach(() => jest.restoreAllMocks());

const A = { id: "subnet-a" };
const B = { id: "subnet-b" };
const C = { id: "subnet-c" };
const inputs = (over: Record<string, unknown> = {}) =>
  ({ clusterId: cid, nodeCount: 2, subnetAssignments: { primary: A, replicas: [B] }, ...over }) as never;
const props = (over: Record<string, unknown> = {}) =>
  ({ ...(inputs(over) as object), shardId: "003", name: "shard-003" }) as never;

function holdLock(ms: number): Promise<void> {
  return withLock(cid, () => new Promise<void>((r) => setTimeout(r, ms)));
}

it("check points at the replicas of the one list element", async () => {
  const res = await provider.check!(
    {} as never,
    inputs({ nodeCount: 3, subnetAssignments: [{ primary: A, replicas: [B] }] }),
  );
  expect(res.failures).toEqual([
    { property: "subnetAssignments[0].replicas", reason: "needs nodeCount - 1 = 2 replica subnets, 1 given" },
  ]);
});

describe("diff compares the one assignment's layout", () => {
  const diff = (olds: unknown, news: unknown) =>
    provider.diff!(`${cid}/003`, inputs({ subnetAssignments: olds }), inputs({ subnetAssignments: news }));
  const same = { changes: false, replaces: [], deleteBeforeReplace: true };
  const replaced = { changes: true, replaces: ["subnetAssignments"], deleteBeforeReplace: true };

  it("whatever the form, the replica order or extra keys", async () => {
    const olds = { primary: { ...A, name: "old" }, replicas: [C, B] };
    expect(await diff(olds, [{ primary: A, replicas: [B, C] }])).toEqual(same);
    expect(
      await diff({ primary: A, replicas: [B, { ...C, x: 1 }] }, { primary: A, replicas: [C, B] }),
    ).toEqual(same);
  });

  it("a different primary or replica subnet replaces", async () => {
    expect(await diff({ primary: A, replicas: [B] }, { primary: C, replicas: [B] })).toEqual(replaced);
    expect(await diff({ primary: A, replicas: [B] }, { primary: A, replicas: [C] })).toEqual(replaced);
    expect(
      await diff(
        [
          { primary: A, replicas: [B] },
          { primary: A, replicas: [B] },
        ],
        [
          { primary: A, replicas: [B] },
          { primary: A, replicas: [C] },
        ],
      ),
    ).toEqual(replaced);
  });

  it("odd shapes from old states compare without throwing", async () => {
    expect(await diff({ replicas: [B] }, { replicas: [B] })).toEqual(same);
    expect(await diff({ primary: A, replicas: [null] }, { primary: A, replicas: [null] })).toEqual(same);
    expect(await diff(null, null)).toEqual(same);
    expect(await diff(undefined, undefined)).toEqual(same);
    expect(await diff("subnet-a", "subnet-b")).toEqual(replaced);
  });
});

describe("create", () => {
  it("adds the shard, returns its id at once and says so", async () => {
    fake.newStatus = "Creating";
    const created = await provider.create(inputs({ timeouts: { create: "5m" } }));
    expect(created).toEqual({
      id: `${cid}/003`,
      outs: { ...(inputs({ timeouts: { create: "5m" } }) as object), shardId: "003", name: "shard-003" },
    });
    expect(fake.ops("addShard")).toEqual(["addShard 2"]);
    expect(stderr.lines()).toContain(
      `shard added: resource id ${cid}/003; waiting for its slot migration next`,
    );
  });

  it("refuses invalid inputs, naming the resource", async () => {
    await expect(provider.create(inputs({ nodeCount: 0 }))).rejects.toThrow(
      /^invalid KakaoShard inputs: nodeCount/,
    );
    expect(fake.ops("addShard")).toEqual([]);
  });

  it("says what it added when two new shards show up", async () => {
    fake.hooks.addShard = () => {
      fake.shards.push(fshard("003", []), fshard("004", []));
    };
    await expect(provider.create(inputs())).rejects.toThrow(
      `added a shard to cluster ${cid} but found 2 new shards; another client changed the cluster at the same time`,
    );
  });

  it("gives up waiting for the cluster's lock at the create timeout", async () => {
    const held = holdLock(400);
    await expect(provider.create(inputs({ timeouts: { create: "100ms" } }))).rejects.toThrow(
      `waiting for another operation on changes of cluster ${cid} in this run to finish`,
    );
    await held;
    expect(fake.ops("addShard")).toEqual([]);
  });
});

it("reads an imported shard without nodes as zero nodes", async () => {
  fake.shards.push(fshard("003"));
  const read = await provider.read!(`${cid}/003`, undefined as never);
  expect(read).toEqual({
    id: `${cid}/003`,
    props: {
      clusterId: cid,
      nodeCount: 0,
      subnetAssignments: { primary: { id: "" }, replicas: [] },
      shardId: "003",
      name: "shard-003",
    },
  });
});

describe("delete", () => {
  beforeEach(() => fake.shards.push(fshard("003", [fnode("n-5", "subnet-a", "primary")])));

  it("deletes the shard and waits for the migration", async () => {
    await provider.delete!(`${cid}/003`, props());
    expect(fake.ops("deleteShard")).toEqual(["deleteShard 003"]);
    expect(fake.shards.map((s) => s.id)).toEqual(["001", "002"]);
  });

  it("a 404 of the call means gone: no wait follows", async () => {
    fake.hooks.deleteShard = () => {
      fake.gone = true;
      throw cloudError(404);
    };
    await provider.delete!(`${cid}/003`, props());
    expect(fake.ops("deleteShard")).toHaveLength(1);
  });

  it("other errors of the call pass through", async () => {
    const err = cloudError(500, "internal");
    fake.hooks.deleteShard = () => {
      throw err;
    };
    await expect(provider.delete!(`${cid}/003`, props())).rejects.toBe(err);
  });

  it("gives up waiting for the cluster's lock at the delete timeout", async () => {
    const held = holdLock(400);
    await expect(provider.delete!(`${cid}/003`, props({ timeouts: { delete: "100ms" } }))).rejects.toThrow(
      `waiting for another operation on changes of cluster ${cid} in this run to finish`,
    );
    await held;
    expect(fake.ops("deleteShard")).toEqual([]);
  });

  it("times out the wait after the call with what it waited for", async () => {
    fake.hooks.deleteShard = () => {
      fake.shards.pop();
      fake.busyUntil = Date.now() + 800;
    };
    const deleting = provider.delete!(`${cid}/003`, props({ timeouts: { delete: "150ms" } }));
    await expect(deleting).rejects.toThrow(
      `waiting for shard 003 of cluster ${cid} to be removed (slot migration) (last status: cluster Modifying)`,
    );
    await expect(deleting).rejects.toMatchObject({ code: "WaitTimeout" });
  });

  it("a shard still listed keeps the wait going however settled the cluster reads, until the delete timeout", async () => {
    fake.shards.push(fshard("003", [fnode("n-9", "subnet-a", "primary")]));
    fake.hooks.deleteShard = () => undefined;
    const deleting = provider.delete!(`${cid}/003`, props({ timeouts: { delete: "300ms" } }));
    await expect(deleting).rejects.toThrow(
      `waiting for shard 003 of cluster ${cid} to be removed (slot migration) ` +
        "(last status: Running, waiting for deleteShard 003 to show)",
    );
    await expect(deleting).rejects.toMatchObject({ code: "WaitTimeout" });
  });

  it("the wait ends on the first settled look that no longer lists the shard", async () => {
    fake.shards.push(fshard("003", [fnode("n-9", "subnet-a", "primary")]));
    let looks = 0;
    fake.hooks.deleteShard = () => {
      // The shard stays listed (a lagging read) for three more looks, then is gone.
      const list = fake.listShards.bind(fake);
      fake.listShards = async () => {
        const shards = await list();
        return ++looks > 3 ? shards.filter((s) => s.id !== "003") : shards;
      };
    };
    await provider.delete!(`${cid}/003`, props());
    expect(looks).toBe(4);
  });
});
