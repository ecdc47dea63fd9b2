/**
 * The planner of provider/kakaocloud/reshard.ts: the layout and node matching (primary first, oldest
 * first, nodes without a subnet), adoption of unrecorded members, and the ownership helpers
 * (`foreignOf`, `stillForeign`, `ownedOf`, `assignmentsReshardable`). The loop: reshard.units.test.ts.
 */
import {
  assignmentsReshardable,
  describeStep,
  foreignOf,
  hasLayout,
  ownedOf,
  planReshard,
  stillForeign,
} from "../../../provider/kakaocloud/reshard";
import { A, as, B, C, fnode, fshard, none, one } from "./fake-kakao-reshard";

describe("hasLayout", () => {
  it("needs exactly the node count, the primary's subnet and every wanted subnet", () => {
    const s = fshard("001", [fnode("r", "subnet-b"), fnode("p", "subnet-a", "primary")]);
    expect(hasLayout(s, 2, as(A, B))).toBe(true);
    expect(hasLayout(s, 3, as(A, B, B))).toBe(false);
    expect(hasLayout(s, 2, as(B, A))).toBe(false);
    const three = fshard("001", [
      fnode("p", "subnet-a", "primary"),
      fnode("r1", "subnet-b"),
      fnode("r2", "subnet-b"),
    ]);
    expect(hasLayout(three, 2, as(A, B))).toBe(false);
    const twoA = fshard("001", [fnode("p", "subnet-a", "primary"), fnode("r1", "subnet-a")]);
    expect(hasLayout(twoA, 2, as(A, B))).toBe(false);
  });

  it("takes the first node as the primary when none says so, and copes with nodes without a subnet", () => {
    expect(
      hasLayout(fshard("001", [fnode("x", "subnet-a", ""), fnode("y", "subnet-b", "")]), 2, as(A, B)),
    ).toBe(true);
    expect(
      hasLayout(fshard("001", [fnode("x", "subnet-b", ""), fnode("y", "subnet-a", "")]), 2, as(A, B)),
    ).toBe(false);
    expect(hasLayout(fshard("001", [fnode("x", undefined, "primary")]), 1, as(A))).toBe(false);
    expect(hasLayout(fshard("001", []), 0, as(A))).toBe(false);
    expect(hasLayout(fshard("001", undefined), 0, as(A))).toBe(false);
  });
});

