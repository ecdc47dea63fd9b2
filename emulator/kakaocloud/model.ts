/**
 * State of the emulated KakaoCloud Redis (MemStore, cluster mode enabled): clusters, shards and
 * nodes, their lazily computed lifecycle, and the JSON views the API returns.
 *
 * Transitions are computed from timestamps: a mutation records a pending operation with a
 * deadline, and every access first settles operations whose deadline has passed. No timers run,
 * so nothing keeps a process alive.
 */
import { Realism } from "../realistic";
import { newId } from "../server";

const DOCUMENTED = new Realism();

/** Operation kinds with a settle time (milliseconds), see `KakaocloudEmulatorOptions.settleMs`. */
export type KakaocloudSettleKind =
  | "createCluster"
  | "updateCluster"
  | "deleteCluster"
  | "addShard"
  | "deleteShard"
  | "addReplica"
  | "deleteReplica";

/** Every {@link KakaocloudSettleKind}, in a fixed order. */
export const SETTLE_KINDS: readonly KakaocloudSettleKind[] = [
  "createCluster",
  "updateCluster",
  "deleteCluster",
  "addShard",
  "deleteShard",
  "addReplica",
  "deleteReplica",
];

/** The number of hash slots of a Redis cluster (0 to 16383). */
export const SLOT_COUNT = 16384;

/** A node (Redis instance) of a shard. */
export interface NodeRec {
  id: string;
  name: string;
  subnetId: string;
  endpoint: string;
  role: "primary" | "replica";
  createdAt: string;
  /** Added through `POST .../nodes` (counted as a replica in `created()` / `live()`). */
  viaApi: boolean;
  creating: boolean;
  deleting: boolean;
  /** Realistic profile: still `Creating` until then, although its cluster is done. */
  readyAt?: number;
}

/** A shard of a cluster. */
export interface ShardRec {
  /** `"001"`, `"002"`, ... never reused within a cluster. */
  id: string;
  name: string;
  /** Slot range `"a-b"`; empty while a new shard has no slots yet. */
  slots: string;
  nodes: NodeRec[];
  createdAt: string;
  /** Added through `POST .../shards`. */
  viaApi: boolean;
  creating: boolean;
  deleting: boolean;
  /** Last node sequence number used for node names. */
  nodeSeq: number;
  /** Realistic profile: still `Creating` until then, although its cluster is done. */
  readyAt?: number;
}

/** A pending asynchronous operation on a cluster. */
export interface PendingOp {
  kind: KakaocloudSettleKind;
  /** `Date.now()` value at which the operation settles. */
  until: number;
  /** Cluster status while the operation runs. */
  status: string;
  /** Applied once, when the operation settles successfully. */
  apply: () => void;
  /** When set, the operation ends in this (sticky) status instead of `apply()`. */
  failWith?: string;
  /** Realistic profile: reads still show `Running` until then (eventual consistency). */
  visibleAt?: number;
}

/** A backup schedule as accepted by the create call. */
export interface BackupSchedule {
  cron: string;
  retentionLimit: number;
}

/** A cluster with everything the API knows about it. */
export interface ClusterRec {
  id: string;
  name: string;
  description: string;
  version: string;
  port: number;
  nodeCountPerShard: number;
  flavorId: string;
  parameterGroupId: string;
  tlsEnabled: boolean;
  backupSchedule?: BackupSchedule;
  subnets: string[];
  securityGroups: string[];
  userName?: string;
  /** Kept only to answer `passwordMatches()`; never rendered. */
  password?: string;
  createdAt: string;
  shards: ShardRec[];
  shardSeq: number;
  op?: PendingOp;
  /** Sticky status after an injected failure (e.g. `Error`). */
  failedStatus?: string;
}

