/**
 * The Automation API from the consumer's seat: the packed package installed in a fresh project beside
 * the newest `@pulumi/pulumi`, driven by the README's "Automation API" blocks as written: an inline
 * program without `workDir` in two stacks at once (up, refresh, a preview with no change, destroy;
 * a KakaoCloud cluster in each, DCS SSL in one), the same program run from a working directory that
 * does not hold the package, and a local program (`workDir`) with the policy pack from node_modules
 * on a compliant and a violating program.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ROOT,
  type Consumer,
  type EmulatorCounters,
  type RunningEmulator,
  readmeProject,
  type ReadmeProject,
} from "../helpers/consumer";
import { block, readmeBlocks } from "../helpers/readme";

jest.setTimeout(1_200_000);

const blocks = readmeBlocks(path.join(ROOT, "README.md"));
const PROGRAMS = path.join(__dirname, "programs");

let project: ReadmeProject;
let c: Consumer;
let emu: RunningEmulator;

beforeAll(async () => {
  project = await readmeProject("automation", blocks, {
    packageBlock: "consumer/package.json",
    files: {
      "Pulumi.yaml": "consumer/Pulumi.yaml",
      "tsconfig.json": "consumer/tsconfig.json",
      "redis.js": "automation/redis.js",
      "deploy.js": "automation/deploy.js",
      "local.js": "automation/local.js",
    },
  });
  ({ c, emu } = project);
});

afterAll(() => project?.cleanup());

/** Runs `script` in `cwd` (default: the project) with the emulator's exports; counts what it did. */
async function run(script: string, cwd?: string) {
  const before = await emu.counters();
  // The most KakaoCloud clusters alive at once while the script runs (two stacks in parallel: 2).
  let peakClusters = 0;
  let running = true;
  const sampling = (async () => {
    while (running) {
      peakClusters = Math.max(peakClusters, (await emu.counters()).live["kakaocloud:cluster"] ?? 0);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const res = await c.sh(`${cwd ? `cd ${cwd}\n` : ""}${emu.exports}\n${script}`);
  running = false;
  await sampling;
  const after = await emu.counters();
  const delta = (k: keyof EmulatorCounters, key: string) => (after[k][key] ?? 0) - (before[k][key] ?? 0);
  return { ...res, delta, after, peakClusters };
}

describe("the README's Automation API blocks, as written", () => {
  it("runs the inline program in two stacks at once, without workDir: up, refresh, preview with no change, destroy", async () => {
    const r = await run(block(blocks, "automation/run"));
    if (r.code !== 0) throw new Error(`node deploy.js failed:\n${r.out}`);
    expect(r.out).toMatch(/^dev: succeeded, cluster \S+$/m);
    expect(r.out).toMatch(/^staging: succeeded, cluster \S+$/m);
    expect(r.out).toMatch(/^dev: destroyed$/m);
    expect(r.out).toMatch(/^staging: destroyed$/m);
    expect(r.delta("created", "kakaocloud:cluster")).toBe(2);
    expect(r.peakClusters).toBe(2); // both stacks' clusters were up at the same time
    expect(r.delta("created", "huaweicloud:sslJob")).toBe(2); // on at up, off at destroy
    expect(r.after.live["kakaocloud:cluster"]).toBe(0);
    expect(r.after.live["huaweicloud:sslEnabled"]).toBe(0);
  });

  it("runs the inline program from a working directory without pulumi-managed-redis (a service's folder)", async () => {
    // The service's folder resolves @pulumi/pulumi (which runs every dynamic provider), not this
    // package: the providers load the copy the program loaded.
    const service = path.join(path.dirname(c.dir), "service");
    fs.mkdirSync(path.join(service, "node_modules"), { recursive: true });
    fs.symlinkSync(
      path.join(c.dir, "node_modules", "@pulumi"),
      path.join(service, "node_modules", "@pulumi"),
    );
    fs.writeFileSync(
      path.join(c.dir, "one-stack.js"),
      [
        'const { LocalWorkspace } = require("@pulumi/pulumi/automation");',
        'const redis = require("./redis");',
        "(async () => {",
        '  const stack = await LocalWorkspace.createOrSelectStack({ stackName: "service", projectName: "redis-infra", program: redis });',
        '  await stack.setConfig("redisPassword", { value: "demo-encrypted-password", secret: true });',
        "  console.log(`up: ${(await stack.up()).summary.result}`);",
        "  console.log(`destroy: ${(await stack.destroy()).summary.result}`);",
        "})().catch((err) => { console.error(err.message); process.exitCode = 1; });",
        "",
      ].join("\n"),
    );
    const r = await run(`export PULUMI_CONFIG_PASSPHRASE=choose-one\nnode ${c.dir}/one-stack.js`, service);
    expect(r.out).not.toMatch(/Cannot find module/);
    if (r.code !== 0) throw new Error(`one-stack.js failed from ${service}:\n${r.out}`);
    expect(r.out).toMatch(/^up: succeeded$/m);
    expect(r.out).toMatch(/^destroy: succeeded$/m);
    expect(r.delta("created", "kakaocloud:cluster")).toBe(1);
    expect(r.after.live["kakaocloud:cluster"]).toBe(0);
  });

  it("runs the local program (workDir) with the policy pack from node_modules", async () => {
    fs.writeFileSync(path.join(c.dir, "index.ts"), block(blocks, "program/dcs"));
    fs.writeFileSync(path.join(c.dir, "redis-policy.json"), block(blocks, "policy/redis-policy.json"));
    const script = `export PULUMI_CONFIG_PASSPHRASE=choose-one\n${block(blocks, "automation/local")}`;
    const ok = await run(script);
    if (ok.code !== 0) throw new Error(`node local.js failed:\n${ok.out}`);
    expect(ok.out).toMatch(/^ci: succeeded, 2 created$/m); // the stack and the DcsInstanceSSL
    expect(ok.delta("created", "huaweicloud:sslJob")).toBe(2);
    expect(ok.after.live["huaweicloud:sslEnabled"]).toBe(0);

    // A violation of a mandatory policy fails the preview, before anything is created.
    fs.writeFileSync(path.join(c.dir, "index.ts"), fs.readFileSync(path.join(PROGRAMS, "tair-violation.ts")));
    const bad = await run(script);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/mandatory[^\n]*tair-ssl-direct-connection-exclusive/);
    expect(bad.delta("requests", "alicloud:AllocateDirectConnection")).toBe(0);
    expect(bad.delta("requests", "alicloud:ModifyInstanceSSL")).toBe(0);
  });
});
