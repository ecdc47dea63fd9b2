// Running Pulumi programs through the real engine (the CLI, a local file backend) against the
// emulator, for `npm run bench` and `npm run chaos`. Everything runs asynchronously: the emulator
// lives in this process, so a blocking spawnSync would stall it and time every request out.
/* global setTimeout, clearTimeout, setInterval, clearInterval */
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { ensurePulumi, pulumiEnv, emulatorEnv } = require("../pulumi-env");

const root = path.resolve(__dirname, "..", "..");

/** Loads the compiled emulator (run `npm run build` first). */
function loadEmulator() {
  const entry = path.join(root, "lib", "emulator", "index.js");
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  return require(entry);
}

let stackSeq = 0;

/**
 * A stack of a program folder (`Pulumi.yaml` + `index.js`, and any subfolders) in a temporary work
 * directory (the program copied there with the files of `opts.include` beside it, `node_modules`
 * linked to this repository's) and a fresh local backend.
 */
async function newStack(programDir, extraEnv = {}, opts = {}) {
  const bin = ensurePulumi();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `managed-redis-${opts.label ?? "run"}-`));
  const workDir = path.join(base, "program");
  fs.mkdirSync(workDir);
  fs.cpSync(programDir, workDir, { recursive: true });
  for (const f of opts.include ?? []) fs.copyFileSync(f, path.join(workDir, path.basename(f)));
  fs.symlinkSync(path.join(root, "node_modules"), path.join(workDir, "node_modules"), "dir");
  const stateDir = path.join(base, "state");
  fs.mkdirSync(stateDir);
  const env = pulumiEnv(bin, stateDir, extraEnv);
  const name = `s${process.pid}x${++stackSeq}`;
  const stack = {
    bin,
    base,
    workDir,
    stateDir,
    env,
    name,
    /** Runs `pulumi <args>`; resolves with `{code, out, ms}` (never rejects on a non-zero exit). */
    run: (args, runOpts = {}) => runPulumi(stack, args, runOpts),
    /** Starts `pulumi <args>` in its own session; `kill()` SIGKILLs every process of it. */
    start: (args) => startPulumi(stack, args),
    async config(key, value) {
      const r = await stack.run(["config", "set", "--stack", name, key, String(value)]);
      if (r.code !== 0) throw new Error(`pulumi config set ${key} failed: ${r.out.slice(-2000)}`);
    },
    async exportState() {
      const r = await stack.run(["stack", "export", "--stack", name]);
      if (r.code !== 0) throw new Error(`pulumi stack export failed: ${r.out.slice(-2000)}`);
      return JSON.parse(r.stdout);
    },
    async cleanup() {
      await stack.run(["stack", "rm", "--yes", "--force", "--stack", name]).catch(() => undefined);
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
  const init = await stack.run(["stack", "init", name, "--non-interactive"]);
  if (init.code !== 0) throw new Error(`pulumi stack init failed: ${init.out}`);
  return stack;
}

function startPulumi(stack, args) {
  const started = Date.now();
  const child = spawn(path.join(stack.bin, "pulumi"), args, {
    cwd: stack.workDir,
    env: stack.env,
    detached: true, // its own session: a kill takes the engine, language host and providers
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      resolve({
        code: code ?? (signal ? 128 : 1),
        signal,
        stdout,
        stderr,
        out: stdout + stderr,
        ms: Date.now() - started,
      });
    });
  });
  return {
    child,
    done,
    /** SIGKILLs every process of the command's session at once, as a cancelled CI job. */
    kill() {
      for (const pid of [child.pid, ...sessionPids(child.pid)]) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    },
  };
}

async function runPulumi(stack, args, opts = {}) {
  const p = startPulumi(stack, args);
  let timer;
  if (opts.timeoutMs) timer = setTimeout(() => p.kill(), opts.timeoutMs);
  opts.onStart?.(p);
  const res = await p.done;
  if (timer) clearTimeout(timer);
  return res;
}

/**
 * Session of a process (field 6 of /proc/<pid>/stat), or undefined when it is gone. A command
 * started by {@link startPulumi} leads its own session; the engine puts each plugin in a process
 * group of its own, but all of them stay in that session.
 */
function sessionOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]);
  } catch {
    return undefined;
  }
}

/** Every process of a session (pids), from /proc. */
function sessionPids(session) {
  return fs
    .readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => sessionOf(pid) === session);
}

/** `node` processes of the dynamic-provider plugin (their pids), from /proc; only of `session` when given. */
function dynamicProviderPids(session) {
  return nodePids("dynamic-provider", session);
}

/** `node` processes whose command line contains `marker` (their pids); only of `session` when given. */
function nodePids(marker, session) {
  const out = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmd.includes(marker) || !cmd.split("\0")[0].endsWith("node")) continue;
      if (session === undefined || sessionOf(Number(entry)) === session) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Resident set size of a process in bytes (VmRSS), or 0 when it is gone. */
function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Samples the RSS of the provider processes of session `session` (the pid of a command started with
 * `stack.start`) every `everyMs` until `stop()`: the `node` processes whose command line contains
 * `marker` (default: the dynamic-provider plugin; a plugin's executable name, e.g.
 * `pulumi-resource-managed-redis`). Returns the peak of one process and the peak of their sum, in
 * bytes, and how many processes were seen.
 */
function sampleProviderMemory(session, everyMs = 100, marker = "dynamic-provider") {
  let peakOne = 0;
  let peakSum = 0;
  const seen = new Set();
  const tick = () => {
    let sum = 0;
    for (const pid of nodePids(marker, session)) {
      seen.add(pid);
      const rss = rssBytes(pid);
      peakOne = Math.max(peakOne, rss);
      sum += rss;
    }
    peakSum = Math.max(peakSum, sum);
  };
  const timer = setInterval(tick, everyMs);
  tick();
  return {
    stop() {
      clearInterval(timer);
      return { peakOneBytes: peakOne, peakSumBytes: peakSum, processes: seen.size };
    },
  };
}

/** The `__provider` bytes stored per resource type in an exported deployment. */
function providerBytes(deployment) {
  const sizes = {};
  for (const r of deployment.resources ?? []) {
    const p = r.inputs?.__provider;
    if (typeof p === "string") {
      const n = Buffer.byteLength(p);
      sizes[r.type] = Math.max(sizes[r.type] ?? 0, n);
    }
  }
  return sizes;
}

/** The last error lines of a failed pulumi command (for reports). */
function errorLines(out, max = 8) {
  const lines = out
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /error:/i.test(l) && !/^error: update failed$/.test(l));
  return [...new Set(lines)].slice(0, max);
}

const { Buffer } = require("node:buffer");

module.exports = {
  emulatorEnv,
  loadEmulator,
  newStack,
  sampleProviderMemory,
  dynamicProviderPids,
  providerBytes,
  errorLines,
  root,
};