/** RFC 3339 timestamp without fractional seconds, as in the document's samples. */
export function rfc3339(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A member's or cluster's creation time: RFC 3339 with milliseconds, never before `after` + 1 ms.
 * The members a cluster's create makes share the cluster's instant, and a member added later is
 * stamped strictly after it, as in the cloud, whose creates take minutes: the provider tells a
 * create's members from later additions by this (provider/kakaocloud/initial.ts).
 */
export function creationTime(after?: string): string {
  const floor = after === undefined ? -Infinity : Date.parse(after) + 1;
  return new Date(Math.max(Date.now(), floor)).toISOString();
}

/** Zero-padded three-digit sequence (`1` → `"001"`). */
export function seq3(n: number): string {
  return String(n).padStart(3, "0");
}

let ipCounter = 10;

/** A private IP in the document's `10.184.x.y` range, unique within the process. */
export function nextEndpoint(): string {
  const n = ipCounter++;
  return `10.184.${Math.floor(n / 250) % 256}.${(n % 250) + 2}`;
}

/** Builds a node; the caller pushes it into the shard. */
export function makeNode(
  cluster: ClusterRec,
  shard: ShardRec,
  subnetId: string,
  role: NodeRec["role"],
  opts: { viaApi: boolean; creating: boolean; createdAt?: string },
): NodeRec {
  shard.nodeSeq += 1;
  return {
    id: newId(),
    name: `${cluster.name}-${shard.id}-${seq3(shard.nodeSeq)}`,
    subnetId,
    endpoint: nextEndpoint(),
    role,
    createdAt: opts.createdAt ?? creationTime(cluster.createdAt),
    viaApi: opts.viaApi,
    creating: opts.creating,
    deleting: false,
  };
}

/** Builds a shard with one primary and replicas in the given subnets. */
export function makeShard(
  cluster: ClusterRec,
  primarySubnet: string,
  replicaSubnets: string[],
  opts: { viaApi: boolean; creating: boolean; createdAt?: string },
): ShardRec {
  cluster.shardSeq += 1;
  const id = seq3(cluster.shardSeq);
  const shard: ShardRec = {
    id,
    name: `${cluster.name}-${id}`,
    slots: "",
    nodes: [],
    createdAt: opts.createdAt ?? creationTime(cluster.createdAt),
    viaApi: opts.viaApi,
    creating: opts.creating,
    deleting: false,
    nodeSeq: 0,
  };
  // A shard's nodes are made with it: they share its creation instant.
  const nodeOpts = { viaApi: false, creating: false, createdAt: shard.createdAt };
  shard.nodes.push(makeNode(cluster, shard, primarySubnet, "primary", nodeOpts));
  for (const s of replicaSubnets) shard.nodes.push(makeNode(cluster, shard, s, "replica", nodeOpts));
  return shard;
}

/**
 * Spreads the 16384 slots evenly over the shards in id order (the first `16384 % n` shards get one
 * more), as contiguous ranges `"a-b"`: two shards give `0-8191` and `8192-16383`.
 */
export function rebalanceSlots(shards: ShardRec[]): void {
  const n = shards.length;
  if (n === 0) return;
  const base = Math.floor(SLOT_COUNT / n);
  const extra = SLOT_COUNT % n;
  let start = 0;
  shards.forEach((s, i) => {
    const size = base + (i < extra ? 1 : 0);
    s.slots = `${start}-${start + size - 1}`;
    start += size;
  });
}

/**
 * The cluster's status now (`Running` when nothing is pending). With `reported`, what a read shows:
 * in the realistic profile an operation is invisible (`Running`) until its `visibleAt`.
 */
export function clusterStatus(c: ClusterRec, reported = false, now = Date.now()): string {
  if (reported && c.op?.visibleAt !== undefined && now < c.op.visibleAt) return "Running";
  return c.op?.status ?? c.failedStatus ?? "Running";
}

const notReady = (m: { readyAt?: number }, now: number) => m.readyAt !== undefined && now < m.readyAt;

/** Whether a shard or node of the cluster has not finished yet (realistic profile). */
export function membersPending(c: ClusterRec, now = Date.now()): boolean {
  return c.shards.some((s) => notReady(s, now) || s.nodes.some((n) => notReady(n, now)));
}

/**
 * A shard's status: its own `Creating` / `Deleting`, else its cluster's (cluster mode). `now` is the
 * moment the record shows (earlier than the clock for a lagging read, see ./lag.ts).
 */
export function shardStatus(c: ClusterRec, s: ShardRec, reported = false, now = Date.now()): string {
  if (s.deleting) return "Deleting";
  if (s.creating || notReady(s, now)) return "Creating";
  return clusterStatus(c, reported, now);
}

/** A node's status: its own `Creating` / `Deleting`, else its shard's. */
export function nodeStatus(
  c: ClusterRec,
  s: ShardRec,
  n: NodeRec,
  reported = false,
  now = Date.now(),
): string {
  if (n.deleting) return "Deleting";
  if (n.creating || notReady(n, now)) return "Creating";
  return shardStatus(c, s, reported, now);
}

/** The node JSON of the document (`GET .../nodes/{node-id}`), as at `now`. */
export function nodeView(c: ClusterRec, s: ShardRec, n: NodeRec, r: Realism = DOCUMENTED, now = Date.now()) {
  return {
    id: n.id,
    name: n.name,
    subnet: { id: n.subnetId },
    endpoint: n.endpoint,
    role: n.role,
    status: nodeStatus(c, s, n, true, now),
    createdAt: n.createdAt,
    ...r.extras("node"),
  };
}

/** The shard JSON of the document (`GET .../shards/{shard-id}`), as at `now`. */
export function shardView(c: ClusterRec, s: ShardRec, r: Realism = DOCUMENTED, now = Date.now()) {
  return {
    id: s.id,
    name: s.name,
    slots: s.slots,
    nodes: r.shuffle(s.nodes).map((n) => nodeView(c, s, n, r, now)),
    status: shardStatus(c, s, true, now),
    createdAt: s.createdAt,
    ...r.extras("shard"),
  };
}

/**
 * The cluster JSON (`GET /v1/clusters/{id}`; fields from docs/cloud-facts.md, the document has no sample).
 * `description` is `""` when unset, `backupSchedule` and `user` only when set; the password is
 * never included. `shardCount` counts the shards present now (including one being added or
 * removed); `nodeCountPerShard` is the value given at creation.
 */
export function clusterView(c: ClusterRec, r: Realism = DOCUMENTED, now = Date.now()) {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    version: c.version,
    port: c.port,
    shardCount: c.shards.length,
    nodeCountPerShard: c.nodeCountPerShard,
    flavorId: c.flavorId,
    parameterGroupId: c.parameterGroupId,
    status: clusterStatus(c, true, now),
    tlsEnabled: c.tlsEnabled,
    ...(c.backupSchedule ? { backupSchedule: { ...c.backupSchedule } } : {}),
    subnets: r.shuffle(c.subnets).map((id) => ({ id })),
    securityGroups: r.shuffle(c.securityGroups).map((id) => ({ id })),
    ...(c.userName !== undefined ? { user: { name: c.userName } } : {}),
    createdAt: c.createdAt,
    ...r.extras("cluster"),
  };
}

