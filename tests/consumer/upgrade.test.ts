/**
 * An upgrade from the consumer's seat: a stack written by the previous version keeps working with
 * this one. A fresh project installs the previous version's packed tarball (built from git at
 * {@link PREVIOUS}, cached by commit), runs `pulumi up` on a program with all six resources (the
 * demo's, plus a stack output of every output each class of the previous version declares), then
 * installs this worktree's tarball in the same project and runs what a user runs after upgrading:
 * `pulumi refresh` leaving every resource's state as the previous version's own refresh wrote it,
 * `pulumi preview` and `pulumi up` with no change and the same outputs, a real change (a new cluster description) as an in-place update of the cluster alone,
 * and `pulumi destroy`, after which the emulator holds nothing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  newConsumer,
  packRepository,
  ROOT,
  startEmulatorCommand,
  type Consumer,
  type RunningEmulator,
} from "../helpers/consumer";
import { previousTarball, type PreviousTarball } from "../helpers/previous";
import { block, readmeBlocks } from "../helpers/readme";

/**
 * The version whose stacks must keep working: move it forward to the last released (or landed)
 * version whenever one is, so that the test checks the upgrade users actually make.
 */
const PREVIOUS = "de010f1";

jest.setTimeout(900_000);

const blocks = readmeBlocks(path.join(ROOT, "README.md"));
const PASSPHRASE = "export PULUMI_CONFIG_PASSPHRASE=choose-one";
const INSTALLED = path.join("node_modules", "pulumi-managed-redis");

/** The demo program's resource variables and the class declaration file of each (`lib/provider/`). */
const RESOURCES: Record<string, string> = {
  cluster: "kakaocloud/cluster.resource.d.ts",
  shard: "kakaocloud/shard.resource.d.ts",
  replica: "kakaocloud/replica.resource.d.ts",
  tairSsl: "alicloud/instance-ssl.resource.d.ts",
  tairDirect: "alicloud/direct-connection.resource.d.ts",
  dcsSsl: "huaweicloud/dcs-instance-ssl.resource.d.ts",
};

let previous: PreviousTarball;
let packDir: string;
let current: string;
let c: Consumer;
let emu: RunningEmulator;
const timings: [string, number][] = [];

