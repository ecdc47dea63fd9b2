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
import { withLock } from "../core/lock";
import { containsUnknown, stableJson, UNKNOWN, validInputs } from "../core/validation";
import { shimProvider } from "../core/shim";
import { waitFor } from "../core/waiter";
import { plain } from "../core/types";
import { TYPE_TOKENS } from "../tokens";
import {
  type AlicloudClient,
  type SslInfo,
  defaultClient,
  directEndpointOf,
  isInstanceNotFound,
} from "./client";
import {
  type MutationOutcome,
  type TairTimeouts,
  checkAgainst,
  instanceLock,
  isReleased,
  mutateWhenReady,
  notNormal,
  partialFailure,
  timeoutOf,
  timeoutsSchema,
} from "./support";

/** Arguments of {@link InstanceSSL}. */
export interface InstanceSSLArgs {
  /** Id of the Tair instance. Changing it replaces the resource. */
  instanceId: pulumi.Input<string>;
  /** Whether SSL is on: `true`/`false`, or the API's words `"Enable"`/`"Disable"`. */
  enabled: pulumi.Input<boolean | "Enable" | "Disable">;
  /**
   * Any text; changing it renews the certificate (`SSLEnabled=Update`) while SSL is on, e.g. a
   * date such as `"2026-01"`. Not used on create.
   */
  certificateRotation?: pulumi.Input<string>;
  /** Keep SSL as it is when the resource is deleted (default false: deleting turns SSL off). */
  leaveOnDestroy?: pulumi.Input<boolean>;
  /** Deadlines of create / update / delete (defaults 40m each). */
  timeouts?: pulumi.Input<TairTimeouts>;
}

/** Inputs as the provider receives them (after `check`: `enabled` is a boolean). */
export interface InstanceSSLInputs {
  instanceId: string;
  enabled: boolean;
  certificateRotation?: string;
  leaveOnDestroy: boolean;
  timeouts?: TairTimeouts;
}

