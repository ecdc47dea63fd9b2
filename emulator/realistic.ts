/**
 * The emulator's realistic profile: where the documents are silent, play the less convenient
 * truths a real cloud may tell, seeded so that a failing run replays. Off by default (the
 * `documented` profile answers exactly what the documents say).
 *
 * With `profile: "realistic"` (or `EMULATOR_PROFILE=realistic`, `EMULATOR_SEED=n`):
 * - KakaoCloud: omitted create fields are reported with defaults (`tlsEnabled: true`, a daily
 *   `backupSchedule`, `user.name: "default"`); arrays (`subnets`, `securityGroups`, shards, nodes)
 *   come back in a shuffled order; responses carry extra unknown fields; a cluster still reads
 *   `Running` for a moment after a change was accepted (eventual consistency); new shards and nodes
 *   finish after their cluster (and the cluster refuses changes until they do, the failure of
 *   terraform-provider-aws #50096); list-nodes reports `createdAt` as an integer (Unix seconds), as
 *   its table types it.
 *   With a read lag (`readLagMs`, `EMULATOR_LAG_MS`), every KakaoCloud read instead shows the
 *   cloud as it really was a moment earlier (./kakaocloud/lag.ts): each read lags by 80–100 % of
 *   the lag (seeded), never behind an earlier read (so reads made often lag by about 80 %); a new shard is not listed yet, a deleted one
 *   still is, a new description not read back yet — for as long as the lag, which may exceed any
 *   constant a client assumes (no cloud publishes a bound).
 * - Alibaba Cloud: `InstanceStatus` still reads `Normal` for a moment after a change was accepted
 *   (at most 2 s, read lag or not).
 * - Huawei Cloud (with a read lag): a job reads `RUNNING` and the instance and its SSL setting read
 *   their earlier values for 50–100 % of the lag after the job really finished.
 * - Hooks (any profile): `kakaocloud.deleteOutOfBand(id)`, `kakaocloud.restart()` (loses every
 *   cluster and token), `alicloud.releaseOutOfBand(id)`.
 */
import { seededRandom } from "./faults";

/** Which behaviour the emulator plays. */
export type EmulatorProfile = "documented" | "realistic";

/** Options of the realistic profile. */
export interface RealismOptions {
  profile?: EmulatorProfile;
  /** Seed of every random choice (default 1). The emulator prints it so a run can be replayed. */
  seed?: number;
  /**
   * Realistic profile: how far reads may lag behind the cloud, in ms (default 0: the short status
   * lags above). Each read lags by 80–100 % of it.
   */
  readLagMs?: number;
}

/** The random choices of the realistic profile; `on` is false in the documented profile. */
export class Realism {
  readonly on: boolean;
  readonly seed: number;
  /** How far reads may lag (0: they do not; always 0 in the documented profile). */
  readonly readLagMs: number;
  private readonly rand: () => number;
  /** The moment the latest lagging read showed: later reads never show an earlier one. */
  private readFloor = 0;

  constructor(options: RealismOptions = {}) {
    this.on = options.profile === "realistic";
    this.seed = options.seed ?? 1;
    this.readLagMs = this.on ? Math.max(0, options.readLagMs ?? 0) : 0;
    this.rand = seededRandom(this.seed);
  }

  /** The moment a read made now shows: 80–100 % of the read lag ago, never before an earlier read's. */
  readAt(now = Date.now()): number {
    if (this.readLagMs === 0) return now;
    this.readFloor = Math.max(this.readFloor, now - Math.round(this.readLagMs * this.between(0.8, 1)));
    return this.readFloor;
  }

  /** Lets every later read see the present (after an out-of-band change made by a hook). */
  syncReads(now = Date.now()): void {
    this.readFloor = Math.max(this.readFloor, now);
  }

  /** How long a finished change stays invisible with a read lag: 50–100 % of it (0 without). */
  readLag(): number {
    return this.readLagMs === 0 ? 0 : Math.round(this.readLagMs * this.between(0.5, 1));
  }

  /** A random number in `[lo, hi)`. */
  between(lo: number, hi: number): number {
    return lo + this.rand() * (hi - lo);
  }

  /** How long a new operation stays invisible: 30–60 % of its settle time, at most 2 s; 0 when off. */
  statusLag(settleMs: number): number {
    return this.on ? Math.min(2_000, Math.round(settleMs * this.between(0.3, 0.6))) : 0;
  }

  /** How long members finish after their cluster: 20–50 % of the settle time, at most 3 s; 0 when off. */
  memberLag(settleMs: number): number {
    return this.on ? Math.min(3_000, Math.round(settleMs * this.between(0.2, 0.5))) : 0;
  }

  /** A shuffled copy (the same array when off). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    if (!this.on) return out;
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.rand() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** Extra fields a real answer may carry that no document lists (none when off). */
  extras(kind: "cluster" | "shard" | "node"): Record<string, unknown> {
    if (!this.on) return {};
    const common = { projectId: "d6c4e2b3a1f04a5b8c7d9e0f1a2b3c4d", updatedAt: new Date().toISOString() };
    if (kind === "cluster")
      return { ...common, availabilityZones: ["kr-central-2-a", "kr-central-2-b"], tags: [] };
    if (kind === "shard") return { ...common, memoryUsage: Math.round(this.between(0, 100)) };
    return { ...common, port: 6379, availabilityZone: "kr-central-2-a" };
  }
}

/**
 * The profile, seed and read lag to use: the options' if given, else `EMULATOR_PROFILE`,
 * `EMULATOR_SEED` and `EMULATOR_LAG_MS` from the environment (so any suite can run under the
 * realistic profile), else documented, seed 1, no read lag.
 *
 * @throws Error when the profile is not `documented` or `realistic`, or the seed or lag is not an
 *   integer (the lag: a non-negative one).
 */
export function resolveRealism(
  options: RealismOptions,
  env: NodeJS.ProcessEnv = process.env,
): RealismOptions {
  const profile = options.profile ?? (env.EMULATOR_PROFILE as EmulatorProfile | undefined) ?? "documented";
  if (profile !== "documented" && profile !== "realistic") {
    throw new Error(`emulator profile must be "documented" or "realistic" (got ${JSON.stringify(profile)})`);
  }
  const seedText = options.seed ?? env.EMULATOR_SEED;
  const seed = seedText === undefined || seedText === "" ? 1 : Number(seedText);
  if (!Number.isSafeInteger(seed))
    throw new Error(`emulator seed must be an integer (got ${JSON.stringify(seedText)})`);
  const lagText = options.readLagMs ?? env.EMULATOR_LAG_MS;
  const readLagMs = lagText === undefined || lagText === "" ? 0 : Number(lagText);
  if (!Number.isSafeInteger(readLagMs) || readLagMs < 0)
    throw new Error(`emulator read lag must be a whole number of ms (got ${JSON.stringify(lagText)})`);
  return { profile, seed, readLagMs };
}
