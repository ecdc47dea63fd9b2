/**
 * A scripted stand-in for {@link KakaoClient} for the unit tests of `reshard()` and the cluster
 * provider's update: one cluster whose shards the test sets, every mutating call logged with its
 * arguments and, by default, applied at once (a new shard gets the next id and the nodes of its
 * assignment; a replica joins its shard). After any mutating call, applied or not, the next look at
 * the cluster reads `Scaling` once, so a wait after the call sees the change at once instead of
 * waiting out the status lag. `fail` throws a scripted error from the next mutating calls.
 */
import { CloudError } from "../../../provider/core/errors";
import type { ApiCluster, ApiNode, ApiShard, KakaoClient } from "../../../provider/kakaocloud/client";
import type { SubnetAssignment } from "../../../provider/kakaocloud/model";

/** One mutating call as the fake received it. */
export type FakeCall =
  | { op: "addShard"; nodeCount: number; assignment: SubnetAssignment }
  | { op: "deleteShard"; shardId: string }
  | { op: "addReplica"; shardId: string; subnetId: string }
  | { op: "deleteNode"; shardId: string; nodeId: string }
  | { op: "createCluster" }
  | { op: "updateCluster"; body: unknown }
  | { op: "deleteCluster" };

/** A node of the fake (Running, created at second `t` of the day). */
export function fnode(id: string, subnet: string | undefined, role = "replica", t = 0): ApiNode {
  return {
    id,
    ...(subnet === undefined ? {} : { subnet: { id: subnet } }),
    role,
    status: "Running",
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, t)).toISOString(),
  };
}

/** A shard of the fake (Running, created at second `t` of the day). */
export function fshard(id: string, nodes: ApiNode[] | undefined, t = 0): ApiShard {
  return {
    id,
    status: "Running",
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, t)).toISOString(),
    ...(nodes === undefined ? {} : { nodes }),
  };
}

/** Subnets of the planner's layouts. */
export const A = { id: "subnet-a" };
export const B = { id: "subnet-b" };
export const C = { id: "subnet-c" };
/** No foreign members recorded. */
export const none = { shardIds: [], nodeIds: [] };
/** The subnet assignment of one shard: its primary's subnet, then its replicas'. */
export const as = (primary: { id: string }, ...replicas: { id: string }[]): SubnetAssignment => ({
  primary,
  replicas,
});
/** The layout of a one-shard cluster with assignment `a`. */
export const one = (a: SubnetAssignment) => ({
  shardCount: 1,
  nodeCountPerShard: 1 + a.replicas.length,
  subnetAssignments: [a],
});

/** A retryable KakaoCloud error (a 5xx whose answer says nothing about whether the call was applied). */
export function serverError(message = "upstream reset"): CloudError {
  return new CloudError({
    cloud: "kakaocloud",
    code: "InternalError",
    message,
    httpStatus: 503,
    retryable: true,
  });
}

/** A KakaoCloud error that retrying does not help. */
export function badRequest(message = "bad body"): CloudError {
  return new CloudError({ cloud: "kakaocloud", code: "BadRequest", message, httpStatus: 400 });
}

export class FakeKakaoReshard {
  /** The live shards (the test may replace or edit them). */
  shards: ApiShard[] = [];
  /** The cluster's own status when no change is showing. */
  status = "Running";
  /** Every mutating call, in order. */
  readonly calls: FakeCall[] = [];
  /** Looks at the cluster left that read `Scaling`. */
  private busyLooks = 0;
  private seq = 0;
  private clock = 100;
  /** Errors for the next mutating calls, in turn: `applied` says whether the call took effect first. */
  private failures: { err: Error; applied: boolean }[] = [];
  /** When false, mutating calls are accepted but change nothing (another client undid them). */
  apply = true;
  /** The other fields `getCluster` answers with (name, description, ...). */
  info: Partial<ApiCluster> = {};
  /** `getCluster` answers "not found" from this call on (1-based); undefined: never. */
  goneFromLook?: number;
  /** After the first mutating call the cluster never settles again. */
  stuckAfterMutation = false;
  /** An error `getCluster` throws (built when the call is made). */
  lookError?: () => Error;
  /** How many times `getCluster` was called. */
  looks = 0;
  /** Runs after each mutating call took effect (another client's change landing with it). */
  afterCall?: (call: FakeCall) => void;
  /** Whether a delete of the cluster took effect. */
  deleted = false;

