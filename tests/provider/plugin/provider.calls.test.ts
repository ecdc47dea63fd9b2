/**
 * The plugin face's update, read, diff and delete around the implementation (provider/plugin/provider.ts),
 * with the registry's implementations replaced by recorders: what each call hands the implementation
 * (secrets unwrapped, customTimeouts as `timeouts`, the import mark's fields from the program) and
 * what it answers the engine (the program's `timeouts`, secrets wrapped, the member's settle fields).
 */
import { pluginProvider } from "../../../provider/plugin/provider";
import { withRequest } from "../../../provider/plugin/request-context";

type Props = Record<string, unknown>;
/** A registry implementation as the tests stand it in: any method, any arguments (as the engine's calls). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Method = (...args: any[]) => any;
type Impl = Record<string, Method>;

const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });
const urn = (token: string) => `urn:pulumi:dev::proj::${token}::r`;
const DCS = urn("managed-redis:huaweicloud:DcsInstanceSSL");
const SHARD = urn("managed-redis:kakaocloud:KakaoShard");
const REPLICA = urn("managed-redis:kakaocloud:KakaoReplica");
const CLUSTER = urn("managed-redis:kakaocloud:KakaoRedisCluster");

/** The implementations the mocked registry serves, by registry key (set by {@link pluginWith}). */
let mockImpls: Record<string, Impl> = {};
jest.mock("../../../provider/registry", () => ({ at: (key: string) => mockImpls[key] }));

/** The plugin's provider and `withRequest`, against a registry serving `impls` by key. */
function pluginWith(impls: Record<string, Impl>) {
  mockImpls = impls;
  return { plugin: pluginProvider("1"), within: withRequest };
}

/** An implementation whose methods record their arguments and answer `answers[method](...args)`. */
function recorder(answers: Record<string, Method>) {
  const calls: Record<string, unknown[][]> = {};
  const impl: Impl = {};
  for (const [method, answer] of Object.entries(answers)) {
    impl[method] = async (...args: unknown[]) => {
      (calls[method] ??= []).push(args);
      return answer(...args);
    };
  }
  return { impl, calls };
}

