/**
 * Lagging reads of the KakaoCloud emulator (the realistic profile with a read lag,
 * `EMULATOR_LAG_MS`): every write reaches the cloud at once — busy checks, names and settling see
 * the present — but a read shows each cluster as it was a few seconds earlier: a consistent state
 * the cloud really had, never older than an earlier read's (reads do not go back in time), and
 * never one before the cluster's creation (a new cluster reads `Creating`: its create call has
 * returned its id). An added shard is therefore not listed, a deleted one still listed, a new
 * description not read back and a change's status still `Running` for as long as the lag.
 *
 * The state is kept as snapshots taken after every write and every settled operation (stamped
 * with the moment it settled), pruned once no read can reach them.
 */
import type { Realism } from "../realistic";
import type { Handler } from "../server";
import type { ClusterRec, ClusterStore } from "./model";

/** A cluster as a read shows it, with the moment it shows (for the statuses that follow time). */
export interface ReadCluster {
  c: ClusterRec;
  at: number;
}

/** What reads see: the present, or each cluster as it was at the read's moment. */
export interface ReadView {
  get(id: string): ReadCluster | undefined;
  all(): ReadCluster[];
}

interface Snapshot {
  at: number;
  clusters: Map<string, ClusterRec>;
}

/** A deep copy of a cluster record (its pending operation without the closure's effects). */
function cloneCluster(c: ClusterRec): ClusterRec {
  return {
    ...c,
    subnets: [...c.subnets],
    securityGroups: [...c.securityGroups],
    ...(c.backupSchedule ? { backupSchedule: { ...c.backupSchedule } } : {}),
    ...(c.op ? { op: { ...c.op } } : {}),
    shards: c.shards.map((s) => ({ ...s, nodes: s.nodes.map((n) => ({ ...n })) })),
  };
}

/** The state history behind lagging reads; a pass-through when the profile has no read lag. */
export class LaggedReads {
  private readonly history: Snapshot[] = [];
  /** When each cluster first appears in the history. */
  private readonly born = new Map<string, number>();

  constructor(
    private readonly store: ClusterStore,
    private readonly realism: Realism,
  ) {
    if (this.on) store.onSettled = (at) => this.record(at);
  }

  /** Whether reads lag. */
  get on(): boolean {
    return this.realism.readLagMs > 0;
  }

  /** Records the state as it is now, as of `at` (a write now, or an operation that settled at `at`). */
  record(at = Date.now()): void {
    if (!this.on) return;
    const last = this.history[this.history.length - 1];
    const stamp = Math.max(at, last?.at ?? at);
    const clusters = new Map<string, ClusterRec>();
    for (const [id, c] of this.store.current()) {
      clusters.set(id, cloneCluster(c));
      if (!this.born.has(id)) this.born.set(id, stamp);
    }
    this.history.push({ at: stamp, clusters });
    this.prune(Date.now());
  }

  /** `handler` of a write, followed by a record of the state it leaves. */
  recording(handler: Handler): Handler {
    return async (req) => {
      const res = await handler(req);
      this.record();
      return res;
    };
  }

  /** A cluster as a write (the present) or, with `read`, a read made now sees it. */
  find(id: string, read: boolean): ReadCluster | undefined {
    if (read) return this.view().get(id);
    const c = this.store.get(id);
    return c && { c, at: Date.now() };
  }

  /** An out-of-band change (a hook): recorded, and visible to every read from now on. */
  recordVisible(): void {
    this.record();
    this.realism.syncReads();
  }

  private prune(now: number): void {
    const horizon = now - 2 * this.realism.readLagMs - 1_000;
    let keep = 0;
    while (keep + 1 < this.history.length && this.history[keep + 1].at <= horizon) keep++;
    if (keep > 0) this.history.splice(0, keep);
    for (const [id, at] of this.born) if (at < horizon && !this.store.current().has(id)) this.born.delete(id);
  }

  private at(t: number): Snapshot | undefined {
    for (let i = this.history.length - 1; i >= 0; i--) if (this.history[i].at <= t) return this.history[i];
    return undefined;
  }

  /** What a read made now sees (one moment for the whole read). */
  view(): ReadView {
    if (!this.on) {
      return {
        get: (id) => {
          const c = this.store.get(id);
          return c && { c, at: Date.now() };
        },
        all: () => this.store.all().map((c) => ({ c, at: Date.now() })),
      };
    }
    this.store.settleAll();
    const t = this.realism.readAt();
    const get = (id: string): ReadCluster | undefined => {
      const when = Math.max(t, this.born.get(id) ?? t);
      const c = this.at(when)?.clusters.get(id);
      return c && { c, at: when };
    };
    return {
      get,
      all: () => {
        const ids = new Set([...(this.at(t)?.clusters.keys() ?? [])]);
        for (const [id, born] of this.born) if (born > t) ids.add(id);
        return [...ids]
          .sort((a, b) => (this.born.get(a) ?? 0) - (this.born.get(b) ?? 0))
          .map(get)
          .filter((r): r is ReadCluster => r !== undefined);
      },
    };
  }
}
