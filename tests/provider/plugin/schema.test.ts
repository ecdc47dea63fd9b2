/**
 * The plugin's schema is generated from the implementations' zod schemas and the declaration table
 * (provider/plugin/schema.ts): tokens, required inputs, secrets, replaceOnChanges, outputs — and
 * a change of a zod schema changes it. The file written at build time is the same schema.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";
import { packageSchema } from "../../../provider/plugin/schema";
import { writeSchemaFile } from "../../../provider/plugin/schema-file";

/**
 * The schema, generated anew in each test rather than once at load: a mutation run with per-test
 * coverage runs only the tests that call the generator, with the mutant switched on after loading.
 */
const generated = () => packageSchema("0.0.1");
const res = (token: string) => generated().resources[`managed-redis:${token}`];

describe("the plugin's schema", () => {
  it("has the six tokens, named like the classes", () => {
    expect(Object.keys(generated().resources).sort()).toEqual([
      "managed-redis:alicloud:InstanceSSL",
      "managed-redis:alicloud:TairDirectConnection",
      "managed-redis:huaweicloud:DcsInstanceSSL",
      "managed-redis:kakaocloud:KakaoRedisCluster",
      "managed-redis:kakaocloud:KakaoReplica",
      "managed-redis:kakaocloud:KakaoShard",
    ]);
  });

  it("takes inputs, required inputs and types from the zod schemas", () => {
    const dcs = res("huaweicloud:DcsInstanceSSL");
    expect(Object.keys(dcs.inputProperties)).toEqual([
      "projectId",
      "instanceId",
      "enabled",
      "leaveOnDestroy",
      "timeouts",
    ]);
    expect(dcs.requiredInputs).toEqual(["enabled", "instanceId"]);
    expect(dcs.inputProperties.enabled.type).toBe("boolean");
    const cluster = res("kakaocloud:KakaoRedisCluster");
    expect(cluster.inputProperties.port.type).toBe("integer");
    expect(cluster.inputProperties.subnets).toMatchObject({
      type: "array",
      items: { $ref: expect.any(String) },
    });
    const idRef = cluster.inputProperties.subnets.items!.$ref!.replace("#/types/", "");
    expect(generated().types[idRef]).toEqual({
      type: "object",
      properties: { id: { type: "string" } },
      required: ["id"],
    });
    // One type per shape in a module: the shard's primary subnet is the same IdRef type.
    const shardAssignment = generated().types["managed-redis:kakaocloud:KakaoRedisClusterSubnetAssignments"];
    expect(shardAssignment.properties.primary.$ref).toBe(`#/types/${idRef}`);
  });

  it("marks secrets, replacing inputs and the outputs of the classes", () => {
    const cluster = res("kakaocloud:KakaoRedisCluster");
    expect(cluster.inputProperties.user.secret).toBe(true);
    expect(cluster.properties.user.secret).toBe(true);
    expect(cluster.inputProperties.name.replaceOnChanges).toBe(true);
    expect(cluster.inputProperties.description.replaceOnChanges).toBeUndefined();
    expect(Object.keys(cluster.properties)).toEqual(
      expect.arrayContaining([
        "clusterId",
        "status",
        "shards",
        "foreignMembers",
        "nodeEndpoints",
        "seedEndpoints",
      ]),
    );
    const shard = res("kakaocloud:KakaoShard");
    expect(shard.inputProperties.nodeCount.replaceOnChanges).toBe(true);
    expect(shard.inputProperties.timeouts.replaceOnChanges).toBeUndefined();
    expect(Object.keys(shard.properties)).toEqual(
      expect.arrayContaining(["shardId", "name", "status", "slots", "nodes"]),
    );
    expect(res("huaweicloud:DcsInstanceSSL").properties.port).toMatchObject({ type: "number" });
    expect(res("alicloud:TairDirectConnection").description).toMatch(/direct connection/);
  });

  it("follows a change of a zod schema (nothing is written twice)", () => {
    jest.isolateModules(() => {
      const actual = jest.requireActual("../../../provider/huaweicloud/dcs-instance-ssl");
      jest.doMock("../../../provider/huaweicloud/dcs-instance-ssl", () => ({
        ...actual,
        dcsInstanceSslSchema: actual.dcsInstanceSslSchema.extend({ sslPolicy: z.string() }),
      }));
      const { packageSchema: fresh } = require("../../../provider/plugin/schema");
      const dcs = fresh("0.0.1").resources["managed-redis:huaweicloud:DcsInstanceSSL"];
      expect(dcs.inputProperties.sslPolicy).toEqual({ type: "string" });
      expect(dcs.requiredInputs).toEqual(["enabled", "instanceId", "sslPolicy"]);
    });
    jest.dontMock("../../../provider/huaweicloud/dcs-instance-ssl");
    expect(res("huaweicloud:DcsInstanceSSL").inputProperties.sslPolicy).toBeUndefined();
  });

  it("is what the build writes to the schema file", () => {
    const file = writeSchemaFile(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "schema-")), "schema.json"));
    const written = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(written.resources).toEqual(JSON.parse(JSON.stringify(generated().resources)));
    expect(written.version).toBe(require("../../../package.json").version);
  });
});