describe("update on the plugin face", () => {
  it("sends the customTimeouts update, the plain values and the program's values of imported fields", async () => {
    const dcs = recorder({ update: (_id, _olds, news: Props) => ({ outs: { ...news, port: 6380 } }) });
    const { plugin, within } = pluginWith({ hd: dcs.impl });
    const olds = {
      projectId: "p",
      instanceId: "i",
      enabled: false,
      leaveOnDestroy: false,
      __imported: ["timeouts", "leaveOnDestroy"],
    };
    const news = {
      projectId: secret("p"),
      instanceId: "i",
      enabled: true,
      leaveOnDestroy: true,
      timeouts: { delete: "2h", update: "1h" },
    };
    const { outs } = await within({ timeoutSeconds: 90.0004 }, () => plugin.update!("p/i", DCS, olds, news));
    const [[id, before, sent]] = dcs.calls.update;
    expect(id).toBe("p/i");
    // The import mark is gone and its fields are the program's (no change sent for them).
    expect(before).toEqual({
      projectId: "p",
      instanceId: "i",
      enabled: false,
      leaveOnDestroy: true,
      timeouts: { delete: "2h", update: "1h" },
    });
    // The customTimeouts replace the update's entry only: the program's other timeouts stay.
    expect(sent).toEqual({
      projectId: "p",
      instanceId: "i",
      enabled: true,
      leaveOnDestroy: true,
      timeouts: { delete: "2h", update: "90001ms" },
    });
    // The state keeps the program's timeouts, wraps the secret input again and drops the mark.
    expect(outs).toEqual({
      projectId: secret("p"),
      instanceId: "i",
      enabled: true,
      leaveOnDestroy: true,
      timeouts: { delete: "2h", update: "1h" },
      port: 6380,
    });
  });

  it("without customTimeouts sends the program's timeouts, and none when the program has none", async () => {
    const dcs = recorder({
      update: (_id, _olds, news: Props) => ({ outs: { ...news, timeouts: { update: "x" } } }),
    });
    const { plugin, within } = pluginWith({ hd: dcs.impl });
    const news = { instanceId: "i", enabled: true, timeouts: { update: "1h" } };
    await within({ timeoutSeconds: 0 }, () => plugin.update!("p/i", DCS, {}, news));
    expect(dcs.calls.update[0][2]).toEqual(news);
    const { outs } = await within({}, () =>
      plugin.update!("p/i", DCS, {}, { instanceId: "i", enabled: true }),
    );
    // No `timeouts` key at all (not one holding undefined): the state records what the program has.
    expect(Object.keys(outs)).toEqual(["instanceId", "enabled"]);
  });

  it("a failed update with the resource's id is recorded with the program's timeouts and secrets", async () => {
    const dcs = recorder({
      update: () => {
        throw {
          message: "SSL job failed",
          id: "p/i",
          properties: { instanceId: "i", projectId: "p", timeouts: { update: "9ms" } },
        };
      },
    });
    const { plugin, within } = pluginWith({ hd: dcs.impl });
    const news = { instanceId: "i", projectId: secret("p"), enabled: true, timeouts: { update: "1h" } };
    const failure = await within({ timeoutSeconds: 5 }, () => plugin.update!("p/i", DCS, {}, news)).catch(
      (e) => e,
    );
    expect(failure).toEqual({
      message: "SSL job failed",
      id: "p/i",
      properties: { instanceId: "i", projectId: secret("p"), timeouts: { update: "1h" } },
      reasons: ["SSL job failed"],
    });
    // An error without an id is not a partial failure: it reaches the engine as it is.
    const plainError = new Error("refused");
    dcs.impl.update = async () => {
      throw plainError;
    };
    await expect(within({}, () => plugin.update!("p/i", DCS, {}, news))).rejects.toBe(plainError);
    dcs.impl.update = async () => {
      throw { message: "no id", id: "" };
    };
    await expect(within({}, () => plugin.update!("p/i", DCS, {}, news))).rejects.toEqual({
      message: "no id",
      id: "",
    });
  });

  it("a replica's update waits again until it settled, with the update's customTimeouts as the wait's create", async () => {
    const replica = recorder({
      update: (_id, _olds, news: Props) => ({ outs: { ...news, shardId: "001", nodeId: "n9" } }),
    });
    const km = recorder({
      create: (inputs: Props) => ({
        id: "x",
        outs: { ...inputs, status: "Running", slots: "", nodes: [{ id: "n9" }] },
      }),
    });
    const { plugin, within } = pluginWith({ kr: replica.impl, km: km.impl });
    const news = { clusterId: "c1", shardId: "001", timeouts: { create: "3h" } };
    const { outs } = await within({ timeoutSeconds: 60 }, () =>
      plugin.update!("c1/001/n9", REPLICA, {}, news),
    );
    expect(km.calls.create).toEqual([
      [
        {
          kind: "replica",
          clusterId: "c1",
          shardId: "001",
          nodeId: "n9",
          timeouts: { create: "60000ms", update: "60000ms" },
        },
      ],
    ]);
    expect(outs).toMatchObject({
      nodeId: "n9",
      status: "Running",
      nodes: [{ id: "n9" }],
      timeouts: { create: "3h" },
    });
    expect(outs).not.toHaveProperty("kind");
    // Without customTimeouts the wait takes the program's create timeout.
    await within({}, () => plugin.update!("c1/001/n9", REPLICA, {}, news));
    expect(km.calls.create[1][0]).toMatchObject({ timeouts: { create: "3h" } });
  });
});

