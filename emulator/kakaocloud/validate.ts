/**
 * Validation of the KakaoCloud Redis request bodies, written from the API document
 * (cluster mode enabled; see `docs/cloud-facts.md`, KakaoCloud).
 * Every problem names the field and says what is allowed; a password is never echoed.
 */
import type { BackupSchedule } from "./model";

/**
 * Redis versions for new clusters, as KakaoCloud publishes them today (`GET /v1/redis/versions`,
 * docs/cloud-facts.md): newer than the five the create-cluster document lists (7.2.11 and 6.2.20 besides).
 */
export const KAKAOCLOUD_VERSIONS: readonly string[] = [
  "7.2.11",
  "7.2.6",
  "7.0.15",
  "6.2.20",
  "6.2.16",
  "6.2.5",
  "5.0.6",
];

/** Limits the emulator enforces. */
export interface Limits {
  maxShards: number;
  maxNodesPerShard: number;
  versions: readonly string[];
  flavorIds: ReadonlySet<string>;
}

/** A validated create-cluster body. */
export interface CreateClusterBody {
  name: string;
  description: string;
  version: string;
  port: number;
  shardCount: number;
  nodeCountPerShard: number;
  flavorId: string;
  parameterGroupId: string;
  subnets: string[];
  assignments: { primary: string; replicas: string[] }[];
  securityGroups: string[];
  user?: { name?: string; password?: string };
  tlsEnabled: boolean;
  backupSchedule?: BackupSchedule;
}

/** A validated add-shard body. */
export interface AddShardBody {
  nodeCount: number;
  primary: string;
  replicas: string[];
}

/** The outcome of a validation: the value, or the list of problems. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : String(JSON.stringify(v)));

class Problems {
  readonly list: string[] = [];
  add(msg: string): undefined {
    this.list.push(msg);
    return undefined;
  }

  str(o: Obj, key: string, field: string, required: boolean): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return required ? this.add(`${field} is required`) : undefined;
    if (typeof v !== "string") return this.add(`${field} must be a string`);
    if (required && v.trim() === "") return this.add(`${field} must not be empty`);
    return v;
  }

  int(o: Obj, key: string, field: string, min: number, max: number): number | undefined {
    const v = o[key];
    if (v === undefined || v === null) return this.add(`${field} is required`);
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      return this.add(`${field} must be an integer from ${min} to ${max} (got ${show(v)})`);
    }
    return v;
  }

  /** An `{id}` object: returns the id. */
  ref(v: unknown, field: string): string | undefined {
    if (!isObj(v)) return this.add(`${field} must be an object {"id": "..."}`);
    return this.str(v, "id", `${field}.id`, true);
  }

  /** An array of `{id}` objects; `undefined` entries are dropped after being reported. */
  refs(v: unknown, field: string, required: boolean): string[] | undefined {
    if (v === undefined || v === null) return required ? this.add(`${field} is required`) : [];
    if (!Array.isArray(v)) return this.add(`${field} must be an array of {"id": "..."} objects`);
    const ids = v.map((x, i) => this.ref(x, `${field}[${i}]`));
    return ids.every((x) => x !== undefined) ? (ids as string[]) : undefined;
  }

  result<T>(value: T): Checked<T> {
    return this.list.length === 0 ? { ok: true, value } : { ok: false, problems: this.list };
  }
}

/**
 * Checks one subnet assignment `{primary:{id}, replicas:[{id}]}`: `replicas` must hold exactly
 * `replicaCount` entries and every id must be one of the cluster's subnets.
 */
function assignment(
  p: Problems,
  v: unknown,
  field: string,
  replicaCount: number | undefined,
  subnets: ReadonlySet<string> | undefined,
): { primary: string; replicas: string[] } | undefined {
  if (!isObj(v)) return p.add(`${field} must be an object {"primary": {"id"}, "replicas": [{"id"}]}`);
  const primary = p.ref(v.primary, `${field}.primary`);
  const replicas = p.refs(v.replicas, `${field}.replicas`, replicaCount !== undefined && replicaCount > 0);
  if (replicas && replicaCount !== undefined && replicas.length !== replicaCount) {
    p.add(
      `${field}.replicas must list ${replicaCount} subnet(s) (node count per shard - 1), got ${replicas.length}`,
    );
  }
  if (subnets) {
    for (const [i, id] of [primary, ...(replicas ?? [])].entries()) {
      if (id !== undefined && !subnets.has(id)) {
        const where = i === 0 ? `${field}.primary.id` : `${field}.replicas[${i - 1}].id`;
        p.add(`${where} ${show(id)} is not one of the cluster's subnets`);
      }
    }
  }
  return primary !== undefined && replicas !== undefined ? { primary, replicas } : undefined;
}

