/**
 * The `KakaoRedisCluster`, `KakaoShard` and `KakaoReplica` classes under Pulumi's mocks: the type
 * tokens and shim providers they register, the inputs they pass (the cluster's `user` as a secret),
 * the outputs they expose, their `KakaoMemberSettled` and `KakaoClusterSettled` children (inputs,
 * parent, dependency; the cluster shows its child's outputs until its own state records its
 * members) and the ids they parse.
 */
import * as pulumi from "@pulumi/pulumi";
import type { KakaoRedisClusterArgs } from "../../../provider/kakaocloud/cluster-inputs";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  parent: string;
  deps: string[];
  secretOutputs: string[];
  wire: Record<string, unknown>;
}
const registered: Registration[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      const { inputs } = args;
      registered.push({ type: args.type, name: args.name, inputs } as Registration);
      if (args.type.endsWith("KakaoMemberSettled")) {
        const empty = String(inputs.clusterId).startsWith("empty");
        const nodes = empty ? [] : [{ id: "n-7", role: "replica", endpoint: "10.0.0.7" }];
        return {
          id: `settled-${args.name}`,
          state: { ...inputs, status: "Running", slots: "0-5460", nodes },
        };
      }
      if (args.type.endsWith("KakaoClusterSettled")) {
        return {
          id: String(inputs.clusterId),
          state: {
            ...inputs,
            status: "Running",
            shards: [
              { id: "001", nodes: [] },
              { id: "002", nodes: [] },
            ],
            foreignMembers: { shardIds: ["003"], nodeIds: [] },
            nodeEndpoints: [{ host: "10.0.0.2", port: 6379 }],
            seedEndpoints: ["10.0.0.2:6379"],
          },
        };
      }
      if (args.type.endsWith("KakaoShard")) {
        return { id: `${String(inputs.clusterId)}/003`, state: { ...inputs, name: "shard-003" } };
      }
      if (args.type.endsWith("KakaoReplica")) {
        const id = `${String(inputs.clusterId)}/${String(inputs.shardId)}/n-7`;
        return { id, state: { ...inputs, nodeId: "n-7", name: "node-7" } };
      }
      if (inputs.name === "fresh") {
        // The state a create writes: the id at once, no members recorded yet.
        return {
          id: "cluster-2",
          state: {
            ...inputs,
            clusterId: "cluster-2",
            status: "Creating",
            foreignMembers: { shardIds: [], nodeIds: [] },
            nodeEndpoints: [],
            seedEndpoints: [],
          },
        };
      }
      return {
        id: "cluster-1",
        state: {
          ...inputs,
          status: "Running",
          shards: [{ id: "001" }],
          foreignMembers: { shardIds: ["003"], nodeIds: [] },
          nodeEndpoints: [{ host: "10.0.0.1", port: 6379 }],
          seedEndpoints: ["10.0.0.1:6379"],
        },
      };
    },
    call: () => ({}),
  },
  "project",
  "stack",
  false,
);

// Record what the mock monitor does not hand to `newResource`: parent, dependencies, secret outputs.
type Req = {
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> };
};
const monitor = pulumi.runtime.getMonitor() as unknown as {
  registerResource(req: Req, cb: unknown): unknown;
};
const registerResource = monitor.registerResource.bind(monitor);
const wire = new Map<string, Omit<Registration, "type" | "name" | "inputs">>();
monitor.registerResource = (req, cb) => {
  wire.set(req.getName(), {
    parent: req.getParent(),
    deps: req.getDependenciesList(),
    secretOutputs: req.getAdditionalsecretoutputsList(),
    wire: req.getObject().toJavaScript(),
  });
  return registerResource(req, cb);
};

// Loaded after setMocks, as Pulumi's mocks require.
const { KakaoReplica, parseReplicaId } =
  require("../../../provider/kakaocloud/replica.resource") as typeof import("../../../provider/kakaocloud/replica.resource");
const { KakaoShard, parseShardId } =
  require("../../../provider/kakaocloud/shard.resource") as typeof import("../../../provider/kakaocloud/shard.resource");
const { KakaoRedisCluster } =
  require("../../../provider/kakaocloud/cluster.resource") as typeof import("../../../provider/kakaocloud/cluster.resource");

/** An output's value; rejects after 5 s (an output that never resolves fails the test fast). */
const known = <T>(o: pulumi.Output<T>) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the output never resolved")), 5_000);
    o.apply((v) => (clearTimeout(timer), resolve(v)));
  });
const outputKeys = (r: object) =>
  Object.keys(r)
    .filter((k) => pulumi.Output.isInstance((r as Record<string, unknown>)[k]))
    .sort();

