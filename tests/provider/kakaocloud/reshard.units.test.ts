/**
 * `reshard()` of provider/kakaocloud/reshard.ts against a scripted client (fake-kakao-reshard.ts):
 * the step texts, progress lines, ownership by record only (an unrecorded member is never adopted),
 * the "no new member" conflict, and the retry of ambiguous failures.
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
    expect(r.shards.map((s) => s.id)).toEqual(["001", newShard.id]);
    const later =
      "recorded as the cluster's when this update returns (if the run is killed before, it stays in the " +
      "cluster unowned: see the README)";
    expect(lines.filter((l) => l.startsWith("resharding"))).toEqual([
      `resharding cluster ${id}: adding a replica to shard 001 in subnet-b`,
      `resharding cluster ${id}: added node ${replica} to shard 001; ${later}`,
      `resharding cluster ${id}: adding a shard of 2 nodes (primary in subnet-b)`,
      `resharding cluster ${id}: added shard ${newShard.id}; ${later}`,
    ]);
  });

  it("never takes a shard another client added meanwhile, even with the missing layout: adds its own", async () => {
    const fake = cluster();
    const id = fake.clusterId;
    fake.afterCall = () => {
      fake.afterCall = undefined;
      fake.shards.push(fshard("002", [fnode("m1", "subnet-b", "primary"), fnode("m2", "subnet-a")], 9));
    };
    const recorded: string[][] = [];
    const r = await reshard(fake.client, id, {
      owned: owned1(),
      target: grow,
      wait,
      onRecorded: (o) => recorded.push(o.map((x) => x.id)),
    });
    expect(fake.ops()).toEqual(["addReplica", "addShard"]);
    const own = fake.shards[2];
    expect(r.owned.map((o) => o.id)).toEqual(["001", own.id]);
    expect(r.owned[1].nodeIds).toEqual(own.nodes!.map((x) => x.id));
    // Each accepted addition is handed over at once (the shard's nodes again once it settled).
    expect(recorded).toEqual([["001"], ["001", own.id], ["001", own.id]]);
    expect(fake.shards.map((s) => s.id)).toContain("002");
  });

  it("deletes without expecting a new member, and says nothing of adoption when nothing was adopted", async () => {
    const fake = cluster();
    fake.shards.push(fshard("002", [fnode("m1", "subnet-a", "primary")], 5));
    const owned = [...owned1(), { id: "002", nodeIds: ["m1"] }];
    const r = await reshard(fake.client, fake.clusterId, { owned, target: one(as(A)), wait });
    expect(fake.ops()).toEqual(["deleteShard"]);
    expect(r.owned).toEqual(owned1());
    expect(lines.filter((l) => l.startsWith("resharding"))).toEqual([
      `resharding cluster ${fake.clusterId}: deleting shard 002 (slot migration)`,
    ]);
  });

  it("never adopts members no state names (a killed run's additions, a KakaoShard's): adds its own", async () => {
    const fake = cluster();
    fake.shards.push(fshard("002", [fnode("m1", "subnet-b", "primary"), fnode("m2", "subnet-a")], 5));
    fake.shards[0].nodes!.push(fnode("n2", "subnet-b", "replica", 6));
    const r = await reshard(fake.client, fake.clusterId, { owned: owned1(), target: grow, wait });
    expect(fake.ops()).toEqual(["addReplica", "addShard"]);
    expect(r.owned.map((o) => o.id)).toEqual(["001", fake.shards[2].id]);
    expect(r.owned[0].nodeIds).not.toContain("n2");
    expect(fake.shards.map((s) => s.id)).toContain("002");
    expect(lines.some((l) => /adopt|interrupted/.test(l))).toBe(false);
  });

  it("fails with a conflict when an accepted addition shows no new member", async () => {
    const cases: [ShardTarget, string][] = [
      [grow, "a replica to shard 001 of cluster"],
      [{ shardCount: 2, nodeCountPerShard: 1, subnetAssignments: [as(A), as(B)] }, "a shard to cluster"],
    ];
    for (const [target, what] of cases) {
      const fake = cluster();
      fake.apply = false;
      const err = await reshard(fake.client, fake.clusterId, {
        owned: owned1(),
        target,
        wait: { timeoutMs: 600 },
      }).catch((e) => e);
      expect(err).toMatchObject({ name: "StateError", code: "Conflict" });
      expect(err.message).toContain(`added ${what} ${fake.clusterId} but found 0 new`);
      expect(fake.calls).toHaveLength(1);
    }
  });

  it("after an ambiguous failure looks again: records the member the lost answer added, or sends the call again", async () => {
    const fake = cluster();
    fake.fail(serverError("socket hang up"), { applied: true });
    const target = { shardCount: 2, nodeCountPerShard: 1, subnetAssignments: [as(A), as(B)] };
    // The retry's own look saw the change, so the wait after it has no evidence of its own and
    // waits out the status lag (5 s) before it trusts a Running.
    const r = await reshard(fake.client, fake.clusterId, {
      owned: owned1(),
      target,
      wait: { timeoutMs: 9_000 },
    });
    expect(fake.ops()).toEqual(["addShard"]);
    expect(r.owned.map((o) => o.id)).toEqual(["001", fake.shards[1].id]);
    const id = fake.clusterId;
    expect(lines).toContain(
      `adding a shard to cluster ${id}: kakaocloud: InternalError: socket hang up (HTTP 503); checking whether it was applied`,
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
