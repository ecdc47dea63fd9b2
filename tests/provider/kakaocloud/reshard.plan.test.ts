/**
 * The planner of provider/kakaocloud/reshard.ts: the node matching (primary first, oldest first,
 * nodes without a subnet), ownership by record only (an unrecorded member is never adopted, deleted
 * or counted, whatever its layout), and the ownership helpers (`foreignOf`, `ownedOf`, `ownedLive`,
 * `ownedSatisfies`, `assignmentsReshardable`). The loop: reshard.units.test.ts.
 */
import {
  assignmentsReshardable,
  describeStep,
  foreignOf,
  ownedLive,
  ownedOf,
  ownedSatisfies,
  planReshard,
  slotsOf,
} from "../../../provider/kakaocloud/reshard";
import { A, as, B, C, fnode, fshard, one } from "./fake-kakao-reshard";

describe("planReshard: which node is surplus", () => {
  const dropNode = (nodeId: string) => ({ kind: "deleteReplica", shardId: "001", nodeId });
  it("keeps the primary over an older replica in the same subnet and deletes that replica", () => {
    for (const nodes of [
      [fnode("r", "subnet-a", "replica", 1), fnode("p", "subnet-a", "primary", 9)],
      [fnode("p", "subnet-a", "primary", 9), fnode("r", "subnet-a", "replica", 1)],
    ]) {
      const p = planReshard([fshard("001", nodes)], [{ id: "001", nodeIds: ["r", "p"] }], one(as(A)));
      expect(p.next).toEqual(dropNode("r"));
    }
  });

  it("keeps the oldest replica of a subnet and deletes the newest surplus one", () => {
    const nodes = [
      fnode("r3", "subnet-b", "replica", 3),
      fnode("p", "subnet-a", "primary", 0),
      fnode("r1", "subnet-b", "replica", 1),
      fnode("r2", "subnet-b", "replica", 2),
    ];
    const owned = [{ id: "001", nodeIds: ["r3", "p", "r1", "r2"] }];
    // Two of three replicas in subnet-b are surplus: the newest goes first, then the next newest.
    expect(planReshard([fshard("001", nodes)], owned, one(as(A, B))).next).toEqual(dropNode("r3"));
    const left = [nodes[1], nodes[2], nodes[3]];
    expect(planReshard([fshard("001", left)], owned, one(as(A, B))).next).toEqual(dropNode("r2"));
    // Both replicas surplus (the target has none): still the newest first.
    expect(planReshard([fshard("001", left)], owned, one(as(A))).next).toEqual(dropNode("r2"));
  });

  it("treats a node without a subnet as surplus, and names a primary without a subnet in the conflict", () => {
    const nodes = [fnode("p", "subnet-a", "primary"), fnode("r", undefined)];
    const p = planReshard([fshard("001", nodes)], [{ id: "001", nodeIds: ["p", "r"] }], one(as(A)));
    expect(p.next).toEqual(dropNode("r"));
    const lost = [fshard("001", [fnode("p", undefined, "primary"), fnode("r", "subnet-a")])];
    expect(() => planReshard(lost, [{ id: "001", nodeIds: ["p", "r"] }], one(as(A)))).toThrow(
      expect.objectContaining({
        name: "StateError",
        message:
          "shard 001: its primary (node p, subnet undefined) is not in subnetAssignments[0], and KakaoCloud " +
          "cannot delete a primary: fail the shard over to a node in a listed subnet first, or list the primary's " +
          "subnet again",
      }),
    );
  });

  it('counts a node without a subnet as in subnet "" (kept for an assignment of "", never adopted)', () => {
    const blank = { shardCount: 1, nodeCountPerShard: 1, subnetAssignments: [as({ id: "" })] };
    const p = planReshard(
      [fshard("001", [fnode("p", undefined, "primary")])],
      [{ id: "001", nodeIds: ["p"] }],
      blank,
    );
    expect(p.next).toBeUndefined();
    const two = { shardCount: 1, nodeCountPerShard: 2, subnetAssignments: [as(A, { id: "" })] };
    const live = [fshard("001", [fnode("p", "subnet-a", "primary"), fnode("u", undefined)])];
    const q = planReshard(live, [{ id: "001", nodeIds: ["p"] }], two);
    expect(q.owned).toEqual([{ id: "001", nodeIds: ["p"] }]);
    expect(q.next).toEqual({ kind: "addReplica", shardId: "001", subnetId: "" });
  });
});

