/**
 * `DcsInstanceSSL`: SSL on a Huawei Cloud DCS Redis instance (`PUT /v2/{project_id}/instances/{instance_id}/ssl`).
 *
 * The API supports SSL only on DCS Redis 6.0 basic edition instances (single-node, master/standby,
 * Redis Cluster); other instances answer `DCS.4201`. Each change runs as a background job: the
 * provider waits until the instance is `RUNNING` with no task (right after creation the platform
 * answers "busy"), sends the change only when the live state differs, follows the returned job to
 * `SUCCESS` or `FAIL`, and confirms with the SSL query.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { setStackConfig } from "../core/config";
import { InputError } from "../core/errors";
import { logProgress } from "../core/log";
import { partialFailure } from "../core/partial";
import { plain, type ProviderProps, type Timeouts } from "../core/types";
import { deadlineOf } from "../core/deadline";
import { diffOf } from "../core/diff";
import { checkWith, timeoutsSchema, validInputs, withoutProvider } from "../core/validation";
import { pollScale } from "../core/waiter";
import { AcceptedChangeError, applySsl } from "./apply-ssl";
import { configuredProjectId, DcsClient, dcsSettings, type DcsSslInfo } from "./client";
import { isDcsNotFound, isSslUnsupported } from "./errors";

/** The plain inputs the provider receives. */
export interface DcsInstanceSSLInputs {
  /**
   * Huawei Cloud project id. Optional: defaults to the configured `managed-redis:huaweicloudProjectId`
   * (or `HW_PROJECT_ID`); one of them is required. Changing it replaces the resource.
   */
  projectId?: string;
  /** DCS instance id (a UUID). Changing it replaces the resource. */
  instanceId: string;
  /** `true` to enable SSL, `false` to disable it. Changed in place. */
  enabled: boolean;
  /** When true, destroying the resource leaves SSL as it is; by default destroy turns SSL off. */
  leaveOnDestroy?: boolean;
  /** How long to wait for each operation (durations such as `"20m"`; default 20 minutes each). */
  timeouts?: Timeouts;
}

/** The resource's state: the inputs (with `enabled` as read live) and what the SSL query reports. */
export interface DcsInstanceSSLOutputs extends DcsInstanceSSLInputs {
  /** Domain name used with SSL (`domain_name`). */
  domainName?: string;
  /** IPv4 address used with SSL. */
  ip?: string;
  /** Port used with SSL. */
  port?: number;
  /** When the SSL certificate expires (UTC, as the API reports it). */
  sslExpiredAt?: string;
  /** Whether the SSL certificate is valid. */
  sslValidated?: boolean;
}

type Props = DcsInstanceSSLInputs & ProviderProps;
type OutProps = DcsInstanceSSLOutputs & ProviderProps;

const DEFAULT_TIMEOUT_MS = 20 * 60_000;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The input schema, written from the API document; an unknown key is refused (`core/validation.ts`). */
export const dcsInstanceSslSchema = z
  .object({
    projectId: z
      .string({ error: "projectId must be a string" })
      .regex(
        PROJECT_ID,
        "projectId must be a Huawei Cloud project id (letters, digits, '-' or '_', at most 64)",
      )
      .optional(),
    instanceId: z
      .string({
        error: (iss) =>
          iss.input === undefined
            ? "instanceId is required: the id of the DCS instance (a UUID)"
            : "instanceId must be a string",
      })
      .regex(
        UUID,
        "instanceId must be a DCS instance id, a UUID such as 5560df16-cebf-4473-95c4-d1b573c16e79",
      ),
    enabled: z.boolean({
      error: (iss) =>
        iss.input === undefined
          ? "enabled is required: true to enable SSL, false to disable it"
          : "enabled must be a boolean (true or false)",
    }),
    leaveOnDestroy: z.boolean({ error: "leaveOnDestroy must be a boolean" }).optional(),
    timeouts: timeoutsSchema,
  })
  .strict();

/** Splits a resource id `<projectId>/<instanceId>`; a bare instance id uses the configured project. */
export function parseDcsSslId(id: string): { projectId: string; instanceId: string } {
  const parts = id.split("/");
  if (parts.length === 2 && parts[0] && parts[1]) return { projectId: parts[0], instanceId: parts[1] };
  if (parts.length === 1 && parts[0]) {
    const projectId = configuredProjectId();
    if (!projectId) {
      throw new InputError(
        "InvalidId",
        `cannot tell the project of "${id}": use the id form <projectId>/<instanceId>, or configure ` +
          "managed-redis:huaweicloudProjectId (or HW_PROJECT_ID)",
      );
    }
    return { projectId, instanceId: parts[0] };
  }
  throw new InputError("InvalidId", `invalid DcsInstanceSSL id "${id}": expected <projectId>/<instanceId>`);
}

const PROJECT_REQUIRED =
  "projectId is required: set it on the resource or configure managed-redis:huaweicloudProjectId (or HW_PROJECT_ID)";

/**
 * What `check()` refuses: the schema's failures, and no project id from the input or the
 * configuration (looked at whatever else fails).
 */
const checkSchema = dcsInstanceSslSchema.superRefine(
  (inputs, ctx) => {
    if (inputs.projectId === undefined && !configuredProjectId()) {
      ctx.addIssue({ code: "custom", path: ["projectId"], message: PROJECT_REQUIRED });
    }
  },
  { when: () => true },
);

const checkInputs = checkWith<Props>(checkSchema);

/** The project of a resource id, or `undefined` when the id names none and none is configured. */
function projectOfId(id: string): string | undefined {
  try {
    return parseDcsSslId(id).projectId;
  } catch {
    return undefined;
  }
}

