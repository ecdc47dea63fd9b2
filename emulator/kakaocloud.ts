/**
 * The KakaoCloud part of the emulator: IAM tokens and the Redis (MemStore) API with cluster mode
 * enabled, each at the root of its own port. Written from the KakaoCloud API document and the
 * facts in `docs/cloud-facts.md`.
 *
 * Paths:
 * - IAM port: `POST /identity/v3/auth/tokens` (the IAM base URL is `http://host:port/identity`,
 *   as `https://iam.kakaocloud.com/identity`)
 * - Redis port (as `https://redis.kr-central-2.kakaocloud.com`):

 * - `GET /v1/redis/versions`, `GET /v1/redis/flavors`
 * - `GET|POST /v1/clusters`, `GET|PATCH|DELETE /v1/clusters/{id}`
 * - `GET|POST /v1/clusters/{id}/shards`, `GET|DELETE /v1/clusters/{id}/shards/{shardId}`
 * - `GET|POST .../shards/{shardId}/nodes`, `GET|DELETE .../shards/{shardId}/nodes/{nodeId}`
 * - admin (no token, not counted as mutations): `POST /_emulator/failover`
 *   `{clusterId, shardId, nodeId}`, `POST /_emulator/expire-tokens`,
 *   `POST /_emulator/fail-next` `{kind, status?}`, `POST /_emulator/catalog`
 *   `{kind: "versions"|"flavors", answer: "list"|"empty"|{status, code?, message?}}`
 *
 * Errors are `{"code": "<MachineCode>", "message": "<text>"}` with the HTTP status. Codes:
 * `Unauthorized` (401), `NotFound` (404), `MethodNotAllowed` (405), `InvalidRequestBody` (400,
 * bad JSON), `InvalidParameter` (400, message names every bad field), `ShardLimitExceeded` (400),
 * `ReplicaLimitExceeded` (400), `LastShardDeletion` (400), `PrimaryNodeDeletion` (400),
 * `Conflict` (409, cluster name in use), `ClusterBusy` (409, an operation is running),
 * `InvalidClusterStatus` (409, the cluster failed; only deletion is possible).
 *
 * Statuses: a new cluster is `Creating`; `PATCH` makes it `Modifying`; adding or removing a shard
 * or a replica makes it `Scaling(horizontal)`; deletion `Deleting`; then `Running` (or gone).
 * Shards and nodes carry their cluster's status, except a shard or node being added (`Creating`)
 * or removed (`Deleting`). Transitions are computed from timestamps on access: no timers.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ kakaocloud: { settleMs: { default: 100 } } });
 * const kakao = emu.clouds.kakaocloud as KakaocloudModule;
 * kakao.failover(clusterId, "001", replicaId);
 * ```
 */
import type { CloudModule } from "./cloud";
import { Realism } from "./realistic";
import { DEMO_CREDENTIAL, type KakaocloudCredential, TokenStore } from "./kakaocloud/iam";
import { LaggedReads } from "./kakaocloud/lag";
import {
  ClusterStore,
  type KakaocloudSettleKind,
  SETTLE_KINDS,
  clusterView,
  rfc3339,
  shardView,
} from "./kakaocloud/model";
import {
  type KakaocloudCatalog,
  type KakaocloudCatalogAnswer,
  type KakaocloudFlavor,
  type RouteContext,
  fail,
  reply,
} from "./kakaocloud/route-context";
import { registerRedisRoutes } from "./kakaocloud/routes";
import { KAKAOCLOUD_VERSIONS } from "./kakaocloud/validate";
import { type EmuRequest, type MountedCloud, Router, SettleTimes } from "./server";

export type {
  KakaocloudCatalog,
  KakaocloudCatalogAnswer,
  KakaocloudCredential,
  KakaocloudFlavor,
  KakaocloudSettleKind,
};
export { DEMO_CREDENTIAL, KAKAOCLOUD_VERSIONS };