describe("planReshard: ownership by record only", () => {
  it("drops recorded nodes that no longer exist", () => {
    const live = [fshard("001", [fnode("n1", "subnet-a", "primary")])];
    const p = planReshard(
      live,
      [
        { id: "001", nodeIds: ["n1", "gone"] },
        { id: "002", nodeIds: [] },
      ],
      one(as(A)),
    );
    expect(p.owned).toEqual([{ id: "001", nodeIds: ["n1"] }]);
    expect(p.next).toBeUndefined();
  });

  it("adds a shard when an unrecorded shard has exactly the missing layout (a KakaoShard's), and never counts it", () => {
    const live = [
      fshard("001", [fnode("n1", "subnet-a", "primary")]),
      fshard("003", [fnode("k1", "subnet-a", "primary")], 9),
    ];
    const target = { shardCount: 2, nodeCountPerShard: 1, subnetAssignments: [as(A), as(A)] };
    const p = planReshard(live, [{ id: "001", nodeIds: ["n1"] }], target);
    expect(p.owned).toEqual([{ id: "001", nodeIds: ["n1"] }]);
    expect(p.next).toEqual({ kind: "addShard", nodeCount: 1, assignment: as(A) });
    // Shrinking never deletes it either: the cluster has only its own shard to count.
    expect(planReshard(live, [{ id: "001", nodeIds: ["n1"] }], one(as(A))).next).toBeUndefined();
  });

  it("adds a replica when unrecorded nodes sit in the missing subnet (a KakaoReplica's), and never deletes them", () => {
    const live = [
      fshard("001", [
        fnode("p", "subnet-a", "primary", 0),
        fnode("b1", "subnet-b", "replica", 1),
        fnode("c", "subnet-c", "replica", 2),
      ]),
    ];
    const target = { shardCount: 1, nodeCountPerShard: 3, subnetAssignments: [as(A, B, C)] };
    const p = planReshard(live, [{ id: "001", nodeIds: ["p"] }], target);
    expect(p.owned).toEqual([{ id: "001", nodeIds: ["p"] }]);
    expect(p.next).toEqual({ kind: "addReplica", shardId: "001", subnetId: "subnet-b" });
    // Fewer nodes asked for: only own nodes are surplus, the unrecorded ones stay.
    const owned = [{ id: "001", nodeIds: ["p", "c"] }];
    expect(planReshard(live, owned, one(as(A))).next).toEqual({
      kind: "deleteReplica",
      shardId: "001",
      nodeId: "c",
    });
    expect(planReshard(live, [{ id: "001", nodeIds: ["p"] }], one(as(A))).next).toBeUndefined();
  });

  it("adds a replica for a shard listed without nodes", () => {
    const p = planReshard([fshard("001", undefined)], [{ id: "001", nodeIds: [] }], one(as({ id: "" })));
    expect(p.owned).toEqual([{ id: "001", nodeIds: [] }]);
    expect(p.next).toEqual({ kind: "addReplica", shardId: "001", subnetId: "" });
  });

  it("deletes the newest of the surplus own shards, whatever their order", () => {
    const live = [
      fshard("001", [fnode("a", "subnet-a", "primary")], 1),
      fshard("002", [fnode("b", "subnet-a", "primary")], 2),
      fshard("003", [fnode("c", "subnet-a", "primary")], 3),
    ];
    const owned = ["001", "002", "003"].map((id, i) => ({ id, nodeIds: [["a", "b", "c"][i]] }));
    expect(planReshard(live, owned, one(as(A))).next).toEqual({ kind: "deleteShard", shardId: "003" });
    // A kept shard newer than the surplus ones stays.
    live[0] = fshard("001", [fnode("a", "subnet-a", "primary")], 9);
    expect(planReshard(live, owned, one(as(A))).next).toEqual({ kind: "deleteShard", shardId: "003" });
  });
});

