/**
 * The consumer's seat: `npm pack`, then fresh projects outside the repository that install the
 * tarball beside the newest `@pulumi/pulumi` on the newest supported Node.js and Pulumi CLI, and run
 * the README's marked blocks (`<!-- readme-test: NAME -->`) as written: the project files, the
 * emulator command, the install and deploy walkthrough (up, refresh, preview --expect-no-changes,
 * destroy) for each resource snippet, and the policy pack from node_modules on a compliant and a
 * violating program, in a TypeScript project and in one without TypeScript.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  installedVersions,
  newConsumer,
  packRepository,
  ROOT,
  startEmulatorCommand,
  TOOLCHAINS,
  type Consumer,
  type EmulatorCounters,
  type RunningEmulator,
} from "../helpers/consumer";
import { block, readmeBlocks } from "../helpers/readme";

jest.setTimeout(1_800_000);

const README = path.join(ROOT, "README.md");
const blocks = readmeBlocks(README);
const PROGRAMS = path.join(__dirname, "programs");

let packDir: string;
let tarball: string;

beforeAll(() => {
  packDir = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-pack-"));
  tarball = packRepository(packDir);
});
afterAll(() => fs.rmSync(packDir, { recursive: true, force: true }));

/** The README's package.json with the packed tarball in place of the registry's version. */
function consumerPackageJson(withTypeScript: boolean): string {
  const pkg = JSON.parse(block(blocks, "consumer/package.json"));
  expect(pkg.dependencies["pulumi-managed-redis"]).toBeDefined();
  pkg.dependencies["pulumi-managed-redis"] = `file:${tarball}`;
  if (!withTypeScript) delete pkg.devDependencies.typescript; // "without it, write index.js"
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** `a` >= `b` for x.y.z versions. */
function atLeast(a: string, b: string): boolean {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return true;
}

/** Creates the consumer, writes the README's project files, runs its install block, starts its emulator. */
async function setUp(label: string, withTypeScript: boolean): Promise<[Consumer, RunningEmulator]> {
  const c = newConsumer(label);
  fs.writeFileSync(path.join(c.dir, "package.json"), consumerPackageJson(withTypeScript));
  fs.writeFileSync(path.join(c.dir, "Pulumi.yaml"), block(blocks, "consumer/Pulumi.yaml"));
  if (withTypeScript)
    fs.writeFileSync(path.join(c.dir, "tsconfig.json"), block(blocks, "consumer/tsconfig.json"));
  const install = await c.sh(block(blocks, "consumer/install"));
  if (install.code !== 0) throw new Error(`the README's install block failed:\n${install.out}`);
  const emu = await startEmulatorCommand(c, block(blocks, "emulator").trim());
  return [c, emu];
}

/** Runs the README's deploy walkthrough on `program` (file name, content); returns the emulator's counter deltas. */
async function deploy(c: Consumer, emu: RunningEmulator, file: string, program: string) {
  fs.writeFileSync(path.join(c.dir, file), program);
  const before = await emu.counters();
  const run = await c.sh(`${emu.exports}\n${block(blocks, "consumer/deploy")}`);
  if (run.code !== 0) throw new Error(`the README's deploy block failed on ${file}:\n${run.out}`);
  const after = await emu.counters();
  const delta = (k: keyof EmulatorCounters, key: string) => (after[k][key] ?? 0) - (before[k][key] ?? 0);
  return { out: run.out, delta, after };
}

/** Runs the README's policy preview block on `program` in a fresh `dev` stack. */
async function policyPreview(c: Consumer, emu: RunningEmulator, file: string, program: string) {
  fs.writeFileSync(path.join(c.dir, file), program);
  fs.writeFileSync(path.join(c.dir, "redis-policy.json"), block(blocks, "policy/redis-policy.json"));
  const setup = await c.sh(
    "export PULUMI_CONFIG_PASSPHRASE=choose-one\npulumi login --local\n" +
      "pulumi stack select --create dev\npulumi config set --secret redisPassword demo-encrypted-password",
  );
  if (setup.code !== 0) throw new Error(`stack setup failed:\n${setup.out}`);
  const before = (await emu.counters()).requests;
  const run = await c.sh(
    `${emu.exports}\nexport PULUMI_CONFIG_PASSPHRASE=choose-one\n${block(blocks, "policy/preview")}`,
  );
  // A preview creates nothing: no mutating call reached the emulator.
  const after = (await emu.counters()).requests;
  const mutating = Object.keys(after).filter(
    (k) => (after[k] ?? 0) !== (before[k] ?? 0) && /create|add|Modify|Allocate|Release|delete|PUT/.test(k),
  );
  expect(mutating).toEqual([]);
  return run;
}

describe("the packed package as npm users read and install it", () => {
  it("links only to absolute addresses in the README (relative links are dead on npm)", () => {
    const text = fs.readFileSync(README, "utf8");
    const relative = [...text.matchAll(/\]\(([^)]+)\)/g)]
      .map((m) => m[1])
      .filter((u) => !/^(https?:\/\/|#)/.test(u));
    expect(relative).toEqual([]);
  });

  it("ships the compiled policy pack, without TypeScript configuration or install-time scripts", () => {
    const list = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" }).stdout.split("\n");
    expect(list).toEqual(
      expect.arrayContaining([
        "package/policies/pack.js",
        "package/policies/PulumiPolicy.yaml",
        "package/policies/package.json",
        "package/policies/bin/policies/index.js",
        "package/policies/bin/policies/src/index.js",
        "package/policies/bin/policies/src/index.d.ts",
        "package/lib/provider/index.js",
        "package/lib/emulator/cli.js",
      ]),
    );
    expect(list.filter((f) => /tsconfig|\.ts$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
    const pkg = JSON.parse(
      spawnSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }).stdout,
    ) as { scripts: Record<string, string>; repository?: unknown; homepage?: string; bugs?: unknown };
    for (const hook of ["prepare", "preinstall", "install", "postinstall"])
      expect(pkg.scripts[hook]).toBeUndefined();
    expect(pkg.repository).toBeDefined();
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs).toBeDefined();
  });
});

