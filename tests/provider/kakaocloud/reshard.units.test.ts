/**
 * `reshard()` of provider/kakaocloud/reshard.ts against a scripted client (fake-kakao-reshard.ts):
 * the step texts, progress lines, the "no new member" conflict, and the retry of ambiguous failures.
 * The planner: reshard.plan.test.ts.
 */
import { reshard, type ShardTarget } from "../../../provider/kakaocloud/reshard";
import { progressLines } from "../../helpers/stderr";
import { usePollScale } from "../../helpers/time";
import {
  A,
  as,
  B,
  badRequest,
  FakeKakaoReshard,
  fnode,
  fshard,
  none,
  one,
  serverError,
} from "./fake-kakao-reshard";

describe("reshard() against a scripted client", () => {
  usePollScale(0.001);
  const lines = progressLines();
  let n = 0;
  const wait = { timeoutMs: 5_000 };
  /** A fresh cluster (its own id: the settle and lock state are per cluster) of one 1-node shard. */
  function cluster() {
    const fake = new FakeKakaoReshard(`c-units-${process.pid}-${++n}`);
    fake.shards = [fshard("001", [fnode("n1", "subnet-a", "primary")])];
    return fake;
  }
  const grow = { shardCount: 2, nodeCountPerShard: 2, subnetAssignments: [as(A, B), as(B, A)] };
  const owned1 = () => [{ id: "001", nodeIds: ["n1"] }];

  it("adds one member at a time, records each as the cluster's and says so", async () => {
    const fake = cluster();
    const id = fake.clusterId;
    const r = await reshard(fake.client, id, { owned: owned1(), target: grow, wait });
    expect(fake.calls).toEqual([
      { op: "addReplica", shardId: "001", subnetId: "subnet-b" },
      { op: "addShard", nodeCount: 2, assignment: as(B, A) },
    ]);
    const newShard = fake.shards[1];
    const replica = fake.shards[0].nodes![1].id;
    expect(r.owned).toEqual([
      { id: "001", nodeIds: ["n1", replica] },
      { id: newShard.id, nodeIds: newShard.nodes!.map((x) => x.id) },
    ]);
    expect(r.foreign).toEqual(none);
    expect(r.shards.map((s) => s.id)).toEqual(["001", newShard.id]);
    expect(lines.filter((l) => l.startsWith("resharding"))).toEqual([
      `resharding cluster ${id}: adding a replica to shard 001 in subnet-b`,
      `resharding cluster ${id}: node ${replica} of shard 001 recorded as the cluster's`,
      `resharding cluster ${id}: adding a shard of 2 nodes (primary in subnet-b)`,
      `resharding cluster ${id}: shard ${newShard.id} recorded as the cluster's`,
    ]);
  });

  it("records every member found after an addition in one line", async () => {
    const fake = cluster();
    const id = fake.clusterId;
    fake.afterCall = () =>
      fake.shards.push(fshard("002", [fnode("m1", "subnet-b", "primary"), fnode("m2", "subnet-a")], 9));
    const r = await reshard(fake.client, id, { owned: owned1(), foreign: none, target: grow, wait });
    const replica = fake.shards[0].nodes![1].id;
    expect(fake.ops()).toEqual(["addReplica"]);
    expect(r.owned.map((o) => o.id)).toEqual(["001", "002"]);
    expect(lines).toContain(
      `resharding cluster ${id}: shard 002, node ${replica} of shard 001 recorded as the cluster's`,
    );
  });

  it("deletes without expecting a new member, and says nothing of adoption when nothing was adopted", async () => {
    const fake = cluster();
    fake.shards.push(fshard("002", [fnode("m1", "subnet-a", "primary")], 5));
    const owned = [...owned1(), { id: "002", nodeIds: ["m1"] }];
    const r = await reshard(fake.client, fake.clusterId, { owned, foreign: none, target: one(as(A)), wait });
    expect(fake.ops()).toEqual(["deleteShard"]);
    expect(r.owned).toEqual(owned1());
    expect(lines.filter((l) => l.startsWith("resharding"))).toEqual([
      `resharding cluster ${fake.clusterId}: deleting shard 002 (slot migration)`,
    ]);
  });

  it("adopts what an interrupted run added instead of adding it again", async () => {
    const fake = cluster();
    fake.shards.push(fshard("002", [fnode("m1", "subnet-b", "primary"), fnode("m2", "subnet-a")], 5));
    fake.shards[0].nodes!.push(fnode("n2", "subnet-b", "replica", 6));
    const r = await reshard(fake.client, fake.clusterId, {
      owned: owned1(),
      foreign: none,
      target: grow,
      wait,
    });
    expect(fake.calls).toEqual([]);
    expect(r.owned).toEqual([
      { id: "001", nodeIds: ["n1", "n2"] },
      { id: "002", nodeIds: ["m1", "m2"] },
    ]);
    expect(lines).toContain(
      `resharding cluster ${fake.clusterId}: found shard 002, node n2 of shard 001 added by an interrupted run; ` +
        `adopting them as the cluster's instead of adding more`,
    );
  });

  it("fails with a conflict when an accepted addition shows no new member", async () => {
    const cases: [ShardTarget, string][] = [
      [grow, "adding a replica to shard 001 in subnet-b"],
      [
        { shardCount: 2, nodeCountPerShard: 1, subnetAssignments: [as(A), as(B)] },
        "adding a shard of 1 nodes (primary in subnet-b)",
      ],
    ];
    for (const [target, what] of cases) {
      const fake = cluster();
      fake.apply = false;
      const err = await reshard(fake.client, fake.clusterId, { owned: owned1(), target, wait }).catch(
        (e) => e,
      );
      expect(err).toMatchObject({ name: "StateError", code: "Conflict" });
      expect(err.message).toBe(
        `resharding cluster ${fake.clusterId}: the call succeeded (${what}) but no new member with that layout ` +
          "appeared; another client changed the cluster at the same time: run `pulumi refresh`",
      );
      expect(fake.calls).toHaveLength(1);
    }
  });

  it("after an ambiguous failure looks again: adopts a member the lost answer added, or sends the call again", async () => {
    const fake = cluster();
    fake.fail(serverError("socket hang up"), { applied: true });
    const target = { shardCount: 2, nodeCountPerShard: 1, subnetAssignments: [as(A), as(B)] };
    const r = await reshard(fake.client, fake.clusterId, { owned: owned1(), target, wait });
    expect(fake.ops()).toEqual(["addShard"]);
    expect(r.owned.map((o) => o.id)).toEqual(["001", fake.shards[1].id]);
    const id = fake.clusterId;
    expect(lines).toContain(
      `resharding cluster ${id}: kakaocloud: InternalError: socket hang up (HTTP 503); checking whether it was applied`,
    );
    expect(lines).toContain(
      `resharding cluster ${id}: found shard ${fake.shards[1].id} added by an interrupted run; adopting them as ` +
        `the cluster's instead of adding more`,
    );

    const again = cluster();
    again.fail(serverError(), { times: 3 });
    await reshard(again.client, again.clusterId, { owned: owned1(), target, wait });
    expect(again.ops()).toEqual(["addShard", "addShard", "addShard", "addShard"]);
  });

  it("gives up after four ambiguous failures in a row, and at once on an error retrying cannot help", async () => {
    const target = { shardCount: 2, nodeCountPerShard: 1, subnetAssignments: [as(A), as(B)] };
    const fake = cluster();
    fake.fail(serverError("still down"), { times: 4 });
    await expect(reshard(fake.client, fake.clusterId, { owned: owned1(), target, wait })).rejects.toThrow(
      /still down/,
    );
    expect(fake.ops()).toHaveLength(4);

    const bad = cluster();
    bad.fail(badRequest("no such flavor"));
    await expect(reshard(bad.client, bad.clusterId, { owned: owned1(), target, wait })).rejects.toThrow(
      /no such flavor/,
    );
    expect(bad.ops()).toHaveLength(1);

    const odd = cluster();
    odd.fail(new Error("not a cloud error"));
    await expect(reshard(odd.client, odd.clusterId, { owned: owned1(), target, wait })).rejects.toThrow(
      /not a cloud/,
    );
    expect(odd.ops()).toHaveLength(1);
  });

  it("names the resharding wait when the cluster does not settle in time", async () => {
    const fake = cluster();
    fake.status = "Scaling";
    await expect(
      reshard(fake.client, fake.clusterId, { owned: owned1(), target: grow, wait: { timeoutMs: 30 } }),
    ).rejects.toThrow(`waiting for cluster ${fake.clusterId} to settle (resharding)`);
  });
});
