/**
 * The README's "Pulumi YAML" section as a consumer runs it: a fresh project outside the repository
 * installs the packed tarball (its `package.json` and `Pulumi.yaml` blocks, `runtime: yaml`, the
 * plugin's launcher folder under `plugins: providers:`), starts the emulator with the README's
 * command, and runs the README's deploy walkthrough (up, refresh, preview --expect-no-changes,
 * destroy) on the newest Node.js and Pulumi CLI with its YAML language host; the policy pack from
 * node_modules passes the program and refuses it with a Tair direct connection added beside its SSL.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ROOT,
  TOOLCHAINS,
  type Consumer,
  type RunningEmulator,
  readmeProject,
  type ReadmeProject,
} from "../helpers/consumer";
import { block, readmeBlocks } from "../helpers/readme";

jest.setTimeout(1_800_000);

const blocks = readmeBlocks(path.join(ROOT, "README.md"));

/** The README's program with a direct connection on the instance whose SSL it enables. */
const VIOLATION = block(blocks, "yaml/Pulumi.yaml").replace(
  /^outputs:/m,
  "  direct:\n    type: managed-redis:alicloud:TairDirectConnection\n    properties:\n" +
    "      instanceId: r-demo-standard-01\n      connectionStringPrefix: yamldirect01\n      port: 6379\noutputs:",
);

describe(`a Pulumi YAML consumer on Node ${TOOLCHAINS.newest.node} and CLI v${TOOLCHAINS.newest.pulumiCli}`, () => {
  let project: ReadmeProject;
  let c: Consumer;
  let emu: RunningEmulator;

  beforeAll(async () => {
    project = await readmeProject("yaml", blocks, {
      packageBlock: "yaml/package.json",
      files: { "Pulumi.yaml": "yaml/Pulumi.yaml" },
    });
    ({ c, emu } = project);
  });
  afterAll(() => project?.cleanup());

  it("installs the plugin's launcher executable, where Pulumi.yaml names it", () => {
    const launcher = path.join(
      c.dir,
      "node_modules",
      "pulumi-managed-redis",
      "bin",
      "pulumi-resource-managed-redis",
    );
    expect(fs.statSync(launcher).mode & 0o111).not.toBe(0);
    expect(block(blocks, "yaml/Pulumi.yaml")).toContain("path: ./node_modules/pulumi-managed-redis/bin");
  });

  it("deploys the README's YAML program: up, refresh, preview --expect-no-changes, destroy", async () => {
    const before = await emu.counters();
    const run = await c.sh(`${emu.exports}\n${block(blocks, "consumer/deploy")}`);
    if (run.code !== 0) throw new Error(`the README's deploy block failed:\n${run.out}`);
    const after = await emu.counters();
    const delta = (key: string) => (after.created[key] ?? 0) - (before.created[key] ?? 0);
    expect(run.out).toMatch(/\+\s+managed-redis:kakaocloud:KakaoRedisCluster cache created/);
    expect(run.out).toMatch(/tairSslEnabled\s*:\s*true/);
    expect(delta("kakaocloud:cluster")).toBe(1);
    expect(delta("kakaocloud:shard")).toBe(1);
    expect(delta("huaweicloud:sslJob")).toBe(2); // on at up, off at destroy
    expect(after.live["kakaocloud:cluster"]).toBe(0);
    expect(after.live["huaweicloud:sslEnabled"]).toBe(0);
  });

  it("runs the policy pack from node_modules: the program passes, with a direct connection beside its SSL it fails", async () => {
    fs.writeFileSync(path.join(c.dir, "redis-policy.json"), block(blocks, "policy/redis-policy.json"));
    const preview = async () => {
      const setup = await c.sh(
        "export PULUMI_CONFIG_PASSPHRASE=choose-one\npulumi login --local\n" +
          "pulumi stack select --create dev\npulumi config set --secret redisPassword demo-encrypted-password",
      );
      if (setup.code !== 0) throw new Error(`stack setup failed:\n${setup.out}`);
      return c.sh(
        `${emu.exports}\nexport PULUMI_CONFIG_PASSPHRASE=choose-one\n${block(blocks, "policy/preview")}`,
      );
    };
    const ok = await preview();
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Policies:[\s\S]*managed-redis@v0\.1\.0/);
    expect(ok.out).not.toMatch(/\[mandatory\]/);

    fs.writeFileSync(path.join(c.dir, "Pulumi.yaml"), VIOLATION);
    const bad = await preview();
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/\[mandatory\][^\n]*tair-ssl-direct-connection-exclusive/);
    expect(bad.out).toContain(
      'TairDirectConnection "direct" allocates a direct connection on Tair instance "r-demo-standard-01", ' +
        'where InstanceSSL "tair-ssl" enables SSL',
    );
    expect((await emu.counters()).live["kakaocloud:cluster"]).toBe(0); // previews create nothing
  });
});
