import type { Emulator } from "../../../emulator";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { CloudError, StateError, WaitTimeoutError } from "../../../provider/core/errors";
import { UNKNOWN } from "../../../provider/core/validation";
import { provider, type KakaoRedisClusterInputs } from "../../../provider/kakaocloud/cluster";
import { provider as settledProvider } from "../../../provider/kakaocloud/cluster-settled";
import { clusterInputs, upCluster } from "../../helpers/kakao";
import { kakaoToken, mutations, startTestEmulator } from "../../helpers/emulator";

let emu: Emulator;
let kakao: KakaocloudModule;

beforeAll(async () => {
  emu = await startTestEmulator({ kakaocloud: { settleMs: { default: 150 } } });
  kakao = emu.clouds.kakaocloud as KakaocloudModule;
});
afterAll(() => emu.stop());

describe("check", () => {
  const failuresOf = async (inputs: unknown) =>
    (await provider.check!({} as never, inputs as never)).failures ?? [];

  it("accepts the document's example", async () => {
    expect(await failuresOf(clusterInputs())).toEqual([]);
  });

  it.each([
    [{ shardCount: 0 }, "shardCount", "must be 1 to 12"],
    [{ shardCount: 13 }, "shardCount", "must be 1 to 12"],
    [{ port: 1999 }, "port", "must be 2000 to 50000"],
    [{ port: 50001 }, "port", "must be 2000 to 50000"],
    [{ version: "7.4" }, "version", "must be major.minor.patch, such as 7.2.11"],
    [{ name: "" }, "name", "is required"],
    [{ parameterGroupId: "" }, "parameterGroupId", "is required and may not be empty"],
    [{ securityGroups: [] }, "securityGroups", "needs at least one security group"],
    [{ backupSchedule: { cron: "0 3 * *", retentionLimit: 7 } }, "backupSchedule.cron", "5 fields"],
    [
      { backupSchedule: { cron: "0 3 * * *", retentionLimit: 0 } },
      "backupSchedule.retentionLimit",
      "at least 1 day",
    ],
    [{ timeouts: { create: "soon" } }, "timeouts.create", "duration"],
  ])("refuses %j at %s", async (override, property, reason) => {
    const failures = await failuresOf(clusterInputs(override as Partial<KakaoRedisClusterInputs>));
    expect(failures).toContainEqual({ property, reason: expect.stringContaining(reason) });
    // A shard count out of range also mismatches the two assignments; nothing else may fail.
    expect(failures.filter((f) => f.property !== "subnetAssignments")).toHaveLength(1);
  });

  it("needs one subnet assignment per shard", async () => {
    const failures = await failuresOf(clusterInputs({ shardCount: 3 }));
    expect(failures).toEqual([
      { property: "subnetAssignments", reason: expect.stringContaining("3 expected (shardCount), 2 given") },
    ]);
  });

  it("needs nodeCountPerShard - 1 replicas per assignment, in listed subnets", async () => {
    const bad = clusterInputs();
    bad.subnetAssignments = [
      { primary: { id: "subnet-a" }, replicas: [] },
      { primary: { id: "subnet-z" }, replicas: [{ id: "subnet-a" }] },
    ];
    const failures = await failuresOf(bad);
    expect(failures.map((f) => f.property)).toEqual([
      "subnetAssignments[0].replicas",
      "subnetAssignments[1].primary.id",
    ]);
    expect(failures[1].reason).toContain('subnet "subnet-z" is not listed in subnets');
  });

  it("refuses unknown properties", async () => {
    const failures = await failuresOf({ ...clusterInputs(), shardcount: 2 });
    expect(failures).toEqual([
      { property: "shardcount", reason: 'unknown property "shardcount"; did you mean shardCount?' },
    ]);
  });

  it("refuses a required field left out (a JavaScript program has no types), and create sends nothing", async () => {
    const { flavorId: _f, ...noFlavor } = clusterInputs({ name: "no-flavor" });
    expect(await failuresOf(noFlavor)).toEqual([{ property: "flavorId", reason: "is required" }]);
    const before = mutations(emu).length;
    await expect(provider.create(noFlavor as never)).rejects.toThrow(
      /^invalid KakaoRedisCluster inputs: flavorId: is required$/,
    );
    expect(mutations(emu)).toHaveLength(before);
  });

  it("does not judge values unknown during preview", async () => {
    expect(await failuresOf(clusterInputs({ parameterGroupId: UNKNOWN }))).toEqual([]);
  });

  it("ignores the serialized provider", async () => {
    expect(await failuresOf({ ...clusterInputs(), __provider: "exports.handler = ..." })).toEqual([]);
  });
});

