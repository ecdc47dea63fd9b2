/** Runs Pulumi programs through the real engine (Automation API) against the emulator. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import type { Emulator } from "../../emulator";
import { DEMO_ENV, emulatorEnv } from "./emulator";

const { ensurePulumi, pulumiEnv } = require("../../scripts/pulumi-env.js") as {
  ensurePulumi(): string;
  pulumiEnv(bin: string, stateDir: string, extra: Record<string, string>): Record<string, string>;
};

/**
 * The Pulumi CLI's bin directory, or undefined (said loudly) when no CLI can be had on a developer's
 * machine. Under CI (`CI` set and not "false"/"0") a missing CLI throws, so that the end-to-end
 * suites fail instead of being skipped.
 */
export function pulumiBin(): string | undefined {
  try {
    return ensurePulumi();
  } catch (err) {
    const message = `NO PULUMI CLI: end-to-end tests cannot run: ${(err as Error).message}`;
    if (inCI()) throw new Error(`${message} (CI is set: the end-to-end tests must not be skipped)`);
    process.stderr.write(`\n!!! ${message}\n\n`);
    return undefined;
  }
}

/** Whether the tests run under CI, as CI services announce it (`CI=true`, `CI=1`). */
function inCI(): boolean {
  const ci = process.env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
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
  return testStackIn(path.resolve(__dirname, "..", "e2e", "programs", program), emu, bin);
}

/** The `__provider` text stored per resource type in the exported state, with its size in bytes. */
export function providerSizes(deployment: {
  resources?: { type: string; inputs?: Record<string, unknown> }[];
}) {
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
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
    f.endsWith(`${t.stack.name}.json`),
  );
  if (files.length !== 1)
    throw new Error(`expected one state file for ${t.stack.name} in ${dir}, found ${files.length}`);
  return fs.readFileSync(path.join(dir, files[0]), "utf8");
}

/** Stack configuration keys (namespace `managed-redis`) that replace a cloud's environment variables. */
function cloudSettings(emu: Emulator, cloud: "alicloud" | "huaweicloud" | "kakaocloud") {
  const d = DEMO_ENV;
  if (cloud === "kakaocloud") {
    return {
      config: {
        kakaoEndpoint: { value: emu.endpoints.kakaocloud },
        kakaoIamEndpoint: { value: emu.endpoints.kakaocloudIam },
        kakaoApplicationCredentialId: { value: d.KAKAOCLOUD_APPLICATION_CREDENTIAL_ID },
        kakaoApplicationCredentialSecret: { value: d.KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET, secret: true },
      },
      env: [
        "KAKAOCLOUD_REDIS_ENDPOINT",
        "KAKAOCLOUD_IAM_ENDPOINT",
        "KAKAOCLOUD_APPLICATION_CREDENTIAL_ID",
        "KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET",
        "KAKAOCLOUD_AUTH_TOKEN",
      ],
    };
  }
  return cloud === "alicloud"
    ? {
        config: {
          alicloudEndpoint: { value: emu.endpoints.alicloud },
          alicloudAccessKeyId: { value: d.ALIBABA_CLOUD_ACCESS_KEY_ID },
          alicloudAccessKeySecret: { value: d.ALIBABA_CLOUD_ACCESS_KEY_SECRET, secret: true },
          alicloudRegion: { value: d.ALIBABA_CLOUD_REGION },
        },
        env: [
          "ALIBABA_CLOUD_REDIS_ENDPOINT",
          "ALIBABA_CLOUD_ACCESS_KEY_ID",
          "ALICLOUD_ACCESS_KEY",
          "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
          "ALICLOUD_SECRET_KEY",
          "ALIBABA_CLOUD_REGION",
          "ALICLOUD_REGION",
        ],
      }
    : {
        config: {
          huaweicloudEndpoint: { value: emu.endpoints.huaweicloud },
          huaweicloudAccessKey: { value: d.HW_ACCESS_KEY },
          huaweicloudSecretKey: { value: d.HW_SECRET_KEY, secret: true },
          huaweicloudRegion: { value: d.HW_REGION_NAME },
          huaweicloudProjectId: { value: d.HW_PROJECT_ID },
        },
        env: ["HW_DCS_ENDPOINT", "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_REGION_NAME", "HW_PROJECT_ID"],
      };
}

/**
 * Moves a cloud's endpoint and credentials from the environment into the stack configuration
 * (`managed-redis:*`, the secret key with `--secret`), so that the provider can only get them through
 * `configure()` (and a lookup in the program through `new pulumi.Config`). The environment variables
 * are blanked for every later command of the stack.
 */
export async function credentialsInStackConfig(
  t: TestStack,
  emu: Emulator,
  cloud: "alicloud" | "huaweicloud" | "kakaocloud",
): Promise<void> {
  const { config, env } = cloudSettings(emu, cloud);
  const entries = Object.entries(config).map(([k, v]) => [`managed-redis:${k}`, v] as const);
  await t.stack.setAllConfig(Object.fromEntries(entries));
  // Blank rather than delete: the CLI inherits this process's environment under the workspace's.
  const envVars = (t.stack.workspace as LocalWorkspace).envVars;
  for (const name of env) {
    t.env[name] = "";
    envVars[name] = "";
  }
}

/**
 * Creates a stack of the Pulumi project in `workDir` (any folder, e.g. the repository root for the
 * demo program) with a fresh local backend. `cleanup()` removes the stack, its `Pulumi.<stack>.yaml`
 * in `workDir` and the backend.
 */
export async function testStackIn(workDir: string, emu: Emulator, bin: string): Promise<TestStack> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${path.basename(workDir)}-`));
  const env = pulumiEnv(bin, stateDir, { ...emulatorEnv(emu), PULUMI_MANAGED_REDIS_POLL_SCALE: "0.2" });
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(bin) });
  const stackName = `e2e${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, workDir },
    { envVars: env, pulumiCommand },
  );
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

/**
 * Runs a command that must fail and returns its output (a `CommandError`'s message holds the exit
 * code, stdout and stderr). Throws when the command succeeds.
 */
export async function failureOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error("the command was expected to fail, but it succeeded");
}
