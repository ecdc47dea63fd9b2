/**
 * The plugin face in process (provider/plugin/provider.ts) against the emulator: dispatch by token
 * to the registry's implementations, secrets unwrapped and wrapped again, customTimeouts winning
 * over the `timeouts` input, and an import whose undeclared-by-the-cloud inputs never read as a
 * change while a real change still does.
 */
import type { Emulator, HuaweicloudModule } from "../../../emulator";
import { HUAWEI_DEMO } from "../../../emulator/huaweicloud";
import { IMPORTED, pluginProvider, reveal, tokenOf } from "../../../provider/plugin/provider";
import { configOf, extrasOf, withRequest } from "../../../provider/plugin/request-context";
import { startTestEmulator } from "../../helpers/emulator";

const P = HUAWEI_DEMO.projectId;
const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });
const urn = (token: string, name = "r") => `urn:pulumi:dev::proj::${token}::${name}`;
const DCS = urn("managed-redis:huaweicloud:DcsInstanceSSL");
const plugin = pluginProvider("1.2.3");

let emu: Emulator;
let dcs: HuaweicloudModule;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emu = await startTestEmulator({ huaweicloud: { settleMs: { sslJob: 600 } } });
  process.env.PULUMI_MANAGED_REDIS_POLL_SCALE = "0.02";
  dcs = emu.clouds.huaweicloud as HuaweicloudModule;
});
afterAll(async () => {
  await emu.stop();
  process.env = savedEnv;
});

const putsOf = (instanceId: string) =>
  emu.requests.filter((r) => r.op === "setSsl" && r.path.includes(instanceId) && r.status === 200);

describe("dispatch by token", () => {
  it.each([
    ["managed-redis:kakaocloud:KakaoRedisCluster", "flavorId"],
    ["managed-redis:kakaocloud:KakaoShard", "nodeCount"],
    ["managed-redis:kakaocloud:KakaoReplica", "subnetId"],
    ["managed-redis:alicloud:TairDirectConnection", "instanceId"],
    ["managed-redis:alicloud:InstanceSSL", "enabled"],
    ["managed-redis:huaweicloud:DcsInstanceSSL", "enabled"],
  ])("%s: check answers with that resource's own schema", async (token, field) => {
    const { failures } = await plugin.check!(urn(token), {}, {});
    expect(failures?.map((f) => f.property)).toContain(field);
  });

  it("reads the token from a URN with a parent type", () => {
    expect(tokenOf("urn:pulumi:s::p::my:Comp$managed-redis:alicloud:InstanceSSL::x")).toBe(
      "managed-redis:alicloud:InstanceSSL",
    );
  });

  it("refuses a token it does not serve, and the internal KakaoMemberSettled", async () => {
    await expect(plugin.check!(urn("managed-redis:kakaocloud:Nope"), {}, {})).rejects.toThrow(
      'managed-redis has no resource type "managed-redis:kakaocloud:Nope"',
    );
    await expect(plugin.check!(urn("managed-redis:kakaocloud:KakaoMemberSettled"), {}, {})).rejects.toThrow(
      /no resource type/,
    );
  });

  it("unwraps secrets for the implementation and wraps them again (and the table's secret fields)", async () => {
    const news = {
      instanceId: dcs.addInstance({}),
      enabled: true,
      projectId: secret(P),
    };
    const { inputs, failures } = await plugin.check!(DCS, {}, news);
    expect(failures).toEqual([]);
    expect(inputs.projectId).toEqual(secret(P));
    expect(inputs.leaveOnDestroy).toBe(false); // the implementation's check ran on plain values
    expect(reveal({ a: [secret({ b: secret(1) })] })).toEqual({ a: [{ b: 1 }] });
    const cluster = urn("managed-redis:kakaocloud:KakaoRedisCluster");
    const checked = await plugin.check!(cluster, {}, { user: { name: "app", password: "pw" } });
    expect(checked.inputs.user).toEqual(secret({ name: "app", password: "pw" }));
  });

  it("serves the generated schema with its version", async () => {
    const schema = JSON.parse(await pluginProvider("1.2.3").getSchema!());
    expect(schema.name).toBe("managed-redis");
    expect(schema.version).toBe("1.2.3");
    expect(Object.keys(schema.resources)).toHaveLength(6);
  });
});

