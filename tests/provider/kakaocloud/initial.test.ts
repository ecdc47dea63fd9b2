/**
 * `initialMembers` (provider/kakaocloud/initial.ts): which listed members a cluster's create made,
 * by their creation time — the shards of the earliest instant with their nodes of that instant —
 * whatever their layout, whatever the type of `createdAt`, and never a member whose time is
 * unreadable.
 */
import type { ApiShard } from "../../../provider/kakaocloud/client";
import { initialMembers } from "../../../provider/kakaocloud/initial";

const T0 = "2024-03-06T02:35:13Z";
const T1 = "2024-03-06T02:41:02Z";

/** A listed shard: `nodes` as [id, createdAt]. */
function shard(id: string, createdAt: string | number | undefined, nodes: [string, unknown][]): ApiShard {
  return {
    id,
    status: "Running",
    createdAt: createdAt as string,
    nodes: nodes.map(([n, at]) => ({ id: n, status: "Running", createdAt: at as string })),
  };
}

describe("initialMembers", () => {
  it("takes the shards of the earliest instant and their nodes of that instant, never a later addition", () => {
    const live = [
      shard("001", T0, [
        ["a", T0],
        ["b", T0],
        ["r-added", T1], // a KakaoReplica's node on an own shard
      ]),
      shard("002", T0, [
        ["c", T0],
        ["d", T0],
      ]),
      // A KakaoShard with the same layout as the cluster's shards: later, so not the create's.
      shard("003", T1, [
        ["e", T1],
        ["f", T1],
      ]),
    ];
    expect(initialMembers(live)).toEqual([
      { id: "001", nodeIds: ["a", "b"] },
      { id: "002", nodeIds: ["c", "d"] },
    ]);
  });

  it("reads createdAt as RFC 3339 with or without fractions, or as epoch seconds or milliseconds", () => {
    const ms = Date.parse(T0);
    const live = [
      shard("001", T0, [["a", ms / 1000]]),
      shard("002", ms, [["b", "2024-03-06T02:35:13.000Z"]]),
      shard("003", "2024-03-06T02:35:13.001Z", [["c", "2024-03-06T02:35:13.001Z"]]),
    ];
    expect(initialMembers(live)).toEqual([
      { id: "001", nodeIds: ["a"] },
      { id: "002", nodeIds: ["b"] },
    ]);
  });

  it("counts nothing whose creation time cannot be read", () => {
    expect(initialMembers([shard("001", undefined, [["a", T0]])])).toEqual([]);
    expect(initialMembers([shard("001", "soon", [["a", T0]]), shard("002", T0, [["b", undefined]])])).toEqual(
      [{ id: "002", nodeIds: [] }],
    );
    expect(initialMembers([])).toEqual([]);
  });
});
