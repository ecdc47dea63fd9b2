/**
 * Unit tests of `KakaoMemberSettled`'s provider (./provider/kakaocloud/settled.ts) with a scripted
 * client (./fake-kakao-settle.ts) in place of `kakaoClient()`: the id and outputs of a settled shard
 * or replica, a member gone by the end of the wait, the default wait per kind (12 h and 2 h, on a
 * clock that moves 3 h per look) and its description, `read`, `update` and `diff` (`configure`:
 * configure.test.ts).
 */
import { StateError } from "../../../provider/core/errors";
import type { KakaoClient } from "../../../provider/kakaocloud/client";
import { noteListed } from "../../../provider/kakaocloud/evidence";
import { provider, type KakaoMemberSettledInputs } from "../../../provider/kakaocloud/settled";
import { VirtualClock, usePollScale } from "../../helpers/time";
import { FakeKakao } from "./fake-kakao-settle";

let mockClient: KakaoClient | undefined;
jest.mock("../../../provider/kakaocloud/client", () => ({
  ...jest.requireActual("../../../provider/kakaocloud/client"),
  kakaoClient: () => mockClient,
}));

usePollScale(0.001);
afterEach(() => jest.restoreAllMocks());

const SHARD = {
  id: "001",
  status: "Running",
  slots: "0-8191",
  nodes: [
    {
      id: "n-1",
      name: "redis-1",
      role: "primary",
      status: "Running",
      subnet: { id: "sn-a" },
      endpoint: "e1",
    },
    {
      id: "n-2",
      name: "redis-2",
      role: "replica",
      status: "Running",
      subnet: { id: "sn-b" },
      endpoint: "e2",
    },
  ],
};

function use(fake: FakeKakao): FakeKakao {
  mockClient = fake.client;
  return fake;
}

const shardInputs = (clusterId: string): KakaoMemberSettledInputs => ({
  kind: "shard",
  clusterId,
  shardId: "001",
});
const replicaInputs = (clusterId: string, nodeId = "n-2"): KakaoMemberSettledInputs => ({
  kind: "replica",
  clusterId,
  shardId: "001",
  nodeId,
});

describe("create", () => {
  test("a settled shard: its id, status, slots and every node", async () => {
    use(new FakeKakao(["Running"], [[SHARD]]));
    noteListed("s-1/001");
    const { id, outs } = await provider.create!(shardInputs("s-1"));
    expect(id).toBe("s-1/001");
    expect(outs).toEqual({
      ...shardInputs("s-1"),
      status: "Running",
      slots: "0-8191",
      nodes: [
        { id: "n-1", name: "redis-1", role: "primary", endpoint: "e1", subnetId: "sn-a", status: "Running" },
        { id: "n-2", name: "redis-2", role: "replica", endpoint: "e2", subnetId: "sn-b", status: "Running" },
      ],
    });
  });

  test("a settled replica: its own id and node only, no slots", async () => {
    use(new FakeKakao(["Running"], [[SHARD]]));
    noteListed("s-2/001/n-2");
    const { id, outs } = await provider.create!(replicaInputs("s-2"));
    expect(id).toBe("s-2/001/n-2");
    expect(outs).toEqual({
      ...replicaInputs("s-2"),
      status: "Running",
      nodes: [
        { id: "n-2", name: "redis-2", role: "replica", endpoint: "e2", subnetId: "sn-b", status: "Running" },
      ],
    });
  });

  test("a replica whose node is not listed once the cluster settled is gone", async () => {
    use(new FakeKakao(["Running"], [[SHARD]]));
    noteListed("s-3/001/n-9");
    const err = await provider.create!(replicaInputs("s-3", "n-9")).catch((e: Error) => e);
    expect(err).toBeInstanceOf(StateError);
    expect(err).toMatchObject({ code: "ResourceGone" });
    expect((err as Error).message).toBe(
      "replica n-9 of shard 001 (cluster s-3) no longer exists: run `pulumi refresh`",
    );
  });

  test("a member this process has not seen listed is waited for until a look lists it", async () => {
    process.env.PULUMI_MANAGED_REDIS_UNSEEN_WAIT = "1h";
    try {
      const fake = use(new FakeKakao(["Running"], [[], [], [SHARD]]));
      const { id } = await provider.create!(shardInputs("s-8"));
      expect(id).toBe("s-8/001");
      expect(fake.looks).toBe(3);
    } finally {
      delete process.env.PULUMI_MANAGED_REDIS_UNSEEN_WAIT;
    }
  });

  test("...and counts as gone once unseenWait passed without a look listing it", async () => {
    const clock = new VirtualClock(1_700_000_000_000);
    process.env.PULUMI_MANAGED_REDIS_UNSEEN_WAIT = "10m";
    try {
      const fake = use(new FakeKakao(["Running"], [[]]));
      fake.afterGetCluster = () => clock.advance(60_000);
      await expect(provider.create!(shardInputs("s-9"))).rejects.toThrow(
        "shard 001 of cluster s-9 no longer exists: run `pulumi refresh`",
      );
      expect(fake.looks).toBe(10); // a look a minute: the tenth is 10 minutes after the start
    } finally {
      delete process.env.PULUMI_MANAGED_REDIS_UNSEEN_WAIT;
    }
  });

  test("a shard not listed once the cluster settled is gone", async () => {
    use(new FakeKakao(["Running"], [[{ ...SHARD, id: "002" }]]));
    noteListed("s-4/001");
    await expect(provider.create!(shardInputs("s-4"))).rejects.toThrow(
      "shard 001 of cluster s-4 no longer exists: run `pulumi refresh`",
    );
  });
});