describe("planReshard: never deletes another resource's node with a shard", () => {
  it("deletes another surplus shard, or refuses when every surplus shard holds a node it does not own", () => {
    const live = [
      fshard("001", [fnode("a", "subnet-a", "primary")], 1),
      fshard("002", [fnode("b", "subnet-a", "primary")], 2),
      fshard("003", [fnode("c", "subnet-a", "primary"), fnode("kr", "subnet-b", "replica", 9)], 3),
    ];
    const owned = ["001", "002", "003"].map((id, i) => ({ id, nodeIds: [["a", "b", "c"][i]] }));
    const two = { shardCount: 2, nodeCountPerShard: 1, subnetAssignments: [as(A), as(A)] };
    // 003 is the newest surplus shard but holds a KakaoReplica's node: 002 goes instead.
    expect(planReshard(live, owned, one(as(A))).next).toEqual({ kind: "deleteShard", shardId: "002" });
    expect(() => planReshard(live, owned, two)).toThrow(
      expect.objectContaining({
        name: "StateError",
        code: "Conflict",
        message: expect.stringContaining("shard 003 is to be deleted (shardCount 2) but holds node kr"),
      }),
    );
  });
});

describe("planReshard: which assignment an own shard stands for", () => {
  it("an own shard lost and added again takes the lost shard's assignment, so later changes still fit", () => {
    // 001 (primary in A) was deleted out of band; 002 (primary in B) is left.
    const left = fshard(
      "002",
      [fnode("m1", "subnet-b", "primary", 1), fnode("m2", "subnet-a", "replica", 1)],
      1,
    );
    const two = { shardCount: 2, nodeCountPerShard: 2, subnetAssignments: [as(A, B), as(B, A)] };
    const p = planReshard([left], [{ id: "002", nodeIds: ["m1", "m2"] }], two);
    expect(p.next).toEqual({ kind: "addShard", nodeCount: 2, assignment: as(A, B) });
    const added = fshard(
      "003",
      [fnode("k1", "subnet-a", "primary", 2), fnode("k2", "subnet-b", "replica", 2)],
      2,
    );
    const owned = [
      { id: "002", nodeIds: ["m1", "m2"] },
      { id: "003", nodeIds: ["k1", "k2"] },
    ];
    expect(planReshard([left, added], owned, two).next).toBeUndefined();
    // One node per shard: each keeps its primary, no conflict.
    const single = { shardCount: 2, nodeCountPerShard: 1, subnetAssignments: [as(A), as(B)] };
    expect(planReshard([left, added], owned, single).next).toEqual({
      kind: "deleteReplica",
      shardId: "002",
      nodeId: "m2",
    });
  });

  it("slotsOf keeps positions that fit, then matches primaries, then fills in order; never beyond shardCount", () => {
    const t = (n: number, ...primaries: { id: string }[]) => ({
      shardCount: n,
      nodeCountPerShard: 1,
      subnetAssignments: primaries.map((p) => as(p)),
    });
    expect(slotsOf(["subnet-a", "subnet-b"], t(2, A, B))).toEqual([0, 1]);
    expect(slotsOf(["subnet-b"], t(2, A, B))).toEqual([1]);
    expect(slotsOf(["subnet-c", "subnet-a"], t(2, A, B))).toEqual([1, 0]);
    expect(slotsOf(["subnet-a", "subnet-b", "subnet-a"], t(2, A, B))).toEqual([0, 1, -1]);
    expect(slotsOf(["subnet-a", "subnet-a"], t(1, A))).toEqual([0, -1]);
  });
});

