/**
 * `TairDirectConnection`: the private direct-connection endpoint of an Alibaba Cloud Tair
 * (ApsaraDB for Redis) cluster instance (`AllocateDirectConnection` / `ReleaseDirectConnection`),
 * read back through `DescribeDBInstanceNetInfo` (`DirectConnection` = 1).
 *
 * The resource id is the instance id: an instance has at most one direct connection. Pulumi cannot
 * import dynamic resources (pulumi/pulumi#16175: the host needs `__provider` in the state), so an
 * existing endpoint is adopted with the input `adoptExisting: true` instead; `read()` works from the
 * id alone, for when the engine supports it.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { setStackConfig } from "../core/config";
import { StateError } from "../core/errors";
import { deadlineOf, remainingMs } from "../core/deadline";
import { diffOf } from "../core/diff";
import { checkParsed, validInputs } from "../core/validation";
import { waitFor } from "../core/waiter";
import { plain } from "../core/types";
import { defaultClient } from "./client";
import {
  allocateAndWait,
  assertSslDisabled,
  liveEndpoint,
  matches,
  outputsOf,
  prefixOf,
} from "./direct-endpoint";
import { type TairTimeouts, inputSchema, timeoutsSchema } from "./inputs";
import { ifInstanceExists, mutateWhenReady, notNormal, onInstance, unlessGone } from "./support";

/** The plain inputs, as the program gives them (and, after `check`, with `port` a number). */
export interface TairDirectConnectionInputs {
  /** Id of the Tair cluster instance (VPC, Redis 4.0/5.0 or Tair 5.0, SSL disabled). Changing it replaces the resource. */
  instanceId: string;
  /**
   * Prefix of the direct endpoint: 8 to 40 characters, a lowercase letter first, then lowercase
   * letters and digits (e.g. `redisdirect123`). Default: chosen by the cloud. Changing it replaces
   * the resource.
   */
  connectionStringPrefix?: string;
  /**
   * Port of the direct endpoint, 1024 to 65535. Absent: the cloud's default (6379), and whatever
   * the cloud reports is accepted. Changing it replaces the resource.
   */
  port?: number;
  /** Deadlines of create / update / delete (defaults 30m each). */
  timeouts?: TairTimeouts;
  /**
   * Record a direct connection that already exists on the instance (with the requested prefix and
   * port) instead of failing (default false). Stands in for `import`, which dynamic resources lack.
   */
  adoptExisting?: boolean;
}

/** State of a {@link TairDirectConnection}. */
export interface TairDirectConnectionOutputs extends TairDirectConnectionInputs {
  /** Port of the direct endpoint as the cloud reports it. */
  port: number;
  /** Full direct endpoint, e.g. `redisdirect123.redis.rds.aliyuncs.com`. */
  connectionString: string;
  /** Addresses behind the endpoint (one per shard primary). */
  ipAddresses: string[];
  vpcId?: string;
  vSwitchId?: string;
}

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const PORT_RULE = "port must be a whole number from 1024 to 65535";

const schema = inputSchema("Tair cluster instance", {
  connectionStringPrefix: z
    .string({ error: "connectionStringPrefix must be a string" })
    .regex(/^[a-z][a-z0-9]{7,39}$/, {
      error:
        "connectionStringPrefix must be 8 to 40 characters: a lowercase letter first, then lowercase letters and digits",
    })
    .optional(),
  port: z
    .union([z.number(), z.string()], { error: PORT_RULE })
    .transform((v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v))
    .pipe(
      z
        .number({ error: PORT_RULE })
        .int({ error: PORT_RULE })
        .min(1024, { error: `port must be at least 1024 (${PORT_RULE})` })
        .max(65535, { error: `port must be at most 65535 (${PORT_RULE})` }),
    )
    .optional(),
  timeouts: timeoutsSchema.optional(),
  adoptExisting: z.boolean({ error: "adoptExisting must be true or false" }).optional(),
});

/** The parsed inputs right before a mutation: what the schema refuses is refused here too, before any call. */
/** The input schema under its own name (the plugin's schema is generated from it). */
export { schema as tairDirectConnectionSchema };

function checked(raw: TairDirectConnectionInputs): TairDirectConnectionInputs {
  return { ...raw, ...validInputs(schema, raw, "TairDirectConnection") };
}

/** The provider implementation (loaded by the serialized shim at call time). */
export const provider: pulumi.dynamic.ResourceProvider<
  TairDirectConnectionInputs,
  TairDirectConnectionOutputs