describe(`a TypeScript consumer on Node ${TOOLCHAINS.newest.node} with the newest @pulumi/pulumi`, () => {
  let c: Consumer;
  let emu: RunningEmulator;
  beforeAll(async () => {
    [c, emu] = await setUp("ts", true);
  });
  afterAll(() => {
    emu?.stop();
    c?.cleanup();
  });

  it("has one copy of @pulumi/pulumi, at least the newest tested version", () => {
    const versions = installedVersions(c, "@pulumi/pulumi");
    expect(versions).toHaveLength(1);
    expect(atLeast(versions[0], TOOLCHAINS.newest.pulumiSdk)).toBe(true);
    expect(fs.existsSync(path.join(c.dir, "node_modules", "pulumi-managed-redis", "node_modules"))).toBe(
      false,
    );
  });

  it("deploys the README's KakaoCloud snippet: up, refresh, preview --expect-no-changes, destroy", async () => {
    const { out, delta, after } = await deploy(c, emu, "index.ts", block(blocks, "program/kakao"));
    expect(out).toMatch(/clusterId\s*:\s*"[^"]+"/); // the stack output after `pulumi up`
    expect(delta("created", "kakaocloud:cluster")).toBe(1);
    expect(delta("created", "kakaocloud:shard")).toBe(1);
    expect(delta("created", "kakaocloud:replica")).toBe(1);
    expect(after.live["kakaocloud:cluster"]).toBe(0);
    // The snippet names its flavor and version line: the lookups asked the emulator's catalog.
    expect(delta("requests", "kakaocloud:listFlavors")).toBeGreaterThan(0);
    expect(delta("requests", "kakaocloud:listVersions")).toBeGreaterThan(0);
  });

  it("deploys the README's Tair snippet: SSL on one instance, a direct connection on another", async () => {
    const { delta } = await deploy(c, emu, "index.ts", block(blocks, "program/tair"));
    expect(delta("requests", "alicloud:AllocateDirectConnection")).toBe(1);
    expect(delta("requests", "alicloud:ReleaseDirectConnection")).toBe(1);
    expect(delta("requests", "alicloud:ModifyInstanceSSL")).toBe(2); // on at up, off at destroy
  });

  it("deploys the README's DCS snippet", async () => {
    const { delta, after } = await deploy(c, emu, "index.ts", block(blocks, "program/dcs"));
    expect(delta("created", "huaweicloud:sslJob")).toBe(2); // on at up, off at destroy
    expect(after.live["huaweicloud:sslEnabled"]).toBe(0);
  });

  it("runs the policy pack from node_modules: the KakaoCloud snippet passes, an SSL + direct connection fails", async () => {
    const ok = await policyPreview(c, emu, "index.ts", block(blocks, "program/kakao"));
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Policies:[\s\S]*managed-redis@v0\.1\.0/);
    expect(ok.out).not.toMatch(/\[mandatory\]/);
    const bad = await policyPreview(
      c,
      emu,
      "index.ts",
      fs.readFileSync(path.join(PROGRAMS, "tair-violation.ts"), "utf8"),
    );
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/\[mandatory\][^\n]*tair-ssl-direct-connection-exclusive/);
  });
});

describe(`a JavaScript consumer without TypeScript on Node ${TOOLCHAINS.newest.node}`, () => {
  let c: Consumer;
  let emu: RunningEmulator;
  beforeAll(async () => {
    [c, emu] = await setUp("js", false);
  });
  afterAll(() => {
    emu?.stop();
    c?.cleanup();
  });

  it("has no TypeScript and one copy of @pulumi/pulumi", () => {
    expect(fs.existsSync(path.join(c.dir, "node_modules", "typescript"))).toBe(false);
    expect(installedVersions(c, "@pulumi/pulumi")).toHaveLength(1);
  });

  it("deploys the README's index.js", async () => {
    const { delta, after } = await deploy(c, emu, "index.js", block(blocks, "consumer/index.js"));
    expect(delta("created", "huaweicloud:sslJob")).toBe(2);
    expect(after.live["huaweicloud:sslEnabled"]).toBe(0);
  });

  it("runs the policy pack from node_modules: index.js passes, an SSL + direct connection fails", async () => {
    const ok = await policyPreview(c, emu, "index.js", block(blocks, "consumer/index.js"));
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Policies:[\s\S]*managed-redis@v0\.1\.0/);
    const bad = await policyPreview(
      c,
      emu,
      "index.js",
      fs.readFileSync(path.join(PROGRAMS, "tair-violation.js"), "utf8"),
    );
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/\[mandatory\][^\n]*tair-ssl-direct-connection-exclusive/);
  });

  it('loads require("pulumi-managed-redis/policies") with its six policies', async () => {
    const run = await c.sh(
      `node -e 'const { allPolicies } = require("pulumi-managed-redis/policies"); ` +
        `console.log(process.version, allPolicies.map((p) => p.name).join(","))'`,
    );
    expect(run.code).toBe(0);
    expect(run.out.trim()).toBe(
      `v${TOOLCHAINS.newest.node} tair-ssl-direct-connection-exclusive,kakao-shard-count,` +
        "redis-encryption-in-transit,redis-replicas-per-shard,redis-allowed-versions,redis-backup-retention",
    );
  });
});