describe("ownership helpers", () => {
  it("foreignOf lists the shards not owned and the unowned nodes of owned shards", () => {
    const live = [
      fshard("001", [fnode("n1", "subnet-a", "primary"), fnode("n3", "subnet-b")]),
      fshard("002", [fnode("m1", "subnet-a", "primary")]),
      fshard("004", undefined),
    ];
    expect(
      foreignOf(live, [
        { id: "001", nodeIds: ["n1"] },
        { id: "004", nodeIds: [] },
      ]),
    ).toStrictEqual({
      shardIds: ["002"],
      nodeIds: ["n3"],
    });
  });

  it("ownedLive keeps the recorded members still listed, in the recorded order", () => {
    const live = [
      fshard("002", [fnode("m1", "subnet-a", "primary")]),
      fshard("001", [fnode("n1", "subnet-a", "primary"), fnode("n3", "subnet-b")]),
    ];
    expect(
      ownedLive(live, [
        { id: "001", nodeIds: ["n1", "n2"] },
        { id: "009", nodeIds: ["z"] },
        { id: "002", nodeIds: ["m1"] },
      ]),
    ).toEqual([
      { id: "001", nodeIds: ["n1"] },
      { id: "002", nodeIds: ["m1"] },
    ]);
  });

  it("ownedSatisfies: the recorded shards have the target's layout, a lost node or shard does not", () => {
    const out = (id: string, ...nodes: [string, string, string][]) => ({
      id,
      status: "Running",
      nodes: nodes.map(([n, subnetId, role]) => ({ id: n, subnetId, role, status: "Running" })),
    });
    const two = { shardCount: 2, nodeCountPerShard: 2, subnetAssignments: [as(A, B), as(B, A)] };
    const full = [
      out("001", ["n1", "subnet-a", "primary"], ["n2", "subnet-b", "replica"]),
      out("002", ["m1", "subnet-b", "primary"], ["m2", "subnet-a", "replica"]),
    ];
    expect(ownedSatisfies(full, two)).toBe(true);
    expect(ownedSatisfies([full[0]], two)).toBe(false);
    expect(ownedSatisfies([full[0], out("002", ["m1", "subnet-b", "primary"])], two)).toBe(false);
    // A failover swaps roles, not subnets: still satisfied.
    const failedOver = out("001", ["n1", "subnet-a", "replica"], ["n2", "subnet-b", "primary"]);
    expect(ownedSatisfies([failedOver, full[1]], two)).toBe(true);
    // A primary outside the assignment (the planner refuses it) is not satisfied either.
    expect(ownedSatisfies([out("001", ["n1", "subnet-c", "primary"])], one(as(A)))).toBe(false);
    // A node without a subnet counts as subnet "".
    expect(ownedSatisfies([{ id: "001", nodes: [{ id: "x", role: "primary" }] }], one(as({ id: "" })))).toBe(
      true,
    );
  });

  it("ownedOf reads the shards output, with or without nodes", () => {
    expect(ownedOf(undefined)).toStrictEqual([]);
    expect(ownedOf([{ id: "001", nodes: [{ id: "n1" }] }, { id: "002" }])).toStrictEqual([
      { id: "001", nodeIds: ["n1"] },
      { id: "002", nodeIds: [] },
    ]);
  });

  it("assignmentsReshardable compares the primaries of the shards that stay, whatever is missing", () => {
    expect(assignmentsReshardable(undefined as never, [as(A)])).toBe(true);
    expect(assignmentsReshardable([as(A)], undefined as never)).toBe(true);
    expect(assignmentsReshardable([as(A), as(B)], [as(A)])).toBe(true);
    expect(assignmentsReshardable([as(A)], [as(B)])).toBe(false);
    expect(assignmentsReshardable([undefined] as never, [as(A)])).toBe(false);
    expect(assignmentsReshardable([{}] as never, [as(A)])).toBe(false);
    expect(assignmentsReshardable([as(A)], [undefined] as never)).toBe(false);
    expect(assignmentsReshardable([as(A)], [{}] as never)).toBe(false);
  });

  it("describeStep says each step in words", () => {
    expect(describeStep({ kind: "addShard", nodeCount: 3, assignment: as(A, B) })).toBe(
      "adding a shard of 3 nodes (primary in subnet-a)",
    );
    expect(describeStep({ kind: "deleteShard", shardId: "002" })).toBe("deleting shard 002 (slot migration)");
    expect(describeStep({ kind: "addReplica", shardId: "001", subnetId: "subnet-b" })).toBe(
      "adding a replica to shard 001 in subnet-b",
    );
    expect(describeStep({ kind: "deleteReplica", shardId: "001", nodeId: "n2" })).toBe(
      "deleting replica n2 of shard 001",
    );
  });
});