describe("read on the plugin face", () => {
  it("answers a resource that is gone with an empty id", async () => {
    const dcs = recorder({ read: () => ({ id: "", props: { instanceId: "i" } }) });
    const { plugin } = pluginWith({ hd: dcs.impl });
    expect(await plugin.read!("p/i", DCS, { instanceId: "i", __imported: ["timeouts"] })).toEqual({
      id: "",
      props: {},
    });
    // The implementation saw the state without the mark.
    expect(dcs.calls.read[0]).toEqual(["p/i", { instanceId: "i" }]);
  });

  it("a refresh returns the implementation's inputs, secrets wrapped, and no mark on a created resource", async () => {
    const cluster = recorder({
      read: () => ({
        id: "c1",
        props: { clusterId: "c1", user: { name: "app" }, status: "Running" },
        inputs: { user: { name: "app" } },
      }),
    });
    const { plugin } = pluginWith({ kc: cluster.impl });
    const read = await plugin.read!("c1", CLUSTER, { clusterId: "c1", user: secret({ name: "app" }) });
    expect(read).toEqual({
      id: "c1",
      props: { clusterId: "c1", user: secret({ name: "app" }), status: "Running" },
      inputs: { user: secret({ name: "app" }) },
    });
    expect(Object.keys(read.props)).not.toContain("__imported");
  });

  it("an import takes the inputs from the live state when the implementation gives none", async () => {
    const dcs = recorder({
      read: () => ({
        id: "p/i",
        props: { projectId: "p", instanceId: "i", enabled: true, ip: "10.0.0.1", __provider: "x" },
      }),
    });
    const { plugin } = pluginWith({ hd: dcs.impl });
    const read = await plugin.read!("p/i", DCS, {});
    expect(read.inputs).toEqual({ projectId: "p", instanceId: "i", enabled: true });
    // Only the fields the state has: no key for an input the cloud does not report.
    expect(Object.keys(read.inputs!)).toEqual(["projectId", "instanceId", "enabled"]);
    expect(read.props).toEqual({
      projectId: "p",
      instanceId: "i",
      enabled: true,
      ip: "10.0.0.1",
      __imported: ["timeouts", "leaveOnDestroy"],
    });
  });

  it("a shard's refresh reads its settle fields through the member implementation", async () => {
    const shard = recorder({
      read: () => ({ id: "c1/002", props: { clusterId: "c1", shardId: "002", timeouts: { create: "1h" } } }),
    });
    const km = recorder({
      read: (_id, props: Props) => ({
        id: "m",
        props: { ...props, status: "Running", slots: "0-99", nodes: [] },
      }),
    });
    const { plugin } = pluginWith({ ks: shard.impl, km: km.impl });
    const read = await plugin.read!("c1/002", SHARD, { clusterId: "c1", shardId: "002" });
    expect(km.calls.read).toEqual([
      ["c1/002", { kind: "shard", clusterId: "c1", shardId: "002", timeouts: { create: "1h" } }],
    ]);
    expect(read.props).toEqual({
      clusterId: "c1",
      shardId: "002",
      timeouts: { create: "1h" },
      status: "Running",
      slots: "0-99",
      nodes: [],
    });
  });
});

describe("diff and delete on the plugin face", () => {
  it("passes the implementation's replaces and deleteBeforeReplace through, with plain values", async () => {
    const dcs = recorder({
      diff: () => ({ changes: true, replaces: ["instanceId"], deleteBeforeReplace: true }),
    });
    const { plugin } = pluginWith({ hd: dcs.impl });
    const d = await plugin.diff!(
      "p/i",
      DCS,
      { instanceId: "a" },
      { instanceId: "b", projectId: secret("p") },
    );
    expect(d).toEqual({ changes: true, replaces: ["instanceId"], deleteBeforeReplace: true });
    expect(dcs.calls.diff[0]).toEqual(["p/i", { instanceId: "a" }, { instanceId: "b", projectId: "p" }]);
    dcs.impl.diff = async () => ({});
    expect(await plugin.diff!("p/i", DCS, {}, {})).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("deletes with the customTimeouts delete and plain values", async () => {
    const dcs = recorder({ delete: () => undefined });
    const { plugin, within } = pluginWith({ hd: dcs.impl });
    await within({ timeoutSeconds: 30 }, () =>
      plugin.delete!("p/i", DCS, { instanceId: "i", projectId: secret("p") }),
    );
    expect(dcs.calls.delete[0]).toEqual([
      "p/i",
      { instanceId: "i", projectId: "p", timeouts: { delete: "30000ms" } },
    ]);
  });
});

describe("check and the secrets on the plugin face", () => {
  it("answers no failures when the implementation reports none, and wraps a field holding a nested secret", async () => {
    const dcs = recorder({ check: (_olds, news: Props) => ({ inputs: news }) });
    const { plugin } = pluginWith({ hd: dcs.impl });
    const news = {
      instanceId: "i",
      tags: { owner: secret("ops"), team: null },
      hosts: ["a", secret("b")],
      plain: { nothing: null },
      list: [null],
    };
    const { inputs, failures } = await plugin.check!(DCS, {}, news);
    expect(failures).toEqual([]);
    expect(dcs.calls.check[0][1]).toEqual({
      instanceId: "i",
      tags: { owner: "ops", team: null },
      hosts: ["a", "b"],
      plain: { nothing: null },
      list: [null],
    });
    expect(inputs).toEqual({
      instanceId: "i",
      tags: secret({ owner: "ops", team: null }),
      hosts: secret(["a", "b"]),
      plain: { nothing: null },
      list: [null],
    });
  });

  it("refuses a URN without a type, and an unknown type, as invalid input", async () => {
    const { plugin } = pluginWith({});
    await expect(plugin.check!("not-a-urn", {}, {})).rejects.toMatchObject({
      code: "InvalidInput",
      message: expect.stringContaining('managed-redis has no resource type ""'),
    });
  });
});
