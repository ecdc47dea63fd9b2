/**
 * `KakaoRedisCluster`: a KakaoCloud Redis cluster with cluster mode enabled.
 *
 * Create sends `POST /v1/clusters` and answers with the cluster id as soon as the API does, so the
 * engine records the cluster before anything else happens to it; the wait until the cluster and
 * all its shards and nodes are `Running` is the class's internal `KakaoClusterSettled` child
 * (./cluster-settled.ts), safe to repeat. A cluster of the same name is adopted only when this
 * request made it, or with `adopt: true` (./adopt.ts). `description` and `parameterGroupId` update
 * in place (`PATCH`); `shardCount`, `nodeCountPerShard` and `subnetAssignments` update in place by
 * resharding (./reshard.ts); setting any other field to another value replaces the cluster,
 * removing an optional field from the program leaves the cloud as it is. A read never writes a
 * value the API reports into a field the program left out (./readback.ts). Delete waits until the
 * cluster is gone.
 *
 * Ownership (issue 23): the cluster owns exactly the shards and nodes its `shards` output names —
 * the members its create made and those its resharding added (recorded at once, and through a
 * partial failure when an update fails later). The create's state names none yet (they do not
 * exist when it answers): its first update records the members the create made, told from any
 * added since by their creation time (./initial.ts), and so does a read that finds them differing
 * from the declared layout. A read reports the recorded members as they are, so an own member
 * deleted out of band lowers the reported `shardCount` / `nodeCountPerShard` and `diff` shows an
 * update in place that adds it again; `foreignMembers` (the members it does not own) is computed on
 * every read and update.
 */
import * as pulumi from "@pulumi/pulumi";
import { registerSecret, StateError } from "../core/errors";
import { setStackConfig } from "../core/config";
import { logProgress } from "../core/log";
import { partialFailure } from "../core/partial";
import { plain, type ProviderProps } from "../core/types";
import { timeoutOf } from "../core/deadline";
import { deleteFirst, type DiffSpec, fieldDiff } from "../core/diff";
import { checkWith, containsUnknown, validInputs } from "../core/validation";
import { type Created, createOrAdopt } from "./adopt";
import { type ApiCluster, type ApiShard, isNotFound, kakaoClient } from "./client";
import {
  CLUSTER_FIELDS,
  clusterSchema,
  createClusterBody,
  type KakaoRedisClusterInputs,
  type KakaoRedisClusterOutputs,
} from "./cluster-inputs";
import { connectionOutputs } from "./endpoints";
import { checkVersionOffered } from "./lookups";
import { type ClusterShard, shardOutputs, type SubnetAssignment } from "./model";
import { assignmentsOf, importedOwnership } from "./imported";
import { initialMembers } from "./initial";
import { diffFields, diffSpecOf, readBack } from "./readback";
import {
  assignmentsReshardable,
  foreignOf,
  type OwnedShard,
  ownedOf,
  ownedSatisfies,
  planReshard,
  reshard,
} from "./reshard";
import { isLeaving, mutateWhenSettled, waitClusterGone, waitClusterSettled } from "./settle";

export {
  CLUSTER_FIELDS,
  clusterSchema,
  KAKAO_REDIS_VERSIONS,
  type KnownKakaoRedisVersion,
  type KakaoRedisClusterArgs,
  type KakaoRedisClusterInputs,
  type KakaoRedisClusterOutputs,
} from "./cluster-inputs";
export { type ClusterNode, type ClusterShard, type IdRef, type SubnetAssignment } from "./model";

type Props = KakaoRedisClusterOutputs & ProviderProps;

/** The inputs resharding converges on. */
const RESHARD_FIELDS = {
  shardCount: CLUSTER_FIELDS.shardCount,
  nodeCountPerShard: CLUSTER_FIELDS.nodeCountPerShard,
  subnetAssignments: CLUSTER_FIELDS.subnetAssignments,
};

/**
 * The cluster's diff (./readback.ts rules per field); the resharding rule and the cluster's own
 * members are added in `diff`.
 */
const CLUSTER_DIFF: DiffSpec<KakaoRedisClusterInputs, KakaoRedisClusterInputs> = {
  ...diffSpecOf(CLUSTER_FIELDS),
  // The name is unique: a replacement that keeps it must delete the old cluster first.
  deleteBeforeReplace: (replaces, olds, news) => replaces.length > 0 && olds.name === news.name,
};

function timeouts(inputs: KakaoRedisClusterInputs) {
  return {
    create: timeoutOf(inputs.timeouts, "create", 2 * 3_600_000),
    update: timeoutOf(inputs.timeouts, "update", 3_600_000),
    // Slot migration "may take several hours": resharding waits up to 12 h unless told otherwise.
    reshard: timeoutOf(inputs.timeouts, "update", 12 * 3_600_000),
    delete: timeoutOf(inputs.timeouts, "delete", 3_600_000),
  };
}