/** State of an {@link InstanceSSL}. */
export interface InstanceSSLOutputs extends InstanceSSLInputs {
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
const FIELDS = ["instanceId", "enabled", "certificateRotation", "leaveOnDestroy", "timeouts"] as const;

const schema = z.object({
  instanceId: z
    .string({ error: "instanceId is required: the id of a Tair instance, e.g. r-bp1zxszhcgatnx****" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,63}$/, {
      error: "instanceId must be an instance id such as r-bp1zxszhcgatnx****",
    }),
  enabled: z
    .union([z.boolean(), z.enum(["Enable", "Disable"])], {
      error: 'enabled is required: true, false, "Enable" or "Disable"',
    })
    .transform((v) => v === true || v === "Enable"),
  certificateRotation: z
    .string({ error: "certificateRotation must be a string" })
    .min(1, { error: "certificateRotation must not be empty" })
    .optional(),
  leaveOnDestroy: z.boolean({ error: "leaveOnDestroy must be true or false" }).default(false),
  timeouts: timeoutsSchema.optional(),
});

function outputsOf(inputs: InstanceSSLInputs, ssl: SslInfo): InstanceSSLOutputs {
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
 * failed or timed-out wait rejects with a partial failure so the engine keeps the resource.
 */
async function converge(
  client: AlicloudClient,
  inputs: InstanceSSLInputs,
  fullInputs: Record<string, unknown>,
  rotate: boolean,
  deadline: number,
): Promise<InstanceSSLOutputs> {
  const id = inputs.instanceId;
  const before = await client.describeInstanceSSL(id);
  const action =
    before.enabled !== inputs.enabled
      ? inputs.enabled
        ? "Enable"
        : "Disable"
      : inputs.enabled && rotate
        ? "Update"
        : undefined;
  if (!action) return outputsOf(inputs, before);
  if (action === "Enable") {
    const direct = directEndpointOf(await client.describeDBInstanceNetInfo(id));
    if (direct) {
      throw new Error(
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
      return action !== "Update" && wanted(await client.describeInstanceSSL(id)) ? "already" : "retry";
    };
    await mutateWhenReady({
      client,
      instanceId: id,
      deadline,
      what: `ModifyInstanceSSL ${action}`,
      send: () => client.modifyInstanceSSL(id, action),
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
        if (!wanted(ssl))
          return { state: "pending", status: `Normal, SSL ${ssl.enabled ? "Enable" : "Disable"}` };
        if (action === "Update" && !sawChange && ssl.expiredTime === before.expiredTime) {
          return { state: "pending", status: "Normal, certificate not renewed yet" };
        }
        return { state: "done", value: ssl };
      },
      {
        what: `SSL of ${id} to be ${action}d`,
        timeoutMs: Math.max(0, deadline - Date.now()),
      },
    );
    return outputsOf(inputs, settled);
  } catch (err) {
    if (accepted) throw partialFailure(err, id, { ...fullInputs });
    throw err;
  }
}

/** The provider implementation (loaded by the serialized shim at call time). */
export const provider: pulumi.dynamic.ResourceProvider<InstanceSSLInputs, InstanceSSLOutputs> = {
  async configure(req) {
    setStackConfig(req.config);
  },

  async check(_olds, news) {
    const raw = news as unknown as Record<string, unknown>;
    const { value, failures } = checkAgainst(schema, raw, FIELDS);
    if (failures.length > 0 || !value) return { inputs: news, failures };
    return { inputs: { ...value, __provider: raw.__provider } as unknown as InstanceSSLInputs, failures: [] };
  },

  async diff(_id, olds, news) {
    // `olds` is the state: `enabled` there is what the cloud last reported, so a drift shows as an
    // update. A value unknown at preview is never a replacement: an instance id passed from another
    // resource's output is unknown while that resource's in-place update is previewed, and stays
    // what it was (taken as unchanged; `pulumi up` asks again with the known value). Any other
    // unknown value may differ: an update.
    const replaces = news.instanceId !== UNKNOWN && olds.instanceId !== news.instanceId ? ["instanceId"] : [];
    const normal = (v: unknown) => v === true || v === "Enable";
    const { instanceId: _i, ...rest } = news;
    const changed =
      replaces.length > 0 ||
      normal(olds.enabled) !== normal(news.enabled) ||
      olds.certificateRotation !== news.certificateRotation ||
      Boolean(olds.leaveOnDestroy) !== Boolean(news.leaveOnDestroy) ||
      stableJson(olds.timeouts ?? {}) !== stableJson(news.timeouts ?? {}) ||
      containsUnknown(rest);
    return { changes: changed, replaces, deleteBeforeReplace: false };
  },

  async create(raw) {
    const inputs: InstanceSSLInputs = { ...raw, ...validInputs(schema, raw, "InstanceSSL") };
    const client = defaultClient();
    const deadline = Date.now() + timeoutOf(inputs.timeouts, "create", DEFAULT_TIMEOUT_MS);
    const outs = await withLock(instanceLock(inputs.instanceId), () =>
      converge(client, inputs, inputs as unknown as Record<string, unknown>, false, deadline),
    );
    return { id: inputs.instanceId, outs };
  },

  async read(id, props) {
    const client = defaultClient();
    let ssl: SslInfo;
    try {
      ssl = await client.describeInstanceSSL(id);
    } catch (err) {
      if (isInstanceNotFound(err)) return {};
      throw err;
    }
    const stored = props?.instanceId ? props : undefined;
    // Only the required `enabled` follows the live setting (so that a drift shows at the next
    // preview as `enabled: false => true`); every optional input is the program's, from the state,
    // never a value the API reported.
    const inputs: InstanceSSLInputs = {
      instanceId: id,
      enabled: ssl.enabled,
      certificateRotation: stored?.certificateRotation,
      leaveOnDestroy: stored?.leaveOnDestroy ?? false,
      timeouts: stored?.timeouts,
    };
    return { id, props: outputsOf(inputs, ssl), inputs: plain(inputs) as InstanceSSLOutputs };
  },

  async update(id, olds, raw) {
    const news: InstanceSSLInputs = { ...raw, ...validInputs(schema, raw, "InstanceSSL") };
    const client = defaultClient();
    const deadline = Date.now() + timeoutOf(news.timeouts, "update", DEFAULT_TIMEOUT_MS);
    const rotate =
      news.certificateRotation !== undefined && news.certificateRotation !== olds.certificateRotation;
    const outs = await withLock(instanceLock(id), () =>
      converge(client, news, news as unknown as Record<string, unknown>, rotate, deadline),
    );
    return { outs };
  },

  async delete(id, props) {
    if (props.leaveOnDestroy) return;
    const client = defaultClient();
    const deadline = Date.now() + timeoutOf(props.timeouts, "delete", DEFAULT_TIMEOUT_MS);
    try {
      const inputs: InstanceSSLInputs = { ...props, instanceId: id, enabled: false };
      await withLock(instanceLock(id), () =>
        converge(client, inputs, { ...props, enabled: false }, false, deadline),
      );
    } catch (err) {
      // Instance gone or released: nothing is left to turn off.
      if (isInstanceNotFound(err) || isReleased(err)) return;
      // A partial failure only makes sense for create and update: report its message.
      if (err && typeof err === "object" && "reasons" in err)
        throw new Error((err as unknown as { message: string }).message);
      throw err;
    }
  },
};

/**
 * TLS (SSL) encryption of a Tair instance.
 *
 * @example
 * ```ts
 * import { InstanceSSL } from "pulumi-managed-redis";
 * const ssl = new InstanceSSL("ssl", { instanceId: "r-bp1zxszhcgatnx****", enabled: true, certificateRotation: "2026-01" });
 * export const caUrl = ssl.certDownloadUrl;
 * ```
 */
export class InstanceSSL extends pulumi.dynamic.Resource {
  /** The type token `pulumi-nodejs:dynamic/alicloud:InstanceSSL`. */
  static readonly __pulumiType = TYPE_TOKENS.InstanceSSL;

  // `declare`: with target ES2022 a plain field would be re-defined as undefined after super()
  // and hide the outputs the base class has just set up.
  declare readonly instanceId: pulumi.Output<string>;
  declare readonly enabled: pulumi.Output<boolean>;
  declare readonly certificateRotation: pulumi.Output<string | undefined>;
  declare readonly leaveOnDestroy: pulumi.Output<boolean>;
  declare readonly timeouts: pulumi.Output<TairTimeouts | undefined>;
  /** SSL state as last read from the cloud. */
  declare readonly sslEnabled: pulumi.Output<boolean>;
  declare readonly certCommonName: pulumi.Output<string | undefined>;
  declare readonly sslExpiredTime: pulumi.Output<string | undefined>;
  declare readonly certDownloadUrl: pulumi.Output<string | undefined>;

  constructor(name: string, args: InstanceSSLArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimProvider("alicloud/instance-ssl"),
      name,
      {
        ...args,
        sslEnabled: undefined,
        certCommonName: undefined,
        sslExpiredTime: undefined,
        certDownloadUrl: undefined,
      },
      opts,
      "alicloud",
      "InstanceSSL",
    );
  }
}
