/**
 * A consumer's seat: a fresh project folder outside the repository that installs the packed package
 * from a tarball, with its own HOME (so `pulumi login --local` and `~/.pulumi` are its own), the
 * newest supported Node.js and Pulumi CLI first on PATH, and nothing of this repository's
 * environment except the npm cache (so installs are quick when warm).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { block, type ReadmeBlock } from "./readme";

const shared = require("../../scripts/pulumi-env.js") as {
  TOOLCHAINS: Record<"oldest" | "newest", { node: string; pulumiSdk: string; pulumiCli: string }>;
  ensurePulumi(version: string): string;
  ensureNode(version: string): string;
};

/** The tested ends of the supported range (scripts/toolchains.json). */
export const TOOLCHAINS = shared.TOOLCHAINS;

export const ROOT = path.resolve(__dirname, "..", "..");

/** Result of a command: exit code and the interleaved stdout + stderr. */
export interface Ran {
  code: number;
  out: string;
}

/** A consumer project folder with its environment. */
export interface Consumer {
  dir: string;
  env: Record<string, string>;
  /** Runs a bash script (`set -euo pipefail`) in the project folder. */
  sh(script: string, extraEnv?: Record<string, string>): Promise<Ran>;
  cleanup(): void;
}

/** Packs the repository (already built by `npm run build`) into `dest`; returns the tarball's path. */
export function packRepository(dest: string): string {
  const r = spawnSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dest], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  const [info] = JSON.parse(r.stdout) as { filename: string }[];
  return path.join(dest, info.filename);
}