  constructor(readonly clusterId: string) {}

  /** The next mutating calls throw `err` (after applying the call when `applied`). */
  fail(err: Error, opts: { applied?: boolean; times?: number } = {}): this {
    for (let i = 0; i < (opts.times ?? 1); i++) this.failures.push({ err, applied: opts.applied ?? false });
    return this;
  }

  /** The ops of the mutating calls, in order. */
  ops(): string[] {
    return this.calls.map((c) => c.op);
  }

  private nextTime(): string {
    return new Date(Date.UTC(2026, 0, 1, 0, 0, this.clock++)).toISOString();
  }

  private async mutate(call: FakeCall, effect: () => void): Promise<void> {
    this.calls.push(call);
    this.busyLooks = this.stuckAfterMutation ? Infinity : 1;
    await new Promise((resolve) => setImmediate(resolve));
    const failure = this.failures.shift();
    if ((!failure || failure.applied) && this.apply) effect();
    this.afterCall?.(call);
    if (failure) throw failure.err;
  }

  private shard(id: string): ApiShard {
    const s = this.shards.find((x) => x.id === id);
    if (!s) throw new Error(`fake: no shard ${id}`);
    return s;
  }

  /** The fake as the client `reshard()` and the provider take. */
  get client(): KakaoClient {
    const client: Partial<KakaoClient> = {
      getCluster: async (id: string): Promise<ApiCluster | undefined> => {
        await new Promise((resolve) => setImmediate(resolve));
        this.looks++;
        if (this.lookError) throw this.lookError();
        if (
          id !== this.clusterId ||
          this.deleted ||
          (this.goneFromLook !== undefined && this.looks >= this.goneFromLook)
        )
          return undefined;
        if (this.busyLooks > 0) {
          this.busyLooks--;
          return { ...this.info, id, status: "Scaling" };
        }
        return { ...this.info, id, status: this.status };
      },
      listShards: async (): Promise<ApiShard[]> => {
        await new Promise((resolve) => setImmediate(resolve));
        return structuredClone(this.shards);
      },
      addShard: (_c: string, body: unknown) => {
        const { nodeCount, subnetAssignments: a } = body as {
          nodeCount: number;
          subnetAssignments: SubnetAssignment;
        };
        return this.mutate({ op: "addShard", nodeCount, assignment: a }, () => {
          const id = String(this.shards.length + 50 + this.seq++).padStart(3, "0");
          const at = this.nextTime();
          const subnets = [a.primary.id, ...a.replicas.map((r) => r.id)].slice(0, nodeCount);
          const nodes = subnets.map((s, i) => ({
            ...fnode(`${id}-n${i}`, s, i === 0 ? "primary" : "replica"),
            createdAt: at,
          }));
          this.shards.push({ ...fshard(id, nodes), createdAt: at });
        });
      },
      deleteShard: (_c: string, shardId: string) =>
        this.mutate({ op: "deleteShard", shardId }, () => {
          this.shards = this.shards.filter((s) => s.id !== shardId);
        }),
      addReplica: (_c: string, shardId: string, subnetId: string) =>
        this.mutate({ op: "addReplica", shardId, subnetId }, () => {
          const s = this.shard(shardId);
          s.nodes = [
            ...(s.nodes ?? []),
            { ...fnode(`${shardId}-r${this.seq++}`, subnetId), createdAt: this.nextTime() },
          ];
        }),
      deleteNode: (_c: string, shardId: string, nodeId: string) =>
        this.mutate({ op: "deleteNode", shardId, nodeId }, () => {
          const s = this.shard(shardId);
          s.nodes = (s.nodes ?? []).filter((n) => n.id !== nodeId);
        }),
      listClusters: async () => [],
      listVersions: async () => ["7.2.11", "7.2.6", "7.0.15", "6.2.20", "6.2.16", "6.2.5", "5.0.6"],
      createCluster: async () => {
        await this.mutate({ op: "createCluster" }, () => {});
        return this.clusterId;
      },
      updateCluster: (_c: string, body: unknown) => this.mutate({ op: "updateCluster", body }, () => {}),
      deleteCluster: () =>
        this.mutate({ op: "deleteCluster" }, () => {
          this.deleted = true;
        }),
    };
    Object.assign(client, {
      settings: { endpoint: "https://redis.fake.test", iamEndpoint: "https://iam.fake.test" },
    });
    return client as KakaoClient;
  }
}
