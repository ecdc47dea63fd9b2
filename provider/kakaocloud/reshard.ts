/**
 * In-place resharding of a `KakaoRedisCluster`: `shardCount` and `nodeCountPerShard` (and the
 * `subnetAssignments` that follow them) change by adding and deleting shards and replica nodes,
 * never by replacing the cluster.
 *
 * Ownership is recorded, never inferred (see the README): the cluster owns exactly the shards and
 * nodes its `shards` output names — the members listed after its create, and every member a
 * resharding step added. The add-shard and add-replica calls answer with the cluster id only, so
 * each addition is discovered by listing before and after the call under the cluster's lock
 * (`addMember` of ./members.ts, the same discovery `KakaoShard` and `KakaoReplica` use) and recorded
 * at once. A member no state names (a `KakaoShard`'s, a `KakaoReplica`'s, one added outside Pulumi,
 * or one whose update was killed before it returned) is never adopted, deleted or counted, whatever
 * its layout; the cluster reports it in `foreignMembers`.
 *
 * Every step waits until the cluster is settled, re-reads it and does only what is still missing,
 * one change at a time (KakaoCloud runs one change per cluster). Order of the steps: surplus shards
 * are deleted first (the newest of the cluster's own shards first), then missing replicas are added
 * to every own shard, then surplus replicas are deleted (the newest first, never a primary), then
 * missing shards are added (each with `nodeCountPerShard` nodes and its entry of
 * `subnetAssignments`).
 */
import { deadlineAfter, remainingMs } from "../core/deadline";
import { CloudError } from "../core/errors";
import { withLock } from "../core/lock";
import { logProgress } from "../core/log";
import type { ApiShard, KakaoClient } from "./client";
import { addMember } from "./members";
import {
  type OwnedShard,
  planReshard,
  type ReshardStep,
  type ShardTarget,
  describeStep,
} from "./reshard-plan";
import { type KakaoWait, mutateWhenSettled, waitClusterSettled } from "./settle";

export {
  assignmentsReshardable,
  describeStep,
  type ForeignMembers,
  foreignOf,
  type OwnedShard,
  ownedLive,
  ownedOf,
  ownedSatisfies,
  planReshard,
  type ReshardPlan,
  type ReshardStep,
  type ShardTarget,
  slotsOf,
} from "./reshard-plan";

function send(client: KakaoClient, clusterId: string, step: ReshardStep): Promise<void> {
  switch (step.kind) {
    case "addShard":
      return client.addShard(clusterId, { nodeCount: step.nodeCount, subnetAssignments: step.assignment });
    case "deleteShard":
      return client.deleteShard(clusterId, step.shardId);
    case "addReplica":
      return client.addReplica(clusterId, step.shardId, step.subnetId);
    case "deleteReplica":
      return client.deleteNode(clusterId, step.shardId, step.nodeId);
  }
}

/** What {@link reshard} leaves: the ownership and the settled shards of its last look. */
export interface ReshardResult {
  owned: OwnedShard[];
  shards: ApiShard[];
}

/** Options of {@link reshard}. */
export interface ReshardOptions {
  /** The members the cluster's state names. */
  owned: OwnedShard[];
  target: ShardTarget;
  wait: KakaoWait;
  /**
   * Called with the ownership after every accepted change (an addition recorded, a delete sent), so
   * that a failure later in the run can still hand it to the engine (the cluster's update rejects
   * with a partial failure).
   */
  onRecorded?: (owned: OwnedShard[]) => void;
}

/**
 * Brings the cluster to `target`, one change at a time, under the cluster's lock. An addition is
 * recorded as the cluster's as soon as the listing finds it; a delete is retried after an
 * ambiguous failure (reset, 5xx) only if the next look still shows the member.
 */
