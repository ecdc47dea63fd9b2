/**
 * The `KakaoReplica` provider (provider/kakaocloud/replica.ts) against a scripted client
 * (./fake-kakao-members.ts): the create's id discovery, progress line and step-two
 * evidence, read-back of the subnet, the update of a gone node, and every path of delete — a node
 * already gone, a primary (refused before any call, or when the API refuses the call after a
 * failover), 404 and other errors of the call, the lock's deadline and the wait after the call.
 */
import { withLock } from "../../../provider/core/lock";
import { provider } from "../../../provider/kakaocloud/replica";
import { wasListed } from "../../../provider/kakaocloud/evidence";
import { captureStderr } from "../../helpers/stderr";
import { usePollScale } from "../../helpers/time";
import { cloudError, FakeKakaoMembers, fnode, fshard } from "./fake-kakao-members";

usePollScale(0.05);

let seq = 0;
let fake: FakeKakaoMembers;
let cid: string;
let stderr: ReturnType<typeof captureStderr>;

beforeEach(() => {
  cid = `c-replica-${++seq}`;
  fake = new FakeKakaoMembers(cid);
  fake.shards = [fshard("001", [fnode("n-1", "subnet-a", "primary"), fnode("n-2", "subnet-b")])];
  fake.install();
  stderr = captureStderr();
});
afterEach(() => jest.restoreAllMocks());

const inputs = (over: Record<string, unknown> = {}) => ({
  clusterId: cid,
  shardId: "001",
  subnetId: "subnet-b",
  ...over,
});
const props = (nodeId: string, over: Record<string, unknown> = {}) =>
  ({ ...inputs(over), nodeId, name: `name-${nodeId}` }) as never;
const primaryMessage = (nodeId: string) =>
  `node ${nodeId} of shard 001 (cluster ${cid}) is now the PRIMARY after a failover, and KakaoCloud cannot ` +
  "delete a primary node. Fail the shard over to another node first and run the command again, or keep this " +
  "node: remove it from the stack with `pulumi state delete <urn>` and delete a replica instead.";

/** Holds the cluster's lock for `ms`, as another change of this process would. */
function holdLock(ms: number): Promise<void> {
  return withLock(cid, () => new Promise<void>((r) => setTimeout(r, ms)));
}

describe("create", () => {
  it("adds the node, returns its id at once, says so, and records for step two that it was listed", async () => {
    fake.newStatus = "Creating";
    const created = await provider.create(inputs({ subnetId: "subnet-c" }));
    expect(created.id).toBe(`${cid}/001/n-11`);
    expect(created.outs).toEqual({
      clusterId: cid,
      shardId: "001",
      subnetId: "subnet-c",
      nodeId: "n-11",
      name: "name-n-11",
    });
    expect(fake.ops("addReplica")).toEqual(["addReplica 001 subnet-c"]);
    expect(stderr.lines()).toContain(
      `replica added: resource id ${cid}/001/n-11; waiting for it to run next`,
    );
    expect(wasListed(`${cid}/001/n-11`)).toBe(true);
  });

  it("says what it added when two new nodes show up", async () => {
    fake.hooks.addReplica = () => {
      fake.shards[0].nodes!.push(fnode("n-8", "subnet-b"), fnode("n-9", "subnet-b"));
    };
    await expect(provider.create(inputs())).rejects.toThrow(
      `added a replica to shard 001 of cluster ${cid} but found 2 new nodes; another client changed the shard`,
    );
  });
});

describe("read and update", () => {
  it("reads the subnet from the node, falling back to the prior state, then to empty", async () => {
    fake.shards[0].nodes!.push({ id: "n-3", name: "name-n-3", role: "replica", status: "Running" });
    const moved = await provider.read!(`${cid}/001/n-2`, props("n-2", { subnetId: "subnet-old" }));
    expect(moved).toEqual({ id: `${cid}/001/n-2`, props: props("n-2", { subnetId: "subnet-b" }) });
    const prior = await provider.read!(`${cid}/001/n-3`, props("n-3", { subnetId: "subnet-kept" }));
    expect(prior.props).toEqual(props("n-3", { subnetId: "subnet-kept" }));
    const imported = await provider.read!(`${cid}/001/n-3`, undefined as never);
    expect(imported.props).toEqual({
      clusterId: cid,
      shardId: "001",
      subnetId: "",
      nodeId: "n-3",
      name: "name-n-3",
    });
  });

  it("an update keeps the new inputs; an update of a gone node says what to do", async () => {
    const news = inputs({ timeouts: { delete: "1h" } });
    expect(await provider.update!(`${cid}/001/n-2`, props("n-2"), news)).toEqual({
      outs: { ...news, nodeId: "n-2", name: "name-n-2" },
    });
    const gone = provider.update!(`${cid}/001/n-5`, props("n-5"), inputs());
    await expect(gone).rejects.toThrow(
      `replica n-5 of shard 001 (cluster ${cid}) is in the stack's state but no longer exists in KakaoCloud; ` +
        "run `pulumi refresh` to drop it from the state, then `pulumi up` to add it again",
    );
    await expect(gone).rejects.toMatchObject({ name: "StateError", code: "ResourceGone" });
  });
});

