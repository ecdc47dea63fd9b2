/**
 * State of the emulated Huawei Cloud DCS: instances and the background jobs that change their SSL
 * setting. Jobs advance with the clock (INIT, then RUNNING, then SUCCESS or FAIL after the
 * `sslJob` settle time); their effect is applied lazily on the next request, so no timer outlives
 * the emulator.
 */
import { newId } from "../server";

/** An instance to seed. Everything is optional. */
export interface HuaweicloudSeedInstance {
  /** Instance id (a UUID; random by default). */
  instanceId?: string;
  /** Project the instance lives in (default `demo-project`). */
  projectId?: string;
  name?: string;
  /** Cache engine (default `Redis`). */
  engine?: string;
  /** Engine version (default `6.0`; only 6.0 supports SSL). */
  engineVersion?: string;
  /** Edition: `generic` is the basic edition (default), the only one with SSL. */
  productType?: string;
  /** `single`, `ha` (default), `cluster`, `proxy`, `ha_rw_split`: the first three support SSL. */
  cacheMode?: string;
  /** SSL on at the start (default false). */
  sslEnabled?: boolean;
  /** The instance is `CREATING` (and answers "busy") for this long after seeding. */
  busyForMs?: number;
  /** This many next SSL jobs end in FAIL. */
  failNextJobs?: number;
  /** The `fail_reason` of failed jobs. */
  failReason?: string;
  /** This many next SSL PUTs answer 500 `DCS.5010` "Failed to operate SSL in database." without acting. */
  sslDbErrors?: number;
}

/** An instance's state. */
export interface DcsInstanceState {
  projectId: string;
  instanceId: string;
  name: string;
  engine: string;
  engineVersion: string;
  productType: string;
  cacheMode: string;
  sslEnabled: boolean;
  /** Whether SSL was ever on (decides between 204 and a body without `enabled`). */
  sslEverEnabled: boolean;
  /** Whether SSL was turned on through the API (counted by `live()`). */
  sslByApi: boolean;
  busyUntil: number;
  failNextJobs: number;
  failReason: string;
  /** Next SSL PUTs that answer 500 `DCS.5010` without acting. */
  sslDbErrors: number;
  runningJobId?: string;
  createdAt: string;
  sslExpiredAt?: string;
}

/** A background job's state. */
export interface DcsJobState {
  projectId: string;
  jobId: string;
  instanceId: string;
  jobType: string;
  wanted: boolean;
  beginAt: number;
  endAt: number;
  fail: boolean;
  failReason?: string;
  /** Whether the end (success or failure) was applied to the instance. */
  finished: boolean;
  /** SSL on the instance when the job started (what a lagging read shows until `sslSeenAt`). */
  before: boolean;
  /** Realistic profile with a read lag: the job reads `RUNNING` until then, although it ended. */
  seenAt?: number;
  /** Realistic profile with a read lag: the instance's SSL reads `before` until then. */
  sslSeenAt?: number;
}

/** Default project and seeded instances of the emulator. */
export const HUAWEI_DEMO = {
  projectId: "demo-project",
  /** Redis 6.0 basic edition, master/standby: supports SSL (the id of the API document's example). */
  sslInstanceId: "5560df16-cebf-4473-95c4-d1b573c16e79",
  /** Redis 5.0: answers `DCS.4201` (the instance of the query document's example). */
  redis5InstanceId: "a4c545cd-10b2-4efc-b0ab-a9b554ca0621",
  /** Redis 6.0 basic edition, `CREATING` (busy) for the first 3 seconds. */
  busyInstanceId: "3b0e8f2c-6d1a-4c5e-9f7b-2a8d4e6c1b90",
} as const;

/** The instances seeded when no `instances` option is given. */
export function defaultSeeds(): HuaweicloudSeedInstance[] {
  return [
    { instanceId: HUAWEI_DEMO.sslInstanceId, name: "dcs-redis6-basic", engineVersion: "6.0" },
    { instanceId: HUAWEI_DEMO.redis5InstanceId, name: "dcs-redis5", engineVersion: "5.0" },
    {
      instanceId: HUAWEI_DEMO.busyInstanceId,
      name: "dcs-redis6-new",
      engineVersion: "6.0",
      busyForMs: 3_000,
    },
  ];
}

/** Whether an instance supports SSL (Redis 6.0 basic edition: single-node, master/standby, cluster). */
export function supportsSsl(i: DcsInstanceState): boolean {
  return (
    i.engine.toLowerCase() === "redis" &&
    i.engineVersion === "6.0" &&
    i.productType === "generic" &&
    ["single", "ha", "cluster"].includes(i.cacheMode)
  );
}

const hex32 = () => Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join("");

/** The DCS state: instances by id, jobs by id. */
export class DcsModel {
  readonly instances = new Map<string, DcsInstanceState>();
  readonly jobs = new Map<string, DcsJobState>();
  jobsCreated = 0;

  /** @param readLag how long a job's end stays unseen (a fresh draw per read kind; 0: seen at once). */
  constructor(private readonly readLag: () => number = () => 0) {}