describe("the default wait per kind", () => {
  /** A cluster that stays Scaling while each look moves the clock 3 h on. */
  function slowCluster() {
    const clock = new VirtualClock(1_700_000_000_000);
    const fake = use(new FakeKakao(["Scaling"]));
    fake.afterGetCluster = () => clock.advance(3 * 3_600_000);
    return fake;
  }

  test("a shard waits 12 h for its slot migration", async () => {
    const fake = slowCluster();
    const err = await provider.create!(shardInputs("s-5")).catch((e: Error) => e);
    expect((err as Error).message).toContain(
      "timed out after 43200s waiting for shard 001 of cluster s-5 to settle (slot migration) (last status: cluster Scaling)",
    );
    expect(fake.looks).toBe(4);
  });

  test("a replica waits 2 h", async () => {
    const fake = slowCluster();
    const err = await provider.create!(replicaInputs("s-6")).catch((e: Error) => e);
    expect((err as Error).message).toContain(
      "timed out after 10800s waiting for replica n-2 of shard 001 (cluster s-6) to settle (last status: cluster Scaling)",
    );
    expect(fake.looks).toBe(1);
  });

  test("timeouts.create bounds the wait instead", async () => {
    const fake = slowCluster();
    const err = await provider.create!({ ...shardInputs("s-7"), timeouts: { create: "5h" } }).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).toContain("timed out after 21600s");
    expect(fake.looks).toBe(2);
  });
});

describe("read and update", () => {
  test("read: the member as listed, unknown status when none; nothing when it is gone", async () => {
    const fake = use(new FakeKakao());
    fake.shard = { id: "001", slots: "0-1" };
    expect(await provider.read!("r-1/001", { ...shardInputs("r-1"), status: "Running", nodes: [] })).toEqual({
      id: "r-1/001",
      props: { ...shardInputs("r-1"), status: "unknown", slots: "0-1", nodes: [] },
    });
    fake.shard = SHARD;
    const replicaState = { ...replicaInputs("r-1", "n-7"), status: "Running", nodes: [] };
    expect(await provider.read!("r-1/001/n-7", replicaState)).toEqual({});
    fake.shard = undefined;
    const shardState = { ...shardInputs("r-1"), status: "Running", nodes: [] };
    expect(await provider.read!("r-1/001", shardState)).toEqual({});
  });

  test("update waits again and returns the outputs", async () => {
    use(new FakeKakao(["Running"], [[SHARD]]));
    noteListed("u-1/001/n-1");
    const { outs } = await provider.update!("u-1/001/n-1", {} as never, replicaInputs("u-1", "n-1"));
    expect(outs).toMatchObject({ status: "Running", nodes: [{ id: "n-1", role: "primary" }] });
  });
});

describe("diff", () => {
  const olds = { ...shardInputs("d-1"), status: "Running", nodes: [] };

  test("identity changes replace; a timeouts change or an unsettled status is an update; else nothing", async () => {
    expect(await provider.diff!("d-1/001", olds, shardInputs("d-1"))).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await provider.diff!("d-1/001", olds, { ...shardInputs("d-1"), shardId: "002" })).toMatchObject({
      changes: true,
      replaces: ["shardId"],
    });
    expect(
      await provider.diff!("d-1/001", olds, { ...shardInputs("d-1"), timeouts: { create: "1h" } }),
    ).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(
      await provider.diff!("d-1/001", { ...olds, status: "Creating" }, shardInputs("d-1")),
    ).toMatchObject({
      changes: true,
      replaces: [],
    });
  });
});
