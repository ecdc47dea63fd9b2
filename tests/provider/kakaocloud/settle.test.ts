/**
 * Tests of the KakaoCloud settle waits with a scripted client: a look by one waiter that finds the
 * cluster settled ends another waiter's wait on the same cluster (the one whose change was accepted
 * before that look), without that waiter's own interval; an older look does not.
 */
import type { ApiShard, KakaoClient } from "../../../provider/kakaocloud/client";
import { noteAccepted } from "../../../provider/kakaocloud/evidence";
import { mutateWhenSettled, waitClusterSettled } from "../../../provider/kakaocloud/settle";

const SCALE = "PULUMI_MANAGED_REDIS_POLL_SCALE";
let saved: string | undefined;
beforeEach(() => {
  saved = process.env[SCALE];
  process.env[SCALE] = "10"; // intervals start at 4 s: a waiter that ends sooner was woken
});
afterEach(() => {
  if (saved === undefined) delete process.env[SCALE];
  else process.env[SCALE] = saved;
});

/** A cluster whose status the test sets, and a count of the requests made. */
function scripted(clusterId: string) {
  const state = { status: "Scaling", requests: 0 };
  const shards = (): ApiShard[] => [
    { id: "001", status: state.status, nodes: [{ id: "n-1", role: "primary", status: state.status }] },
    { id: "002", status: state.status, nodes: [{ id: "n-2", role: "primary", status: state.status }] },
  ];
  const client = {
    async getCluster(id: string) {
      state.requests++;
      return id === clusterId ? { id, status: state.status } : undefined;
    },
    async listShards() {
      state.requests++;
      return shards();
    },
  } as unknown as KakaoClient;
  return { client, state };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("waitClusterSettled across waiters", () => {
  test("another waiter's later look that finds the cluster settled ends the wait at once", async () => {
    const { client, state } = scripted("c-1");
    const since = Date.now();
    const started = Date.now();
    const a = waitClusterSettled(client, "c-1", { timeoutMs: 60_000, since, what: "shard 002" });
    await sleep(50);
    expect(state.requests).toBe(1); // a's first look: Scaling
    state.status = "Running";
    // b (e.g. the next addition waiting for the cluster to be free) looks and finds it settled.
    const b = await waitClusterSettled(client, "c-1", { timeoutMs: 60_000 });
    expect(b.map((s) => s.id)).toEqual(["001", "002"]);
    const shards = await a;
    expect(Date.now() - started).toBeLessThan(2_000); // a's own next look would be 4 s after its first
    expect(shards).toBe(b); // b's listing, no request of a's own
    expect(state.requests).toBe(3);
    expect(shards.every((s) => s.status === "Running")).toBe(true);
  });

  test("a settled look that started before the change was accepted does not end the wait", async () => {
    const { client, state } = scripted("c-2");
    state.status = "Running";
    await waitClusterSettled(client, "c-2", { timeoutMs: 60_000 }); // an old observation
    state.status = "Scaling";
    const since = Date.now() + 1;
    await sleep(5);
    const a = waitClusterSettled(client, "c-2", { timeoutMs: 60_000, since });
    let done = false;
    void a.then(() => (done = true));
    await sleep(200);
    expect(done).toBe(false);
    state.status = "Running";
    await waitClusterSettled(client, "c-2", { timeoutMs: 60_000 });
    await a;
    expect(done).toBe(true);
  });

  test("a change waiting for the cluster to be free goes ahead as soon as another waiter sees it free", async () => {
    const { client, state } = scripted("c-3");
    const sent: number[] = [];
    const started = Date.now();
    const change = mutateWhenSettled(client, "c-3", { timeoutMs: 60_000 }, async () => {
      sent.push(Date.now() - started);
    });
    await sleep(50);
    state.status = "Running";
    await waitClusterSettled(client, "c-3", { timeoutMs: 60_000 });
    await change;
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeLessThan(2_000);
  });
});

describe("waitClusterSettled after an accepted change (acceptedAt)", () => {
  test("a Running read that does not show the change does not end the wait (the read may be stale)", async () => {
    const { client, state } = scripted("c-4");
    state.status = "Running";
    const acceptedAt = Date.now();
    noteAccepted("c-4", { what: "shard 003 to be listed", shows: (look) => look.shards.length === 3 });
    const a = waitClusterSettled(client, "c-4", { timeoutMs: 60_000, acceptedAt });
    let done = false;
    void a.then(
      () => (done = true),
      () => undefined,
    );
    await sleep(300);
    expect(done).toBe(false);
    expect(state.requests).toBe(2); // one look: cluster and shards Running, yet no shard 003
    state.status = "Error"; // end the wait
    await expect(a).rejects.toThrow();
  });
});
