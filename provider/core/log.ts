/**
 * Logging from the provider process. The dynamic-provider plugin has no engine connection, so
 * what it writes to stderr shows in the CLI as info lines. Every line passes through `redact`.
 */
import { redact } from "./errors";

/** A progress line while waiting (shown by the CLI). */
export function logProgress(message: string): void {
  process.stderr.write(`[pulumi-managed-redis] ${redact(message)}\n`);
}

/** A debug line, shown only with `PULUMI_MANAGED_REDIS_DEBUG=1`. */
export function logDebug(message: string): void {
  if (process.env.PULUMI_MANAGED_REDIS_DEBUG === "1") {
    process.stderr.write(`[pulumi-managed-redis:debug] ${redact(message)}\n`);
  }
}
