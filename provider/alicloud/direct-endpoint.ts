/**
 * The direct endpoint of a Tair instance as `TairDirectConnection` sees it: reading it back,
 * matching it against the inputs, and allocating it then waiting until it is live.
 */
import { remainingMs } from "../core/deadline";
import { StateError, WaitTimeoutError } from "../core/errors";
import { unseenWaitMs, waitFor } from "../core/waiter";
import { plain } from "../core/types";
import { type AlicloudClient, type DirectEndpoint, directEndpointOf } from "./client";
import type { TairDirectConnectionInputs, TairDirectConnectionOutputs } from "./direct-connection";
import { isSslUnsupported } from "./errors";
import { type MutationOutcome, mutateWhenReady, notNormal, partialFailure } from "./support";

/**
 * Allocation refusals that say an endpoint exists: `NetTypeExists` (a direct connection exists,
 * perhaps one another client is allocating and not listed yet), `DirectConnectionAlreadyExists`,
 * `ConnectionStringAlreadyExists`. Taken as done when the live endpoint is the one requested.
 */
const ALREADY_EXISTS = new Set([
  "NetTypeExists",
  "DirectConnectionAlreadyExists",
  "ConnectionStringAlreadyExists",
]);

/** The prefix of an endpoint (`redisdirect123` of `redisdirect123.redis.rds.aliyuncs.com`). */
export function prefixOf(connectionString: string | undefined): string | undefined {
  return connectionString ? connectionString.split(".")[0] : undefined;
}

/** Whether a live endpoint is the one these inputs ask for. */
export function matches(endpoint: DirectEndpoint | undefined, inputs: TairDirectConnectionInputs): boolean {
  if (!endpoint) return false;
  if (inputs.connectionStringPrefix && prefixOf(endpoint.connectionString) !== inputs.connectionStringPrefix)
    return false;
  return inputs.port === undefined || endpoint.port === inputs.port;
}

/** The state of the resource: the inputs and the live endpoint. */
export function outputsOf(
  inputs: TairDirectConnectionInputs,
  e: DirectEndpoint,
): TairDirectConnectionOutputs {
  return plain({
    ...inputs,
    connectionString: e.connectionString,
    port: e.port,
    // Sorted: the API lists them in no documented order, and another order is no change.
    ipAddresses: [...e.ipAddresses].sort(),
    vpcId: e.vpcId,
    vSwitchId: e.vSwitchId,
  });
}

/** The instance's direct endpoint as `DescribeDBInstanceNetInfo` reports it, if any. */
export async function liveEndpoint(
  client: AlicloudClient,
  instanceId: string,
): Promise<DirectEndpoint | undefined> {
  return directEndpointOf(await client.describeDBInstanceNetInfo(instanceId));
}

/**
 * Fails before any mutation when SSL is on (the API refuses direct connections then). An instance
 * on which SSL is not available at all (`DescribeInstanceSSL` answers `IncorrectCharacterType`,
 * `IncorrectEngineVersion` or `InvalidRedisVersionPattern`) has SSL off: that answer is no reason
 * to fail the direct connection.
 */
export async function assertSslDisabled(client: AlicloudClient, instanceId: string): Promise<void> {
  let ssl;
  try {
    ssl = await client.describeInstanceSSL(instanceId);
  } catch (err) {
    if (isSslUnsupported(err)) return;
    throw err;
  }
  if (ssl.enabled) {
    throw new StateError(
      "Conflict",
      `instance ${instanceId} has SSL encryption enabled, and a direct connection requires SSL to be disabled: ` +
        `disable SSL first (InstanceSSL enabled=false), then create the TairDirectConnection`,
    );
  }
}

/** Allocates (unless already there) and waits until the endpoint is live; throws a partial failure once accepted. */
export async function allocateAndWait(
  client: AlicloudClient,
  inputs: TairDirectConnectionInputs,
  fullInputs: Record<string, unknown>,
  deadline: number,
): Promise<TairDirectConnectionOutputs> {
  const id = inputs.instanceId;
  let accepted = false;
  try {
    if (!matches(await liveEndpoint(client, id), inputs)) {
      // Whether an attempt ended without an answer (reset, 5xx): it may have been applied.
      let ambiguous = false;
      // After a lost answer the status may still read Normal and the endpoint not be listed for a
      // moment although the call was applied (eventual consistency): look again for up to
      // unseenWaitMs() (an input: no look can prove that a call was not applied) before deciding
      // that it was not, so that an applied call is not sent again.
      const reconcile = async (): Promise<MutationOutcome> => {
        ambiguous = true;
        try {
          await waitFor<void>(
            async () => {
              const attr = await client.describeInstanceAttribute(id);
              const applied =
                matches(await liveEndpoint(client, id), inputs) || attr.InstanceStatus === "NetworkModifying";
              return applied
                ? { state: "done", value: undefined }
                : { state: "pending", status: `${attr.InstanceStatus}, direct endpoint not listed` };
            },
            {
              what: `the AllocateDirectConnection of ${id} whose answer was lost to show`,
              timeoutMs: Math.min(remainingMs(deadline), unseenWaitMs()),
            },
          );
          return "already";
        } catch (err) {
          if (err instanceof WaitTimeoutError) return "retry";
          throw err;
        }
      };
      await mutateWhenReady({
        client,
        instanceId: id,
        deadline,
        what: "AllocateDirectConnection",
        send: () =>
          client.allocateDirectConnection({
            instanceId: id,
            connectionString: inputs.connectionStringPrefix,
            port: inputs.port,
          }),
        reconcile,
        onFault: async (err) => {
          if (!ALREADY_EXISTS.has(err.code)) return undefined;
          // After an attempt whose answer was lost, "already exists" is that attempt applied: the
          // status may still read Normal and the endpoint not be listed yet (eventual consistency),
          // so the wait below looks for it (and fails on an endpoint other than the one requested).
          if (ambiguous) return "already";
          return matches(await liveEndpoint(client, id), inputs) ? "already" : undefined;
        },
      });
    }
    accepted = true;
    const endpoint = await waitFor<DirectEndpoint>(
      async () => {
        const attr = await client.describeInstanceAttribute(id);
        if (attr.InstanceStatus !== "Normal") return notNormal(id, attr.InstanceStatus);
        const e = await liveEndpoint(client, id);
        if (!e) return { state: "pending", status: "Normal, direct endpoint not listed yet" };
        if (!matches(e, inputs)) {
          return {
            state: "failed",
            status: "mismatch",
            detail: `the direct endpoint is ${e.connectionString}:${e.port}, not the one requested`,
          };
        }
        return { state: "done", value: e };
      },
      {
        what: `direct connection of ${id} to be ready`,
        timeoutMs: remainingMs(deadline),
      },
    );
    return outputsOf(inputs, endpoint);
  } catch (err) {
    if (accepted) throw partialFailure(err, id, { ...fullInputs });
    throw err;
  }
}
