/**
 * The dynamic-provider plugin script (scripts/pulumi-toolchain/pulumi-resource-pulumi-nodejs) behaves
 * as upstream's: it resolves `@pulumi/pulumi/cmd/dynamic-provider` from its working directory or
 * NODE_PATH, runs it with node as its child, stops when the engine signals its process group, prints
 * nothing of its own, and does not watch the engine (a provider whose engine was killed alone keeps
 * running). The documented differences are tested too: quoted arguments, and a message with exit
 * code 1 when the module cannot be resolved.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const SCRIPT = path.resolve(__dirname, "../../scripts/pulumi-toolchain/pulumi-resource-pulumi-nodejs");

/** A stand-in for `@pulumi/pulumi/cmd/dynamic-provider`: records how it was started, prints a port, waits. */
const STUB = `
const fs = require("node:fs");
fs.writeFileSync(process.env.STUB_OUT, JSON.stringify({ args: process.argv.slice(2), pid: process.pid, ppid: process.ppid, cwd: process.cwd() }));
console.log("12345");
setInterval(() => undefined, 1000);
`;

let scratch: string;
let project: string;
let empty: string;
const started: number[] = [];

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-script-"));
  project = path.join(scratch, "project");
  const cmd = path.join(project, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider");
  fs.mkdirSync(cmd, { recursive: true });
  fs.writeFileSync(
    path.join(project, "node_modules", "@pulumi", "pulumi", "package.json"),
    JSON.stringify({ name: "@pulumi/pulumi", version: "3.0.0" }),
  );
  fs.writeFileSync(path.join(cmd, "index.js"), STUB);
  empty = path.join(scratch, "empty");
  fs.mkdirSync(empty);
});

afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  fs.rmSync(scratch, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** The exit code, once the process exited and its output streams closed. */
  exited: Promise<number | null>;
  /** The exit signal or code, once the process itself exited. */
  gone: Promise<unknown>;
}

/** Starts `command` (argv) detached, in a process group of its own as the engine starts plugins. */
function start(command: string[], cwd: string, env: Record<string, string> = {}): Started {
  const child = spawn(command[0], command.slice(1), {
    cwd,
    env: { ...process.env, NODE_PATH: "", ...env },
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  started.push(child.pid!);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const gone = new Promise((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  return { child, out: () => out, err: () => err, exited, gone };
}

async function until(pred: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** What the stub recorded. */
function stubRecord(file: string): { args: string[]; pid: number; ppid: number; cwd: string } {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

describe("pulumi-resource-pulumi-nodejs", () => {
  it("runs the dynamic provider of its working directory with node, as its child, with the arguments", async () => {
    const record = path.join(scratch, "run.json");
    const p = start([SCRIPT, "127.0.0.1:4242", "a b"], project, { STUB_OUT: record });
    await until(() => p.out().includes("12345"));
    const stub = stubRecord(record);
    expect(stub.args).toEqual(["127.0.0.1:4242", "a b"]);
    expect(stub.cwd).toBe(fs.realpathSync(project));
    expect(stub.ppid).toBe(p.child.pid); // a child of the script, not exec'd in its place
    process.kill(-p.child.pid!, "SIGINT");
    await p.exited;
  });

  it("honours NODE_PATH when the working directory has no node_modules", async () => {
    const record = path.join(scratch, "node-path.json");
    const p = start([SCRIPT, "127.0.0.1:4242"], empty, {
      STUB_OUT: record,
      NODE_PATH: path.join(project, "node_modules"),
    });
    await until(() => p.out().includes("12345"));
    expect(stubRecord(record).cwd).toBe(fs.realpathSync(empty));
    process.kill(-p.child.pid!, "SIGINT");
    await p.exited;
  });

  it("stops when the engine interrupts its process group, and prints nothing but the port", async () => {
    const record = path.join(scratch, "interrupt.json");
    const p = start([SCRIPT, "127.0.0.1:4242"], project, { STUB_OUT: record });
    await until(() => p.out().includes("12345"));
    const { pid } = stubRecord(record);
    const t0 = Date.now();
    process.kill(-p.child.pid!, "SIGINT");
    await p.exited;
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(alive(pid)).toBe(false);
    expect(p.out()).toBe("12345\n");
    expect(p.err()).toBe(""); // no "Terminated" or other line of the shell's
  });

  it("does not watch the engine: a provider whose engine was killed alone keeps running", async () => {
    // The engine stand-in starts the plugin in a process group of its own, as the CLI does
    // (Setpgid), and is then killed with SIGKILL.
    const record = path.join(scratch, "orphan.json");
    const engine = start(["sh", "-c", 'set -m; "$0" 127.0.0.1:4242 & wait', SCRIPT], project, {
      STUB_OUT: record,
    });
    await until(() => fs.existsSync(record) && engine.out().includes("12345"));
    const { pid } = stubRecord(record);
    started.push(pid);
    process.kill(engine.child.pid!, "SIGKILL");
    expect(await engine.gone).toBe("SIGKILL");
    // The watchdog this script had stopped the provider within 2 s of the engine's death.
    await new Promise((r) => setTimeout(r, 3500));
    expect(alive(pid)).toBe(true);
    process.kill(pid, "SIGKILL");
  });

  it("says what to do and exits 1 when the dynamic provider cannot be resolved", async () => {
    const p = start([SCRIPT, "127.0.0.1:4242"], empty);
    expect(await p.exited).toBe(1);
    expect(p.out()).toBe("");
    expect(p.err()).toContain(
      `pulumi-resource-pulumi-nodejs: cannot resolve @pulumi/pulumi/cmd/dynamic-provider from ${fs.realpathSync(empty)} (nor NODE_PATH); run npm install there, or set NODE_PATH`,
    );
  });
});
