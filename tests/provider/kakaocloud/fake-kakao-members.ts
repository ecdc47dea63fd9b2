/**
 * A scripted stand-in for {@link KakaoClient} for the unit tests of the `KakaoShard` and
 * `KakaoReplica` providers (./shard.test.ts, ./replica.test.ts): one cluster whose shards and nodes
 * the test sets, every call logged, and mutating calls applied at once unless a hook replaces them.
 * Like the real client, each answered mutation is recorded as accepted with its evidence
 * (provider/kakaocloud/evidence.ts), so the waits after it end on a look that shows it. After a
 * mutating call the next look at the cluster reads `Modifying` once (`busyLooks`); `busyUntil` keeps
 * it `Modifying` until a time, and `gone` makes the whole cluster vanish (every read answers "absent").
 */
import { CloudError } from "../../../provider/core/errors";
import * as client from "../../../provider/kakaocloud/client";
import type { ApiCluster, ApiNode, ApiShard, KakaoClient } from "../../../provider/kakaocloud/client";
import {
  type AcceptedChange,
  lastLook,
  nodeAdded,
  nodeGone,
  noteAccepted,
  shardAdded,
  shardGone,
} from "../../../provider/kakaocloud/evidence";

/** A Running node. */
export function fnode(id: string, subnet?: string, role = "replica"): ApiNode {
  return {
    id,
    name: `name-${id}`,
    ...(subnet === undefined ? {} : { subnet: { id: subnet } }),
    role,
    status: "Running",
  };
}

/** A Running shard. */
export function fshard(id: string, nodes?: ApiNode[]): ApiShard {
  return { id, name: `shard-${id}`, status: "Running", ...(nodes === undefined ? {} : { nodes }) };
}

/** A KakaoCloud error with an HTTP status (not retryable, not "busy"). */
export function cloudError(httpStatus: number, message = `answered ${httpStatus}`): CloudError {
  return new CloudError({ cloud: "kakaocloud", code: `HTTP${httpStatus}`, message, httpStatus });
}

type Hook = (...args: string[]) => void | Promise<void>;

export class FakeKakaoMembers {
  shards: ApiShard[] = [];
  /** Every call: `getNode 001 n-1`, `deleteNode 001 n-1`, ... */
  calls: string[] = [];
  /** Looks at the cluster that still read `Modifying`. */
  busyLooks = 0;
  /** Until this time (ms) every look at the cluster reads `Modifying`. */
  busyUntil = 0;
  /** The whole cluster is gone. */
  gone = false;
  /** Status of members the fake adds. */
  newStatus = "Running";
  /** Replace the default effect of a mutating call (throw to fail it). */
  hooks: { addShard?: Hook; deleteShard?: Hook; addReplica?: Hook; deleteNode?: Hook } = {};
  private seq = 10;

  constructor(readonly clusterId: string) {}

  /** Makes `kakaoClient()` return this fake until the spy is restored. */
  install(): jest.SpyInstance {
    return jest.spyOn(client, "kakaoClient").mockReturnValue(this as unknown as KakaoClient);
  }

  /** The calls whose name is `op`. */
  ops(op: string): string[] {
    return this.calls.filter((c) => c.split(" ")[0] === op);
  }

  private shard(shardId: string): ApiShard | undefined {
    return this.gone ? undefined : this.shards.find((s) => s.id === shardId);
  }

  private async mutate(
    op: keyof FakeKakaoMembers["hooks"],
    args: string[],
    apply: () => void,
    shows: AcceptedChange["shows"],
  ): Promise<void> {
    this.calls.push([op, ...args].join(" "));
    this.busyLooks = 1;
    const hook = this.hooks[op];
    if (hook) await hook(...args);
    else apply();
    noteAccepted(this.clusterId, { what: `${[op, ...args].join(" ")} to show`, shows });
  }

  async getCluster(id: string): Promise<ApiCluster | undefined> {
    this.calls.push(`getCluster ${id}`);
    if (this.gone || id !== this.clusterId) return undefined;
    if (Date.now() < this.busyUntil) return { id, status: "Modifying" };
    if (this.busyLooks > 0) {
      this.busyLooks--;
      return { id, status: "Modifying" };
    }
    return { id, status: "Running" };
  }

  async listShards(): Promise<ApiShard[]> {
    this.calls.push("listShards");
    return this.gone ? [] : structuredClone(this.shards);
  }

  async getShard(_c: string, shardId: string): Promise<ApiShard | undefined> {
    this.calls.push(`getShard ${shardId}`);
    return structuredClone(this.shard(shardId));
  }

  async listNodes(_c: string, shardId: string): Promise<ApiNode[]> {
    this.calls.push(`listNodes ${shardId}`);
    return structuredClone(this.shard(shardId)?.nodes ?? []);
  }

  async getNode(_c: string, shardId: string, nodeId: string): Promise<ApiNode | undefined> {
    this.calls.push(`getNode ${shardId} ${nodeId}`);
    return structuredClone(this.shard(shardId)?.nodes?.find((n) => n.id === nodeId));
  }

  async addShard(_c: string, body: { nodeCount: number }): Promise<void> {
    await this.mutate(
      "addShard",
      [String(body.nodeCount)],
      () => {
        const id = String(this.shards.length + 1).padStart(3, "0");
        const nodes = Array.from({ length: body.nodeCount }, (_, i) =>
          fnode(`n-${++this.seq}`, "subnet-a", i ? "replica" : "primary"),
        );
        this.shards.push({ ...fshard(id, nodes), status: this.newStatus });
      },
      shardAdded(lastLook(this.clusterId)),
    );
  }

  async deleteShard(_c: string, shardId: string): Promise<void> {
    await this.mutate(
      "deleteShard",
      [shardId],
      () => {
        this.shards = this.shards.filter((s) => s.id !== shardId);
      },
      shardGone(shardId),
    );
  }

  async addReplica(_c: string, shardId: string, subnetId: string): Promise<void> {
    await this.mutate(
      "addReplica",
      [shardId, subnetId],
      () => {
        this.shard(shardId)?.nodes?.push({ ...fnode(`n-${++this.seq}`, subnetId), status: this.newStatus });
      },
      nodeAdded(shardId, lastLook(this.clusterId)),
    );
  }

  async deleteNode(_c: string, shardId: string, nodeId: string): Promise<void> {
    await this.mutate(
      "deleteNode",
      [shardId, nodeId],
      () => {
        const s = this.shard(shardId);
        if (s?.nodes) s.nodes = s.nodes.filter((n) => n.id !== nodeId);
      },
      nodeGone(shardId, nodeId),
    );
  }
}