> = {
  async configure(req) {
    setStackConfig(req.config);
  },

  check: checkParsed<TairDirectConnectionInputs>(schema),

  // `olds` is the state: `connectionString` and `port` there are what the cloud last reported. A
  // field the program leaves out accepts whatever the cloud chose. A value unknown at preview is
  // never a replacement: an instance id passed from another resource's output is unknown while
  // that resource's in-place update is previewed, and stays what it was (taken as unchanged;
  // `pulumi up` asks again with the known value); any other unknown value may differ (an update).
  diff: diffOf<TairDirectConnectionInputs, TairDirectConnectionInputs>({
    replaces: [
      { key: "instanceId", unknown: "unchanged", absent: "unchanged" },
      {
        key: "connectionStringPrefix",
        old: (olds) =>
          prefixOf((olds as Partial<TairDirectConnectionOutputs>).connectionString) ??
          olds.connectionStringPrefix,
        absent: "unchanged",
      },
      { key: "port", normal: (port) => Number(port ?? 6379), absent: "unchanged" },
    ],
    inPlace: [
      { key: "timeouts", normal: (t) => t ?? {} },
      { key: "adoptExisting", normal: Boolean },
    ],
    // The instance has at most one direct connection: the old one goes first.
    deleteBeforeReplace: (replaces) => replaces.length > 0,
  }),

  async create(raw) {
    const inputs = checked(raw);
    const client = defaultClient();
    const deadline = deadlineOf(inputs.timeouts, "create", DEFAULT_TIMEOUT_MS);
    return onInstance(inputs.instanceId, async () => {
      await assertSslDisabled(client, inputs.instanceId);
      const existing = await liveEndpoint(client, inputs.instanceId);
      if (existing && inputs.adoptExisting && matches(existing, inputs)) {
        return { id: inputs.instanceId, outs: outputsOf(inputs, existing) };
      }
      if (existing) {
        const wanted = `prefix ${inputs.connectionStringPrefix ?? "(any)"}, port ${inputs.port ?? "(any)"}`;
        throw new StateError(
          "Conflict",
          `instance ${inputs.instanceId} already has a direct connection (${existing.connectionString}:${existing.port}), ` +
            `and an instance has at most one: ` +
            (inputs.adoptExisting
              ? `it does not match the inputs (${wanted}): set connectionStringPrefix and port to the live values`
              : `adopt it with adoptExisting: true (and its prefix and port), or release it`),
        );
      }
      const outs = await allocateAndWait(
        client,
        inputs,
        inputs as unknown as Record<string, unknown>,
        deadline,
      );
      return { id: inputs.instanceId, outs };
    });
  },

  async read(id, props) {
    const endpoint = await ifInstanceExists(() => liveEndpoint(defaultClient(), id));
    if (!endpoint) return {};
    if (props?.instanceId) {
      // The state follows the live endpoint (so that a port changed outside Pulumi shows at the next
      // preview); the inputs stay as the program declared them (none returned).
      const inputs: TairDirectConnectionInputs = {
        instanceId: id,
        connectionStringPrefix: props.connectionStringPrefix,
        port: props.port,
        timeouts: props.timeouts,
        adoptExisting: props.adoptExisting,
      };
      return { id, props: outputsOf(inputs, endpoint) };
    }
    // No state (an import): derive the inputs from the live endpoint.
    const inputs: TairDirectConnectionInputs = {
      instanceId: id,
      connectionStringPrefix: prefixOf(endpoint.connectionString),
      port: endpoint.port,
    };
    return { id, props: outputsOf(inputs, endpoint), inputs: plain(inputs) as TairDirectConnectionOutputs };
  },

  async update(id, _olds, raw) {
    const news = checked(raw);
    // Every other field replaces: an update only changes timeouts, and converges an endpoint that
    // had not settled when it was created (a partial failure) by waiting for it again.
    const client = defaultClient();
    const deadline = deadlineOf(news.timeouts, "update", DEFAULT_TIMEOUT_MS);
    return onInstance(id, async () => {
      const current = await liveEndpoint(client, id);
      if (!matches(current, news)) await assertSslDisabled(client, id);
      return {
        outs: await allocateAndWait(client, news, news as unknown as Record<string, unknown>, deadline),
      };
    });
  },

  async delete(id, props) {
    const client = defaultClient();
    const deadline = deadlineOf(props.timeouts, "delete", DEFAULT_TIMEOUT_MS);
    // Instance gone or released: its direct connection went with it.
    await unlessGone(() =>
      onInstance(id, async () => {
        if (!(await liveEndpoint(client, id))) {
          const attr = await client.describeInstanceAttribute(id);
          if (attr.InstanceStatus !== "NetworkModifying") return;
        }
        await mutateWhenReady({
          client,
          instanceId: id,
          deadline,
          what: "ReleaseDirectConnection",
          send: () => client.releaseDirectConnection(id),
          reconcile: async () => ((await liveEndpoint(client, id)) ? "retry" : "already"),
          onFault: async (err) => (err.code === "NetTypeNotExists" ? "already" : undefined),
        });
        await waitFor<true>(
          async () => {
            const attr = await client.describeInstanceAttribute(id);
            if (attr.InstanceStatus !== "Normal") return notNormal(id, attr.InstanceStatus);
            if (await liveEndpoint(client, id))
              return { state: "pending", status: "Normal, direct endpoint still listed" };
            return { state: "done", value: true };
          },
          {
            what: `direct connection of ${id} to be released`,
            timeoutMs: remainingMs(deadline),
          },
        );
      }),
    );
  },
};
