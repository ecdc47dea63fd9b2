/** Runs Pulumi programs through the real engine (Automation API) against the emulator. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import type { Emulator } from "../../emulator";
import { emulatorEnv } from "./emulator";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensurePulumi, pulumiEnv } = require("../../scripts/pulumi-env.js") as {
  ensurePulumi(): string;
  pulumiEnv(bin: string, stateDir: string, extra: Record<string, string>): Record<string, string>;
};

/** The Pulumi CLI's bin directory, or undefined (said loudly) when no CLI can be had. */
export function pulumiBin(): string | undefined {
  try {
    return ensurePulumi();
  } catch (err) {
    process.stderr.write(`\n!!! NO PULUMI CLI: end-to-end tests cannot run: ${(err as Error).message}\n\n`);
    return undefined;
  }
}

export interface TestStack {
  stack: Stack;
  stateDir: string;
  env: Record<string, string>;
  bin: string;
  workDir: string;
  cleanup(): Promise<void>;
}

/** Creates a stack of the program in `tests/e2e/programs/<program>` with a fresh local backend. */
export async function testStack(program: string, emu: Emulator, bin: string): Promise<TestStack> {
  const workDir = path.resolve(__dirname, "..", "e2e", "programs", program);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${program}-`));
  const env = pulumiEnv(bin, stateDir, { ...emulatorEnv(emu), PULUMI_MANAGED_REDIS_POLL_SCALE: "0.2" });
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin) });
  const stackName = `e2e${Date.now().toString(36)}`;
  const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir }, { envVars: env, pulumiCommand });
  return {
    stack,
    stateDir,
    env,
    bin,
    workDir,
    async cleanup() {
      await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
      fs.rmSync(path.join(workDir, `Pulumi.${stackName}.yaml`), { force: true });
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** The `__provider` text stored per resource type in the exported state, with its size in bytes. */
export function providerSizes(deployment: { resources?: { type: string; inputs?: Record<string, unknown> }[] }) {
  const sizes: Record<string, number> = {};
  for (const r of deployment.resources ?? []) {
    const p = r.inputs?.__provider;
    if (typeof p === "string") sizes[r.type] = Buffer.byteLength(p);
  }
  return sizes;
}

/** The stack's state file as stored by the local backend (secrets as they are at rest). */
export function stateFileText(t: TestStack): string {
  const dir = path.join(t.stateDir, ".pulumi", "stacks");
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter(
    (f) => f.endsWith(`${t.stack.name}.json`),
  );
  if (files.length !== 1) throw new Error(`expected one state file for ${t.stack.name} in ${dir}, found ${files.length}`);
  return fs.readFileSync(path.join(dir, files[0]), "utf8");
}
