import * as fc from "fast-check";
import { createClusterBody } from "../../../provider/kakaocloud/cluster-inputs";
import { clusterInputs } from "../../helpers/kakao";
import { clusterInputsArb } from "./helpers";

/** The create-cluster body's fields in the document's order (`tlsEnabled`, `backupSchedule`: docs/cloud-facts.md). */
const DOCUMENTED = [
  "name",
  "description",
  "version",
  "port",
  "shardCount",
  "nodeCountPerShard",
  "flavorId",
  "parameterGroupId",
  "subnets",
  "subnetAssignments",
  "securityGroups",
  "user",
  "tlsEnabled",
  "backupSchedule",
];

describe("createClusterBody", () => {
  it("sends the document's fields, in its order, and none of the provider's own", () => {
    const inputs = {
      ...clusterInputs({ timeouts: { create: "10m" }, adopt: true }),
      __provider: "serialized",
    };
    const body = createClusterBody(inputs);
    expect(Object.keys(body)).toEqual(DOCUMENTED);
    const { timeouts: _t, adopt: _a, __provider: _p, ...rest } = inputs;
    expect(body).toEqual(rest);
  });

  it("leaves out what the program left out, and sends the bytes the inputs minus timeouts and adopt made", () => {
    fc.assert(
      fc.property(clusterInputsArb, fc.option(fc.boolean(), { nil: undefined }), (generated, adopt) => {
        const inputs = adopt === undefined ? generated : { ...generated, adopt };
        const { timeouts: _t, adopt: _a, ...rest } = inputs;
        const json = JSON.stringify(createClusterBody(inputs));
        expect(json).toBe(JSON.stringify(rest));
        expect(Object.keys(JSON.parse(json))).toEqual(DOCUMENTED.filter((k) => k in rest));
      }),
      { numRuns: 200 },
    );
  });
});
