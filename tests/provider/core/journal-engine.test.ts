/**
 * The journal and the engine a provider serves: with the stock CLI, a dynamic provider whose engine
 * was killed alone keeps running (no watchdog stops it). Its entries must then still count as an
 * interrupted run's (evidence for the next run), and it must not remove them when its work ends,
 * since nothing it returns reaches the state. Real processes: a stand-in engine named `pulumi`, the
 * plugin's shell, and the provider's node (the compiled journal in lib/, as the engine loads it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type JournalRecord, ownedByLiveProcess } from "../../../provider/core/journal";

const JOURNAL = path.resolve(__dirname, "../../../lib/provider/core/journal.js");

/** The provider: records an entry, prints it, removes it on SIGUSR2, says whether the file is gone. */
const PROVIDER = `
const fs = require("node:fs");
const j = require(${JSON.stringify(JOURNAL)});
const record = j.recordEntry({ kind: "cluster", key: "k1", clusterId: "cache", before: [] });
console.log(JSON.stringify(record));
process.on("SIGUSR2", () => {
  j.removeEntry(record);
  console.log(fs.existsSync(record.file) ? "kept" : "removed");
});
setInterval(() => undefined, 1000);
`;

let scratch: string;
const spawned: ChildProcess[] = [];

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "journal-engine-"));
  fs.mkdirSync(path.join(scratch, "bin"));
  // A process whose command name is `pulumi`: a shell started through a link of that name.
  fs.symlinkSync("/bin/sh", path.join(scratch, "bin", "pulumi"));
  fs.writeFileSync(path.join(scratch, "provider.js"), PROVIDER);
});

afterAll(() => {
  for (const p of spawned) {
    try {
      process.kill(-p.pid!, "SIGKILL");
    } catch {
      // gone
    }
  }
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Starts engine → plugin shell → provider node; resolves with the engine and the provider's entry. */
async function startProvider(label: string) {
  const journal = path.join(scratch, label);
  // The engine runs the plugin in the background and waits, as the CLI waits for its plugins.
  const engine = spawn(
    path.join(scratch, "bin", "pulumi"),
    ["-c", `sh -c 'node "${path.join(scratch, "provider.js")}"' & wait`],
    {
      env: { ...process.env, PULUMI_MANAGED_REDIS_JOURNAL_DIR: journal },
      detached: true,
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  spawned.push(engine);
  let out = "";
  engine.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const line = async (n: number) => {
    const end = Date.now() + 20_000;
    while (out.split("\n").length <= n) {
      if (Date.now() > end) throw new Error(`no output line ${n} from the provider: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return out.split("\n")[n - 1];
  };
  const record = JSON.parse(await line(1)) as JournalRecord;
  const removal = async () => {
    process.kill(record.entry.owner!.pid, "SIGUSR2");
    return line(2);
  };
  return { engine, record, removal };
}

describe("a provider whose engine was killed alone", () => {
  it("records its engine, and removes its entry while the engine lives", async () => {
    const { engine, record, removal } = await startProvider("alive");
    expect(record.entry.owner?.engine?.pid).toBe(engine.pid);
    expect(ownedByLiveProcess(record.entry)).toBe(true); // a run in progress: not evidence
    expect(await removal()).toBe("removed");
  });

  it("counts as interrupted once its engine is gone, and keeps its entry", async () => {
    const { engine, record, removal } = await startProvider("killed");
    const provider = record.entry.owner!.pid;
    process.kill(engine.pid!, "SIGKILL"); // the engine alone, as `kill -9 <pulumi>` or the OOM killer
    await new Promise((r) => engine.once("exit", r));
    process.kill(provider, 0); // the provider still runs (throws if not)
    expect(ownedByLiveProcess(record.entry)).toBe(false); // the next run may take it as evidence
    expect(await removal()).toBe("kept");
    expect(fs.existsSync(record.file)).toBe(true);
  });
});