describe("customTimeouts", () => {
  it("win over the timeouts input, and the state keeps the program's timeouts", async () => {
    const id = dcs.addInstance({});
    const inputs = { instanceId: id, enabled: true, leaveOnDestroy: false, timeouts: { create: "10m" } };
    // The SSL job runs 600 ms: a 0.2 s customTimeouts create cannot see it finish.
    const started = Date.now();
    const failure = await withRequest({ timeoutSeconds: 0.2 }, () => plugin.create!(DCS, inputs)).then(
      () => undefined,
      (err: unknown) => err as { message: string; id?: string; properties?: Record<string, unknown> },
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(failure?.message).toMatch(/within|timed out|deadline/i);
    // The PUT was accepted: a partial failure, recorded with the program's timeouts.
    expect(failure?.id).toBe(`${P}/${id}`);
    expect(failure?.properties?.timeouts).toEqual({ create: "10m" });

    const other = dcs.addInstance({});
    const ok = await withRequest({}, () => plugin.create!(DCS, { ...inputs, instanceId: other }));
    expect(ok.outs).toMatchObject({ enabled: true, timeouts: { create: "10m" } });
  });
});

describe("import", () => {
  it("derives inputs, marks what no cloud reports, and sees only real changes", async () => {
    const id = dcs.addInstance({ sslEnabled: true });
    const rid = `${P}/${id}`;
    const imported = await plugin.read!(rid, DCS, {});
    expect(imported.inputs).toEqual({ instanceId: id, enabled: true, leaveOnDestroy: false });
    expect(imported.props[IMPORTED]).toEqual(["timeouts", "leaveOnDestroy"]);

    const program = { instanceId: id, enabled: true, leaveOnDestroy: true, timeouts: { delete: "5m" } };
    expect(await plugin.diff!(rid, DCS, imported.props, program)).toMatchObject({ changes: false });
    expect(await plugin.diff!(rid, DCS, imported.props, { ...program, enabled: false })).toMatchObject({
      changes: true,
    });
    // A refresh keeps the mark.
    const refreshed = await plugin.read!(rid, DCS, imported.props);
    expect(refreshed.props[IMPORTED]).toEqual(["timeouts", "leaveOnDestroy"]);

    // Destroy honours the program's leaveOnDestroy (the state's inputs), not the imported false.
    await withRequest({ oldInputs: program }, () => plugin.delete!(rid, DCS, refreshed.props));
    expect(dcs.instance(id)?.sslEnabled).toBe(true);
    expect(putsOf(id)).toHaveLength(0);
  });

  it("a resource the plugin created still sees a change of those fields", async () => {
    const id = dcs.addInstance({});
    const inputs = { instanceId: id, enabled: true, leaveOnDestroy: false };
    const { id: rid, outs } = await withRequest({}, () => plugin.create!(DCS, inputs));
    expect(outs[IMPORTED]).toBeUndefined();
    expect(await plugin.diff!(rid, DCS, outs, inputs)).toMatchObject({ changes: false });
    expect(await plugin.diff!(rid, DCS, outs, { ...inputs, leaveOnDestroy: true })).toMatchObject({
      changes: true,
    });
    expect(await plugin.diff!(rid, DCS, outs, { ...inputs, timeouts: { create: "1m" } })).toMatchObject({
      changes: true,
    });
  });
});

describe("KakaoShard and KakaoReplica on the plugin face", () => {
  const shard = urn("managed-redis:kakaocloud:KakaoShard");
  const inputs = {
    clusterId: "c1",
    nodeCount: 2,
    subnetAssignments: { primary: { id: "a" }, replicas: [{ id: "b" }] },
  };
  it("asks for an update while the recorded status is not settled (the wait did not finish)", async () => {
    const settled = { ...inputs, shardId: "002", status: "Running" };
    expect(await plugin.diff!("c1/002", shard, settled, inputs)).toMatchObject({ changes: false });
    expect(await plugin.diff!("c1/002", shard, { ...settled, status: "Creating" }, inputs)).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await plugin.diff!("c1/002", shard, { ...inputs, shardId: "002" }, inputs)).toMatchObject({
      changes: true,
    });
  });
});

describe("what the gRPC request carries", () => {
  const struct = (value: Record<string, unknown>) => ({ toJavaScript: () => value });
  it("reads the timeout and the old inputs of a request", () => {
    expect(extrasOf({ getTimeout: () => 90, getOldInputs: () => struct({ a: 1 }) })).toEqual({
      timeoutSeconds: 90,
      oldInputs: { a: 1 },
    });
    expect(extrasOf({ getTimeout: () => 0, getOldInputs: () => struct({}) })).toEqual({});
  });
  it("turns Configure's variables into the managed-redis:* settings", () => {
    const variables = new Map([
      ["managed-redis:config:huaweicloudEndpoint", "http://127.0.0.1:1"],
      ["managed-redis:kakaoRegion", "kr-central-2"],
    ]);
    const config = configOf({ getVariablesMap: () => variables });
    expect(config.get("managed-redis:huaweicloudEndpoint")).toBe("http://127.0.0.1:1");
    expect(config.get("managed-redis:kakaoRegion")).toBe("kr-central-2");
    expect(() => config.require("managed-redis:nothing")).toThrow(/missing required configuration/);
  });
});