/** Runs `bash -c script` in `cwd`; resolves with its exit code and output (never rejects on exit codes). */
export function bash(
  script: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", `set -euo pipefail\n${script}`], {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      reject(new Error(`timed out after ${timeoutMs} ms running:\n${script}\noutput so far:\n${out}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

/** A fresh consumer folder on the newest supported Node.js and Pulumi CLI. */
export function newConsumer(label: string): Consumer {
  const want = TOOLCHAINS.newest;
  const nodeBin = shared.ensureNode(want.node);
  const pulumiBin = shared.ensurePulumi(want.pulumiCli);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `consumer-${label}-`));
  const dir = path.join(base, "redis-infra");
  const home = path.join(base, "home");
  fs.mkdirSync(dir);
  fs.mkdirSync(home);
  fs.mkdirSync(path.join(base, "state"));
  // The machine's environment (certificates, locale, proxies) minus what this repository's run adds:
  // npm's script variables, Pulumi settings, cloud credentials and endpoints.
  const inherited = Object.entries(process.env).filter(
    ([k]) =>
      !/^(npm_|PULUMI_|KAKAOCLOUD_|ALIBABA_CLOUD_|ALICLOUD_|HW_|NODE_PATH$|NODE_OPTIONS$|INIT_CWD$)/.test(k),
  );
  const env: Record<string, string> = {
    ...(Object.fromEntries(inherited) as Record<string, string>),
    PATH: `${pulumiBin}:${nodeBin}:${process.env.PATH}`,
    HOME: home,
    // The one thing shared with the machine's user: the npm cache (the registry is still asked).
    npm_config_cache: process.env.npm_config_cache || path.join(os.homedir(), ".npm"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    // `pulumi login --local` means file://~ with ~ from the user database (not $HOME): these keep the
    // consumer's Pulumi home and stacks in its temporary folder (the environment wins over a login).
    PULUMI_HOME: path.join(home, ".pulumi"),
    PULUMI_BACKEND_URL: `file://${path.join(base, "state")}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // The CLI built here cannot download plugins; dynamic resources need none.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  return {
    dir,
    env,
    sh: (script, extraEnv) => bash(script, dir, { ...env, ...extraEnv }, 420_000),
    cleanup: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}

/** Every version of `name` in the consumer's installed tree (`npm ls --all`). */
export function installedVersions(c: Consumer, name: string): string[] {
  const r = spawnSync("npm", ["ls", name, "--all", "--json"], { cwd: c.dir, env: c.env, encoding: "utf8" });
  const versions = new Set<string>();
  type Tree = { version?: string; dependencies?: Record<string, Tree> };
  const walk = (deps: Record<string, Tree> | undefined) => {
    for (const [n, d] of Object.entries(deps ?? {})) {
      if (n === name && d.version) versions.add(d.version);
      walk(d.dependencies);
    }
  };
  walk((JSON.parse(r.stdout || "{}") as Tree).dependencies);
  return [...versions];
}

/** What `/_emulator/counters` answers. */
export interface EmulatorCounters {
  requests: Record<string, number>;
  created: Record<string, number>;
  live: Record<string, number>;
}

/** An emulator started by a README command line, with the `export` lines it printed. */
export interface RunningEmulator {
  url: string;
  exports: string;
  /** `/_emulator/counters`: requests by operation, resources ever created and still live, by cloud. */
  counters(): Promise<EmulatorCounters>;
  stop(): void;
}

/** Starts `command` (the README's emulator line) in the consumer folder and waits for its exports. */
export function startEmulatorCommand(c: Consumer, command: string): Promise<RunningEmulator> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn("bash", ["-c", command], {
      cwd: c.dir,
      env: c.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const stop = () => {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the emulator printed no export lines within 120 s:\n${out}`));
    }, 120_000);
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      // "admin: http://127.0.0.1:PORT/_emulator/state": the admin API answers on every cloud's port.
      const url = /admin: (http:\/\/[^\s/]+)\/_emulator\//.exec(out)?.[1];
      if (!url || !/^export HW_ACCESS_KEY=.*$/m.test(out)) return;
      clearTimeout(timer);
      resolve({
        url,
        exports: out
          .split("\n")
          .filter((l) => l.startsWith("export "))
          .join("\n"),
        counters: async () => (await (await fetch(`${url}/_emulator/counters`)).json()) as EmulatorCounters,
        stop,
      });
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${code}) before printing its exports:\n${out}`));
    });
  });
}

/** A consumer project built from the README's blocks, with the README's emulator running. */
export interface ReadmeProject {
  c: Consumer;
  emu: RunningEmulator;
  /** Stops the emulator and removes the project and the packed tarball. */
  cleanup(): void;
}

/**
 * Packs the repository, writes the README's `packageBlock` (its `pulumi-managed-redis` dependency
 * pointed at the tarball) and each of `files` (file name → README block) into a new consumer
 * folder, runs the README's install block and starts the emulator with the README's command.
 */
export async function readmeProject(
  label: string,
  blocks: Map<string, ReadmeBlock>,
  opts: { packageBlock: string; files: Record<string, string> },
): Promise<ReadmeProject> {
  const text = (name: string) => block(blocks, name);
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-pack-"));
  const c = newConsumer(label);
  let emu: RunningEmulator | undefined;
  const cleanup = () => {
    emu?.stop();
    c.cleanup();
    fs.rmSync(packDir, { recursive: true, force: true });
  };
  try {
    const pkg = JSON.parse(text(opts.packageBlock));
    if (pkg.dependencies?.["pulumi-managed-redis"] === undefined)
      throw new Error(`README block ${opts.packageBlock} does not depend on pulumi-managed-redis`);
    pkg.dependencies["pulumi-managed-redis"] = `file:${packRepository(packDir)}`;
    fs.writeFileSync(path.join(c.dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
    for (const [file, name] of Object.entries(opts.files))
      fs.writeFileSync(path.join(c.dir, file), text(name));
    const install = await c.sh(text("consumer/install"));
    if (install.code !== 0) throw new Error(`the README's install block failed:\n${install.out}`);
    emu = await startEmulatorCommand(c, text("emulator").trim());
    return { c, emu, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}
