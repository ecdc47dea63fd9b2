/**
 * The Redis API routes of the KakaoCloud emulator (cluster mode enabled), from the API document
 * (see `docs/cloud-facts.md`, KakaoCloud).
 *
 * Error body (the document does not publish one; chosen here): `{"code": "<MachineCode>",
 * "message": "<text>"}` with the HTTP status. Every response carries an `x-request-id` header.
 * The routes' context and the helpers their handlers share: `./route-context.ts`.
 */
import { newId, type EmuRequest, type Handler, type Router } from "../server";
import {
  type ClusterRec,
  clusterView,
  makeNode,
  makeShard,
  nodeView,
  rebalanceSlots,
  creationTime,
  shardView,
} from "./model";
import { checkAddReplica, checkAddShard, checkCreateCluster, checkUpdateCluster } from "./validate";
import {
  type RouteContext,
  badJson,
  busy,
  catalogAnswer,
  fail,
  find,
  invalid,
  isResponse,
  listNodes,
  reply,
  startAddition,
  startOp,
} from "./route-context";

/** Registers the Redis routes; `authed` wraps each handler with the token check. */
export function registerRedisRoutes(router: Router, ctx: RouteContext): void {
  const authed =
    (h: Handler): Handler =>
    (req) => {
      const t = ctx.tokens.check(req.headers["x-auth-token"]);
      return t.ok ? h(req) : fail(401, "Unauthorized", t.reason);
    };
  // Every write is recorded for lagging reads (a pass-through without a read lag).
  const add = (method: string, path: string, op: string, h: Handler) =>
    router.add(method, path, authed(method === "GET" ? h : ctx.reads.recording(h)), op);
  const { store } = ctx;

  // The realistic profile lists both in an undocumented order: a client must not rely on it.
  add("GET", "/v1/redis/versions", "listVersions", () =>
    catalogAnswer(ctx, "versions", (empty) => (empty ? [] : ctx.realism.shuffle(ctx.limits.versions))),
  );
  add("GET", "/v1/redis/flavors", "listFlavors", () =>
    catalogAnswer(ctx, "flavors", (empty) => ({
      flavors: empty ? [] : ctx.realism.shuffle(ctx.flavors).map((f) => ({ ...f })),
    })),
  );
  add("GET", "/v1/clusters", "listClusters", () =>
    reply(200, {
      clusters: ctx.realism.shuffle(ctx.reads.view().all()).map((r) => clusterView(r.c, ctx.realism, r.at)),
    }),
  );

  add("POST", "/v1/clusters", "createCluster", (req) => {
    if (req.badJson) return badJson();
    const checked = checkCreateCluster(req.json, ctx.limits);
    if (!checked.ok) return invalid(checked.problems);
    const b = checked.value;
    const raw = req.json as Record<string, unknown>;
    const realistic = ctx.realism.on;
    if (store.all().some((c) => c.name === b.name)) {
      return fail(409, "Conflict", `A cluster named ${JSON.stringify(b.name)} already exists`);
    }
    const c: ClusterRec = {
      id: newId(),
      name: b.name,
      description: b.description,
      version: b.version,
      port: b.port,
      nodeCountPerShard: b.nodeCountPerShard,
      flavorId: b.flavorId,
      parameterGroupId: b.parameterGroupId,
      // Realistic profile: the API fills in defaults for what the body left out.
      tlsEnabled: realistic && raw.tlsEnabled === undefined ? true : b.tlsEnabled,
      backupSchedule:
        realistic && raw.backupSchedule === undefined
          ? { cron: "0 18 * * *", retentionLimit: 1 }
          : b.backupSchedule,
      subnets: b.subnets,
      securityGroups: b.securityGroups,
      userName: realistic && raw.user === undefined ? "default" : b.user?.name,
      password: b.user?.password,
      createdAt: creationTime(),
      shards: [],
      shardSeq: 0,
    };
    for (const a of b.assignments) {
      // The create's members share the cluster's creation instant (see creationTime).
      c.shards.push(
        makeShard(c, a.primary, a.replicas, { viaApi: false, creating: false, createdAt: c.createdAt }),
      );
    }
    rebalanceSlots(c.shards);
    store.add(c);
    store.createdCount.cluster += 1;
    const members = c.shards.flatMap((s) => [s, ...s.nodes]);
    startOp(ctx, c, "createCluster", "Creating", () => undefined, members);
    return reply(201, { objectId: c.id });
  });

  add("GET", "/v1/clusters/{clusterId}", "getCluster", (req) => {
    const f = find(ctx, req, false, true);
    return isResponse(f) ? f : reply(200, clusterView(f.c, ctx.realism, f.at));
  });

  add("PATCH", "/v1/clusters/{clusterId}", "updateCluster", (req) => {
    const f = find(ctx, req, false);
    if (isResponse(f)) return f;
    if (req.badJson) return badJson();
    const checked = checkUpdateCluster(req.json);
    if (!checked.ok) return invalid(checked.problems);
    const refused = busy(f.c);
    if (refused) return refused;
    const { description, parameterGroupId } = checked.value;
    if (description !== undefined) f.c.description = description;
    // A parameter group is applied by the operation: it shows once the cluster is Running again.
    startOp(ctx, f.c, "updateCluster", "Modifying", () => {
      if (parameterGroupId !== undefined) f.c.parameterGroupId = parameterGroupId;
    });
    return reply(200, { objectId: f.c.id });
  });

  add("DELETE", "/v1/clusters/{clusterId}", "deleteCluster", (req) => {
    const f = find(ctx, req, false);
    if (isResponse(f)) return f;
    const c = f.c;
    // A repeated delete while the first one runs is accepted again (idempotent), not restarted.
    if (c.op?.kind === "deleteCluster") return reply(200, { objectId: c.id });
    // Running, or failed (a failed cluster can still be deleted); anything in progress is busy.
    if (c.op) return busy(c)!;
    startOp(ctx, c, "deleteCluster", "Deleting", () => store.remove(c.id));
    return reply(200, { objectId: c.id });
  });

  add("POST", "/v1/clusters/{clusterId}/shards", "addShard", (req) => {
    const f = find(ctx, req, false);
    if (isResponse(f)) return f;
    const c = f.c;
    if (req.badJson) return badJson();
    const checked = checkAddShard(req.json, ctx.limits, new Set(c.subnets));
    if (!checked.ok) return invalid(checked.problems);
    if (c.shards.length >= ctx.limits.maxShards) {
      return fail(400, "ShardLimitExceeded", `A cluster has at most ${ctx.limits.maxShards} shards`);
    }
    const refused = busy(c);
    if (refused) return refused;
    const { primary, replicas } = checked.value;
    const shard = makeShard(c, primary, replicas, { viaApi: true, creating: true });
    c.shards.push(shard);
    return startAddition(ctx, c, "addShard", shard, [shard, ...shard.nodes], () => rebalanceSlots(c.shards));
  });

  add("GET", "/v1/clusters/{clusterId}/shards", "listShards", (req) => {
    const f = find(ctx, req, false, true);
    if (isResponse(f)) return f;
    const { c, at } = f;
    return reply(200, { shards: ctx.realism.shuffle(c.shards).map((s) => shardView(c, s, ctx.realism, at)) });
  });

  add("GET", "/v1/clusters/{clusterId}/shards/{shardId}", "getShard", (req) => {
    const f = find(ctx, req, true, true);
    return isResponse(f) ? f : reply(200, shardView(f.c, f.s!, ctx.realism, f.at));
  });

  add("DELETE", "/v1/clusters/{clusterId}/shards/{shardId}", "deleteShard", (req) => {
    const f = find(ctx, req, true);
    if (isResponse(f)) return f;
    const { c } = f;
    const s = f.s!;
    if (c.shards.length <= 1) {
      return fail(400, "LastShardDeletion", "A cluster needs at least 1 shard; delete the cluster instead");
    }
    const refused = busy(c);
    if (refused) return refused;
    s.deleting = true;
    startOp(ctx, c, "deleteShard", "Scaling(horizontal)", () => {
      c.shards = c.shards.filter((x) => x !== s);
      rebalanceSlots(c.shards);
    });
    return reply(200, { objectId: c.id });
  });

  add("POST", "/v1/clusters/{clusterId}/shards/{shardId}/nodes", "addReplica", (req) => {
    const f = find(ctx, req, true);
    if (isResponse(f)) return f;
    const { c } = f;
    const s = f.s!;
    if (req.badJson) return badJson();
    const checked = checkAddReplica(req.json, new Set(c.subnets));
    if (!checked.ok) return invalid(checked.problems);
    if (s.nodes.length >= ctx.limits.maxNodesPerShard) {
      return fail(400, "ReplicaLimitExceeded", `A shard has at most ${ctx.limits.maxNodesPerShard} nodes`);
    }
    const refused = busy(c);
    if (refused) return refused;
    const node = makeNode(c, s, checked.value.subnet, "replica", { viaApi: true, creating: true });
    s.nodes.push(node);
    return startAddition(ctx, c, "addReplica", node, [node]);
  });

  add("GET", "/v1/clusters/{clusterId}/shards/{shardId}/nodes", "listNodes", (req) => {
    const f = find(ctx, req, true, true);
    return isResponse(f) ? f : reply(200, { nodes: listNodes(ctx, f.c, f.s!, f.at) });
  });

  const findNode = (req: EmuRequest, read = false) => {
    const f = find(ctx, req, true, read);
    if (isResponse(f)) return f;
    const n = f.s!.nodes.find((x) => x.id === req.params.nodeId);
    if (!n) return fail(404, "NotFound", `Node ${req.params.nodeId} does not exist in shard ${f.s!.id}`);
    return { c: f.c, s: f.s!, n, at: f.at };
  };

  add("GET", "/v1/clusters/{clusterId}/shards/{shardId}/nodes/{nodeId}", "getNode", (req) => {
    const f = findNode(req, true);
    return "status" in f ? f : reply(200, nodeView(f.c, f.s, f.n, ctx.realism, f.at));
  });

  add("DELETE", "/v1/clusters/{clusterId}/shards/{shardId}/nodes/{nodeId}", "deleteNode", (req) => {
    const f = findNode(req);
    if ("status" in f) return f;
    const { c, s, n } = f;
    if (n.role === "primary") {
      return fail(
        400,
        "PrimaryNodeDeletion",
        `Node ${n.id} is the primary of shard ${s.id}: primary nodes cannot be deleted`,
      );
    }
    const refused = busy(c);
    if (refused) return refused;
    n.deleting = true;
    startOp(ctx, c, "deleteReplica", "Scaling(horizontal)", () => {
      s.nodes = s.nodes.filter((x) => x !== n);
    });
    return reply(200, { objectId: c.id });
  });
}
