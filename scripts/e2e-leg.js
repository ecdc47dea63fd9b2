#!/usr/bin/env node
// Runs the end-to-end suite (tests/e2e, through the real engine against the emulator) on one end of
// the supported range of scripts/toolchains.json:
//
//   node scripts/e2e-leg.js newest   # Node 26, @pulumi/pulumi latest, Pulumi CLI v3.274.1
//   node scripts/e2e-leg.js oldest   # Node 22.12, @pulumi/pulumi 3.248.0, Pulumi CLI v3.248.0
//
// The repository's own node_modules holds the SDK of package-lock.json, so a leg runs in a copy of
// the repository's files (git ls-files: tracked and untracked, not ignored) under
// ${PULUMI_TOOLCHAIN_CACHE:-~/.cache/pulumi-managed-redis}/legs/<leg>/, where package.json pins
// @pulumi/pulumi to the leg's version and `npm install` resolves it (one copy: checked with npm ls).
// The copy's node_modules is kept between runs, so a warm run installs nothing. Node comes from
// scripts/ensure-node.sh, the CLI from scripts/ensure-pulumi.sh --version. Exits with jest's status.
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { TOOLCHAINS, ensureNode, ensurePulumi } = require("./pulumi-env");

const root = path.resolve(__dirname, "..");

function say(line) {
  process.stderr.write(`[e2e-leg] ${line}\n`);
}

/** Runs a command in `cwd` with `env`, output inherited; throws on a non-zero exit. */
function run(cmd, args, cwd, env) {
  say(`${path.relative(root, cwd) || "."}$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd, env, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
}

/** Replaces `dest` (all but its node_modules) by the repository's files. */
function syncCopy(dest) {
  fs.mkdirSync(dest, { recursive: true });
  for (const entry of fs.readdirSync(dest)) {
    if (entry !== "node_modules") fs.rmSync(path.join(dest, entry), { recursive: true, force: true });
  }
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f && fs.existsSync(path.join(root, f)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    fs.copyFileSync(path.join(root, f), path.join(dest, f));
    // Keep the mode: the plugin's launcher (bin/pulumi-resource-managed-redis) must stay executable.
    fs.chmodSync(path.join(dest, f), fs.statSync(path.join(root, f)).mode & 0o777);
  }
  return files.length;
}

/** Every version of `name` in the installed tree (npm ls --all). */
function installedVersions(dir, env, name) {
  const out = spawnSync("npm", ["ls", name, "--all", "--json"], { cwd: dir, env, encoding: "utf8" });
  const versions = new Set();
  const walk = (deps) => {
    for (const [n, d] of Object.entries(deps ?? {})) {
      if (n === name && d.version) versions.add(d.version);
      walk(d.dependencies);
    }
  };
  walk(JSON.parse(out.stdout || "{}").dependencies);
  return [...versions];
}

function main() {
  const leg = process.argv[2];
  const want = TOOLCHAINS[leg];
  if (!want?.pulumiCli) {
    const legs = Object.keys(TOOLCHAINS).filter((k) => TOOLCHAINS[k]?.pulumiCli);
    throw new Error(`usage: e2e-leg.js ${legs.join("|")}`);
  }
  const start = Date.now();
  const nodeBin = ensureNode(want.node);
  const pulumiBin = ensurePulumi(want.pulumiCli);
  const cacheRoot =
    process.env.PULUMI_TOOLCHAIN_CACHE || path.join(os.homedir(), ".cache", "pulumi-managed-redis");
  const dir = path.join(cacheRoot, "legs", leg);
  const env = { ...process.env, PATH: `${nodeBin}:${process.env.PATH}`, PULUMI_CLI_VERSION: want.pulumiCli };
  say(`copied ${syncCopy(dir)} files to ${dir}`);

  const pkgFile = path.join(dir, "package.json");
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
  pkg.dependencies["@pulumi/pulumi"] = want.pulumiSdk;
  fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
  run("npm", ["install", "--no-audit", "--no-fund"], dir, env);

  const nodeVersion = execFileSync("node", ["--version"], { env, encoding: "utf8" }).trim();
  const sdk = installedVersions(dir, env, "@pulumi/pulumi");
  const cli = execFileSync(path.join(pulumiBin, "pulumi"), ["version"], { env, encoding: "utf8" }).trim();
  say(`node ${nodeVersion}, @pulumi/pulumi ${sdk.join(" + ")}, pulumi ${cli}`);
  if (nodeVersion !== `v${want.node}`) throw new Error(`expected node v${want.node}, got ${nodeVersion}`);
  if (sdk.length !== 1 || sdk[0] !== want.pulumiSdk)
    throw new Error(`expected one @pulumi/pulumi ${want.pulumiSdk}, got ${sdk.join(", ") || "none"}`);
  if (cli !== `v${want.pulumiCli}`) throw new Error(`expected pulumi v${want.pulumiCli}, got ${cli}`);

  run("npm", ["run", "build"], dir, env);
  const jest = spawnSync(
    "node",
    [path.join(dir, "node_modules", "jest", "bin", "jest.js"), "--runInBand", "tests/e2e"],
    {
      cwd: dir,
      env,
      stdio: "inherit",
    },
  );
  say(`${leg} leg: jest exited with ${jest.status} after ${Math.round((Date.now() - start) / 1000)} s`);
  process.exitCode = jest.status ?? 1;
}

try {
  main();
} catch (err) {
  say(`FAILED: ${err.message}`);
  process.exitCode = 1;
}
