/**
 * `InstanceSSL`: TLS (SSL) encryption of an Alibaba Cloud Tair (ApsaraDB for Redis) instance
 * (`ModifyInstanceSSL` Enable / Disable / Update, read back with `DescribeInstanceSSL`).
 *
 * The resource id is the instance id. Creating the resource adopts the instance's current setting
 * when it already is the wanted one (no API call), which stands in for `import` (Pulumi cannot import
 * dynamic resources, pulumi/pulumi#16175; `read()` works from the id alone for when it can).
 * Deleting the resource turns SSL off again unless `leaveOnDestroy` is set.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { setStackConfig } from "../core/config";
import { ManagedRedisError, StateError } from "../core/errors";
import { deadlineOf, remainingMs } from "../core/deadline";
import { diffOf } from "../core/diff";
import { checkParsed, validInputs } from "../core/validation";
import { waitFor } from "../core/waiter";
import { plain } from "../core/types";
import {
  type AlicloudClient,
  type SslChange,
  type SslInfo,
  defaultClient,
  directEndpointOf,
  sslEnabledWord,
} from "./client";
import { isSslUnsupported } from "./errors";
import { type TairTimeouts, inputSchema, timeoutsSchema } from "./inputs";
import {
  ifInstanceExists,
  mutateWhenReady,
  type MutationOutcome,
  notNormal,
  onInstance,
  partialFailure,
  unlessGone,
} from "./support";

/** The plain inputs, as the program gives them. */
export interface InstanceSSLInputs {
  /** Id of the Tair instance. Changing it replaces the resource. */
  instanceId: string;
  /**
   * Whether SSL is on: `true`/`false`, or the API's words `"Enable"`/`"Disable"`. `check()` turns
   * the words into `true`/`false`, the one form the provider works with after it.
   */
  enabled: boolean | "Enable" | "Disable";
  /**
   * Any text; changing it renews the certificate (`SSLEnabled=Update`) while SSL is on, e.g. a
   * date such as `"2026-01"`. Not used on create.
   */
  certificateRotation?: string;
  /** Keep SSL as it is when the resource is deleted (default false: deleting turns SSL off). */
  leaveOnDestroy?: boolean;
  /** Deadlines of create / update / delete (defaults 40m each). */
  timeouts?: TairTimeouts;
}

/** The inputs as `check()` leaves them: `enabled` a boolean, `leaveOnDestroy` defaulted. */
type CheckedInputs = InstanceSSLInputs & { enabled: boolean; leaveOnDestroy: boolean };

/** State of an {@link InstanceSSL}. */
export interface InstanceSSLOutputs extends CheckedInputs {
  /** SSL state as last read from the cloud. */
  sslEnabled: boolean;
  /** Common name of the CA certificate. */
  certCommonName?: string;
  /** When the CA certificate expires (e.g. `2020-08-05T09:05:53Z`). */
  sslExpiredTime?: string;
  /** Download URL of the CA certificate. */
  certDownloadUrl?: string;
}

const DEFAULT_TIMEOUT_MS = 40 * 60_000;

/** Whether an `enabled` value means SSL on: `true` or the API's `"Enable"`. */
const sslOn = (v: unknown): boolean => v === true || v === "Enable";

const schema = inputSchema("Tair instance", {
  enabled: z
    .union([z.boolean(), z.enum(["Enable", "Disable"])], {
      error: 'enabled is required: true, false, "Enable" or "Disable"',
    })
    .transform(sslOn),
  certificateRotation: z
    .string({ error: "certificateRotation must be a string" })
    .min(1, { error: "certificateRotation must not be empty" })
    .optional(),
  leaveOnDestroy: z.boolean({ error: "leaveOnDestroy must be true or false" }).default(false),
  timeouts: timeoutsSchema.optional(),
});

/** The parsed inputs right before a mutation: what the schema refuses is refused here too, before any call. */
/** The input schema under its own name (the plugin's schema is generated from it). */
export { schema as instanceSslSchema };

