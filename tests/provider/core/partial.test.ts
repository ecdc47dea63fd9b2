/**
 * Tests of the partial-failure rejection: the id and the properties for the state, a redacted
 * message that says the resource exists, and the reasons.
 */
import { partialFailure } from "../../../provider/core/partial";

describe("partialFailure", () => {
  test("carries the id, the plain properties and a message that says the resource is recorded", () => {
    const f = partialFailure(new Error("wait ran out"), "c-1", {
      name: "r1",
      __provider: "p",
      outputs: { endpoint: undefined, port: 6379 },
    });
    expect(f).toEqual({
      message:
        "wait ran out (the resource c-1 exists and is recorded in the state; run `pulumi up` again to continue)",
      id: "c-1",
      properties: { name: "r1", __provider: "p", outputs: { port: 6379 } },
      reasons: ["wait ran out"],
    });
    // undefined values are dropped, not kept as keys.
    expect(Object.keys(f.properties.outputs as object)).toEqual(["port"]);
  });

  test("takes the text of a non-Error rejection and redacts credentials from message and reasons", () => {
    const f = partialFailure('status FAIL, body {"password":"Hunter2!pw"}', "r-9", {});
    expect(f.reasons).toEqual(['status FAIL, body {"password":***}']);
    expect(f.message).toBe(
      'status FAIL, body {"password":***} (the resource r-9 exists and is recorded in the state; run `pulumi up` again to continue)',
    );
    expect(partialFailure(42, "x", {}).reasons).toEqual(["42"]);
  });
});