function resolveProject(inputs: Props): string {
  validInputs(dcsInstanceSslSchema, inputs, "DcsInstanceSSL");
  const projectId = inputs.projectId ?? configuredProjectId();
  if (!projectId) throw new InputError("InvalidInput", PROJECT_REQUIRED);
  return projectId;
}

function sslOutputs(ssl: DcsSslInfo): Partial<DcsInstanceSSLOutputs> {
  return {
    enabled: ssl.enabled,
    domainName: ssl.domainName,
    ip: ssl.ip,
    port: ssl.port,
    sslExpiredAt: ssl.sslExpiredAt,
    sslValidated: ssl.sslValidated,
  };
}

/**
 * The resource's state: the inputs and what the SSL query reports, with absent values dropped (the
 * engine's property maps cannot carry `undefined`, and a 204 or an answer without fields leaves most
 * of them absent).
 */
function stateOf(inputs: Props, ssl: DcsSslInfo): OutProps {
  return plain({ ...inputs, ...sslOutputs(ssl) });
}

function newClient(): DcsClient {
  const k = pollScale();
  return new DcsClient(dcsSettings(), {
    minDelayMs: Math.max(5, 500 * k),
    maxDelayMs: Math.max(10, 10_000 * k),
    onRetry: ({ operation, error, attempt }) =>
      logProgress(`${operation}: ${error.code}, retrying (attempt ${attempt + 1})`),
  });
}

/** The provider implementation (loaded by the serialized shim at call time). */
export const provider: pulumi.dynamic.ResourceProvider<Props, OutProps> = {
  async configure(req) {
    setStackConfig(req.config);
  },

  async check(olds, news) {
    const { failures = [] } = await checkInputs(olds, news);
    return { inputs: { ...news, leaveOnDestroy: news.leaveOnDestroy ?? false }, failures };
  },

  // A value unknown at preview is not a replacement: an id passed from another resource's output is
  // unknown while that resource's in-place update is previewed, and stays what it was. `pulumi up`
  // asks again with the known value and replaces then if it did change.
  diff: diffOf<Props, Props>({
    replaces: [
      { key: "instanceId", unknown: "unchanged" },
      {
        key: "projectId",
        // A state without projectId: the project of its id (none known: compare the inputs only).
        old: (olds, id) => olds.projectId ?? projectOfId(id),
        // An omitted projectId means the configured one.
        new: (news, old) => news.projectId ?? configuredProjectId() ?? old,
        unknown: "unchanged",
      },
    ],
    // `olds.enabled` is the state last read from the cloud: a drift shows as an update.
    inPlace: ["enabled", { key: "leaveOnDestroy", normal: (v) => v ?? false }, "timeouts"],
  }),

  async create(inputs) {
    const projectId = resolveProject(inputs);
    const id = `${projectId}/${inputs.instanceId}`;
    const deadline = deadlineOf(inputs.timeouts, "create", DEFAULT_TIMEOUT_MS);
    try {
      const ssl = await applySsl(newClient(), projectId, inputs.instanceId, inputs.enabled, deadline);
      return { id, outs: stateOf(inputs, ssl) };
    } catch (err) {
      if (err instanceof AcceptedChangeError)
        throw partialFailure(err.original, id, { ...inputs, ...sslOutputs(err.known) });
      throw err;
    }
  },

  async read(id, props) {
    const { projectId, instanceId } = parseDcsSslId(id);
    let ssl: DcsSslInfo;
    try {
      ssl = await newClient().getSsl(projectId, instanceId);
    } catch (err) {
      if (isDcsNotFound(err)) return {};
      if (!isSslUnsupported(err)) throw err;
      ssl = { enabled: false };
    }
    const stored = props && props.instanceId ? withoutProvider(props) : undefined;
    // Only what the cloud reports is taken from the answer; the inputs stay as the program declared
    // them (no inputs are returned, so the engine keeps its own).
    const outs = stateOf(
      { ...stored, instanceId, enabled: ssl.enabled, leaveOnDestroy: stored?.leaveOnDestroy ?? false },
      ssl,
    );
    if (stored) return { id, props: outs };
    // Import: no stored inputs, so derive them from the id and the live state.
    return { id, props: outs, inputs: { instanceId, enabled: ssl.enabled, leaveOnDestroy: false } };
  },

  async update(id, _olds, news) {
    validInputs(dcsInstanceSslSchema, news, "DcsInstanceSSL");
    const { projectId, instanceId } = parseDcsSslId(id);
    const deadline = deadlineOf(news.timeouts, "update", DEFAULT_TIMEOUT_MS);
    try {
      const ssl = await applySsl(newClient(), projectId, instanceId, news.enabled, deadline);
      return { outs: stateOf(news, ssl) };
    } catch (err) {
      if (err instanceof AcceptedChangeError)
        throw partialFailure(err.original, id, { ...news, ...sslOutputs(err.known) });
      throw err;
    }
  },

  async delete(id, props) {
    if (props.leaveOnDestroy) return;
    const { projectId, instanceId } = parseDcsSslId(id);
    const deadline = deadlineOf(props.timeouts, "delete", DEFAULT_TIMEOUT_MS);
    try {
      await applySsl(newClient(), projectId, instanceId, false, deadline);
    } catch (err) {
      const cause = err instanceof AcceptedChangeError ? err.original : err;
      // Instance gone, or an instance that cannot have SSL: nothing to turn off.
      if (isDcsNotFound(cause) || isSslUnsupported(cause)) return;
      throw cause;
    }
  },
};