function checked(raw: InstanceSSLInputs): CheckedInputs {
  return { ...raw, ...validInputs(schema, raw, "InstanceSSL") };
}

function outputsOf(inputs: CheckedInputs, ssl: SslInfo): InstanceSSLOutputs {
  return plain({
    ...inputs,
    sslEnabled: ssl.enabled,
    certCommonName: ssl.certCommonName,
    sslExpiredTime: ssl.expiredTime,
    certDownloadUrl: ssl.certDownloadUrl,
  });
}

/**
 * Brings the instance to the wanted SSL state (and renews the certificate when `rotate`). Does not
 * call ModifyInstanceSSL when the instance is already there. Once the cloud accepted a change, a
 * failed or timed-out wait rejects with `whenAccepted(error)` (for create and update, a partial
 * failure, so that the engine keeps the resource).
 */
async function converge(
  client: AlicloudClient,
  inputs: CheckedInputs,
  rotate: boolean,
  deadline: number,
  whenAccepted: (err: unknown) => unknown,
): Promise<InstanceSSLOutputs> {
  const id = inputs.instanceId;
  // SSL not available on the instance (its type or engine) means SSL is off: what `enabled: false`
  // (and a delete) asks for; `enabled: true` fails here, with the cloud's reason and what to do.
  const before = await client.describeInstanceSSL(id).catch((err: unknown): SslInfo => {
    if (isSslUnsupported(err) && !inputs.enabled) return { enabled: false };
    throw err;
  });
  const change: SslChange | undefined =
    before.enabled !== inputs.enabled
      ? { enabled: inputs.enabled }
      : inputs.enabled && rotate
        ? { enabled: true, renew: true }
        : undefined;
  if (!change) return outputsOf(inputs, before);
  const word = sslEnabledWord(change);
  if (change.enabled && !change.renew) {
    const direct = directEndpointOf(await client.describeDBInstanceNetInfo(id));
    if (direct) {
      throw new StateError(
        "Conflict",
        `instance ${id} has a direct connection (${direct.connectionString}), and SSL cannot be enabled while it exists: ` +
          `release the direct connection first (delete the TairDirectConnection), then enable SSL`,
      );
    }
  }
  let accepted = false;
  let sawChange = false;
  try {
    const wanted = (ssl: SslInfo) => ssl.enabled === inputs.enabled;
    const reconcile = async (): Promise<MutationOutcome> => {
      const attr = await client.describeInstanceAttribute(id);
      if (attr.InstanceStatus === "SSLModifying") return "already";
      return !change.renew && wanted(await client.describeInstanceSSL(id)) ? "already" : "retry";
    };
    await mutateWhenReady({
      client,
      instanceId: id,
      deadline,
      what: `ModifyInstanceSSL ${word}`,
      send: () => client.modifyInstanceSSL(id, change),
      reconcile,
      onFault: async (err) =>
        // Asking for the state the instance already has is success (e.g. after an import).
        (err.code === "SSLEnabledStateExistsFault" && inputs.enabled) ||
        (err.code === "SSLDisableStateExistsFault" && !inputs.enabled)
          ? "already"
          : undefined,
    });
    accepted = true;
    const settled = await waitFor<SslInfo>(
      async () => {
        const attr = await client.describeInstanceAttribute(id);
        if (attr.InstanceStatus !== "Normal") {
          sawChange = true;
          return notNormal(id, attr.InstanceStatus);
        }
        const ssl = await client.describeInstanceSSL(id);
        if (!wanted(ssl)) return { state: "pending", status: `Normal, SSL ${sslEnabledWord(ssl)}` };
        if (change.renew && !sawChange && ssl.expiredTime === before.expiredTime) {
          return { state: "pending", status: "Normal, certificate not renewed yet" };
        }
        return { state: "done", value: ssl };
      },
      {
        what: `SSL of ${id} to be ${word}d`,
        timeoutMs: remainingMs(deadline),
      },
    );
    return outputsOf(inputs, settled);
  } catch (err) {
    if (accepted) throw whenAccepted(err);
    throw err;
  }
}