/** The `shards` output of a cluster created from `clusterInputs()`, as the provider records it. */
function ownShards() {
  return clusterInputs().subnetAssignments.map((a, i) => ({
    id: `00${i + 1}`,
    status: "Running",
    nodes: [a.primary, ...a.replicas].map((sub, j) => ({
      id: `n${i}${j}`,
      role: j === 0 ? "primary" : "replica",
      subnetId: sub.id,
      status: "Running",
    })),
  }));
}

describe("diff", () => {
  it("updates description and parameterGroupId in place", async () => {
    const d = await provider.diff!(
      "id",
      clusterInputs() as never,
      clusterInputs({ description: "x", parameterGroupId: "pg-2" }),
    );
    expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("names every field that replaces, deleting first when the name stays", async () => {
    const d = await provider.diff!(
      "id",
      clusterInputs() as never,
      clusterInputs({ port: 6380, tlsEnabled: false }),
    );
    expect(d.replaces).toEqual(["port", "tlsEnabled"]);
    expect(d.deleteBeforeReplace).toBe(true);
    const renamed = await provider.diff!(
      "id",
      clusterInputs() as never,
      clusterInputs({ name: "other", port: 6380 }),
    );
    expect(renamed.deleteBeforeReplace).toBe(false);
  });

  it("reports no change when only outputs and the provider differ", async () => {
    const olds = {
      ...clusterInputs(),
      clusterId: "c",
      status: "Running",
      shards: ownShards(),
      __provider: "a",
    };
    const d = await provider.diff!("id", olds as never, { ...clusterInputs(), __provider: "b" } as never);
    expect(d).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("shows an update in place when an own member is lost; none while the create's members are not recorded yet", async () => {
    const state = (shards: unknown[]) => ({ ...clusterInputs(), clusterId: "c", status: "Running", shards });
    const [s1, s2] = ownShards();
    const lostNode = { ...s2, nodes: s2.nodes.slice(0, 1) };
    for (const shards of [[s1], [s1, lostNode], []]) {
      const d = await provider.diff!("id", state(shards as never) as never, clusterInputs());
      expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    }
    // The state the create writes (no `shards`): the first `pulumi up` leaves nothing to do.
    const created = { ...clusterInputs(), clusterId: "c", status: "Creating" };
    const d = await provider.diff!("id", created as never, clusterInputs());
    expect(d).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });
});

describe("create, read, update, delete", () => {
  it("creates, waits for every shard and node, reads, updates in place and deletes", async () => {
    const inputs = clusterInputs({ name: "crud-cluster" });
    const created = await upCluster(inputs);
    expect(created.state.status).toBe("Creating");
    expect(created.outs.status).toBe("Running");
    expect(created.outs.shards).toHaveLength(2);
    for (const shard of created.outs.shards) {
      expect(shard.nodes).toHaveLength(2);
      expect(shard.nodes.every((n) => n.status === "Running")).toBe(true);
    }
    expect(kakao.passwordMatches(created.id, "encrypted-password-value")).toBe(true);
    expect(mutations(emu, "createCluster")).toHaveLength(1);

    const read = await provider.read!(created.id, created.outs);
    expect(read.props).toEqual(created.outs);
    // A refresh of the state the create wrote changes nothing while its members are as declared.
    const first = await provider.read!(created.id, created.state);
    expect(first.props).toEqual(created.state);

    const updated = await provider.update!(created.id, created.outs, { ...inputs, description: "changed" });
    expect(updated.outs!.description).toBe("changed");
    const live = kakao.snapshot().clusters.find((c) => c.id === created.id)!;
    expect(live.description).toBe("changed");
    expect(mutations(emu, "updateCluster")).toHaveLength(1);

    await provider.delete!(created.id, updated.outs as never);
    expect(kakao.snapshot().clusters.find((c) => c.id === created.id)).toBeUndefined();
    expect(await provider.read!(created.id, updated.outs as never)).toEqual({});
  });

  it("imports a cluster from its id alone", async () => {
    const created = await upCluster(clusterInputs({ name: "import-me" }));
    const imported = await provider.read!(created.id, {} as never);
    expect(imported.id).toBe(created.id);
    expect(imported.props).toMatchObject({ name: "import-me", version: "7.2.6", port: 6379, shardCount: 2 });
    expect(imported.props!.subnetAssignments).toHaveLength(2);
    await provider.delete!(created.id, created.outs);
  });

  it("refuses a name taken by a cluster with another spec", async () => {
    const first = await upCluster(clusterInputs({ name: "taken" }));
    const err = await provider.create(clusterInputs({ name: "taken", port: 7000 })).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/already exists .* with a different port; choose another name/);
    expect(err).toBeInstanceOf(StateError);
    expect(err).toMatchObject({ code: "Conflict" });
    // Dynamic resources cannot be imported: the error must not send the user there.
    expect((err as Error).message).not.toMatch(/import/);
    await provider.delete!(first.id, first.outs);
  });

  it("records the cluster at once; a wait that times out is repeated by the next run, never a second create", async () => {
    kakao.settle.set("createCluster", 5_000);
    try {
      const inputs = clusterInputs({ name: "slow", timeouts: { create: "300ms" } });
      const before = mutations(emu, "createCluster").length;
      const err = await upCluster(inputs).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WaitTimeoutError);
      const [cluster] = kakao.snapshot().clusters.filter((c) => c.name === "slow");
      expect(cluster).toBeDefined();
      kakao.settle.set("createCluster", 150);
      // The next run: the cluster is in the state (its create answered); only the child runs again.
      const settled = await settledProvider.create({ clusterId: cluster.id, port: 6379 });
      expect(settled.outs!.status).toBe("Running");
      expect(settled.outs!.shards).toHaveLength(2);
      expect(mutations(emu, "createCluster")).toHaveLength(before + 1);
      await provider.delete!(cluster.id, { ...inputs, timeouts: undefined } as never);
    } finally {
      kakao.settle.set("createCluster", 150);
    }
  });

  it("waits out a busy cluster instead of failing the update", async () => {
    const created = await upCluster(clusterInputs({ name: "busy" }));
    kakao.settle.set("updateCluster", 600);
    // Start a change behind the provider's back, then update through the provider.
    const res = await fetch(`${emu.endpoints.kakaocloud}/v1/clusters/${created.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", "x-auth-token": await token() },
      body: JSON.stringify({ description: "console edit" }),
    });
    expect(res.status).toBe(200);
    const updated = await provider.update!(created.id, created.outs, {
      ...clusterInputs({ name: "busy" }),
      description: "mine",
    });
    expect(updated.outs!.description).toBe("mine");
    expect(kakao.snapshot().clusters.find((c) => c.id === created.id)!.description).toBe("mine");
    kakao.settle.set("updateCluster", 150);
    await provider.delete!(created.id, created.outs);
  });

  it("retries a throttled request and surfaces other API errors with status and code", async () => {
    let throttled = 0;
    emu.setFaults((cloud, _req, op) => {
      if (cloud === "kakaocloud" && op === "listClusters" && throttled < 2) {
        throttled++;
        return {
          kind: "respond",
          label: "throttle",
          response: {
            status: 429,
            headers: { "retry-after": "0" },
            body: { code: "TooManyRequests", message: "slow down" },
          },
        };
      }
      return undefined;
    });
    try {
      const created = await upCluster(clusterInputs({ name: "throttled" }));
      expect(throttled).toBe(2);
      expect(mutations(emu, "createCluster").filter((r) => r.status === 201).length).toBeGreaterThan(0);
      await provider.delete!(created.id, created.outs);
    } finally {
      emu.setFaults(undefined);
    }
    const err = await provider
      .create(clusterInputs({ name: "bad-flavor", flavorId: "nope" }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).httpStatus).toBe(400);
  });

  it("re-issues an expired token once", async () => {
    const created = await upCluster(clusterInputs({ name: "token" }));
    kakao.expireTokens();
    const read = await provider.read!(created.id, created.outs);
    expect(read.id).toBe(created.id);
    await provider.delete!(created.id, created.outs);
  });

  it("reports a deleted cluster as gone on read and treats delete of a gone cluster as done", async () => {
    const created = await upCluster(clusterInputs({ name: "gone" }));
    await provider.delete!(created.id, created.outs);
    expect(await provider.read!(created.id, created.outs)).toEqual({});
    await expect(provider.delete!(created.id, created.outs)).resolves.toBeUndefined();
  });
});

function token(): Promise<string> {
  return kakaoToken(emu);
}