/** Flavors listed when no `flavors` option is given (the first id is the document's sample). */
export const KAKAOCLOUD_DEFAULT_FLAVORS: readonly KakaocloudFlavor[] = [
  { id: "3830ebad-ea2f-4822-8a7d-9e301c86a58d", name: "m2a.large", vcpus: 2, memory: 8 },
  { id: "5f0e1c1e-2b7d-4f43-9a53-1c0d6f0a1b02", name: "m2a.xlarge", vcpus: 4, memory: 16 },
  { id: "7a1d2e3f-4c5b-4d6e-8f70-2a3b4c5d6e03", name: "r2a.large", vcpus: 2, memory: 16 },
  { id: "9b2c3d4e-5f60-4a7b-8c9d-3e4f5a6b7c04", name: "r2a.xlarge", vcpus: 4, memory: 32 },
];

/** Options of the KakaoCloud emulator (`startEmulator({ kakaocloud: {...} })`). */
export interface KakaocloudEmulatorOptions {
  /**
   * Application credentials accepted by `POST /identity/v3/auth/tokens`. Default: one pair,
   * id `demo-credential-id`, secret `demo-credential-secret` ({@link DEMO_CREDENTIAL}).
   */
  credentials?: KakaocloudCredential[];
  /** Token lifetime in seconds (default 3600; fractions allowed, for expiry tests). */
  tokenTtlSeconds?: number;
  /**
   * Settle times in milliseconds by operation kind (`createCluster`, `updateCluster`,
   * `deleteCluster`, `addShard`, `deleteShard`, `addReplica`, `deleteReplica`) or `default`
   * (1000). Changeable at run time with `module.settle.set(kind, ms)`; an operation uses the time
   * in force when it starts.
   */
  settleMs?: Partial<Record<KakaocloudSettleKind | "default", number>>;
  /** Flavors for `GET /v1/redis/flavors` and for checking `flavorId` (default {@link KAKAOCLOUD_DEFAULT_FLAVORS}). */
  flavors?: KakaocloudFlavor[];
  /**
   * Redis versions accepted and listed (default {@link KAKAOCLOUD_VERSIONS}, the published list:
   * 7.2.11, 7.2.6, 7.0.15, 6.2.20, 6.2.16, 6.2.5, 5.0.6).
   */
  versions?: string[];
  /**
   * How `GET /v1/redis/versions` and `GET /v1/redis/flavors` answer: their list (default), an
   * empty list, or an error (changeable at run time with `module.catalog()`). Creating a cluster
   * still checks `versions` and `flavors`.
   */
  catalog?: Partial<Record<KakaocloudCatalog, KakaocloudCatalogAnswer>>;
  /** Most shards per cluster (default 12, the document's maximum). */
  maxShards?: number;
  /** Most nodes per shard, primary included (default 6; not published). */
  maxNodesPerShard?: number;
  /** The realistic profile's choices (set by `startEmulator` from its `profile` and `seed`). */
  realism?: Realism;
}

/** One cluster of {@link KakaocloudModule.snapshot}, with its shards and nodes. */
export type KakaocloudClusterSnapshot = ReturnType<typeof clusterView> & {
  shards: ReturnType<typeof shardView>[];
  /** Whether a `user.password` was given at creation (the password itself is never exposed). */
  passwordSet: boolean;
  /** The operation in progress, if any. */
  pending?: { kind: KakaocloudSettleKind; status: string; settlesAt: string };
};

/** The state of the KakaoCloud emulator as plain data. */
export interface KakaocloudSnapshot {
  clusters: KakaocloudClusterSnapshot[];
  tokens: { issued: number; valid: number };
}

