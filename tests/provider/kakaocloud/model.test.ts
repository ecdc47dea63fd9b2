/**
 * The shared KakaoCloud shapes (provider/kakaocloud/model.ts): a listed node as the outputs report
 * it (`nodeOutput`), and the subnet assignment read back from a shard's nodes (`assignmentOf`).
 */
import type { ApiNode } from "../../../provider/kakaocloud/client";
import { assignmentOf, assignmentSchema, idRefSchema, nodeOutput } from "../../../provider/kakaocloud/model";

const node = (id: string, over: Partial<ApiNode> = {}): ApiNode => ({ id, name: `n-${id}`, ...over });

describe("nodeOutput", () => {
  it("reports every field, the subnet by its id", () => {
    const n = node("a", {
      role: "primary",
      endpoint: "10.0.0.1:6379",
      status: "Running",
      subnet: { id: "s-1" },
    });
    expect(nodeOutput({ ...n, createdAt: 5 })).toEqual({
      id: "a",
      name: "n-a",
      role: "primary",
      endpoint: "10.0.0.1:6379",
      subnetId: "s-1",
      status: "Running",
    });
  });

  it("leaves the subnet out of a node listed without one", () => {
    expect(nodeOutput({ id: "b" })).toEqual({ id: "b" });
    expect(nodeOutput({ id: "b" }).subnetId).toBeUndefined();
  });
});

describe("assignmentOf", () => {
  it("takes the primary by its role, wherever it is listed, and the others as replicas in order", () => {
    const nodes = [
      node("r1", { role: "replica", subnet: { id: "s-b" } }),
      node("p", { role: "primary", subnet: { id: "s-a" } }),
      node("r2", { role: "replica", subnet: { id: "s-c" } }),
    ];
    expect(assignmentOf(nodes)).toEqual({ primary: { id: "s-a" }, replicas: [{ id: "s-b" }, { id: "s-c" }] });
  });

  it("takes the first node as the primary when none says so", () => {
    const nodes = [
      node("x", { subnet: { id: "s-x" } }),
      node("y", { role: "replica", subnet: { id: "s-y" } }),
    ];
    expect(assignmentOf(nodes)).toEqual({ primary: { id: "s-x" }, replicas: [{ id: "s-y" }] });
  });

  it("leaves out the primary only, even when a replica shares its subnet", () => {
    const nodes = [
      node("p", { role: "primary", subnet: { id: "s-a" } }),
      node("r", { role: "replica", subnet: { id: "s-a" } }),
    ];
    expect(assignmentOf(nodes)).toEqual({ primary: { id: "s-a" }, replicas: [{ id: "s-a" }] });
  });

  it("gives an empty id for nodes listed without a subnet", () => {
    const nodes = [node("p", { role: "primary" }), node("r", { role: "replica" })];
    expect(assignmentOf(nodes)).toEqual({ primary: { id: "" }, replicas: [{ id: "" }] });
  });

  it("gives an empty primary and no replicas for a shard without nodes", () => {
    expect(assignmentOf([])).toEqual({ primary: { id: "" }, replicas: [] });
  });

  it("reads back an assignment that the input schema accepts", () => {
    const nodes = [
      node("p", { role: "primary", subnet: { id: "s-a" } }),
      node("r", { subnet: { id: "s-b" } }),
    ];
    expect(assignmentSchema.parse(assignmentOf(nodes))).toEqual({
      primary: { id: "s-a" },
      replicas: [{ id: "s-b" }],
    });
  });
});

describe("the id schemas", () => {
  it("refuse an empty id and unknown keys", () => {
    expect(idRefSchema.safeParse({ id: "" }).error?.issues[0]?.message).toBe("must be a non-empty id");
    expect(assignmentSchema.safeParse({ primary: { id: "a" }, replicas: [], extra: 1 }).success).toBe(false);
    expect(assignmentSchema.safeParse({ primary: { id: "a" }, replicas: [{ id: "b" }] }).success).toBe(true);
  });
});
