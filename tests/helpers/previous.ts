/**
 * The package as a previous version shipped it: the tarball `npm pack` makes from a commit of this
 * repository, built once per commit and cached, so that a test can write a stack with the old code
 * and run the current code on it (tests/consumer/upgrade.test.ts).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "./consumer";

/** Where packed previous versions are kept: one folder per full commit hash. */
export const PREVIOUS_CACHE = path.join(os.homedir(), ".cache", "pulumi-managed-redis", "previous");

/** Runs a command and throws with its output when it fails; returns stdout. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd} (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** What {@link previousTarball} returns. */
export interface PreviousTarball {
  /** The full commit hash the tarball was packed from. */
  commit: string;
  /** The tarball's absolute path (in {@link PREVIOUS_CACHE}). */
  tarball: string;
  /** Milliseconds spent building it now; 0 when it came from the cache. */
  builtMs: number;
}

/**
 * The packed package at `commit` (any name `git rev-parse` takes): from the cache, else built from
 * `git archive` in a temporary folder (`npm ci`, then `npm pack`, whose `prepack` builds) and moved
 * into the cache in one rename, so a concurrent or interrupted build never leaves half a tarball.
 * A clone without the commit (a shallow one) first fetches its history from its origin; throws when
 * it still lacks the commit.
 */
export function previousTarball(commit: string): PreviousTarball {
  const revParse = () =>
    spawnSync("git", ["rev-parse", "--verify", `${commit}^{commit}`], { cwd: ROOT, encoding: "utf8" });
  let resolved = revParse();
  if (resolved.status !== 0) {
    // A shallow clone (CI may make one): fetch the history from where the clone came from, once.
    const shallow = fs.existsSync(path.join(ROOT, ".git", "shallow"));
    spawnSync("git", shallow ? ["fetch", "--quiet", "--unshallow"] : ["fetch", "--quiet", "origin", commit], {
      cwd: ROOT,
      encoding: "utf8",
    });
    resolved = revParse();
  }
  if (resolved.status !== 0)
    throw new Error(
      `commit ${commit} is not in this clone (${resolved.stderr.trim()}); ` +
        "fetch its history (git fetch --unshallow) to build the previous version",
    );
  const full = resolved.stdout.trim();
  const dir = path.join(PREVIOUS_CACHE, full);
  const cached = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith(".tgz")) : undefined;
  if (cached) return { commit: full, tarball: path.join(dir, cached), builtMs: 0 };

  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `previous-${full.slice(0, 7)}-`));
  try {
    const src = path.join(work, "src");
    const out = path.join(work, "out");
    fs.mkdirSync(src);
    fs.mkdirSync(out);
    const archive = path.join(work, "src.tar");
    run("git", ["archive", "--output", archive, full], ROOT, process.env);
    run("tar", ["-xf", archive, "-C", src], work, process.env);
    // npm's own variables of the running test (its prefix, its cwd) must not steer this install.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(npm_(?!config_cache$)|INIT_CWD$)/.test(k)),
    );
    run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], src, env);
    const [info] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", out], src, env)) as {
      filename: string;
    }[];
    fs.mkdirSync(PREVIOUS_CACHE, { recursive: true });
    try {
      fs.renameSync(out, dir);
    } catch (err) {
      // Another run cached the same commit first: use its tarball.
      if (!fs.existsSync(path.join(dir, info.filename))) throw err;
    }
    return { commit: full, tarball: path.join(dir, info.filename), builtMs: Date.now() - started };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