/** For create and update: the partial failure that keeps the resource in the state. */
const keepInState = (inputs: CheckedInputs) => (err: unknown) =>
  partialFailure(err, inputs.instanceId, { ...inputs });

/** The provider implementation (loaded by the serialized shim at call time). */
export const provider: pulumi.dynamic.ResourceProvider<InstanceSSLInputs, InstanceSSLOutputs> = {
  async configure(req) {
    setStackConfig(req.config);
  },

  check: checkParsed<InstanceSSLInputs>(schema),

  // `olds` is the state: `enabled` there is what the cloud last reported, so a drift shows as an
  // update. A value unknown at preview is never a replacement: an instance id passed from another
  // resource's output is unknown while that resource's in-place update is previewed, and stays
  // what it was (taken as unchanged; `pulumi up` asks again with the known value). Any other
  // unknown value may differ: an update. `news.enabled` is a boolean once check() parsed the
  // inputs; compared through sslOn, the API's word means the same.
  diff: diffOf<InstanceSSLInputs, InstanceSSLInputs>({
    replaces: [{ key: "instanceId", unknown: "unchanged" }],
    inPlace: [
      { key: "enabled", normal: sslOn },
      "certificateRotation",
      { key: "leaveOnDestroy", normal: Boolean },
      { key: "timeouts", normal: (t) => t ?? {} },
    ],
  }),

  async create(raw) {
    const inputs = checked(raw);
    const deadline = deadlineOf(inputs.timeouts, "create", DEFAULT_TIMEOUT_MS);
    const outs = await onInstance(inputs.instanceId, () =>
      converge(defaultClient(), inputs, false, deadline, keepInState(inputs)),
    );
    return { id: inputs.instanceId, outs };
  },

  async read(id, props) {
    // An instance on which SSL is not available (its type or engine) answers DescribeInstanceSSL
    // with an error: SSL is off there, and the refresh goes on (terraform-provider-alicloud #9971).
    const ssl = await ifInstanceExists(() => defaultClient().describeInstanceSSL(id)).catch(
      (err: unknown): SslInfo => {
        if (isSslUnsupported(err)) return { enabled: false };
        throw err;
      },
    );
    if (!ssl) return {};
    const stored = props?.instanceId ? props : undefined;
    // Only the required `enabled` follows the live setting (so that a drift shows at the next
    // preview as `enabled: false => true`); every optional input is the program's, from the state,
    // never a value the API reported.
    const inputs: CheckedInputs = {
      instanceId: id,
      enabled: ssl.enabled,
      certificateRotation: stored?.certificateRotation,
      leaveOnDestroy: stored?.leaveOnDestroy ?? false,
      timeouts: stored?.timeouts,
    };
    return { id, props: outputsOf(inputs, ssl), inputs: plain(inputs) as InstanceSSLOutputs };
  },

  async update(id, olds, raw) {
    const news = checked(raw);
    const deadline = deadlineOf(news.timeouts, "update", DEFAULT_TIMEOUT_MS);
    const rotate =
      news.certificateRotation !== undefined && news.certificateRotation !== olds.certificateRotation;
    const outs = await onInstance(id, () =>
      converge(defaultClient(), news, rotate, deadline, keepInState(news)),
    );
    return { outs };
  },

  async delete(id, props) {
    if (props.leaveOnDestroy) return;
    const deadline = deadlineOf(props.timeouts, "delete", DEFAULT_TIMEOUT_MS);
    const inputs: CheckedInputs = { ...props, instanceId: id, enabled: false };
    // A partial failure only makes sense for create and update: a delete reports its message,
    // with the code of what failed.
    const failedAfterAccepted = (err: unknown) =>
      new ManagedRedisError(
        err instanceof ManagedRedisError ? err.code : "WaitFailed",
        partialFailure(err, id, {}).message,
        { cause: err },
      );
    await unlessGone(() =>
      onInstance(id, () => converge(defaultClient(), inputs, false, deadline, failedAfterAccepted)),
    );
  },
};