/** Runs `script` with the emulator's exports and the passphrase; throws with the output on failure. */
async function pulumi(what: string, script: string): Promise<string> {
  const started = Date.now();
  const r = await c.sh(`${emu.exports}\n${PASSPHRASE}\n${script}`);
  timings.push([what, Date.now() - started]);
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}):\n${r.out}`);
  return r.out;
}

/** The files of `tarball`'s `lib/` that differ from `dir` (`diff -rq`; empty when they are the same). */
function libDiffers(tarball: string, dir: string): string {
  const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), "upgrade-unpacked-"));
  try {
    spawnSync("tar", ["-xzf", tarball, "-C", unpacked]);
    return spawnSync("diff", ["-rq", path.join(unpacked, "package", "lib"), dir], { encoding: "utf8" })
      .stdout;
  } finally {
    fs.rmSync(unpacked, { recursive: true, force: true });
  }
}

/** Points the project's dependency at `tarball` and runs the README's install block. */
async function install(label: string, tarball: string): Promise<void> {
  const pkg = JSON.parse(block(blocks, "consumer/package.json"));
  pkg.dependencies["pulumi-managed-redis"] = `file:${tarball}`;
  fs.writeFileSync(path.join(c.dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  const started = Date.now();
  const r = await c.sh(block(blocks, "consumer/install"));
  timings.push([`install ${label}`, Date.now() - started]);
  if (r.code !== 0) throw new Error(`npm install of ${tarball} failed:\n${r.out}`);
}

/**
 * The demo program (all six resources) and a stack output `declared` holding, for each resource,
 * every output its class declares in the installed (previous) version: what a program written
 * against that version can read.
 */
function program(): string {
  const lines = Object.entries(RESOURCES).map(([name, file]) => {
    const dts = fs.readFileSync(path.join(c.dir, INSTALLED, "lib", "provider", file), "utf8");
    const outputs = [...dts.matchAll(/^\s+readonly (\w+): pulumi\.Output</gm)].map((m) => m[1]);
    expect(outputs.length).toBeGreaterThan(1);
    return `  ${name}: pick(${name}, ${JSON.stringify(["id", ...outputs])}),`;
  });
  return [
    fs.readFileSync(path.join(ROOT, "examples", "demo", "index.ts"), "utf8"),
    "// Every declared output of every resource, as this program reads it (absent: not declared).",
    "const pick = (r: object, names: string[]) =>",
    '  pulumi.output(Object.fromEntries(names.map((n) => [n, (r as Record<string, unknown>)[n] ?? "(absent)"])));',
    "export const declared = {",
    ...lines,
    "};",
    "",
  ].join("\n");
}

/** The stack outputs with their secrets. */
async function stackOutputs(): Promise<Record<string, unknown>> {
  await pulumi("stack output", "pulumi stack output --json --show-secrets > outputs.json");
  return JSON.parse(fs.readFileSync(path.join(c.dir, "outputs.json"), "utf8"));
}

/** Each resource's inputs and outputs in the stack's state, by URN (`pulumi stack export`, secrets shown). */
async function resourceStates(): Promise<Record<string, unknown>> {
  await pulumi("stack export", "pulumi stack export --show-secrets --file state.json");
  const state = JSON.parse(fs.readFileSync(path.join(c.dir, "state.json"), "utf8")) as {
    deployment: { resources: { urn: string; inputs?: unknown; outputs?: unknown }[] };
  };
  return Object.fromEntries(
    state.deployment.resources.map((r) => [r.urn, { inputs: r.inputs, outputs: r.outputs }]),
  );
}

/** The emulator's request log (`/_emulator/requests`). */
async function requestLog(): Promise<{ cloud: string; op?: string; method: string; mutating: boolean }[]> {
  return (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as Awaited<
    ReturnType<typeof requestLog>
  >;
}

/** The operations that change something (a token is not a change) logged since entry `from`. */
async function mutationsSince(from: number): Promise<string[]> {
  return (await requestLog())
    .slice(from)
    .filter((r) => r.mutating && r.op !== "issueToken")
    .map((r) => `${r.cloud}:${r.op ?? r.method}`);
}

beforeAll(async () => {
  let started = Date.now();
  previous = previousTarball(PREVIOUS);
  timings.push([
    previous.builtMs ? "build previous (npm ci + pack)" : "previous (cached)",
    Date.now() - started,
  ]);
  started = Date.now();
  packDir = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-pack-"));
  current = packRepository(packDir);
  timings.push(["pack current", Date.now() - started]);
  c = newConsumer("upgrade");
  fs.writeFileSync(path.join(c.dir, "Pulumi.yaml"), block(blocks, "consumer/Pulumi.yaml"));
  fs.writeFileSync(path.join(c.dir, "tsconfig.json"), block(blocks, "consumer/tsconfig.json"));
  await install("previous", previous.tarball);
  fs.writeFileSync(path.join(c.dir, "index.ts"), program());
  // One emulator (the clouds) for both versions, from this repository: it outlives the upgrade.
  emu = await startEmulatorCommand(
    c,
    `node ${path.join(ROOT, "lib", "emulator", "cli.js")} emulator --settle-ms 500`,
  );
});

afterAll(() => {
  emu?.stop();
  c?.cleanup();
  if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
  const total = timings.reduce((s, [, ms]) => s + ms, 0);
  console.log(
    `upgrade from ${previous?.commit.slice(0, 7)}: ${(total / 1000).toFixed(0)} s\n` +
      timings.map(([what, ms]) => `  ${what}: ${(ms / 1000).toFixed(1)} s`).join("\n"),
  );
});

describe(`a stack written by ${PREVIOUS}, upgraded to this version`, () => {
  let before: Record<string, unknown>;
  let states: Record<string, unknown>;

  it("is written by the previous version: pulumi up creates all six resources, a refresh brings them up to date", async () => {
    // The install is the previous version's, and that version's code is not this one's.
    expect(libDiffers(previous.tarball, path.join(c.dir, INSTALLED, "lib"))).toBe("");
    expect(libDiffers(previous.tarball, path.join(ROOT, "lib"))).not.toBe("");
    await pulumi("up (previous)", "pulumi login --local\npulumi stack init dev\npulumi up --yes");
    // The cluster's outputs were read before its extra shard and replica existed: a refresh and an up
    // with the previous version bring the state and the stack outputs up to date first, so that what
    // follows compares the versions, not the moments.
    await pulumi("refresh + up (previous)", "pulumi refresh --yes\npulumi up --yes");
    const live = (await emu.counters()).live;
    expect(live).toMatchObject({
      "kakaocloud:cluster": 1,
      "kakaocloud:shard": 1,
      "kakaocloud:replica": 1,
      "alicloud:sslEnabled": 1,
      "alicloud:directConnection": 1,
      "huaweicloud:sslEnabled": 1,
    });
    before = await stackOutputs();
    states = await resourceStates();
    expect(before.kakaoClusterStatus).toBe("Running");
  });

  it("installs this version in the same project", async () => {
    await install("current", current);
    expect(libDiffers(current, path.join(c.dir, INSTALLED, "lib"))).toBe("");
  });

  it("refreshes the old state with no change and previews no change, without a call that mutates", async () => {
    const from = (await requestLog()).length;
    await pulumi("refresh --expect-no-changes", "pulumi refresh --yes --expect-no-changes");
    // --expect-no-changes does not count a change of outputs alone: every resource's state (the
    // provider's text included) must be what the previous version's own refresh wrote.
    expect(await resourceStates()).toEqual(states);
    await pulumi("preview --expect-no-changes", "pulumi preview --expect-no-changes");
    expect(await mutationsSince(from)).toEqual([]);
  });

  it("runs pulumi up with no change, and the program reads every output it read before", async () => {
    await pulumi("up --expect-no-changes", "pulumi up --yes --expect-no-changes");
    expect(await stackOutputs()).toEqual(before);
  });

  it("previews a new cluster description as an in-place update of the cluster alone, and applies it", async () => {
    await pulumi(
      "preview a description",
      'pulumi config set kakaoDescription "after the upgrade"\npulumi preview --json > preview.json',
    );
    type State = { inputs?: Record<string, unknown> };
    const preview = JSON.parse(fs.readFileSync(path.join(c.dir, "preview.json"), "utf8")) as {
      steps: { op: string; urn: string; oldState?: State; newState?: State }[];
    };
    // The dynamic provider's diff names no properties (diffReasons is empty): compare the inputs.
    const changedInputs = ({ oldState, newState }: { oldState?: State; newState?: State }) => {
      const [olds, news] = [oldState?.inputs ?? {}, newState?.inputs ?? {}];
      return [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
        (k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
      );
    };
    const changed = preview.steps.filter((s) => s.op !== "same");
    expect(changed.map((s) => [s.op, s.urn.split("::").pop(), changedInputs(s)])).toEqual([
      ["update", "cache", ["description"]],
    ]);
    const from = (await requestLog()).length;
    await pulumi("up a description", "pulumi up --yes");
    expect(await mutationsSince(from)).toEqual(["kakaocloud:updateCluster"]);
    const state = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as {
      kakaocloud: { clusters: { description: string }[] };
    };
    expect(state.kakaocloud.clusters.map((cl) => cl.description)).toEqual(["after the upgrade"]);
  });

  it("destroys everything: the emulator holds nothing", async () => {
    await pulumi("destroy", "pulumi destroy --yes");
    const live = (await emu.counters()).live;
    expect(Object.entries(live).filter(([, n]) => n !== 0)).toEqual([]);
  });
});