/** Five cron fields (minute hour day-of-month month day-of-week). */
export function isCron5(v: string): boolean {
  const fields = v.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => /^[0-9A-Za-z*,/?-]+$/.test(f));
}

/** Validates the body of `POST /v1/clusters`. */
export function checkCreateCluster(body: unknown, limits: Limits): Checked<CreateClusterBody> {
  const p = new Problems();
  if (!isObj(body)) return { ok: false, problems: ["the request body must be a JSON object"] };
  const name = p.str(body, "name", "name", true);
  const description = p.str(body, "description", "description", false) ?? "";
  const version = p.str(body, "version", "version", true);
  if (version !== undefined && !limits.versions.includes(version)) {
    p.add(`version must be one of ${limits.versions.join(", ")} (got ${show(version)})`);
  }
  const port = p.int(body, "port", "port", 2000, 50000);
  const shardCount = p.int(body, "shardCount", "shardCount", 1, limits.maxShards);
  const nodeCount = p.int(body, "nodeCountPerShard", "nodeCountPerShard", 1, limits.maxNodesPerShard);
  const flavorId = p.str(body, "flavorId", "flavorId", true);
  if (flavorId !== undefined && !limits.flavorIds.has(flavorId)) {
    p.add(`flavorId ${show(flavorId)} is not a known flavor (GET /v1/redis/flavors lists them)`);
  }
  const parameterGroupId = p.str(body, "parameterGroupId", "parameterGroupId", true);
  const subnets = p.refs(body.subnets, "subnets", true);
  if (subnets && subnets.length === 0) p.add("subnets must list at least one subnet");
  const subnetSet = subnets ? new Set(subnets) : undefined;

  const assignments: CreateClusterBody["assignments"] = [];
  const sa = body.subnetAssignments;
  if (sa === undefined || sa === null) p.add("subnetAssignments is required");
  else if (!Array.isArray(sa)) p.add("subnetAssignments must be an array with one entry per shard");
  else {
    if (shardCount !== undefined && sa.length !== shardCount) {
      p.add(`subnetAssignments must have one entry per shard (shardCount ${shardCount}), got ${sa.length}`);
    }
    const replicas = nodeCount !== undefined ? nodeCount - 1 : undefined;
    sa.forEach((a, i) => {
      const got = assignment(p, a, `subnetAssignments[${i}]`, replicas, subnetSet);
      if (got) assignments.push(got);
    });
  }

  const securityGroups = p.refs(body.securityGroups, "securityGroups", true);
  if (securityGroups && securityGroups.length === 0) p.add("securityGroups must list at least one group");

  let user: CreateClusterBody["user"];
  if (body.user !== undefined && body.user !== null) {
    if (!isObj(body.user)) p.add("user must be an object {name, password}");
    else {
      user = {
        name: p.str(body.user, "name", "user.name", false),
        password: p.str(body.user, "password", "user.password", false),
      };
    }
  }

  let tlsEnabled = false;
  if (body.tlsEnabled !== undefined && body.tlsEnabled !== null) {
    if (typeof body.tlsEnabled !== "boolean")
      p.add(`tlsEnabled must be a boolean (got ${show(body.tlsEnabled)})`);
    else tlsEnabled = body.tlsEnabled;
  }

  let backupSchedule: BackupSchedule | undefined;
  const bs = body.backupSchedule;
  if (bs !== undefined && bs !== null) {
    if (!isObj(bs)) p.add("backupSchedule must be an object {cron, retentionLimit}");
    else {
      const cron = p.str(bs, "cron", "backupSchedule.cron", true);
      if (cron !== undefined && cron.trim() !== "" && !isCron5(cron)) {
        p.add(`backupSchedule.cron must be a cron expression of 5 fields (got ${show(cron)})`);
      }
      const retentionLimit = p.int(bs, "retentionLimit", "backupSchedule.retentionLimit (days)", 1, 35);
      if (cron !== undefined && retentionLimit !== undefined) backupSchedule = { cron, retentionLimit };
    }
  }

  return p.result({
    name: name ?? "",
    description,
    version: version ?? "",
    port: port ?? 0,
    shardCount: shardCount ?? 0,
    nodeCountPerShard: nodeCount ?? 0,
    flavorId: flavorId ?? "",
    parameterGroupId: parameterGroupId ?? "",
    subnets: subnets ?? [],
    assignments,
    securityGroups: securityGroups ?? [],
    user,
    tlsEnabled,
    backupSchedule,
  });
}