/** Registers the secret inputs for redaction, so that an API error that echoes one never shows it. */
function registerSecrets(inputs: Partial<KakaoRedisClusterInputs> | undefined): void {
  registerSecret(inputs?.user?.password);
}

/**
 * The outputs; `foreignMembers` is computed live: the listed members `shards` does not name.
 * `shards` undefined: the create's members are not recorded yet (the create's own outputs); then
 * nothing is called foreign, and the next update records them.
 */
function outputs(
  inputs: KakaoRedisClusterInputs,
  id: string,
  cluster: ApiCluster | undefined,
  shards: ClusterShard[] | undefined,
  live: ApiShard[] = [],
) {
  return plain({
    ...inputs,
    clusterId: id,
    status: cluster?.status ?? "unknown",
    shards: shards as ClusterShard[],
    foreignMembers: shards ? foreignOf(live, ownedOf(shards)) : { shardIds: [], nodeIds: [] },
    ...connectionOutputs(live, inputs.port),
  } satisfies KakaoRedisClusterOutputs);
}

/**
 * The counts a read reports: the declared ones while the cluster's own members have them, else the
 * live counts of its own members (a shard or node deleted out of band), so that refresh and preview
 * show the difference as an update in place and `pulumi up` adds the member again.
 */
function ownedCounts(
  own: readonly ClusterShard[],
  declared: { shardCount?: number; nodeCountPerShard?: number },
): { shardCount?: number; nodeCountPerShard?: number } {
  const { shardCount, nodeCountPerShard } = declared;
  if (shardCount === undefined || nodeCountPerShard === undefined) return { shardCount, nodeCountPerShard };
  if (own.length === 0) return { shardCount: 0, nodeCountPerShard };
  const nodes = own.map((s) => s.nodes.filter((n) => !isLeaving(n.status)).length);
  const min = Math.min(...nodes);
  const max = Math.max(...nodes);
  return {
    shardCount: own.length,
    nodeCountPerShard: min !== nodeCountPerShard ? min : max,
  };
}

