/**
 * The README's TypeScript program on the plugin face ("Programs in other languages") as a consumer
 * runs it: a fresh project outside the repository installs the packed tarball (the README's
 * `package.json` and `tsconfig.json` of Install, the section's `Pulumi.yaml` naming the launcher
 * folder and its `index.ts` importing `pulumi-managed-redis/plugin`), starts the emulator with the
 * README's command and runs the README's deploy walkthrough (up, refresh, preview
 * --expect-no-changes, destroy) on the newest Node.js and Pulumi CLI.
 */
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

describe(`a TypeScript consumer of the plugin SDK on Node ${TOOLCHAINS.newest.node} and CLI v${TOOLCHAINS.newest.pulumiCli}`, () => {
  let project: ReadmeProject;
  let c: Consumer;
  let emu: RunningEmulator;

  beforeAll(async () => {
    project = await readmeProject("plugin-sdk", blocks, {
      packageBlock: "consumer/package.json",
      files: {
        "tsconfig.json": "consumer/tsconfig.json",
        "Pulumi.yaml": "plugin-sdk/Pulumi.yaml",
        "index.ts": "plugin-sdk/index.ts",
      },
    });
    ({ c, emu } = project);
  });

  afterAll(() => project?.cleanup());

  it("deploys the README's program on the SDK: up, refresh, preview --expect-no-changes, destroy", async () => {
    const before = await emu.counters();
    const run = await c.sh(`${emu.exports}\n${block(blocks, "consumer/deploy")}`);
    if (run.code !== 0) throw new Error(`the README's deploy block failed:\n${run.out}`);
    const after = await emu.counters();
    const delta = (key: string) => (after.created[key] ?? 0) - (before.created[key] ?? 0);
    // The plugin's tokens, not the dynamic provider's.
    expect(run.out).toMatch(/\+\s+managed-redis:kakaocloud:KakaoRedisCluster cache created/);
    expect(run.out).toMatch(/\+\s+managed-redis:kakaocloud:KakaoShard extra-shard created/);
    expect(run.out).not.toContain("pulumi-nodejs:dynamic");
    expect(run.out).toMatch(/clusterStatus\s*:\s*"Running"/);
    expect(run.out).toMatch(/tairSslEnabled\s*:\s*true/);
    expect(delta("kakaocloud:cluster")).toBe(1);
    expect(delta("kakaocloud:shard")).toBe(1);
    expect(delta("huaweicloud:sslJob")).toBe(2); // on at up, off at destroy
    expect(after.live["kakaocloud:cluster"]).toBe(0);
    expect(after.live["huaweicloud:sslEnabled"]).toBe(0);
  });
});
