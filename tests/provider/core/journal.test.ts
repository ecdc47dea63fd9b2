import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { setStackConfig } from "../../../provider/core/config";
import {
  findEntries,
  journalDir,
  journalKey,
  type JournalOwner,
  ownedByLiveProcess,
  processStart,
  recordEntry,
  removeEntry,
  updateEntry,
} from "../../../provider/core/journal";

const ENV = ["PULUMI_MANAGED_REDIS_JOURNAL_DIR", "PULUMI_HOME"] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
let tmp: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "journal-test-"));
  for (const k of ENV) delete process.env[k];
  setStackConfig(undefined);
});
afterEach(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  setStackConfig(undefined);
  jest.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const config = (values: Record<string, string>) => ({ get: (k: string) => values[k] }) as never;
const shard = (over: Record<string, unknown> = {}) => ({
  kind: "shard" as const,
  key: journalKey("t:Shard", { clusterId: "c1", nodeCount: 2 }),
  clusterId: "c1",
  before: ["001", "002"],
  ...over,
});

describe("journalDir", () => {
  it("takes managed-redis:journalDir first, then the environment, then PULUMI_HOME, then ~/.pulumi", () => {
    expect(journalDir()).toBe(path.join(os.homedir(), ".pulumi", "managed-redis", "journal"));
    process.env.PULUMI_HOME = path.join(tmp, "home");
    expect(journalDir()).toBe(path.join(tmp, "home", "managed-redis", "journal"));
    process.env.PULUMI_MANAGED_REDIS_JOURNAL_DIR = path.join(tmp, "env");
    expect(journalDir()).toBe(path.join(tmp, "env"));
    setStackConfig(config({ "managed-redis:journalDir": path.join(tmp, "config") }));
    expect(journalDir()).toBe(path.join(tmp, "config"));
  });

  it("resolves a relative setting to an absolute path", () => {
    process.env.PULUMI_MANAGED_REDIS_JOURNAL_DIR = "rel/journal";
    expect(journalDir()).toBe(path.resolve("rel/journal"));
  });
});

describe("journalKey", () => {
  it("is a short hex hash that changes with the type and with every identifying input", () => {
    const k = journalKey("t:Shard", { clusterId: "c1", nodeCount: 2 });
    expect(k).toMatch(/^[0-9a-f]{16}$/);
    expect(journalKey("t:Shard", { clusterId: "c1", nodeCount: 2 })).toBe(k);
    expect(journalKey("t:Shard", { clusterId: "c1", nodeCount: 3 })).not.toBe(k);
    expect(journalKey("t:Shard", { clusterId: "c2", nodeCount: 2 })).not.toBe(k);
    expect(journalKey("t:Replica", { clusterId: "c1", nodeCount: 2 })).not.toBe(k);
  });
});

describe("entries", () => {
  beforeEach(() => {
    process.env.PULUMI_MANAGED_REDIS_JOURNAL_DIR = path.join(tmp, "j");
  });

  it("records an entry as one JSON file, readable only by its owner, with no temporary file left", () => {
    const before = Date.now();
    const r = recordEntry(shard())!;
    expect(path.dirname(r.file)).toBe(path.join(tmp, "j"));
    expect(JSON.parse(fs.readFileSync(r.file, "utf8"))).toEqual(r.entry);
    expect(r.entry).toMatchObject(shard());
    expect(Date.parse(r.entry.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(fs.statSync(r.file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(tmp, "j"))).toEqual([path.basename(r.file)]);
  });

  it("updates by writing a new file and renaming it over the old one", () => {
    const r = recordEntry(shard())!;
    const inode = fs.statSync(r.file).ino;
    const u = updateEntry(r, { addedId: "003" });
    expect(u.entry).toEqual({ ...r.entry, addedId: "003" });
    expect(JSON.parse(fs.readFileSync(r.file, "utf8"))).toEqual(u.entry);
    // A rename replaces the directory entry: a reader never sees a half-written file.
    expect(fs.statSync(r.file).ino).not.toBe(inode);
    expect(fs.readdirSync(path.join(tmp, "j"))).toHaveLength(1);
  });

  it("finds entries by kind, cluster and key, oldest first, and skips temporary and broken files", async () => {
    const a = recordEntry(shard())!;
    await new Promise((r) => setTimeout(r, 5));
    const b = recordEntry(shard({ before: ["001", "002", "003"] }))!;
    recordEntry(shard({ clusterId: "c2" }));
    recordEntry(shard({ kind: "replica", shardId: "001" }));
    recordEntry(shard({ key: journalKey("t:Shard", { clusterId: "c1", nodeCount: 3 }) }));
    const dir = path.join(tmp, "j");
    // What a write killed before its rename leaves, and a file cut short.
    fs.writeFileSync(path.join(dir, `.${path.basename(a.file)}.123.tmp`), "{");
    fs.writeFileSync(path.join(dir, `shard-${a.entry.key}-zzz.json`), '{"kind":"sha');

    expect(findEntries("shard", "c1", a.entry.key)).toEqual([a, b]);
    expect(findEntries("shard", "c2", a.entry.key)).toHaveLength(1);
    expect(findEntries("replica", "c1", a.entry.key)).toHaveLength(1);
    expect(findEntries("shard", "c3", a.entry.key)).toEqual([]);

    removeEntry(a);
    expect(findEntries("shard", "c1", a.entry.key)).toEqual([b]);
    expect(() => removeEntry(a)).not.toThrow();
  });

  it("has no entries when the directory does not exist", () => {
    expect(findEntries("shard", "c1", "0123456789abcdef")).toEqual([]);
  });
});

describe("ownedByLiveProcess", () => {
  it("records the writing process, and tells a run still going on this host from one that is gone", () => {
    process.env.PULUMI_MANAGED_REDIS_JOURNAL_DIR = path.join(tmp, "j");
    const r = recordEntry(shard())!;
    expect(r.entry.owner).toEqual({
      host: os.hostname(),
      pid: process.pid,
      start: processStart(process.pid),
    });
    expect(typeof r.entry.owner!.start).toBe("number"); // Linux: /proc is there
    // This process's own entries are handled by its in-process claims, not by this check.
    expect(ownedByLiveProcess(r.entry)).toBe(false);
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
    const entry = (owner: JournalOwner) => ({ ...r.entry, owner });
    expect(ownedByLiveProcess(entry({ host: os.hostname(), pid: process.ppid }))).toBe(true);
    const parentStart = processStart(process.ppid)!;
    expect(ownedByLiveProcess(entry({ host: os.hostname(), pid: process.ppid, start: parentStart }))).toBe(
      true,
    );
    // The same pid with another start time: a later process reusing the pid, not the writer.
    expect(
      ownedByLiveProcess(entry({ host: os.hostname(), pid: process.ppid, start: parentStart - 1 })),
    ).toBe(false);
    expect(ownedByLiveProcess(entry({ host: os.hostname(), pid: gone }))).toBe(false);
    expect(ownedByLiveProcess(entry({ host: `not-${os.hostname()}`, pid: process.ppid }))).toBe(false);
    expect(ownedByLiveProcess({ ...r.entry, owner: undefined })).toBe(false);
  });
});

describe("ownedByLiveProcess, a process of another user", () => {
  it("a pid that answers EPERM to signal 0 is alive (the process belongs to another user)", () => {
    const r = { ...shard(), createdAt: new Date().toISOString() };
    const owner = { host: os.hostname(), pid: 4_000_000 };
    // Only the signal is faked: as root the test cannot be refused a signal for real.
    const kill = jest.spyOn(process, "kill").mockImplementation(() => {
      throw Object.assign(new Error("kill EPERM"), { code: "EPERM" });
    });
    expect(ownedByLiveProcess({ ...r, owner })).toBe(true);
    kill.mockImplementation(() => {
      throw Object.assign(new Error("kill ESRCH"), { code: "ESRCH" });
    });
    expect(ownedByLiveProcess({ ...r, owner })).toBe(false);
    expect(kill).toHaveBeenCalledWith(4_000_000, 0);
  });
});

describe("a journal that cannot be written", () => {
  it("does not fail: record returns nothing and one progress line says recovery will not be automatic", () => {
    const file = path.join(tmp, "a-file");
    fs.writeFileSync(file, "not a directory");
    process.env.PULUMI_MANAGED_REDIS_JOURNAL_DIR = path.join(file, "journal");
    const lines: string[] = [];
    jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    expect(recordEntry(shard())).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot write the pending-additions journal in .*a-file\/journal \(ENOTDIR\)/);
    expect(lines[0]).toMatch(/recovery will not be automatic/);
    expect(findEntries("shard", "c1", shard().key)).toEqual([]);
  });

  it("keeps an update in memory when the file cannot be rewritten", () => {
    process.env.PULUMI_MANAGED_REDIS_JOURNAL_DIR = path.join(tmp, "j");
    const r = recordEntry(shard())!;
    fs.rmSync(path.join(tmp, "j"), { recursive: true });
    fs.writeFileSync(path.join(tmp, "j"), "now a file");
    const u = updateEntry(r, { addedId: "004" });
    expect(u.entry.addedId).toBe("004");
    expect(fs.readFileSync(path.join(tmp, "j"), "utf8")).toBe("now a file");
  });
});

/** Collects what the provider writes to stderr while `fn` runs, with debug lines on. */
function stderrOf(fn: () => void): string[] {
  const lines: string[] = [];
  const saved = process.env.PULUMI_MANAGED_REDIS_DEBUG;
  process.env.PULUMI_MANAGED_REDIS_DEBUG = "1";
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
    if (saved === undefined) delete process.env.PULUMI_MANAGED_REDIS_DEBUG;
    else process.env.PULUMI_MANAGED_REDIS_DEBUG = saved;
  }
  return lines;
}

describe("processStart", () => {
  it("is field 22 of /proc/<pid>/stat, the start time in clock ticks", () => {
    // awk splits the line on blanks; the command names of these processes have none.
    for (const pid of [process.pid, process.ppid]) {
      const awk = spawnSync("awk", ["{ print $22 }", `/proc/${pid}/stat`], { encoding: "utf8" });
      expect(processStart(pid)).toBe(Number(awk.stdout.trim()));
    }
  });

  it("reads the fields after the command name, even one with spaces and parentheses", () => {
    const expected = processStart(process.pid);
    const comm = fs.readFileSync("/proc/self/comm", "utf8").trim();
    fs.writeFileSync("/proc/self/comm", "a) b (c");
    try {
      expect(fs.readFileSync(`/proc/${process.pid}/stat`, "utf8")).toMatch(/^\d+ \(a\) b \(c\) /);
      expect(processStart(process.pid)).toBe(expected);
    } finally {
      fs.writeFileSync("/proc/self/comm", comm);
    }
    expect(fs.readFileSync("/proc/self/comm", "utf8").trim()).toBe(comm);
  });

  it("is undefined for a pid that does not exist", () => {
    const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
    expect(processStart(gone)).toBeUndefined();
  });
});

describe("entries, file handling", () => {
  beforeEach(() => {
    process.env.PULUMI_MANAGED_REDIS_JOURNAL_DIR = path.join(tmp, "j");
  });

  const openFds = () => fs.readdirSync("/proc/self/fd").length;

  it("closes every file it opens", () => {
    const r = recordEntry(shard())!; // creates the directory first
    const before = openFds();
    for (let i = 0; i < 5; i++) updateEntry(r, { addedId: `00${i}` });
    recordEntry(shard());
    expect(openFds()).toBe(before);
  });

  it("an update that cannot be renamed into place leaves no temporary file and writes a debug line", () => {
    const r = recordEntry(shard())!;
    const blocked = { ...r, file: path.join(tmp, "j", "a-directory") };
    fs.mkdirSync(blocked.file);
    fs.writeFileSync(path.join(blocked.file, "x"), "keeps the directory non-empty");
    const lines = stderrOf(() => updateEntry(blocked, { addedId: "004" }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^\\[pulumi-managed-redis:debug\\] could not update the journal entry ${blocked.file}: E[A-Z]+\\n$`,
      ),
    );
    expect(fs.readdirSync(path.join(tmp, "j")).sort()).toEqual(["a-directory", path.basename(r.file)].sort());
  });

  it("removing an entry that is already gone writes nothing", () => {
    const r = recordEntry(shard())!;
    removeEntry(r);
    const lines = stderrOf(() => removeEntry(r));
    expect(lines).toEqual([]);
    expect(fs.existsSync(r.file)).toBe(false);
  });

  it("an entry that cannot be removed gets one progress line saying to delete it by hand", () => {
    const r = recordEntry(shard())!;
    const stuck = { ...r, file: path.join(tmp, "j", "stuck") };
    fs.mkdirSync(stuck.file);
    fs.writeFileSync(path.join(stuck.file, "x"), "");
    const lines = stderrOf(() => removeEntry(stuck));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^\\[pulumi-managed-redis\\] could not remove the pending-additions journal entry ${stuck.file} \\(\\S+\\): ` +
          "delete it by hand, or a later create with the same inputs may take it for an interrupted one\\n$",
      ),
    );
  });

  it("the progress line of a journal that cannot be written says all of what to do", () => {
    const file = path.join(tmp, "a-file");
    fs.writeFileSync(file, "");
    process.env.PULUMI_MANAGED_REDIS_JOURNAL_DIR = path.join(file, "journal");
    const lines = stderrOf(() => expect(recordEntry(shard())).toBeUndefined());
    expect(lines).toEqual([
      `[pulumi-managed-redis] cannot write the pending-additions journal in ${path.join(file, "journal")} (ENOTDIR): ` +
        "if this run is interrupted after the shard is added, recovery will not be automatic (the next `pulumi up` " +
        "cannot find it and adds another); set managed-redis:journalDir to a writable folder\n",
    ]);
  });

  it("a journal directory that cannot even be resolved is named (unresolved)", () => {
    setStackConfig({
      get: () => {
        throw new Error("config unreadable");
      },
    } as never);
    jest.spyOn(require("node:os") as typeof os, "homedir").mockImplementation(() => {
      throw Object.assign(new Error("no home"), { code: "ENOHOME" });
    });
    delete process.env.PULUMI_MANAGED_REDIS_JOURNAL_DIR; // nor PULUMI_HOME: the home folder is needed
    const lines = stderrOf(() => expect(recordEntry(shard())).toBeUndefined());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("cannot write the pending-additions journal in (unresolved) (ENOHOME):");
  });

  it("where /proc cannot be read the owner has no start field at all", () => {
    const realFs = require("node:fs") as typeof fs;
    const real = realFs.readFileSync;
    jest.spyOn(realFs, "readFileSync").mockImplementation(((p: fs.PathOrFileDescriptor, ...rest: never[]) => {
      if (String(p).startsWith("/proc/")) throw Object.assign(new Error("no procfs"), { code: "ENOENT" });
      return (real as (...a: unknown[]) => unknown)(p, ...rest);
    }) as typeof fs.readFileSync);
    const r = recordEntry(shard())!;
    expect(r.entry.owner).toStrictEqual({ host: os.hostname(), pid: process.pid });
  });
});

describe("findEntries, what it skips and the order", () => {
  const dir = () => path.join(tmp, "j");
  const key = shard().key;
  const write = (name: string, entry: Record<string, unknown>) =>
    fs.writeFileSync(path.join(dir(), name), JSON.stringify(entry));
  const valid = (createdAt: string, over: Record<string, unknown> = {}) => ({
    ...shard(),
    createdAt,
    ...over,
  });

  beforeEach(() => {
    process.env.PULUMI_MANAGED_REDIS_JOURNAL_DIR = dir();
    fs.mkdirSync(dir(), { recursive: true });
  });

  it("is sorted by creation time, then by file name", () => {
    write(`shard-${key}-1.json`, valid("2026-01-03T00:00:00.000Z"));
    write(`shard-${key}-2.json`, valid("2026-01-01T00:00:00.000Z"));
    write(`shard-${key}-4.json`, valid("2026-01-02T00:00:00.000Z"));
    write(`shard-${key}-3.json`, valid("2026-01-01T00:00:00.000Z"));
    expect(findEntries("shard", "c1", key).map((r) => path.basename(r.file))).toEqual([
      `shard-${key}-2.json`,
      `shard-${key}-3.json`,
      `shard-${key}-4.json`,
      `shard-${key}-1.json`,
    ]);
  });

  it("skips files whose name is not <kind>-<key>-*.json, whatever they hold", () => {
    write(`shard-${key}-ok.json`, valid("2026-01-01T00:00:00.000Z"));
    write(`copy-of-shard-${key}.json`, valid("2026-01-01T00:00:00.000Z"));
    write(`shard-${key}-old.json.bak`, valid("2026-01-01T00:00:00.000Z"));
    write(`replica-${key}-x.json`, valid("2026-01-01T00:00:00.000Z"));
    expect(findEntries("shard", "c1", key).map((r) => path.basename(r.file))).toEqual([
      `shard-${key}-ok.json`,
    ]);
  });

  it("skips entries whose content is of another kind, key or cluster, or has no list", () => {
    write(`shard-${key}-ok.json`, valid("2026-01-01T00:00:00.000Z"));
    write(`shard-${key}-kind.json`, valid("2026-01-01T00:00:00.000Z", { kind: "replica" }));
    write(`shard-${key}-key.json`, valid("2026-01-01T00:00:00.000Z", { key: "0000000000000000" }));
    write(`shard-${key}-cluster.json`, valid("2026-01-01T00:00:00.000Z", { clusterId: "c9" }));
    write(`shard-${key}-before.json`, valid("2026-01-01T00:00:00.000Z", { before: "001" }));
    expect(findEntries("shard", "c1", key).map((r) => path.basename(r.file))).toEqual([
      `shard-${key}-ok.json`,
    ]);
  });

  it("writes a debug line for each file it cannot read", () => {
    fs.writeFileSync(path.join(dir(), `shard-${key}-cut.json`), '{"kind":"sha');
    let found: unknown;
    const lines = stderrOf(() => (found = findEntries("shard", "c1", key)));
    expect(found).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^\\[pulumi-managed-redis:debug\\] skipping the journal file ${dir()}/shard-${key}-cut.json: \\S`,
      ),
    );
  });
});
