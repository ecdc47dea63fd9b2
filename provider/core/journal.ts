/**
 * A local journal of pending additions: one small JSON file per addition that a provider has sent
 * (or is about to send) to a cloud whose API returns no id for it and offers no name, tag or
 * idempotency token. The entry is written before the request and removed once the resource is in
 * the stack's state, so that a run killed in between leaves behind what the next run needs to find
 * the addition again instead of sending it a second time.
 *
 * Entries hold ids and a hash of the inputs, never credentials. Each file is written atomically
 * (a temporary file, then a rename), so a reader sees the old entry or the new one, never half of
 * one. A journal that cannot be written never fails the operation: the caller carries on without it.
 */
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { setting } from "./config";
import { logDebug, logProgress } from "./log";

/** What an entry is about. */
export type JournalKind = "shard" | "replica" | "cluster";

/** One pending addition. */
export interface JournalEntry {
  /** What is being added. */
  kind: JournalKind;
  /** {@link journalKey} of the resource type and its identifying inputs. */
  key: string;
  /** The cluster the addition goes to (for a `cluster` entry: the new cluster's name). */
  clusterId: string;
  /** For a replica: the shard it goes to. */
  shardId?: string;
  /** Ids of the cluster's shards (or the shard's nodes) listed just before the request. */
  before: string[];
  /** The new member's id, once it has been discovered. */
  addedId?: string;
  /** When the entry was written (ISO 8601). */
  createdAt: string;
  /** The process that wrote the entry (a run still alive is not an interrupted one). */
  owner?: JournalOwner;
}

/** A process, told apart from a later one that reuses its pid by its start time (Linux). */
export interface JournalOwner {
  host: string;
  pid: number;
  /** The process's start time in clock ticks after boot (`/proc/<pid>/stat`), where readable. */
  start?: number;
  /**
   * The Pulumi engine (the `pulumi` process) the writer served, where procfs shows it. A writer
   * whose engine is gone is an interrupted run, even while it still runs: the stock CLI leaves a
   * dynamic provider running when the engine alone is killed, and nothing it does reaches the state.
   */
  engine?: { pid: number; start?: number };
}

/** Field 22 of `/proc/<pid>/stat` (the start time), or undefined where there is no procfs. */
export function processStart(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces and parentheses): state is field 3.
    const start = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
    return Number.isFinite(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

/** Field 2 (the command name) and field 4 (the parent pid) of `/proc/<pid>/stat`. */
function commAndParent(pid: number): { comm: string; ppid: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    return { comm, ppid: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) };
  } catch {
    return undefined;
  }
}

let engineProcess: JournalOwner["engine"] | null = null;

/**
 * The `pulumi` process among this process's nearest ancestors (the engine starts the plugin
 * script, which runs the provider's node), looked up once; undefined without procfs or outside an
 * engine (tests).
 */
export function thisEngine(): JournalOwner["engine"] {
  if (engineProcess === null) {
    engineProcess = undefined;
    for (let pid = process.ppid, depth = 0; pid > 1 && depth < 4; depth++) {
      const stat = commAndParent(pid);
      if (!stat) break;
      if (stat.comm === "pulumi") {
        engineProcess = plainProcess({ pid, start: processStart(pid) });
        break;
      }
      pid = stat.ppid;
    }
  }
  return engineProcess;
}

/** Whether a process (told apart from a pid reuse by its start time, where known) still runs here. */
function running(p: { pid: number; start?: number }): boolean {
  try {
    process.kill(p.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false; // EPERM: alive, another user's
  }
  return p.start === undefined || processStart(p.pid) === p.start;
}

function plainProcess(p: { pid: number; start?: number }): { pid: number; start?: number } {
  return p.start === undefined ? { pid: p.pid } : p;
}

/** An entry as stored: its file and its content. */
export interface JournalRecord {
  /** Absolute path of the entry's file. */
  readonly file: string;
  /** What the file holds. */
  readonly entry: JournalEntry;
}

/**
 * The journal's directory: stack configuration `managed-redis:journalDir`, else the environment
 * variable `PULUMI_MANAGED_REDIS_JOURNAL_DIR`, else `$PULUMI_HOME/managed-redis/journal` when
 * `PULUMI_HOME` is set, else `~/.pulumi/managed-redis/journal`.
 *
 * @example
 * ```sh
 * pulumi config set managed-redis:journalDir /cache/pulumi-journal   # a CI cache that outlives the runner
 * ```
 */
export function journalDir(): string {
  const configured = setting("journalDir", ["PULUMI_MANAGED_REDIS_JOURNAL_DIR"]);
  if (configured) return path.resolve(configured);
  const home = process.env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  return path.join(home, "managed-redis", "journal");
}

/**
 * A stable, short key (16 hex digits of a SHA-256) for a resource type and its identifying inputs.
 * The caller passes the inputs in a fixed shape and order, and leaves out what does not identify
 * the resource (timeouts).
 *
 * @example
 * ```ts
 * journalKey("pulumi-nodejs:dynamic/kakaocloud:KakaoReplica", { clusterId, shardId, subnetId });
 * ```
 */
export function journalKey(type: string, identity: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify([type, identity]))
    .digest("hex")
    .slice(0, 16);
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (err instanceof Error ? err.message : String(err));
}

