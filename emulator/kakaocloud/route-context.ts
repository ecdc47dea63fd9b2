/**
 * The context of the KakaoCloud emulator's Redis routes (`./routes.ts`) and the helpers their
 * handlers share: the answers (`reply`, `fail`), the asynchronous operations (`busy`, `startOp`,
 * `startAddition`), the lookup of the cluster and shard a request names (`find`) and the catalog
 * answers.
 */
import { newId, type EmuRequest, type EmuResponse, type SettleTimes } from "../server";
import type { Realism } from "../realistic";
import type { TokenStore } from "./iam";
import type { LaggedReads } from "./lag";
import {
  type ClusterRec,
  type ClusterStore,
  type KakaocloudSettleKind,
  type ShardRec,
  clusterStatus,
  membersPending,
  nodeView,
} from "./model";
import type { Limits } from "./validate";

/** A flavor as listed by `GET /v1/redis/flavors`. */
export interface KakaocloudFlavor {
  id: string;
  name: string;
  vcpus: number;
  /** Memory in GiB (the unit is not published; *uncertain*). */
  memory: number;
}

/**
 * How a catalog call (`GET /v1/redis/versions`, `GET /v1/redis/flavors`) answers: its list
 * (`"list"`, the default), an empty list (`"empty"`), or an error with this HTTP status (and code
 * and message, default `InternalError` / `NotFound` ...).
 */
export type KakaocloudCatalogAnswer = "list" | "empty" | { status: number; code?: string; message?: string };

/** The two catalog calls. */
export type KakaocloudCatalog = "versions" | "flavors";

/** Everything the routes need. */
export interface RouteContext {
  store: ClusterStore;
  tokens: TokenStore;
  settle: SettleTimes;
  limits: Limits;
  flavors: readonly KakaocloudFlavor[];
  /** Statuses to end the next operations of a kind with, instead of succeeding. */
  failures: Map<KakaocloudSettleKind, string[]>;
  /** The realistic profile's choices (off in the documented profile). */
  realism: Realism;
  /** How each catalog call answers (absent: its list). */
  catalog: Map<KakaocloudCatalog, KakaocloudCatalogAnswer>;
  /** What reads see: the present, or with a read lag an earlier state (./lag.ts). */
  reads: LaggedReads;
}

/** A response with the emulator's `x-request-id` header. */
export function reply(status: number, body?: unknown, headers: Record<string, string> = {}): EmuResponse {
  return { status, body, headers: { "x-request-id": newId("req-"), ...headers } };
}

/** An error response `{code, message}`. */
export function fail(status: number, code: string, message: string): EmuResponse {
  return reply(status, { code, message });
}

export const invalid = (problems: string[]) =>
  fail(400, "InvalidParameter", `Invalid request: ${problems.join("; ")}`);
export const badJson = () => fail(400, "InvalidRequestBody", "The request body is not valid JSON");

/** Refuses a mutation unless the cluster is `Running`. */
export function busy(c: ClusterRec): EmuResponse | undefined {
  const status = clusterStatus(c);
  if (status === "Running" && !membersPending(c)) return undefined;
  if (c.failedStatus && !c.op) {
    return fail(
      409,
      "InvalidClusterStatus",
      `Cluster ${c.id} is in status ${status}; only deletion is possible`,
    );
  }
  return fail(
    409,
    "ClusterBusy",
    `Cluster ${c.id} is busy (status ${status}${status === "Running" ? ", members still creating" : ""}); try again when it is Running`,
  );
}

/** Starts an asynchronous operation on a cluster; it settles after the kind's settle time. */
export function startOp(
  ctx: RouteContext,
  c: ClusterRec,
  kind: KakaocloudSettleKind,
  status: string,
  apply: () => void,
  members: { readyAt?: number }[] = [],
) {
  const failWith = ctx.failures.get(kind)?.shift();
  const settleMs = ctx.settle.get(kind);
  const now = Date.now();
  const until = now + settleMs;
  // A read lag shows real earlier states instead; a creation is never hidden (it never read Running).
  const lag = ctx.reads.on || kind === "createCluster" ? 0 : ctx.realism.statusLag(settleMs);
  const memberLag = ctx.realism.memberLag(settleMs);
  const finish = () => {
    apply();
    // Realistic profile: the members finish after their cluster.
    if (memberLag > 0) for (const m of members) m.readyAt = until + memberLag;
  };
  c.op = { kind, status, apply: finish, until, failWith, ...(lag > 0 ? { visibleAt: now + lag } : {}) };
}

/**
 * Starts the horizontal scaling that adds `member` (a shard with its nodes, or a replica node) and
 * counts it; once the operation settles, the member is created and `then` runs. Answers as the
 * document does: 201 with the cluster id.
 */
export function startAddition(
  ctx: RouteContext,
  c: ClusterRec,
  kind: "addShard" | "addReplica",
  member: { creating: boolean },
  watched: { readyAt?: number }[],
  then: () => void = () => undefined,
): EmuResponse {
  ctx.store.createdCount[kind === "addShard" ? "shard" : "replica"] += 1;
  const done = () => {
    member.creating = false;
    then();
  };
  startOp(ctx, c, kind, "Scaling(horizontal)", done, watched);
  return reply(201, { objectId: c.id });
}

export type Found = { c: ClusterRec; s?: ShardRec; at: number } | EmuResponse;

/**
 * The cluster (and shard) a request names: for a write as it is now, for a read (`read`) as the
 * read sees it (with a read lag, an earlier state; `at` is the moment it shows).
 */
export function find(ctx: RouteContext, req: EmuRequest, withShard: boolean, read = false): Found {
  const found = ctx.reads.find(req.params.clusterId, read);
  if (!found) return fail(404, "NotFound", `Cluster ${req.params.clusterId} does not exist`);
  const { c, at } = found;
  if (!withShard) return { c, at };
  const s = c.shards.find((x) => x.id === req.params.shardId);
  if (!s) return fail(404, "NotFound", `Shard ${req.params.shardId} does not exist in cluster ${c.id}`);
  return { c, s, at };
}

export const isResponse = (f: Found): f is EmuResponse => "status" in f;

/** The list-nodes answer; the realistic profile reports `createdAt` as Unix seconds (its table says Integer). */
export function listNodes(ctx: RouteContext, c: ClusterRec, s: ShardRec, at: number) {
  return ctx.realism.shuffle(s.nodes).map((n) => {
    const view = nodeView(c, s, n, ctx.realism, at);
    return ctx.realism.on ? { ...view, createdAt: Math.floor(Date.parse(n.createdAt) / 1000) } : view;
  });
}

/** A catalog call's answer: its list, an empty one, or the error a test asked for. */
export function catalogAnswer(
  ctx: RouteContext,
  kind: KakaocloudCatalog,
  body: (empty: boolean) => unknown,
): EmuResponse {
  const answer = ctx.catalog.get(kind) ?? "list";
  if (answer === "list" || answer === "empty") return reply(200, body(answer === "empty"));
  const code =
    answer.code ??
    (answer.status === 404 ? "NotFound" : answer.status >= 500 ? "InternalError" : "BadRequest");
  return fail(answer.status, code, answer.message ?? `The ${kind} list is not available`);
}