/** The KakaoCloud emulator: a {@link CloudModule} with test hooks. */
export interface KakaocloudModule extends CloudModule {
  /** Clusters with their shards and nodes (no passwords), and token counts. */
  snapshot(): KakaocloudSnapshot;
  /** Ever created through the API: `{cluster, shard, replica}` (shards made with a cluster count under `cluster`). */
  created(): Record<"cluster" | "shard" | "replica", number>;
  /** Still existing (deleting included) of those created through the API. */
  live(): Record<"cluster" | "shard" | "replica", number>;
  /**
   * Simulates a failover: `newPrimaryNodeId` (a replica of the shard) becomes primary and the
   * former primary a replica. Throws when a cluster, shard or node is unknown or the node is not
   * a settled replica.
   */
  failover(clusterId: string, shardId: string, newPrimaryNodeId: string): void;
  /** Makes every token issued so far expire now. Returns how many tokens were issued. */
  expireTokens(): number;
  /**
   * Makes the next operation of `kind` end in `status` (default `Error`) instead of succeeding;
   * the cluster then stays in that status and only accepts deletion.
   */
  failNext(kind: KakaocloudSettleKind, status?: string): void;
  /** Whether a cluster was created with this password (for tests; never exposed over HTTP). */
  passwordMatches(clusterId: string, candidate: string): boolean;
  /** Deletes a cluster out of band (as from the console), at once. Throws when unknown. */
  deleteOutOfBand(clusterId: string): void;
  /** A restart that loses state: every cluster and token is forgotten. Returns the clusters lost. */
  restart(): number;
  /**
   * Makes `GET /v1/redis/{kind}` answer its list (`"list"`), an empty list (`"empty"`) or an
   * error (`{status, code?, message?}`) from now on.
   */
  catalog(kind: KakaocloudCatalog, answer: KakaocloudCatalogAnswer): void;
}

