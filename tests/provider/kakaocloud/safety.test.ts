/**
 * What must never happen to a KakaoCloud user, each against the emulator: a cluster that is gone
 * reported as updated, another stack's cluster taken over, a password in an error message, a change
 * blocked without end by the per-cluster lock, a required field sent absent, and adoption broken by a
 * `createdAt` of the other type.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import type { Emulator } from "../../../emulator";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { StateError } from "../../../provider/core/errors";
import { withLock } from "../../../provider/core/lock";
import { UNKNOWN } from "../../../provider/core/validation";
import { provider } from "../../../provider/kakaocloud/cluster";
import { byAge } from "../../../provider/kakaocloud/members";
import { provider as replicaProvider } from "../../../provider/kakaocloud/replica";
import { provider as shardProvider } from "../../../provider/kakaocloud/shard";
import { kakaoToken, mutations, startTestEmulator } from "../../helpers/emulator";
import { clusterInputs, withOuts } from "../../helpers/kakao";
import { engineSerialized, untilIdle } from "./helpers";

jest.setTimeout(60_000);

let emu: Emulator;
let kakao: KakaocloudModule;
beforeAll(async () => {
  emu = await startTestEmulator({ kakaocloud: { settleMs: { default: 50 } } });
  kakao = emu.clouds.kakaocloud as KakaocloudModule;
});
afterAll(() => emu.stop());

/** Calls the emulated Redis API directly, as another client (console, another stack) would. */
async function direct(method: string, p: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${emu.endpoints.kakaocloud}${p}`, {
    method,
    headers: { "content-type": "application/json", "x-auth-token": await kakaoToken(emu) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function until(ok: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("a cluster in the state whose cloud resource is gone (item 4)", () => {
  it("fails the update clearly and is dropped by a read", async () => {
    kakao.settle.set("createCluster", 2_000);
    const inputs = clusterInputs({ name: "half-created" });
    // The create answers at once, before the cluster is Running: what the state holds.
    const created = withOuts(await provider.create(inputs));
    const partial = { id: created.id, properties: created.outs as unknown as Record<string, unknown> };
    kakao.settle.set("createCluster", 50);
    expect(partial.id).toEqual(expect.any(String));
    await untilIdle(kakao, partial.id);
    expect((await direct("DELETE", `/v1/clusters/${partial.id}`)).status).toBe(200);
    await until(() => !kakao.snapshot().clusters.some((c) => c.id === partial.id), "the cluster gone");

    const gone = provider.update!(partial.id, partial.properties as never, inputs);
    await expect(gone).rejects.toThrow(
      /is in the stack's state but no longer exists in KakaoCloud; run `pulumi refresh`/,
    );
    await expect(gone).rejects.toBeInstanceOf(StateError);
    await expect(gone).rejects.toMatchObject({ code: "ResourceGone" });
    expect(await provider.read!(partial.id, partial.properties as never)).toEqual({});
  });
});

describe("adoption of a same-name cluster (item 5)", () => {
  const other = (name: string) => {
    const i = clusterInputs({ name });
    const { timeouts: _t, ...body } = i;
    return body;
  };

  it("refuses another client's cluster, says what to do, and creates nothing", async () => {
    const theirs = await direct("POST", "/v1/clusters", other("someone-elses"));
    expect(theirs.status).toBe(201);
    const before = mutations(emu, "createCluster").length;
    const err = (await provider.create(clusterInputs({ name: "someone-elses" })).catch((e) => e)) as Error;
    expect(err.message).toMatch(/already exists .*nothing shows that this stack created it/);
    expect(err).toMatchObject({ name: "StateError", code: "Conflict" });
    expect(err.message).toMatch(/choose another name.*set `adopt: true`/s);
    expect(err.message).not.toMatch(/pulumi import/);
    expect(mutations(emu, "createCluster")).toHaveLength(before);
  });

  it("adopts it when the program says adopt: true", async () => {
    const theirs = (await direct("POST", "/v1/clusters", other("adopt-me"))).body as { objectId: string };
    const before = mutations(emu, "createCluster").length;
    const created = withOuts(await provider.create(clusterInputs({ name: "adopt-me", adopt: true })));
    expect(created.id).toBe(theirs.objectId);
    expect(mutations(emu, "createCluster")).toHaveLength(before);
    expect(engineSerialized(created.outs)).toMatchObject({ adopt: true, status: "Running" });
    await provider.delete!(created.id, created.outs);
  });

  it("refuses the cluster a create killed before its id reached the state left, until adopt: true; never creates twice", async () => {
    kakao.settle.set("createCluster", 3_000);
    const inputs = clusterInputs({ name: "killed-create" });
    const child = spawn(
      process.execPath,
      [path.join(__dirname, "../../helpers/create-child.js"), "cluster", JSON.stringify(inputs)],
      { env: process.env, stdio: "ignore" },
    );
    const exited = new Promise((r) => child.once("exit", r));
    try {
      await until(
        () => kakao.snapshot().clusters.some((c) => c.name === "killed-create"),
        "the child's create",
      );
    } finally {
      child.kill("SIGKILL");
      await exited;
    }
    kakao.settle.set("createCluster", 50);
    const before = mutations(emu, "createCluster").length;
    // Nothing outside the state is evidence (no local journal): refused, with what to do.
    await expect(provider.create(inputs)).rejects.toThrow(
      /nothing shows that this stack created it.*adopt: true/s,
    );
    const created = withOuts(await provider.create({ ...inputs, adopt: true }));
    expect(
      kakao
        .snapshot()
        .clusters.filter((c) => c.name === "killed-create")
        .map((c) => c.id),
    ).toEqual([created.id]);
    expect(mutations(emu, "createCluster")).toHaveLength(before);
    await provider.delete!(created.id, created.outs);
  });
});

describe("secrets in errors (item 6)", () => {
  it("never returns the password an API error echoes", async () => {
    const password = "echoed-encrypted-password-93f1";
    emu.setFaults((cloud, _req, op) =>
      cloud === "kakaocloud" && op === "createCluster"
        ? {
            kind: "respond",
            label: "echo",
            response: {
              status: 400,
              body: {
                code: "InvalidParameter",
                message: `user.password ${password} is not an encrypted value`,
              },
            },
          }
        : undefined,
    );
    try {
      const err = (await provider
        .create(clusterInputs({ name: "echo", user: { name: "app", password } }))
        .catch((e) => e)) as Error;
      expect(err.message).toContain("is not an encrypted value");
      expect(err.message).not.toContain(password);
      expect(JSON.stringify(err)).not.toContain(password);
    } finally {
      emu.setFaults(undefined);
    }
  });
});

describe("smaller ones (item 7)", () => {
  it("a change that waits too long for the cluster's lock fails clearly and sends nothing", async () => {
    let release!: () => void;
    let timer: NodeJS.Timeout | undefined;
    const holder = withLock("c-locked", () => new Promise<void>((r) => (release = r)));
    const before = mutations(emu).length;
    const started = Date.now();
    const attempt = replicaProvider.create({
      clusterId: "c-locked",
      shardId: "001",
      subnetId: "subnet-a",
      timeouts: { create: "300ms" },
    });
    const outcome = await Promise.race([
      attempt.then(
        () => "created",
        (e: Error) => e.message,
      ),
      new Promise<string>((r) => (timer = setTimeout(() => r("still waiting after 5 s"), 5_000))),
    ]);
    clearTimeout(timer);
    release();
    await holder;
    expect(outcome).toMatch(
      /timed out after 0s waiting for another operation on changes of cluster c-locked/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(mutations(emu)).toHaveLength(before);
  });

  it("a shard's delete does not hold the cluster's lock while it waits for the slot migration", async () => {
    const base = withOuts(await provider.create(clusterInputs({ name: "lock-free-delete" })));
    const shard = withOuts(
      await shardProvider.create({
        clusterId: base.id,
        nodeCount: 2,
        subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      }),
    );
    kakao.settle.set("deleteShard", 1_500);
    try {
      const deleting = shardProvider.delete!(shard.id, shard.outs);
      await until(() => mutations(emu, "deleteShard").length > 0, "the delete call");
      await new Promise((r) => setTimeout(r, 200)); // the delete is in its wait now
      // The delete call is in; its wait must leave the lock free for the next change of the cluster.
      await expect(withLock(base.id, async () => "free", { timeoutMs: 500 })).resolves.toBe("free");
      await deleting;
    } finally {
      kakao.settle.set("deleteShard", 50);
    }
    await provider.delete!(base.id, base.outs);
  });

  it("orders members by createdAt whether the API gives it as text or as an integer", async () => {
    const members = [
      { id: "n2", createdAt: "2024-03-06T02:35:13Z" },
      { id: "n3", createdAt: 1709691000000 }, // milliseconds: 2024-03-06T02:10:00Z
      { id: "n1", createdAt: 999_999_999 }, // seconds: 2001-09-09, the oldest
    ];
    expect([...members].sort(byAge).map((m) => m.id)).toEqual(["n1", "n3", "n2"]);
  });

  it("refuses a required field left out of a shard or replica, before any call", async () => {
    const check = async (p: typeof replicaProvider | typeof shardProvider, inputs: unknown) =>
      (await p.check!({} as never, inputs as never)).failures;
    expect(await check(replicaProvider, { clusterId: "c", shardId: "001" })).toEqual([
      { property: "subnetId", reason: "is required" },
    ]);
    expect(
      await check(shardProvider, {
        clusterId: "c",
        subnetAssignments: { primary: { id: "s" }, replicas: [] },
      }),
    ).toEqual([{ property: "nodeCount", reason: "is required" }]);
    // A value unknown during preview is still left to `pulumi up`.
    expect(
      await check(replicaProvider, { clusterId: UNKNOWN, shardId: "001", subnetId: "s" }),
    ).toBeUndefined();
    await expect(replicaProvider.create({ clusterId: "c", shardId: "001" } as never)).rejects.toThrow(
      /^invalid KakaoReplica inputs: subnetId: is required$/,
    );
  });

  it("a shard or replica follows its cluster: same id no change, unknown (cluster replaced) replaces", async () => {
    const olds = { clusterId: "c1", shardId: "001", subnetId: "s", nodeId: "n", status: "Running" };
    const news = { clusterId: "c1", shardId: "001", subnetId: "s" };
    expect(await replicaProvider.diff!("c1/001/n", olds as never, news)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(
      (await replicaProvider.diff!("c1/001/n", olds as never, { ...news, clusterId: UNKNOWN })).replaces,
    ).toEqual(["clusterId"]);
  });
});