export async function reshard(
  client: KakaoClient,
  clusterId: string,
  opts: ReshardOptions,
): Promise<ReshardResult> {
  const deadline = deadlineAfter(opts.wait.timeoutMs);
  const remaining = () => ({ ...opts.wait, timeoutMs: remainingMs(deadline) });
  return withLock(clusterId, async () => {
    let owned = opts.owned;
    // Shards added in this run: their nodes are recorded from the first settled look after.
    const fresh = new Set<string>();
    let ambiguous = 0;
    // When the last step was sent: the next wait needs evidence that it took effect (the client
    // records each accepted change with what a look must show, ./evidence.ts).
    let sentAt: number | undefined;
    for (;;) {
      const live = await waitClusterSettled(client, clusterId, {
        ...remaining(),
        what: `cluster ${clusterId} to settle (resharding)`,
        acceptedAt: sentAt,
      });
      sentAt = undefined;
      if (fresh.size > 0) {
        owned = owned.map((o) =>
          fresh.has(o.id) ? { id: o.id, nodeIds: nodeIdsOf(live.find((s) => s.id === o.id)) } : o,
        );
        fresh.clear();
        opts.onRecorded?.(owned);
      }
      const plan = planReshard(live, owned, opts.target);
      owned = plan.owned;
      if (!plan.next) return { owned, shards: live };
      const step = plan.next;
      logProgress(`resharding cluster ${clusterId}: ${describeStep(step)}`);
      const sendIt = () => {
        sentAt = Date.now();
        return send(client, clusterId, step);
      };
      if (step.kind === "addShard" || step.kind === "addReplica") {
        const added = await addTo(client, clusterId, step, remaining(), sendIt);
        if (step.kind === "addShard") {
          owned = [...owned, { id: added.id, nodeIds: added.nodeIds }];
          fresh.add(added.id);
        } else {
          owned = owned.map((o) => (o.id === step.shardId ? { ...o, nodeIds: [...o.nodeIds, added.id] } : o));
        }
        opts.onRecorded?.(owned);
        // Said at once: if this run is killed before the update returns, the state never names it.
        logProgress(
          `resharding cluster ${clusterId}: added ${added.label}; recorded as the cluster's when this update ` +
            `returns (if the run is killed before, it stays in the cluster unowned: see the README)`,
        );
        continue;
      }
      try {
        await mutateWhenSettled(client, clusterId, remaining(), sendIt);
        ambiguous = 0;
        owned = withoutDeleted(owned, step);
        opts.onRecorded?.(owned);
      } catch (err) {
        if (!(err instanceof CloudError && err.retryable) || ++ambiguous >= 4) throw err;
        logProgress(`resharding cluster ${clusterId}: ${err.message}; checking whether it was applied`);
      }
    }
  });
}

/** The ownership once an accepted delete step is done. */
function withoutDeleted(owned: OwnedShard[], step: ReshardStep): OwnedShard[] {
  if (step.kind === "deleteShard") return owned.filter((o) => o.id !== step.shardId);
  if (step.kind !== "deleteReplica") return owned;
  return owned.map((o) =>
    o.id === step.shardId ? { ...o, nodeIds: o.nodeIds.filter((n) => n !== step.nodeId) } : o,
  );
}

function nodeIdsOf(shard: ApiShard | undefined): string[] {
  return (shard?.nodes ?? []).map((n) => n.id);
}

/** Adds one shard or replica (under the cluster's lock) and says which member it is. */
async function addTo(
  client: KakaoClient,
  clusterId: string,
  step: Extract<ReshardStep, { kind: "addShard" | "addReplica" }>,
  wait: KakaoWait,
  sendIt: () => Promise<void>,
): Promise<{ id: string; nodeIds: string[]; label: string }> {
  if (step.kind === "addShard") {
    const shard = await addMember({
      kind: "shard",
      client,
      clusterId,
      wait,
      what: `a shard to cluster ${clusterId}`,
      list: () => client.listShards(clusterId),
      memberKey: (id) => `${clusterId}/${id}`,
      send: sendIt,
    });
    return {
      id: shard.id,
      nodeIds: nodeIdsOf(shard),
      label: `shard ${shard.id}`,
    };
  }
  const { shardId } = step;
  const node = await addMember({
    kind: "replica",
    client,
    clusterId,
    wait,
    what: `a replica to shard ${shardId} of cluster ${clusterId}`,
    list: async () => (await client.listShards(clusterId)).find((s) => s.id === shardId)?.nodes ?? [],
    memberKey: (id) => `${clusterId}/${shardId}/${id}`,
    send: sendIt,
  });
  return {
    id: node.id,
    nodeIds: [],
    label: `node ${node.id} to shard ${shardId}`,
  };
}
