/**
 * Partial failure: the cloud accepted a create (or update) but the wait after it failed or timed
 * out. Rejecting with an object that carries the id and the properties makes the engine record the
 * resource in the state and mark the operation failed, so nothing is orphaned and the next
 * `pulumi up` continues from there (see docs/cloud-facts.md).
 */
import { redact } from "./errors";
import { plain } from "./types";

/** The rejection object the dynamic-provider host turns into `ErrorResourceInitFailed`. */
export interface PartialFailure {
  message: string;
  id: string;
  properties: Record<string, unknown>;
  reasons: string[];
}

/**
 * Builds the rejection for a resource that exists in the cloud but did not settle.
 * `properties` must hold the full inputs (including `__provider`) and whatever outputs are known.
 */
export function partialFailure(
  err: unknown,
  id: string,
  properties: Record<string, unknown>,
): PartialFailure {
  const message = redact(err instanceof Error ? err.message : String(err));
  return {
    message: `${message} (the resource ${id} exists and is recorded in the state; run \`pulumi up\` again to continue)`,
    id,
    properties: plain(properties),
    reasons: [message],
  };
}
