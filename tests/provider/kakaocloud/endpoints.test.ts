/**
 * Connection outputs of a KakaoCloud cluster (provider/kakaocloud/endpoints.ts): which nodes are
 * reported (with an address, not leaving), their fields, the stable order (shard id, primaries
 * first, node name, node id) whatever order the API lists them in, the seed list, and `hostPort`.
 */
import type { ApiShard } from "../../../provider/kakaocloud/client";
import { connectionOutputs, hostPort } from "../../../provider/kakaocloud/endpoints";

const ids = (shards: ApiShard[]) => connectionOutputs(shards, 6379).nodeEndpoints.map((e) => e.nodeId);

describe("connectionOutputs", () => {
  it("reports each node's address, the cluster port, role, shard and id", () => {
    const out = connectionOutputs(
      [
        {
          id: "001",
          nodes: [
            { id: "p1", name: "n-1", endpoint: "10.0.0.1", role: "primary" },
            { id: "x1", name: "n-2", endpoint: "10.0.0.2" },
          ],
        },
      ],
      7000,
    );
    expect(out.nodeEndpoints).toEqual([
      { host: "10.0.0.1", port: 7000, role: "primary", shardId: "001", nodeId: "p1" },
      { host: "10.0.0.2", port: 7000, role: "unknown", shardId: "001", nodeId: "x1" },
    ]);
    expect(out.seedEndpoints).toEqual(["10.0.0.1:7000", "10.0.0.2:7000"]);
  });

  it("leaves out shards being deleted, nodes without an address and nodes being deleted", () => {
    const shards: ApiShard[] = [
      { id: "001", status: "Deleting", nodes: [{ id: "gone-shard", endpoint: "10.0.0.9", role: "primary" }] },
      {
        id: "002",
        status: "Available",
        nodes: [
          { id: "kept", endpoint: "10.0.1.1", role: "primary", status: "Available" },
          { id: "no-address", role: "replica", status: "Available" },
          { id: "leaving", endpoint: "10.0.1.3", role: "replica", status: "Deleted" },
        ],
      },
      { id: "003" },
    ];
    expect(ids(shards)).toEqual(["kept"]);
    expect(connectionOutputs(shards, 6379).seedEndpoints).toEqual(["10.0.1.1:6379"]);
  });

  it("orders by shard id whatever order the shards are listed in", () => {
    const shard = (id: string): ApiShard => ({
      id,
      nodes: [{ id: `p-${id}`, endpoint: `10.0.${Number(id)}.1`, role: "primary" }],
    });
    expect(ids([shard("003"), shard("001"), shard("002")])).toEqual(["p-001", "p-002", "p-003"]);
  });

  it("puts the primary first within a shard, listed before or after its replica", () => {
    const primary = { id: "b", name: "n-2", endpoint: "10.0.0.2", role: "primary" };
    const replica = { id: "a", name: "n-1", endpoint: "10.0.0.1", role: "replica" };
    expect(ids([{ id: "001", nodes: [replica, primary] }])).toEqual(["b", "a"]);
    expect(ids([{ id: "001", nodes: [primary, replica] }])).toEqual(["b", "a"]);
  });

  it("orders nodes of a shard and role by name, then id", () => {
    const node = (id: string, name?: string) => ({
      id,
      name,
      endpoint: `10.0.0.${id.length}`,
      role: "replica",
    });
    expect(ids([{ id: "001", nodes: [node("a", "n-3"), node("z", "n-1"), node("m", "n-2")] }])).toEqual([
      "z",
      "m",
      "a",
    ]);
    expect(ids([{ id: "001", nodes: [node("y", "same"), node("x", "same")] }])).toEqual(["x", "y"]);
    // By name: "x" before "xS" (the ids here agree with that order).
    expect(ids([{ id: "001", nodes: [node("z", "xS"), node("a", "x")] }])).toEqual(["a", "z"]);
    expect(ids([{ id: "001", nodes: [node("b", "n-1"), node("a")] }])).toEqual(["a", "b"]);
    // A node without a name comes before every named one, even one named "0" or "A".
    expect(ids([{ id: "001", nodes: [node("b", "A"), node("c", "0"), node("a")] }])).toEqual(["a", "c", "b"]);
    // The whole name first: "n-1" before "n-10" even when the ids say otherwise.
    expect(ids([{ id: "001", nodes: [node("a2", "n-10"), node("f1", "n-1")] }])).toEqual(["f1", "a2"]);
  });

  it("orders by code points, not by the machine's locale", () => {
    const node = (id: string, name: string) => ({
      id,
      name,
      endpoint: `10.0.0.${id.length}`,
      role: "replica",
    });
    // localeCompare puts "a" before "B"; code points put "B" (U+0042) first, on every machine.
    expect(ids([{ id: "001", nodes: [node("x", "a"), node("y", "B")] }])).toEqual(["y", "x"]);
    expect(ids([{ id: "001", nodes: [node("y", "s"), node("X", "s")] }])).toEqual(["X", "y"]);
    const shard = (id: string): ApiShard => ({
      id,
      nodes: [{ id: `p-${id}`, endpoint: "10.0.9.1", role: "primary" }],
    });
    expect(ids([shard("b"), shard("C")])).toEqual(["p-C", "p-b"]);
  });

  it("lists primaries of every shard first in the seeds, each address once", () => {
    const out = connectionOutputs(
      [
        {
          id: "001",
          nodes: [
            { id: "r1", name: "n-2", endpoint: "10.0.0.2", role: "replica" },
            { id: "p1", name: "n-1", endpoint: "10.0.0.1", role: "primary" },
          ],
        },
        {
          id: "002",
          nodes: [
            { id: "p2", name: "n-1", endpoint: "10.0.1.1", role: "primary" },
            { id: "r2", name: "n-2", endpoint: "10.0.0.2", role: "replica" },
          ],
        },
      ],
      6379,
    );
    expect(out.nodeEndpoints.map((e) => e.nodeId)).toEqual(["p1", "r1", "p2", "r2"]);
    expect(out.seedEndpoints).toEqual(["10.0.0.1:6379", "10.0.1.1:6379", "10.0.0.2:6379"]);
  });
});

describe("hostPort", () => {
  it("brackets an IPv6 address and leaves IPv4 and names alone", () => {
    expect(hostPort("fd00::1", 6379)).toBe("[fd00::1]:6379");
    expect(hostPort("10.0.0.1", 6379)).toBe("10.0.0.1:6379");
    expect(hostPort("redis.internal", 7000)).toBe("redis.internal:7000");
  });
});