/** Fields `PATCH /v1/clusters/{id}` may change. */
export interface UpdateClusterBody {
  description?: string;
  parameterGroupId?: string;
}

/**
 * Validates the body of `PATCH /v1/clusters/{id}`: only `description` and `parameterGroupId`, at
 * least one of them, and `parameterGroupId` not empty (the document: "Cannot update
 * parameterGroupId to an empty string").
 */
export function checkUpdateCluster(body: unknown): Checked<UpdateClusterBody> {
  const p = new Problems();
  if (!isObj(body)) return { ok: false, problems: ["the request body must be a JSON object"] };
  for (const key of Object.keys(body)) {
    if (key !== "description" && key !== "parameterGroupId") {
      p.add(`${key} cannot be updated (only description and parameterGroupId can)`);
    }
  }
  const description = p.str(body, "description", "description", false);
  let parameterGroupId: string | undefined;
  if (body.parameterGroupId !== undefined) {
    parameterGroupId = p.str(body, "parameterGroupId", "parameterGroupId", false);
    if (parameterGroupId !== undefined && parameterGroupId.trim() === "") {
      p.add("parameterGroupId cannot be updated to an empty string");
    }
  }
  if (body.description === undefined && body.parameterGroupId === undefined) {
    p.add("nothing to update: give description and/or parameterGroupId");
  }
  return p.result({ description, parameterGroupId });
}

/**
 * Validates the body of `POST /v1/clusters/{id}/shards`. `subnetAssignments` is accepted both as
 * one object (the document's example) and as an array of exactly one object (the document's
 * table); `replicas` must hold `nodeCount - 1` subnets, all of them the cluster's.
 */
export function checkAddShard(
  body: unknown,
  limits: Limits,
  subnets: ReadonlySet<string>,
): Checked<AddShardBody> {
  const p = new Problems();
  if (!isObj(body)) return { ok: false, problems: ["the request body must be a JSON object"] };
  const nodeCount = p.int(body, "nodeCount", "nodeCount", 1, limits.maxNodesPerShard);
  let raw = body.subnetAssignments;
  let field = "subnetAssignments";
  if (Array.isArray(raw)) {
    if (raw.length !== 1)
      p.add(`subnetAssignments must describe exactly one shard, got ${raw.length} entries`);
    raw = raw[0];
    field = "subnetAssignments[0]";
  }
  let got: { primary: string; replicas: string[] } | undefined;
  if (raw === undefined || raw === null) p.add("subnetAssignments is required");
  else got = assignment(p, raw, field, nodeCount !== undefined ? nodeCount - 1 : undefined, subnets);
  return p.result({ nodeCount: nodeCount ?? 0, primary: got?.primary ?? "", replicas: got?.replicas ?? [] });
}

/** Validates the body of `POST .../shards/{shardId}/nodes`: `{subnet: {id}}`, one of the cluster's. */
export function checkAddReplica(body: unknown, subnets: ReadonlySet<string>): Checked<{ subnet: string }> {
  const p = new Problems();
  if (!isObj(body)) return { ok: false, problems: ["the request body must be a JSON object"] };
  const subnet = body.subnet === undefined ? p.add("subnet is required") : p.ref(body.subnet, "subnet");
  if (subnet !== undefined && !subnets.has(subnet))
    p.add(`subnet.id ${show(subnet)} is not one of the cluster's subnets`);
  return p.result({ subnet: subnet ?? "" });
}