/** The clusters of one emulator, with lazy settling of pending operations. */
export class ClusterStore {
  private readonly clusters = new Map<string, ClusterRec>();
  /** Ever created through the API. */
  readonly createdCount = { cluster: 0, shard: 0, replica: 0 };
  /**
   * Called after each settled operation with the time it settled (its deadline), in time order: a
   * lagging read (./lag.ts) records the state as it was then.
   */
  onSettled?: (at: number) => void;

  /** Settles every operation whose deadline has passed, the earliest first. */
  settleAll(now = Date.now()): void {
    const due = [...this.clusters.values()]
      .filter((c) => c.op && now >= c.op.until)
      .sort((a, b) => a.op!.until - b.op!.until);
    for (const c of due) {
      const at = c.op!.until;
      this.settle(c);
      this.onSettled?.(at);
    }
  }

  private settle(c: ClusterRec): void {
    const op = c.op;
    if (!op) return;
    c.op = undefined;
    if (!op.failWith) return op.apply();
    // A failed operation leaves everything in the failure status (carried down in cluster mode).
    c.failedStatus = op.failWith;
    for (const s of c.shards) {
      s.creating = s.deleting = false;
      for (const n of s.nodes) n.creating = n.deleting = false;
    }
  }

  /** A cluster by id after settling, or `undefined` when unknown or gone. */
  get(id: string): ClusterRec | undefined {
    this.settleAll();
    return this.clusters.get(id);
  }

  /** All clusters after settling, in creation order. */
  all(): ClusterRec[] {
    this.settleAll();
    return [...this.clusters.values()];
  }

  /** Adds a new cluster. */
  add(c: ClusterRec): void {
    this.clusters.set(c.id, c);
  }

  /** Removes a cluster for good. */
  remove(id: string): void {
    this.clusters.delete(id);
  }

  /** The clusters as they are now, without settling (for ./lag.ts). */
  current(): ReadonlyMap<string, ClusterRec> {
    return this.clusters;
  }

  /** Forgets every cluster (a restart that loses state). Returns how many there were. */
  clear(): number {
    const n = this.clusters.size;
    this.clusters.clear();
    return n;
  }

  /** How many resources created through the API still exist, by kind. */
  live(): { cluster: number; shard: number; replica: number } {
    const out = { cluster: 0, shard: 0, replica: 0 };
    for (const c of this.all()) {
      out.cluster += 1;
      for (const s of c.shards) {
        if (s.viaApi) out.shard += 1;
        out.replica += s.nodes.filter((n) => n.viaApi).length;
      }
    }
    return out;
  }
}