/** Waits until every resource registered so far has been seen by the monitor, then returns one. */
async function registration(name: string, ...settle: pulumi.Output<unknown>[]): Promise<Registration> {
  await Promise.all(settle.map(known));
  const w = wire.get(name);
  const r = registered.find((x) => x.name === name);
  if (!w || !r) throw new Error(`${name} was not registered`);
  return { ...r, ...w };
}

const shimKey = (inputs: Record<string, unknown>) => /key: "(\w+)"/.exec(String(inputs.__provider))?.[1];
const withoutProvider = ({ __provider, ...rest }: Record<string, unknown>) => (void __provider, rest);

describe("KakaoReplica", () => {
  it("registers its token and shim, exposes the cluster, shard and node ids and the settled child's role, endpoint and status", async () => {
    const r = new KakaoReplica("extra", {
      clusterId: "c-1",
      shardId: "002",
      subnetId: "subnet-b",
      timeouts: { create: "1h" },
    });
    expect(await known(r.nodeId)).toBe("n-7");
    // Typed outputs, from the id as KakaoShard's (known while an update is previewed).
    expect(await known(r.clusterId)).toBe("c-1");
    expect(await known(r.shardId)).toBe("002");
    expect(await known(r.role)).toBe("replica");
    expect(await known(r.endpoint)).toBe("10.0.0.7");
    expect(await known(r.status)).toBe("Running");
    expect(await known((r as unknown as { name: pulumi.Output<string> }).name)).toBe("node-7");
    expect(outputKeys(r)).toEqual([
      ...["__provider", "clusterId", "endpoint", "id", "name", "nodeId", "role", "shardId", "status"],
      ...["subnetId", "timeouts", "urn"],
    ]);

    const own = await registration("extra", r.id);
    expect(own.type).toBe("pulumi-nodejs:dynamic/kakaocloud:KakaoReplica");
    expect(KakaoReplica.__pulumiType).toBe(own.type);
    expect(shimKey(own.inputs)).toBe("kr");
    expect(withoutProvider(own.inputs)).toEqual({
      clusterId: "c-1",
      shardId: "002",
      subnetId: "subnet-b",
      timeouts: { create: "1h" },
    });

    const child = await registration("extra-settled", r.status);
    expect(child.type).toBe("pulumi-nodejs:dynamic/kakaocloud:KakaoMemberSettled");
    expect(shimKey(child.inputs)).toBe("km");
    expect(withoutProvider(child.inputs)).toEqual({
      kind: "replica",
      clusterId: "c-1",
      shardId: "002",
      nodeId: "n-7",
      timeouts: { create: "1h" },
    });
    const ownUrn = await known(r.urn);
    expect(child.parent).toBe(ownUrn);
    expect(child.deps).toEqual([ownUrn]);
  });

  it("a settled child that lists no node leaves role and endpoint undefined", async () => {
    const r = new KakaoReplica("lonely", { clusterId: "empty-1", shardId: "001", subnetId: "subnet-a" });
    expect(await known(r.status)).toBe("Running");
    expect(await known(r.role)).toBeUndefined();
    expect(await known(r.endpoint)).toBeUndefined();
  });

  it.each(["/001/n-1", "c-1//n-1", "c-1/001/", "c-1/001/n-1/x", "c-1"])("refuses the id %j", (id) => {
    expect(() => parseReplicaId(id)).toThrow(
      `invalid KakaoReplica id "${id}": expected "<clusterId>/<shardId>/<nodeId>"`,
    );
  });

  it("splits a well-formed id", () => {
    expect(parseReplicaId("c-1/001/n-1")).toEqual({ clusterId: "c-1", shardId: "001", nodeId: "n-1" });
  });
});

describe("KakaoShard", () => {
  it("registers its token and shim, exposes the ids and the settled child's status, slots and nodes", async () => {
    const s = new KakaoShard("more", {
      clusterId: "c-2",
      nodeCount: 2,
      subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      timeouts: { delete: "3h" },
    });
    expect(await known(s.shardId)).toBe("003");
    expect(await known(s.clusterId)).toBe("c-2");
    expect(await known(s.status)).toBe("Running");
    expect(await known(s.slots)).toBe("0-5460");
    expect(await known(s.nodes)).toEqual([{ id: "n-7", role: "replica", endpoint: "10.0.0.7" }]);
    expect(await known((s as unknown as { name: pulumi.Output<string> }).name)).toBe("shard-003");
    expect(outputKeys(s)).toEqual([
      ...["__provider", "clusterId", "id", "name", "nodeCount", "nodes", "shardId", "slots", "status"],
      ...["subnetAssignments", "timeouts", "urn"],
    ]);

    const own = await registration("more", s.id);
    expect(own.type).toBe("pulumi-nodejs:dynamic/kakaocloud:KakaoShard");
    expect(KakaoShard.__pulumiType).toBe(own.type);
    expect(shimKey(own.inputs)).toBe("ks");
    expect(withoutProvider(own.inputs)).toEqual({
      clusterId: "c-2",
      nodeCount: 2,
      subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      timeouts: { delete: "3h" },
    });

    const child = await registration("more-settled", s.status);
    expect(child.type).toBe("pulumi-nodejs:dynamic/kakaocloud:KakaoMemberSettled");
    expect(withoutProvider(child.inputs)).toEqual({
      kind: "shard",
      clusterId: "c-2",
      shardId: "003",
      timeouts: { delete: "3h" },
    });
    const ownUrn = await known(s.urn);
    expect(child.parent).toBe(ownUrn);
    expect(child.deps).toEqual([ownUrn]);
  });

  it.each(["/001", "c-1/", "c-1", "c-1/001/n-1"])("refuses the id %j", (id) => {
    expect(() => parseShardId(id)).toThrow(`invalid KakaoShard id "${id}": expected "<clusterId>/<shardId>"`);
  });
});