  /** Adds an instance; returns its id. */
  seed(s: HuaweicloudSeedInstance, now = Date.now()): string {
    const instanceId = s.instanceId ?? newId();
    this.instances.set(instanceId, {
      projectId: s.projectId ?? HUAWEI_DEMO.projectId,
      instanceId,
      name: s.name ?? `dcs-${instanceId.slice(0, 8)}`,
      engine: s.engine ?? "Redis",
      engineVersion: s.engineVersion ?? "6.0",
      productType: s.productType ?? "generic",
      cacheMode: s.cacheMode ?? "ha",
      sslEnabled: s.sslEnabled ?? false,
      sslEverEnabled: s.sslEnabled ?? false,
      sslByApi: false,
      busyUntil: now + (s.busyForMs ?? 0),
      failNextJobs: s.failNextJobs ?? 0,
      sslDbErrors: s.sslDbErrors ?? 0,
      failReason:
        s.failReason ??
        "Failed to modify SSL: the SSL certificate could not be deployed to the instance nodes.",
      createdAt: new Date(now).toISOString(),
      sslExpiredAt: s.sslEnabled ? certExpiry(now) : undefined,
    });
    return instanceId;
  }

  /** Finds an instance of a project. */
  find(projectId: string, instanceId: string): DcsInstanceState | undefined {
    const i = this.instances.get(instanceId);
    return i && i.projectId === projectId ? i : undefined;
  }

  /** Sets SSL directly (out of band, or at the end of a job). */
  setSsl(i: DcsInstanceState, enabled: boolean, byApi: boolean, now = Date.now()): void {
    i.sslEnabled = enabled;
    i.sslByApi = enabled && byApi;
    if (enabled) {
      i.sslEverEnabled = true;
      i.sslExpiredAt = certExpiry(now);
    }
  }

  /** Starts an SSL job on an instance. */
  startJob(i: DcsInstanceState, wanted: boolean, durationMs: number, now = Date.now()): DcsJobState {
    const fail = i.failNextJobs > 0;
    if (fail) i.failNextJobs--;
    const job: DcsJobState = {
      projectId: i.projectId,
      jobId: hex32(),
      instanceId: i.instanceId,
      jobType: wanted ? "enableSslJob" : "disableSslJob",
      wanted,
      beginAt: now,
      endAt: now + Math.max(0, durationMs),
      fail,
      failReason: fail ? i.failReason : undefined,
      finished: false,
      before: i.sslEnabled,
    };
    const jobLag = this.readLag();
    const sslLag = this.readLag();
    if (jobLag > 0) job.seenAt = job.endAt + jobLag;
    if (sslLag > 0) job.sslSeenAt = job.endAt + sslLag;
    this.jobs.set(job.jobId, job);
    this.jobsCreated++;
    i.runningJobId = job.jobId;
    return job;
  }

  /** Applies the end of every job whose time has come. */
  advance(now = Date.now()): void {
    for (const job of this.jobs.values()) {
      if (job.finished || now < job.endAt) continue;
      job.finished = true;
      const i = this.instances.get(job.instanceId);
      if (!i) continue;
      if (!job.fail) this.setSsl(i, job.wanted, true, job.endAt);
      if (i.runningJobId === job.jobId) i.runningJobId = undefined;
    }
  }

  /** A job's status at a time. */
  jobStatus(job: DcsJobState, now = Date.now()): "INIT" | "RUNNING" | "SUCCESS" | "FAIL" {
    if (job.finished || now >= job.endAt) return job.fail ? "FAIL" : "SUCCESS";
    const initFor = Math.min(200, (job.endAt - job.beginAt) / 5);
    return now - job.beginAt < initFor ? "INIT" : "RUNNING";
  }

  /**
   * A job's status as a read shows it: with a read lag, `RUNNING` for a while after it ended (the
   * end and the instance's SSL read back are seen at independent moments, either one first).
   */
  reportedJobStatus(job: DcsJobState, now = Date.now()): "INIT" | "RUNNING" | "SUCCESS" | "FAIL" {
    const status = this.jobStatus(job, now);
    return status !== "INIT" && status !== "RUNNING" && now < (job.seenAt ?? 0) ? "RUNNING" : status;
  }

  private jobsOf(i: DcsInstanceState): DcsJobState[] {
    return [...this.jobs.values()].filter((j) => j.instanceId === i.instanceId);
  }

  /** The instance's SSL as a read shows it: with a read lag, the value before a job that just ended. */
  reportedSsl(i: DcsInstanceState, now = Date.now()): boolean {
    const unseen = this.jobsOf(i).find((j) => j.finished && !j.fail && now < (j.sslSeenAt ?? 0));
    return unseen ? unseen.before : i.sslEnabled;
  }

  /** Whether a read shows an SSL job running on the instance (one that ended may still show). */
  reportedSwitching(i: DcsInstanceState, now = Date.now()): boolean {
    return i.runningJobId !== undefined || this.jobsOf(i).some((j) => now < (j.seenAt ?? 0));
  }

  /** An instance's status at a time. */
  status(i: DcsInstanceState, now = Date.now()): string {
    return now < i.busyUntil ? "CREATING" : "RUNNING";
  }
}

function certExpiry(now: number): string {
  return new Date(now + 365 * 24 * 3_600_000).toISOString();
}