/** The implementation behind {@link KakaoRedisCluster}'s serialized provider. */
export const provider: pulumi.dynamic.ResourceProvider<KakaoRedisClusterInputs, KakaoRedisClusterOutputs> = {
  async configure(req) {
    setStackConfig(req.config);
  },

  check: checkWith(clusterSchema),

  async diff(id, olds, news) {
    const { changed, replaces } = fieldDiff(CLUSTER_DIFF, id, olds, news);
    // Resharding cannot move the primary of a shard that stays to another subnet.
    if (
      !replaces.includes("subnetAssignments") &&
      !containsUnknown(news.subnetAssignments) &&
      !assignmentsReshardable(olds.subnetAssignments, news.subnetAssignments)
    )
      replaces.push("subnetAssignments");
    return {
      // Also when the cluster's own members lack what the program asks for (lost out of band, or
      // an update that did not finish), or when the create's members are not recorded yet.
      changes: changed.length > 0 || ownMembersDue(olds, news),
      replaces,
      deleteBeforeReplace: deleteFirst(CLUSTER_DIFF, replaces, olds, news),
    };
  },

  async create(inputs) {
    registerSecrets(inputs);
    validInputs(clusterSchema, inputs, "KakaoRedisCluster");
    const client = kakaoClient();
    await checkVersionOffered(client, inputs.version);
    const created: Created = await createOrAdopt(client, inputs, createClusterBody(inputs));
    const { id } = created;
    // The id goes to the engine at once: a run killed while the cluster is built leaves it in the
    // state, and the wait happens in the class's KakaoClusterSettled child (./cluster-settled.ts),
    // which is safe to repeat. The create's members are recorded later (./initial.ts). An adopted
    // cluster existed before (a repeated run adopts it again): it is taken over as it is once
    // settled, all its members its own.
    if (created.adopted) {
      const live = await waitClusterSettled(client, id, { timeoutMs: timeouts(inputs).create });
      const cluster = await client.getCluster(id);
      return { id, outs: outputs(inputs, id, cluster, shardOutputs(live), live) };
    }
    logProgress(`cluster "${inputs.name}" created: id ${id}; waiting for it to be Running next`);
    return { id, outs: { ...outputs(inputs, id, undefined, undefined), status: "Creating" } };
  },

  async read(id, props) {
    registerSecrets(props);
    const client = kakaoClient();
    const cluster = await client.getCluster(id);
    if (!cluster) return {};
    const shards = await client.listShards(id);
    const prior = (props ?? {}) as Partial<Props>;
    // An empty prior state is an import (kept for states and tools that read by id alone).
    const importing = prior.name === undefined;
    const live = <K extends keyof KakaoRedisClusterInputs>(key: K, value: unknown) =>
      (importing ? (value ?? undefined) : readBack(prior[key], value, CLUSTER_FIELDS[key].kind)) as
        KakaoRedisClusterInputs[K] | undefined;
    const perShard = importing
      ? (cluster.nodeCountPerShard ?? shards[0]?.nodes?.length)
      : prior.nodeCountPerShard;
    const inputs = {
      ...prior,
      name: live("name", cluster.name),
      description: live(
        "description",
        importing && cluster.description === "" ? undefined : cluster.description,
      ),
      version: live("version", cluster.version),
      port: live("port", cluster.port),
      // Counted over the cluster's own members only (see ownedCounts below): KakaoShard's and
      // KakaoReplica's members never count.
      shardCount: importing ? (cluster.shardCount ?? shards.length) : prior.shardCount,
      nodeCountPerShard: perShard,
      flavorId: live("flavorId", cluster.flavorId),
      parameterGroupId: live("parameterGroupId", cluster.parameterGroupId),
      subnets: live("subnets", cluster.subnets),
      securityGroups: live("securityGroups", cluster.securityGroups),
      tlsEnabled: live("tlsEnabled", cluster.tlsEnabled),
      backupSchedule: live("backupSchedule", cluster.backupSchedule),
      subnetAssignments: importing ? assignmentsOf(shards, perShard) : prior.subnetAssignments,
    } as KakaoRedisClusterInputs;
    // Only the members the state names are the cluster's (an import: importedOwnership). A state without
    // `shards` (written by the create, which returns before the members exist): the members the
    // create made (./initial.ts); while they have the declared layout the state stays as it is (a
    // refresh after the first `pulumi up` changes nothing), else they are recorded with the counts
    // they have, so that the difference shows and `pulumi up` restores it.
    // (No member with a readable creation time: nothing can be told, the state stays too.)
    const recorded = Array.isArray(prior.shards);
    const initial = importing || recorded ? [] : initialMembers(shards);
    const own = shardOutputs(
      shards,
      importing ? importedOwnership(shards, perShard) : recorded ? ownedOf(prior.shards) : initial,
    );
    if (!importing && !recorded && (initial.length === 0 || ownedSatisfies(own, declaredLayout(prior))))
      return { id, props: plain(inputs) as KakaoRedisClusterOutputs };
    if (!importing) Object.assign(inputs, ownedCounts(own, prior));
    return { id, props: outputs(inputs, id, cluster, own, shards) };
  },

  async update(id, olds, news) {
    registerSecrets(news);
    const client = kakaoClient();
    const t = timeouts(news);
    // A cluster kept in the state (a failed wait, a partial failure) may be gone from the cloud:
    // say so instead of reporting it updated.
    if (!(await client.getCluster(id))) throw goneError(id, news.name);
    const patch: { description?: string; parameterGroupId?: string } = {};
    // Removing `description` from the program leaves the cloud's description as it is.
    if (news.description !== undefined && (olds.description ?? "") !== news.description)
      patch.description = news.description;
    if (olds.parameterGroupId !== news.parameterGroupId) patch.parameterGroupId = news.parameterGroupId;
    let acceptedAt: number | undefined;
    if (Object.keys(patch).length > 0) {
      await mutateWhenSettled(client, id, { timeoutMs: t.update }, () => {
        acceptedAt = Date.now();
        return client.updateCluster(id, patch);
      });
    }
    // Also after a create whose wait failed: continue waiting, and report the real status. After a
    // PATCH the cluster may still read Running for a moment: wait for evidence (waitClusterSettled).
    let shards = await waitClusterSettled(client, id, {
      timeoutMs: t.update,
      acceptedAt,
    });
    // A state without `shards` (written by the create): the create's members are recorded here,
    // told from later additions by their creation time (./initial.ts).
    let owned: OwnedShard[] = ownedOrInitial(id, olds.shards, shards);
    if (diffFields(olds, news, RESHARD_FIELDS).changes || reshardDue(shards, owned, news)) {
      let recorded = owned;
      try {
        const done = await reshard(client, id, {
          owned,
          target: news,
          wait: { timeoutMs: t.reshard, maxIntervalMs: 60_000 },
          onRecorded: (o) => (recorded = o),
        });
        shards = done.shards;
        owned = done.owned;
      } catch (err) {
        // An accepted addition (or delete) must reach the state: record what the cluster owns by now.
        if (recorded === owned) throw err;
        throw partialFailure(err, id, await partialOutputs(client, id, news, recorded));
      }
      warnForeign(id, shards, owned);
    }
    const cluster = await client.getCluster(id);
    if (!cluster) throw goneError(id, news.name);
    return { outs: outputs(news, id, cluster, shardOutputs(shards, owned), shards) };
  },

  async delete(id, props) {
    const client = kakaoClient();
    const t = timeouts(props);
    try {
      await mutateWhenSettled(client, id, { timeoutMs: t.delete }, () => client.deleteCluster(id), {
        settleFirst: false,
      });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    await waitClusterGone(client, id, { timeoutMs: t.delete });
  },
};

/** The layout the state declares (`shardCount`, `nodeCountPerShard`, `subnetAssignments`). */
function declaredLayout(p: Partial<KakaoRedisClusterInputs>) {
  return {
    shardCount: p.shardCount as number,
    nodeCountPerShard: p.nodeCountPerShard as number,
    subnetAssignments: p.subnetAssignments as SubnetAssignment[],
  };
}

/** Whether the own members recorded in `olds` lack what `news` asks for (see `diff`). */
function ownMembersDue(olds: Partial<Props>, news: KakaoRedisClusterInputs): boolean {
  // The create's members are not recorded yet (the create returns before they exist): nothing to
  // compare; the next read or update records them (./initial.ts) and compares from then on.
  if (!Array.isArray(olds.shards)) return false;
  const target = { shardCount: news.shardCount, nodeCountPerShard: news.nodeCountPerShard };
  if (containsUnknown(target) || containsUnknown(news.subnetAssignments)) return false;
  return !ownedSatisfies(olds.shards, { ...target, subnetAssignments: news.subnetAssignments });
}

/**
 * The members the cluster owns: those its `shards` output records, or, while it records none (a
 * state written by the create), those the create made, found in the settled listing `live`.
 */
function ownedOrInitial(
  id: string,
  recorded: readonly ClusterShard[] | undefined,
  live: ApiShard[],
): OwnedShard[] {
  if (Array.isArray(recorded)) return ownedOf(recorded);
  const initial = initialMembers(live);
  // A create makes at least one shard: none found means the creation times cannot be read, and
  // counting none as the cluster's would have resharding add them all again.
  if (initial.length === 0 && live.length > 0) {
    throw new StateError(
      "Conflict",
      `cannot tell which shards of cluster ${id} its create made: KakaoCloud lists no readable ` +
        `creation time (createdAt) for them, and counting none as the cluster's would add them all ` +
        `again; nothing was changed`,
    );
  }
  return initial;
}

/** Whether a resharding step is due on the settled `live` shards (a layout it refuses: not here). */
function reshardDue(live: ApiShard[], owned: OwnedShard[], target: KakaoRedisClusterInputs): boolean {
  try {
    return planReshard(live, owned, target).next !== undefined;
  } catch {
    return false;
  }
}

/** The properties of an update that failed after an accepted addition: the ownership so far. */
async function partialOutputs(
  client: ReturnType<typeof kakaoClient>,
  id: string,
  news: KakaoRedisClusterInputs,
  owned: OwnedShard[],
): Promise<Record<string, unknown>> {
  const live = await client.listShards(id).catch(() => undefined);
  const own = live
    ? shardOutputs(live, owned)
    : owned.map((o) => ({ id: o.id, nodes: o.nodeIds.map((n) => ({ id: n })) }));
  const inputs = { ...news, ...ownedCounts(own, news) } as KakaoRedisClusterInputs;
  return { ...news, ...outputs(inputs, id, undefined, own, live ?? []), status: "Resharding" };
}

/** Says which members of the cluster resharding left alone because no state of the cluster names them. */
function warnForeign(id: string, live: ApiShard[], owned: OwnedShard[]): void {
  const { shardIds, nodeIds } = foreignOf(live, owned);
  if (shardIds.length + nodeIds.length === 0) return;
  const names = [...shardIds.map((s) => `shard ${s}`), ...nodeIds.map((n) => `node ${n}`)].join(", ");
  logProgress(
    `cluster ${id}: ${names} not this resource's (a KakaoShard's or KakaoReplica's, or added outside it): ` +
      `left alone and not counted; see the foreignMembers output`,
  );
}

function goneError(id: string, name: string | undefined): StateError {
  return new StateError(
    "ResourceGone",
    `cluster ${id}${name ? ` ("${name}")` : ""} is in the stack's state but no longer exists in KakaoCloud; ` +
      `run \`pulumi refresh\` to drop it (and what depends on it) from the state, then \`pulumi up\` to ` +
      `create it again`,
  );
}
