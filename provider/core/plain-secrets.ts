/**
 * A warning for a cloud secret stored in plain text in the stack configuration (`pulumi config set`
 * without `--secret`): it names the key and the fix, never the value.
 *
 * The warning is given by the program, not by the provider: the dynamic provider's `configure()`
 * receives every configuration value already decrypted and unwrapped (the `@pulumi/pulumi`
 * dynamic-provider host calls `unwrapRpcSecret` on each value and answers `acceptSecrets: false`),
 * so it cannot tell a secret from plain text. The program can: the language host lists the secret
 * keys (`PULUMI_CONFIG_SECRET_KEYS`, read by `pulumi.runtime.isConfigSecret`).
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE } from "./config";

/** The settings that hold a secret (each is read with `setting(key, envVars, { secret: true })`). */
export const SECRET_SETTINGS = [
  "kakaoApplicationCredentialSecret",
  "kakaoAuthToken",
  "alicloudAccessKeySecret",
  "alicloudSecurityToken",
  "huaweicloudSecretKey",
  "huaweicloudSecurityToken",
  "huaweicloudAuthToken",
] as const;

/** What the program knows of its stack configuration. */
export interface ProgramConfig {
  /** Every configuration value, by full key (`managed-redis:kakaoAuthToken`). */
  values: Record<string, string>;
  /** Whether a full key was set as a secret; `undefined` when the SDK cannot tell. */
  isSecret?: (fullKey: string) => boolean;
  /** The stack's name, for the file name in the message. */
  stack?: string;
}

/**
 * One message per secret setting that is set in plain text: the key, where it sits and the
 * command that encrypts it. Empty when the SDK cannot tell secret from plain.
 */
export function plainSecretWarnings(config: ProgramConfig): string[] {
  const { values, isSecret } = config;
  if (!isSecret) return [];
  const file = config.stack ? `Pulumi.${config.stack}.yaml` : "Pulumi.<stack>.yaml";
  return SECRET_SETTINGS.map((key) => `${CONFIG_NAMESPACE}:${key}`)
    .filter((fullKey) => values[fullKey] !== undefined && values[fullKey] !== "" && !isSecret(fullKey))
    .map(
      (fullKey) =>
        `${fullKey} is stored in plain text in the stack configuration (${file}): encrypt it with ` +
        `\`pulumi config set --secret ${fullKey}\` (it prompts for the value), or set it in the environment instead`,
    );
}

/** The running program's configuration, as the Pulumi SDK reports it. */
function programConfig(): ProgramConfig {
  const runtime = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret?: (key: string) => boolean };
  let stack: string | undefined;
  try {
    stack = pulumi.getStack();
  } catch {
    stack = undefined;
  }
  return {
    values: runtime.allConfig(),
    isSecret: typeof runtime.isConfigSecret === "function" ? runtime.isConfigSecret : undefined,
    stack,
  };
}

let warned = false;

/**
 * Warns once per program run (through the engine, as `pulumi.log.warn`) about each cloud secret
 * set in plain text. Called when the program constructs its first resource of this package.
 */
export function warnPlainSecrets(): void {
  if (warned) return;
  warned = true;
  try {
    for (const message of plainSecretWarnings(programConfig())) void pulumi.log.warn(message);
  } catch {
    // A configuration that cannot be read is no reason to fail the program.
  }
}