describe("planReshard: which node is surplus", () => {
  const dropNode = (nodeId: string) => ({ kind: "deleteReplica", shardId: "001", nodeId });
  it("keeps the primary over an older replica in the same subnet and deletes that replica", () => {
    for (const nodes of [
      [fnode("r", "subnet-a", "replica", 1), fnode("p", "subnet-a", "primary", 9)],
      [fnode("p", "subnet-a", "primary", 9), fnode("r", "subnet-a", "replica", 1)],
    ]) {
      const p = planReshard([fshard("001", nodes)], [{ id: "001", nodeIds: ["r", "p"] }], none, one(as(A)));
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
    expect(planReshard([fshard("001", nodes)], owned, none, one(as(A, B))).next).toEqual(dropNode("r3"));
    const left = [nodes[1], nodes[2], nodes[3]];
    expect(planReshard([fshard("001", left)], owned, none, one(as(A, B))).next).toEqual(dropNode("r2"));
    // Both replicas surplus (the target has none): still the newest first.
    expect(planReshard([fshard("001", left)], owned, none, one(as(A))).next).toEqual(dropNode("r2"));
  });

  it("treats a node without a subnet as surplus, and names a primary without a subnet in the conflict", () => {
    const nodes = [fnode("p", "subnet-a", "primary"), fnode("r", undefined)];
    const p = planReshard([fshard("001", nodes)], [{ id: "001", nodeIds: ["p", "r"] }], none, one(as(A)));
    expect(p.next).toEqual(dropNode("r"));
    const lost = [fshard("001", [fnode("p", undefined, "primary"), fnode("r", "subnet-a")])];
    expect(() => planReshard(lost, [{ id: "001", nodeIds: ["p", "r"] }], none, one(as(A)))).toThrow(
      expect.objectContaining({
        name: "StateError",
        message:
          "shard 001: its primary (node p, subnet undefined) is not in subnetAssignments[0], and KakaoCloud " +
          "cannot delete a primary: fail the shard over to a node in a listed subnet first, or list the primary's " +
          "subnet again",
      }),
    );
  });

  it('counts a node without a subnet as in subnet "" (kept, and adopted, for an assignment of "")', () => {
    const blank = { shardCount: 1, nodeCountPerShard: 1, subnetAssignments: [as({ id: "" })] };
    const p = planReshard(
      [fshard("001", [fnode("p", undefined, "primary")])],
      [{ id: "001", nodeIds: ["p"] }],
      none,
      blank,
    );
    expect(p.next).toBeUndefined();
    const two = { shardCount: 1, nodeCountPerShard: 2, subnetAssignments: [as(A, { id: "" })] };
    const live = [fshard("001", [fnode("p", "subnet-a", "primary"), fnode("u", undefined)])];
    const q = planReshard(live, [{ id: "001", nodeIds: ["p"] }], none, two);
    expect(q.adopted).toEqual(["node u of shard 001"]);
    expect(q.next).toBeUndefined();
  });
});

describe("planReshard: adoption and ownership", () => {
  it("drops recorded nodes that no longer exist", () => {
    const live = [fshard("001", [fnode("n1", "subnet-a", "primary")])];
    const p = planReshard(
      live,
      [
        { id: "001", nodeIds: ["n1", "gone"] },
        { id: "002", nodeIds: [] },
      ],
      none,
      one(as(A)),
    );
    expect(p.owned).toEqual([{ id: "001", nodeIds: ["n1"] }]);
    expect(p.next).toBeUndefined();
  });

  it("never adopts a shard it already owns for a second slot with the same layout", () => {
    const live = [fshard("001", [fnode("n1", "subnet-a", "primary")])];
    const target = { shardCount: 2, nodeCountPerShard: 1, subnetAssignments: [as(A), as(A)] };
    const p = planReshard(live, [{ id: "001", nodeIds: ["n1"] }], none, target);
    expect(p.owned.map((o) => o.id)).toEqual(["001"]);
    expect(p.adopted).toEqual([]);
    expect(p.next).toEqual({ kind: "addShard", nodeCount: 1, assignment: as(A) });
  });

  it("adopts the newest unrecorded node per missing subnet, never a node of another subnet", () => {
    const live = [
      fshard("001", [
        fnode("p", "subnet-a", "primary", 0),
        fnode("old-b", "subnet-b", "replica", 1),
        fnode("c", "subnet-c", "replica", 2),
        fnode("new-b", "subnet-b", "replica", 3),
        fnode("other", "subnet-a", "replica", 4),
        fnode("nosub", undefined, "replica", 5),
      ]),
    ];
    const target = { shardCount: 1, nodeCountPerShard: 3, subnetAssignments: [as(A, B, C)] };
    const p = planReshard(
      live,
      [{ id: "001", nodeIds: ["p"] }],
      { shardIds: [], nodeIds: ["other"] },
      target,
    );
    expect(p.adopted).toEqual(["node new-b of shard 001", "node c of shard 001"]);
    expect(p.owned).toEqual([{ id: "001", nodeIds: ["p", "new-b", "c"] }]);
    expect(p.next).toBeUndefined();
  });

  it("adopts one node per missing replica of the same subnet", () => {
    const live = [
      fshard("001", [
        fnode("p", "subnet-a", "primary", 0),
        fnode("b1", "subnet-b", "replica", 1),
        fnode("b2", "subnet-b", "replica", 2),
        fnode("b3", "subnet-b", "replica", 3),
      ]),
    ];
    const target = { shardCount: 1, nodeCountPerShard: 3, subnetAssignments: [as(A, B, B)] };
    const p = planReshard(live, [{ id: "001", nodeIds: ["p"] }], { shardIds: [], nodeIds: [] }, target);
    expect(p.adopted).toEqual(["node b3 of shard 001", "node b2 of shard 001"]);
    expect(p.next).toBeUndefined();
  });

  it("adds a replica (and adopts nothing) for a shard listed without nodes", () => {
    const p = planReshard(
      [fshard("001", undefined)],
      [{ id: "001", nodeIds: [] }],
      none,
      one(as({ id: "" })),
    );
    expect(p.adopted).toEqual([]);
    expect(p.next).toEqual({ kind: "addReplica", shardId: "001", subnetId: "" });
  });

  it("deletes the newest of the surplus own shards, whatever their order", () => {
    const live = [
      fshard("001", [fnode("a", "subnet-a", "primary")], 1),
      fshard("002", [fnode("b", "subnet-a", "primary")], 2),
      fshard("003", [fnode("c", "subnet-a", "primary")], 3),
    ];
    const owned = ["001", "002", "003"].map((id, i) => ({ id, nodeIds: [["a", "b", "c"][i]] }));
    expect(planReshard(live, owned, none, one(as(A))).next).toEqual({ kind: "deleteShard", shardId: "003" });
    // A kept shard newer than the surplus ones stays.
    live[0] = fshard("001", [fnode("a", "subnet-a", "primary")], 9);
    expect(planReshard(live, owned, none, one(as(A))).next).toEqual({ kind: "deleteShard", shardId: "003" });
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

  it("stillForeign keeps only the recorded members that still exist", () => {
    const live = [
      fshard("001", [fnode("n1", "subnet-a", "primary"), fnode("n3", "subnet-b")]),
      fshard("005", undefined),
    ];
    expect(stillForeign({ shardIds: ["005", "009"], nodeIds: ["n3", "n9"] }, live)).toEqual({
      shardIds: ["005"],
      nodeIds: ["n3"],
    });
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