/** Writes `entry` to `file` through a temporary file in the same directory and a rename. */
function writeAtomic(file: string, entry: JournalEntry): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(tmp, "w", 0o600);
    try {
      fs.writeSync(fd, `${JSON.stringify(entry, null, 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Records a new entry (stamped with the current time) before the request it describes is sent.
 * Returns `undefined` when the journal cannot be written; then one progress line says that
 * recovery after an interruption will not be automatic, and the caller goes on.
 */
export function recordEntry(entry: Omit<JournalEntry, "createdAt" | "owner">): JournalRecord | undefined {
  const full: JournalEntry = {
    ...entry,
    createdAt: new Date().toISOString(),
    owner: plainOwner({
      host: os.hostname(),
      pid: process.pid,
      start: processStart(process.pid),
      engine: thisEngine(),
    }),
  };
  let dir = "(unresolved)";
  try {
    dir = journalDir();
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const name = `${entry.kind}-${entry.key}-${Date.now().toString(36)}${randomBytes(4).toString("hex")}.json`;
    const file = path.join(dir, name);
    writeAtomic(file, full);
    return { file, entry: full };
  } catch (err) {
    logProgress(
      `cannot write the pending-additions journal in ${dir} (${reason(err)}): if this run is interrupted ` +
        `after the ${entry.kind} is added, recovery will not be automatic (the next \`pulumi up\` cannot ` +
        `find it and adds another); set managed-redis:journalDir to a writable folder`,
    );
    return undefined;
  }
}

/**
 * Rewrites an entry with `patch` applied; returns the updated record. When the file cannot be
 * written the returned record still holds the change (in memory) and the file keeps the old one.
 */
export function updateEntry(
  record: JournalRecord,
  patch: Partial<Pick<JournalEntry, "addedId" | "before">>,
): JournalRecord {
  const next: JournalRecord = { file: record.file, entry: { ...record.entry, ...patch } };
  try {
    writeAtomic(record.file, next.entry);
  } catch (err) {
    logDebug(`could not update the journal entry ${record.file}: ${reason(err)}`);
  }
  return next;
}

/**
 * Removes an entry; an entry already gone is fine. An entry this process wrote stays while the
 * engine it served is gone: the id it was removed for never reached the state, and the entry is
 * what the next run needs to find the addition.
 */
export function removeEntry(record: JournalRecord): void {
  const owner = record.entry.owner;
  if (owner?.pid === process.pid && owner.engine && !running(owner.engine)) {
    logDebug(`keeping the journal entry ${record.file}: the engine this provider served is gone`);
    return;
  }
  try {
    fs.rmSync(record.file, { force: true });
  } catch (err) {
    logProgress(
      `could not remove the pending-additions journal entry ${record.file} (${reason(err)}): delete it ` +
        `by hand, or a later create with the same inputs may take it for an interrupted one`,
    );
  }
}

/**
 * Whether the entry was written by another process on this host that is still running for a live
 * engine: then the addition is in progress there (two runs sharing the journal), not left behind by
 * an interrupted run. A writer whose engine is gone (killed alone) counts as interrupted.
 */
export function ownedByLiveProcess(entry: JournalEntry): boolean {
  const owner = entry.owner;
  if (!owner || owner.host !== os.hostname() || owner.pid === process.pid) return false;
  // A pid in use may be the writer's or a later process's (a container restarted with the same
  // hostname starts its pids from the same small numbers): the start time tells them apart.
  if (!running(owner)) return false;
  return owner.engine === undefined || running(owner.engine);
}

function plainOwner(owner: JournalOwner): JournalOwner {
  const { engine, ...rest } = owner;
  const plain: JournalOwner =
    rest.start === undefined
      ? { host: rest.host, pid: rest.pid }
      : { host: rest.host, pid: rest.pid, start: rest.start };
  return engine ? { ...plain, engine } : plain;
}

/**
 * The entries of one kind, cluster and key, oldest first. Files that are not entries (temporary
 * files of a write that was interrupted, unreadable or foreign files) are skipped; a missing or
 * unreadable directory has no entries.
 */
export function findEntries(kind: JournalKind, clusterId: string, key: string): JournalRecord[] {
  let dir: string;
  let names: string[];
  try {
    dir = journalDir();
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: JournalRecord[] = [];
  for (const name of names) {
    if (!name.startsWith(`${kind}-${key}-`) || !name.endsWith(".json")) continue;
    const file = path.join(dir, name);
    try {
      const entry = JSON.parse(fs.readFileSync(file, "utf8")) as JournalEntry;
      if (
        entry.kind === kind &&
        entry.key === key &&
        entry.clusterId === clusterId &&
        Array.isArray(entry.before)
      ) {
        out.push({ file, entry });
      }
    } catch (err) {
      logDebug(`skipping the journal file ${file}: ${reason(err)}`);
    }
  }
  return out.sort(
    (a, b) => a.entry.createdAt.localeCompare(b.entry.createdAt) || a.file.localeCompare(b.file),
  );
}