/** Creates the KakaoCloud emulator: the Redis API and IAM, each on its own port. */
export function createKakaocloud(options: KakaocloudEmulatorOptions = {}): KakaocloudModule {
  const flavors = options.flavors ?? KAKAOCLOUD_DEFAULT_FLAVORS;
  const store = new ClusterStore();
  const realism = options.realism ?? new Realism();
  const ctx: RouteContext = {
    store,
    tokens: new TokenStore(options.credentials ?? [DEMO_CREDENTIAL], options.tokenTtlSeconds ?? 3600),
    settle: new SettleTimes({ default: 1000 }, { ...options.settleMs } as Record<string, number>),
    limits: {
      maxShards: options.maxShards ?? 12,
      maxNodesPerShard: options.maxNodesPerShard ?? 6,
      versions: options.versions ?? KAKAOCLOUD_VERSIONS,
      flavorIds: new Set(flavors.map((f) => f.id)),
    },
    flavors,
    failures: new Map(),
    realism,
    reads: new LaggedReads(store, realism),
    catalog: new Map(Object.entries(options.catalog ?? {}) as [KakaocloudCatalog, KakaocloudCatalogAnswer][]),
  };
  const { tokens } = ctx;
  const router = new Router();
  const iamRouter = new Router();

  iamRouter.add(
    "POST",
    "/identity/v3/auth/tokens",
    (req) => {
      if (req.badJson) return fail(400, "InvalidRequestBody", "The request body is not valid JSON");
      const r = tokens.issue(req.json);
      if (!r.ok) return fail(r.status, r.status === 401 ? "Unauthorized" : "InvalidParameter", r.message);
      const body = {
        token: {
          methods: ["application_credential"],
          issued_at: r.issuedAt.toISOString(),
          expires_at: r.expiresAt.toISOString(),
        },
      };
      return reply(201, body, { "x-subject-token": r.token });
    },
    "issueToken",
  );
  registerRedisRoutes(router, ctx);

  const failover = (clusterId: string, shardId: string, nodeId: string): void => {
    const c = store.get(clusterId);
    const s = c?.shards.find((x) => x.id === shardId);
    if (!c || !s) throw new Error(`failover: no shard ${shardId} in cluster ${clusterId}`);
    const next = s.nodes.find((n) => n.id === nodeId);
    if (!next) throw new Error(`failover: no node ${nodeId} in shard ${shardId}`);
    if (next.role !== "replica" || next.creating || next.deleting) {
      throw new Error(`failover: node ${nodeId} is not a settled replica`);
    }
    for (const n of s.nodes) if (n.role === "primary") n.role = "replica";
    next.role = "primary";
    ctx.reads.recordVisible();
  };

  router.add(
    "POST",
    "/_emulator/failover",
    (req) => {
      const b = (req.json ?? {}) as Record<string, unknown>;
      try {
        failover(String(b.clusterId), String(b.shardId), String(b.nodeId));
        return reply(200, { primary: b.nodeId });
      } catch (e) {
        return fail(400, "InvalidParameter", (e as Error).message);
      }
    },
    "adminFailover",
  );
  router.add(
    "POST",
    "/_emulator/expire-tokens",
    () => reply(200, { expired: tokens.expireAll() }),
    "adminExpireTokens",
  );
  router.add(
    "POST",
    "/_emulator/fail-next",
    (req) => {
      const b = (req.json ?? {}) as Record<string, unknown>;
      const kind = b.kind as KakaocloudSettleKind;
      if (!SETTLE_KINDS.includes(kind)) {
        return fail(400, "InvalidParameter", `kind must be one of ${SETTLE_KINDS.join(", ")}`);
      }
      failNext(kind, typeof b.status === "string" ? b.status : undefined);
      return reply(200, { kind });
    },
    "adminFailNext",
  );

  const setCatalog = (kind: KakaocloudCatalog, answer: KakaocloudCatalogAnswer): void => {
    if (kind !== "versions" && kind !== "flavors")
      throw new Error(`catalog: kind must be versions or flavors`);
    const valid =
      answer === "list" ||
      answer === "empty" ||
      (typeof answer === "object" &&
        answer !== null &&
        Number.isInteger(answer.status) &&
        answer.status >= 400);
    if (!valid) throw new Error(`catalog: answer must be "list", "empty" or {status >= 400}`);
    ctx.catalog.set(kind, answer);
  };
  router.add(
    "POST",
    "/_emulator/catalog",
    (req) => {
      const b = (req.json ?? {}) as Record<string, unknown>;
      try {
        setCatalog(b.kind as KakaocloudCatalog, b.answer as KakaocloudCatalogAnswer);
        return reply(200, { kind: b.kind });
      } catch (e) {
        return fail(400, "InvalidParameter", (e as Error).message);
      }
    },
    "adminCatalog",
  );

  const failNext = (kind: KakaocloudSettleKind, status = "Error"): void => {
    const queue = ctx.failures.get(kind) ?? [];
    queue.push(status);
    ctx.failures.set(kind, queue);
  };

  const notFound =
    (r: Router) =>
    (req: EmuRequest): ReturnType<typeof fail> =>
      r.match(req.method, req.path) === "method"
        ? fail(405, "MethodNotAllowed", `${req.method} is not allowed on ${req.path}`)
        : fail(404, "NotFound", `No API at ${req.method} ${req.path}`);
  const common = {
    name: "kakaocloud",
    badRequest: (message: string) => fail(400, "BadRequest", message),
    isMutating: (req: EmuRequest, op: string | undefined) =>
      req.method !== "GET" && !(op ?? "").startsWith("admin"),
  };
  const mounted: MountedCloud[] = [
    { ...common, endpoint: "kakaocloud", router, notFound: notFound(router) },
    {
      ...common,
      endpoint: "kakaocloudIam",
      basePath: "/identity",
      router: iamRouter,
      notFound: notFound(iamRouter),
    },
  ];

  return {
    mounted,
    settle: ctx.settle,
    snapshot: () => ({
      clusters: store.all().map((c) => ({
        ...clusterView(c),
        shards: c.shards.map((s) => shardView(c, s)),
        passwordSet: c.password !== undefined,
        ...(c.op
          ? { pending: { kind: c.op.kind, status: c.op.status, settlesAt: rfc3339(c.op.until) } }
          : {}),
      })),
      tokens: { issued: tokens.issued, valid: tokens.valid() },
    }),
    created: () => ({ ...store.createdCount }),
    live: () => store.live(),
    failover,
    expireTokens: () => tokens.expireAll(),
    failNext,
    deleteOutOfBand: (clusterId) => {
      if (!store.get(clusterId)) throw new Error(`deleteOutOfBand: no cluster ${clusterId}`);
      store.remove(clusterId);
      ctx.reads.recordVisible();
    },
    restart: () => {
      tokens.expireAll();
      const lost = store.clear();
      ctx.reads.recordVisible();
      return lost;
    },
    catalog: setCatalog,
    passwordMatches: (clusterId, candidate) => {
      const c = store.get(clusterId);
      return c?.password !== undefined && c.password === candidate;
    },
  };
}
