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