describe("delete", () => {
  it("deletes a replica and waits for the cluster to settle after the call", async () => {
    await provider.delete!(`${cid}/001/n-2`, props("n-2"));
    expect(fake.ops("deleteNode")).toEqual(["deleteNode 001 n-2"]);
    expect(fake.shards[0].nodes!.map((n) => n.id)).toEqual(["n-1"]);
    // The wait after the call looked again (and saw the change) before it returned.
    const after = fake.calls.slice(fake.calls.indexOf("deleteNode 001 n-2"));
    expect(after.filter((c) => c.startsWith("getCluster")).length).toBeGreaterThanOrEqual(2);
  });

  it("refuses a primary before sending anything, saying what to do", async () => {
    const refused = provider.delete!(`${cid}/001/n-1`, props("n-1"));
    await expect(refused).rejects.toThrow(primaryMessage("n-1"));
    await expect(refused).rejects.toMatchObject({ name: "StateError", code: "Conflict" });
    expect(fake.ops("deleteNode")).toEqual([]);
  });

  it("a node (and cluster) already gone is deleted without a call or a wait", async () => {
    fake.gone = true;
    await provider.delete!(`${cid}/001/n-2`, props("n-2"));
    expect(fake.ops("deleteNode")).toEqual([]);
    expect(fake.ops("getCluster")).toEqual([]);
  });

  it("a 404 of the call means gone: no wait follows", async () => {
    fake.hooks.deleteNode = () => {
      fake.gone = true;
      throw cloudError(404);
    };
    await provider.delete!(`${cid}/001/n-2`, props("n-2"));
    expect(fake.ops("deleteNode")).toHaveLength(1);
  });

  it.each([400, 409, 422])(
    "a %i of the call for a node that became the primary meanwhile says so",
    async (status) => {
      fake.hooks.deleteNode = () => {
        fake.shards[0].nodes![1].role = "primary";
        throw cloudError(status);
      };
      const refused = provider.delete!(`${cid}/001/n-2`, props("n-2"));
      await expect(refused).rejects.toThrow(primaryMessage("n-2"));
      await expect(refused).rejects.toMatchObject({ code: "Conflict" });
    },
  );

  it("other errors of the call pass through, even for a node that is the primary now", async () => {
    const err = cloudError(500, "internal");
    fake.hooks.deleteNode = () => {
      fake.shards[0].nodes![1].role = "primary";
      throw err;
    };
    await expect(provider.delete!(`${cid}/001/n-2`, props("n-2"))).rejects.toBe(err);
    const plainErr = Object.assign(new Error("socket closed"), { httpStatus: 409 });
    fake.shards[0].nodes![1].role = "replica";
    fake.hooks.deleteNode = () => {
      fake.shards[0].nodes![1].role = "primary";
      throw plainErr;
    };
    await expect(provider.delete!(`${cid}/001/n-2`, props("n-2"))).rejects.toBe(plainErr);
  });

  it("a refused call for a node that is still a replica, or gone, passes the API's error through", async () => {
    const err = cloudError(400, "bad state");
    fake.hooks.deleteNode = () => {
      throw err;
    };
    await expect(provider.delete!(`${cid}/001/n-2`, props("n-2"))).rejects.toBe(err);
    fake.hooks.deleteNode = () => {
      fake.shards[0].nodes!.pop();
      throw err;
    };
    await expect(provider.delete!(`${cid}/001/n-2`, props("n-2"))).rejects.toBe(err);
  });

  it("gives up waiting for the cluster's lock at the delete timeout", async () => {
    const held = holdLock(400);
    const started = Date.now();
    await expect(
      provider.delete!(`${cid}/001/n-2`, props("n-2", { timeouts: { delete: "100ms" } })),
    ).rejects.toThrow(
      `waiting for another operation on changes of cluster ${cid} in this run to finish; nothing was changed`,
    );
    expect(Date.now() - started).toBeLessThan(380);
    await held;
    expect(fake.ops("deleteNode")).toEqual([]);
  });

  it("times out the wait after the call with what it waited for", async () => {
    fake.hooks.deleteNode = () => {
      fake.busyUntil = Date.now() + 800;
    };
    const deleting = provider.delete!(`${cid}/001/n-2`, props("n-2", { timeouts: { delete: "150ms" } }));
    await expect(deleting).rejects.toThrow(
      /timed out after \d+s waiting for replica n-2 to be removed \(last status: cluster Modifying\)/,
    );
    await expect(deleting).rejects.toMatchObject({ code: "WaitTimeout" });
  });
});