describe("a shard whose wait fails on the plugin face", () => {
  it("is recorded: create rejects with the member's id and outputs (a partial failure)", async () => {
    const calls: unknown[] = [];
    let failure: { id?: string; properties?: Record<string, unknown>; message?: string } | undefined;
    await jest.isolateModulesAsync(async () => {
      const shardProvider = {
        create: async (inputs: Record<string, unknown>) => ({
          id: "c1/002",
          outs: { ...inputs, shardId: "002", name: "c-002" },
        }),
      };
      const settledProvider = {
        create: async (inputs: unknown) => {
          calls.push(inputs);
          throw new Error("timed out after 0s waiting for shard 002 of cluster c1 to settle");
        },
      };
      jest.doMock("../../../provider/registry", () => ({
        at: (key: string) => ({ ks: shardProvider, km: settledProvider })[key],
      }));
      const { pluginProvider: fresh } = require("../../../provider/plugin/provider");
      const { withRequest: within } = require("../../../provider/plugin/request-context");
      const inputs = {
        clusterId: "c1",
        nodeCount: 2,
        subnetAssignments: { primary: { id: "a" }, replicas: [{ id: "b" }] },
        timeouts: { create: "3h" },
      };
      failure = await within({ timeoutSeconds: 60 }, () =>
        fresh("1").create(urn("managed-redis:kakaocloud:KakaoShard"), inputs),
      ).then(
        () => undefined,
        (err: unknown) => err as typeof failure,
      );
    });
    jest.dontMock("../../../provider/registry");
    // The wait got the customTimeouts create (60 s), not the 3 h input.
    expect(calls).toEqual([
      { kind: "shard", clusterId: "c1", shardId: "002", timeouts: { create: "60000ms" } },
    ]);
    expect(failure?.id).toBe("c1/002");
    expect(failure?.properties).toMatchObject({ shardId: "002", timeouts: { create: "3h" } });
    expect(failure?.properties?.status).toBeUndefined(); // diff sees it unsettled: the next up waits
    expect(failure?.message).toMatch(/timed out after 0s[\s\S]*recorded in the state/);
  });
});

describe("a KakaoRedisCluster on the plugin face (its create answers with the id at once)", () => {
  const clusterInputs = {
    name: "plugin-cluster",
    port: 6379,
    timeouts: { create: "3h" },
  };
  /** The plugin's create with the cluster's create and its wait replaced by `kc` and `kw`. */
  async function createWith(kw: { create(inputs: unknown): Promise<unknown> }) {
    const calls: unknown[] = [];
    let result: unknown;
    let failure: { id?: string; properties?: Record<string, unknown>; message?: string } | undefined;
    await jest.isolateModulesAsync(async () => {
      const clusterProvider = {
        create: async (inputs: Record<string, unknown>) => ({
          id: "c9",
          outs: { ...inputs, clusterId: "c9", status: "Creating", nodeEndpoints: [], seedEndpoints: [] },
        }),
      };
      const settledProvider = {
        create: async (inputs: unknown) => {
          calls.push(inputs);
          return kw.create(inputs);
        },
      };
      jest.doMock("../../../provider/registry", () => ({
        at: (key: string) => ({ kc: clusterProvider, kw: settledProvider })[key],
      }));
      const { pluginProvider: fresh } = require("../../../provider/plugin/provider");
      const { withRequest: within } = require("../../../provider/plugin/request-context");
      result = await within({ timeoutSeconds: 60 }, () =>
        fresh("1").create(urn("managed-redis:kakaocloud:KakaoRedisCluster"), clusterInputs),
      ).then(
        (r: unknown) => r,
        (err: unknown) => {
          failure = err as typeof failure;
          return undefined;
        },
      );
    });
    jest.dontMock("../../../provider/registry");
    return { calls, result: result as { id: string; outs: Record<string, unknown> } | undefined, failure };
  }

  it("waits through the KakaoClusterSettled implementation and takes its status, members and endpoints", async () => {
    const shards = [{ id: "001", nodes: [{ id: "n1" }] }];
    const { calls, result } = await createWith({
      create: async (inputs) => ({
        id: "c9",
        outs: {
          ...(inputs as object),
          status: "Running",
          shards,
          foreignMembers: { shardIds: [], nodeIds: [] },
          nodeEndpoints: [{ host: "10.0.0.1", port: 6379 }],
          seedEndpoints: ["10.0.0.1:6379"],
        },
      }),
    });
    expect(calls).toEqual([{ clusterId: "c9", port: 6379, timeouts: { create: "60000ms" } }]);
    expect(result?.id).toBe("c9");
    expect(result?.outs).toMatchObject({ status: "Running", shards, seedEndpoints: ["10.0.0.1:6379"] });
  });

  it("a wait that fails records the cluster (a partial failure) whose unsettled status makes the next up wait", async () => {
    const { failure } = await createWith({
      create: async () => {
        throw new Error("timed out after 0s waiting for cluster c9 to be Running");
      },
    });
    expect(failure?.id).toBe("c9");
    expect(failure?.properties).toMatchObject({
      clusterId: "c9",
      status: "Creating",
      timeouts: { create: "3h" },
    });
    expect(failure?.properties).not.toHaveProperty("shards");
    const cluster = urn("managed-redis:kakaocloud:KakaoRedisCluster");
    const d = await plugin.diff!("c9", cluster, failure!.properties!, failure!.properties!);
    expect(d.changes).toBe(true);
  });
});