describe("KakaoRedisCluster", () => {
  const args: KakaoRedisClusterArgs = {
    name: "cache",
    version: "7.2.6",
    port: 6379,
    shardCount: 1,
    nodeCountPerShard: 1,
    flavorId: "f",
    parameterGroupId: "pg",
    subnets: [{ id: "s" }],
    subnetAssignments: [{ primary: { id: "s" }, replicas: [] }],
    securityGroups: [{ id: "sg" }],
  };

  it("registers its token and shim, sends the user as a secret and exposes the provider's outputs", async () => {
    const c = new KakaoRedisCluster(
      "cache",
      { ...args, user: { name: "app", password: "enc" } },
      {
        additionalSecretOutputs: ["description"],
      },
    );
    expect(await known(c.clusterId)).toBe("cluster-1");
    const reg = await registration("cache", c.id);
    expect(reg.type).toBe("pulumi-nodejs:dynamic/kakaocloud:KakaoRedisCluster");
    expect(KakaoRedisCluster.__pulumiType).toBe(reg.type);
    expect(shimKey(reg.inputs)).toBe("kc");
    expect(reg.secretOutputs).toEqual(["description", "user"]);
    const user = reg.wire.user as Record<string, unknown>;
    expect(user.value).toEqual({ name: "app", password: "enc" });
    expect(user["4dabf18193072939515e22adb298388d"]).toBe("1b47061264138c4ac30d75fd1eb44270");
    const { user: _user, ...rest } = withoutProvider(reg.wire);
    expect(rest).toEqual(args);

    const out = c as unknown as Record<string, pulumi.Output<unknown>>;
    expect(await known(out.status)).toBe("Running");
    expect(await known(out.shards)).toEqual([{ id: "001" }]);
    expect(await known(out.foreignMembers)).toEqual({ shardIds: ["003"], nodeIds: [] });
    expect(await known(out.nodeEndpoints)).toEqual([{ host: "10.0.0.1", port: 6379 }]);
    expect(await known(out.seedEndpoints)).toEqual(["10.0.0.1:6379"]);
  });

  it("creates its KakaoClusterSettled child after itself and shows the child's outputs until its state records its members", async () => {
    const c = new KakaoRedisCluster("fresh", { ...args, name: "fresh", timeouts: { create: "3h" } });
    const out = c as unknown as Record<string, pulumi.Output<unknown>>;
    expect(await known(c.clusterId)).toBe("cluster-2");
    expect(await known(out.status)).toBe("Running");
    expect(await known(out.shards)).toEqual([
      { id: "001", nodes: [] },
      { id: "002", nodes: [] },
    ]);
    expect(await known(out.foreignMembers)).toEqual({ shardIds: ["003"], nodeIds: [] });
    expect(await known(out.nodeEndpoints)).toEqual([{ host: "10.0.0.2", port: 6379 }]);
    expect(await known(out.seedEndpoints)).toEqual(["10.0.0.2:6379"]);
    const cluster = await registration("fresh", c.id);
    const child = await registration("fresh-settled", out.status);
    expect(child.type).toBe("pulumi-nodejs:dynamic/kakaocloud:KakaoClusterSettled");
    expect(shimKey(child.inputs)).toBe("kw");
    expect(withoutProvider(child.wire)).toEqual({
      clusterId: "cluster-2",
      port: 6379,
      timeouts: { create: "3h" },
    });
    const urn = (await known(c.urn)) as string;
    expect(child.parent).toBe(urn);
    expect(child.deps).toContain(urn);
    expect(cluster.type).toBe("pulumi-nodejs:dynamic/kakaocloud:KakaoRedisCluster");
  });

  it("registers no user when none is given", async () => {
    const c = new KakaoRedisCluster("bare", args);
    const reg = await registration("bare", c.id);
    expect(Object.keys(reg.wire)).not.toContain("user");
    expect(reg.secretOutputs).toEqual(["user"]);
    expect(withoutProvider(reg.wire)).toEqual(args);
  });
});
