/**
 * How the schema generator (provider/plugin/schema.ts) writes each form of zod input as a Pulumi
 * type: the forms a future input may take (records, unions of objects, nullable and literal values,
 * descriptions) that no resource's input uses yet — the SDKs are generated from what it writes.
 * A DcsInstanceSSL input schema extended with one field of each form is converted here.
 */
import { z } from "zod";

const MOD = "../../../provider/huaweicloud/dcs-instance-ssl";
const T = "managed-redis:huaweicloud:DcsInstanceSSL";

/** The schema generated with `fields` added to the DcsInstanceSSL inputs. */
function schemaWith(fields: z.ZodRawShape): {
  inputs: Record<string, Record<string, unknown>>;
  types: Record<string, Record<string, unknown>>;
} {
  let result: ReturnType<typeof schemaWith> | undefined;
  jest.isolateModules(() => {
    const actual = jest.requireActual(MOD);
    jest.doMock(MOD, () => ({ ...actual, dcsInstanceSslSchema: actual.dcsInstanceSslSchema.extend(fields) }));
    const { packageSchema } = require("../../../provider/plugin/schema");
    const schema = packageSchema("0.0.1");
    result = {
      inputs: schema.resources[`managed-redis:huaweicloud:DcsInstanceSSL`].inputProperties,
      types: schema.types,
    };
  });
  jest.dontMock(MOD);
  return result!;
}

describe("the schema's types for each form of zod input", () => {
  it("records: a map of the value's type, an object value as a named type, any value as Any", () => {
    const { inputs, types } = schemaWith({
      labels: z.record(z.string(), z.number()),
      rules: z.record(z.string(), z.object({ cidr: z.string() })),
      extra: z.record(z.string(), z.any()),
    });
    expect(inputs.labels).toEqual({ type: "object", additionalProperties: { type: "number" } });
    expect(inputs.rules).toEqual({
      type: "object",
      additionalProperties: { $ref: `#/types/${T}Rules` },
    });
    expect(types[`${T}Rules`]).toEqual({
      type: "object",
      properties: { cidr: { type: "string" } },
      required: ["cidr"],
    });
    expect(inputs.extra).toEqual({ type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } });
  });

  it("a union of two object shapes is oneOf two named types; a union of one type is that type", () => {
    const { inputs, types } = schemaWith({
      target: z.union([z.object({ host: z.string() }), z.object({ host: z.string(), port: z.number() })]),
      level: z.union([z.literal(1), z.literal(2)]),
    });
    expect(inputs.target).toEqual({
      oneOf: [{ $ref: `#/types/${T}Target` }, { $ref: `#/types/${T}Target1` }],
    });
    expect(types[`${T}Target1`]).toEqual({
      type: "object",
      properties: { host: { type: "string" }, port: { type: "number" } },
      required: ["host", "port"],
    });
    expect(inputs.level).toEqual({ type: "number" });
  });

  it("nullable and literal values take their type; null alone and an array of anything are Any", () => {
    const { inputs } = schemaWith({
      note: z.string().nullable(),
      on: z.literal(true),
      size: z.literal(3),
      nothing: z.null(),
      items: z.array(z.any()),
    });
    expect(inputs.note).toEqual({ type: "string" });
    expect(inputs.on).toEqual({ type: "boolean" });
    expect(inputs.size).toEqual({ type: "number" });
    expect(inputs.nothing).toEqual({ $ref: "pulumi.json#/Any" });
    expect(inputs.items).toEqual({ type: "array", items: { $ref: "pulumi.json#/Any" } });
  });

  it("descriptions go to the property and to the object type", () => {
    const { inputs, types } = schemaWith({
      window: z.object({ start: z.string().describe("HH:MM, UTC") }).describe("The maintenance window."),
    });
    expect(inputs.window).toEqual({ $ref: `#/types/${T}Window`, description: "The maintenance window." });
    expect(types[`${T}Window`]).toEqual({
      type: "object",
      description: "The maintenance window.",
      properties: { start: { type: "string", description: "HH:MM, UTC" } },
      required: ["start"],
    });
  });
});
