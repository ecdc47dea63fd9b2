import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { integerSetting } from "./config";
import { clusterOf, label, ofType } from "./resources";
import { Unknowns, isRecord, isUnknown, plainProps, plural, quoteList, readNumber } from "./values";

/** KakaoCloud's limit: a cluster-mode Redis cluster has 1 to 12 shards (create-cluster document). */
export const KAKAO_MAX_SHARDS = 12;

/** Configuration of {@link kakaoShardCount}. */
export interface KakaoShardCountConfig {
  /** The most shards a cluster may have in this stack: 1 to 12, default 12 (KakaoCloud's limit). */
  maxShards?: number;
}

function limitText(max: number): string {
  return max === KAKAO_MAX_SHARDS
    ? `the ${KAKAO_MAX_SHARDS} shards KakaoCloud allows per cluster`
    : `the ${max} shards this policy allows per cluster (maxShards; KakaoCloud allows ${KAKAO_MAX_SHARDS})`;
}

/**
 * Checks that an assignment lists one replica subnet per replica node. `where` names the assignment in
 * the message, `basis` the node count it follows (`nodeCountPerShard 3`), `path` the field to fix.
 */
function checkReplicas(
  assignment: unknown,
  expected: number,
  text: { where: string; basis: string; formula: string; path: string },
  owner: PolicyResource,
  reportViolation: ReportViolation,
  unknowns: Unknowns,
): void {
  const replicas = isRecord(assignment) ? assignment.replicas : undefined;
  if (isUnknown(assignment) || isUnknown(replicas)) {
    unknowns.note(
      `The replica subnets of ${text.where} are not known yet, so they cannot be counted during preview.`,
    );
    return;
  }
  const count = Array.isArray(replicas) ? replicas.length : 0;
  if (count === expected) return;
  reportViolation(
    `${text.where} lists ${plural(count, "replica subnet")}, but ${text.basis} needs ${expected} ` +
      `(${text.formula}, one per replica node). Give ${plural(expected, "entry", "entries")} in ${text.path}.`,
    owner.urn,
  );
}

function checkShard(shard: PolicyResource, reportViolation: ReportViolation, unknowns: Unknowns): void {
  const props = plainProps(shard.props);
  const who = label(shard);
  const given = props.subnetAssignments;
  let assignment: unknown;
  let path = "subnetAssignments.replicas";
  if (isUnknown(given)) {
    unknowns.note(
      `The subnetAssignments of ${who} are not known yet, so they cannot be checked during preview.`,
    );
    return;
  } else if (Array.isArray(given)) {
    if (given.length !== 1) {
      reportViolation(
        `${who} gives ${plural(given.length, "subnet assignment")}: a KakaoShard adds exactly one shard, ` +
          "so give exactly one assignment ({primary, replicas}).",
        shard.urn,
      );
      return;
    }
    assignment = given[0];
    path = "subnetAssignments[0].replicas";
  } else if (isRecord(given)) {
    assignment = given;
  } else {
    reportViolation(
      `${who} has no subnetAssignments: give the new shard's assignment ({primary, replicas}).`,
      shard.urn,
    );
    return;
  }
  const nodes = readNumber(props.nodeCount);
  if (!nodes.known) {
    if (!nodes.missing) {
      unknowns.note(
        `The nodeCount of ${who} is not known yet, so its replica subnets cannot be checked during preview.`,
      );
    }
    return;
  }
  if (!Number.isInteger(nodes.value) || nodes.value < 1) return; // the resource's own check() refuses it
  const text = { where: who, basis: `nodeCount ${nodes.value}`, formula: "nodeCount - 1", path };
  checkReplicas(assignment, nodes.value - 1, text, shard, reportViolation, unknowns);
}

/**
 * The shards the cluster reports as not its own (`foreignMembers.shardIds`, known once it exists)
 * that no KakaoShard of the stack names: members added outside the stack or by a killed run. They
 * take room in the cluster too. Nothing known (a preview of a new or changing cluster): none.
 */
function unownedShards(cluster: PolicyResource, addedShards: readonly PolicyResource[]): string[] {
  const foreign = plainProps(cluster.props).foreignMembers;
  if (!isRecord(foreign) || !Array.isArray(foreign.shardIds)) return [];
  const claimed = new Set(
    addedShards.map((s) => plainProps(s.props).shardId).filter((id) => typeof id === "string"),
  );
  return foreign.shardIds.filter((id): id is string => typeof id === "string" && !claimed.has(id));
}

function checkCluster(
  cluster: PolicyResource,
  addedShards: readonly PolicyResource[],
  max: number,
  reportViolation: ReportViolation,
  unknowns: Unknowns,
): void {
  const props = plainProps(cluster.props);
  const who = label(cluster);
  const shardCount = readNumber(props.shardCount);
  let declared: number | undefined;
  if (!shardCount.known) {
    if (shardCount.missing) {
      reportViolation(
        `${who} declares no shardCount: set shardCount to a whole number from 1 to ${max}.`,
        cluster.urn,
      );
    } else {
      unknowns.note(
        `The shardCount of ${who} is not known yet, so its shards cannot be counted during preview.`,
      );
    }
  } else if (!Number.isInteger(shardCount.value) || shardCount.value < 1) {
    reportViolation(
      `${who} declares shardCount ${shardCount.value}: a KakaoCloud Redis cluster has 1 to ${KAKAO_MAX_SHARDS} ` +
        `shards. Set shardCount to a whole number from 1 to ${max}.`,
      cluster.urn,
    );
  } else if (shardCount.value > max) {
    reportViolation(
      `${who} declares shardCount ${shardCount.value}, more than ${limitText(max)}. ` +
        `Set shardCount to at most ${max}, or spread the data over several clusters.`,
      cluster.urn,
    );
  } else {
    declared = shardCount.value;
  }

  const assignments = props.subnetAssignments;
  if (isUnknown(assignments)) {
    unknowns.note(
      `The subnetAssignments of ${who} are not known yet, so they cannot be checked during preview.`,
    );
  } else if (!Array.isArray(assignments)) {
    reportViolation(
      `${who} has no subnetAssignments: give one subnet assignment ({primary, replicas}) per shard.`,
      cluster.urn,
    );
  } else {
    if (declared !== undefined && assignments.length !== declared) {
      reportViolation(
        `${who} has ${plural(assignments.length, "subnet assignment")} for shardCount ${declared}: ` +
          "give exactly one subnet assignment per shard.",
        cluster.urn,
      );
    }
    const nodes = readNumber(props.nodeCountPerShard);
    if (!nodes.known && !nodes.missing) {
      unknowns.note(
        `The nodeCountPerShard of ${who} is not known yet, so its replica subnets cannot be checked during preview.`,
      );
    } else if (nodes.known && Number.isInteger(nodes.value) && nodes.value >= 1) {
      assignments.forEach((assignment, i) => {
        const text = {
          where: `${who} subnetAssignments[${i}]`,
          basis: `nodeCountPerShard ${nodes.value}`,
          formula: "nodeCountPerShard - 1",
          path: `subnetAssignments[${i}].replicas`,
        };
        checkReplicas(assignment, nodes.value - 1, text, cluster, reportViolation, unknowns);
      });
    }
  }

  const unowned = unownedShards(cluster, addedShards);
  const total = (declared ?? 0) + addedShards.length + unowned.length;
  if (declared !== undefined && addedShards.length + unowned.length > 0 && total > max) {
    const parts = [
      ...(addedShards.length > 0
        ? [`${plural(addedShards.length, "KakaoShard")} (${quoteList(addedShards.map((s) => s.name))})`]
        : []),
      ...(unowned.length > 0
        ? [
            `${plural(unowned.length, "shard")} the cluster does not own (foreignMembers: ` +
              `${unowned.join(", ")}; added outside the stack or by a killed run: delete them if nobody needs them)`,
          ]
        : []),
    ];
    reportViolation(
      `${who} would have ${total} shards: shardCount ${declared} plus ${parts.join(" plus ")}. ` +
        `That is more than ${limitText(max)}: lower shardCount or remove KakaoShard resources.`,
      cluster.urn,
    );
  }
}

/**
 * `kakao-shard-count` (mandatory, stack policy): keeps every KakaoCloud Redis cluster of the stack
 * within its shard limit and its subnet assignments consistent with its node counts.
 *
 * - A `KakaoRedisCluster` declares `shardCount` from 1 to `maxShards` (KakaoCloud: 1 to 12).
 * - Its own `shardCount` plus every `KakaoShard` of the stack that targets it, plus the shards it
 *   reports as not its own that no `KakaoShard` names (`foreignMembers`: added outside the stack or
 *   by a killed run), stays within `maxShards`. `shardCount` counts only the cluster's own shards:
 *   resharding never adopts or counts a `KakaoShard`'s.
 *   A shard's cluster is found through `clusterId`: equal to the cluster's `clusterId` output, or
 *   computed from that cluster (property dependencies, the usual `clusterId: cluster.clusterId`).
 *   Shards added to a cluster outside the stack count against `maxShards - 1` (that cluster has at
 *   least one shard of its own).
 * - One subnet assignment per shard (`subnetAssignments.length === shardCount`; a `KakaoShard` takes
 *   exactly one, as an object or a one-element array).
 * - Each assignment lists `nodeCountPerShard - 1` replica subnets (`nodeCount - 1` for a `KakaoShard`).
 *
 * Configuration: `maxShards` (integer, 1 to 12, default 12) may only lower KakaoCloud's limit.
 * Values unknown during preview are reported in one advisory message and checked at `pulumi up`.
 */
export const kakaoShardCount: StackValidationPolicy = {
  name: "kakao-shard-count",
  description:
    "A KakaoCloud Redis cluster has 1 to 12 shards (its shardCount plus the KakaoShard resources added " +
    "to it), one subnet assignment per shard, and nodeCountPerShard - 1 replica subnets per assignment.",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      maxShards: {
        type: "integer",
        minimum: 1,
        maximum: KAKAO_MAX_SHARDS,
        default: KAKAO_MAX_SHARDS,
        description:
          "The most shards a cluster may have, counting KakaoShard resources (KakaoCloud allows 12).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const clusters = ofType(args.resources, "KakaoRedisCluster");
    const shards = ofType(args.resources, "KakaoShard");
    if (clusters.length === 0 && shards.length === 0) {
      args.notApplicable("the stack has no KakaoRedisCluster and no KakaoShard");
    }
    const max = integerSetting(
      args.getConfig<KakaoShardCountConfig>().maxShards,
      KAKAO_MAX_SHARDS,
      1,
      KAKAO_MAX_SHARDS,
    );
    const unknowns = new Unknowns();
    const addedTo = new Map<string, PolicyResource[]>();
    const addedToExternal = new Map<string, PolicyResource[]>();
    for (const shard of shards) {
      checkShard(shard, reportViolation, unknowns);
      const target = clusterOf(shard, clusters);
      if (target.kind === "cluster") {
        addedTo.set(target.cluster.urn, [...(addedTo.get(target.cluster.urn) ?? []), shard]);
      } else if (target.kind === "external") {
        addedToExternal.set(target.clusterId, [...(addedToExternal.get(target.clusterId) ?? []), shard]);
      } else {
        unknowns.note(
          `The cluster of ${label(shard)} is not known yet (its clusterId is not computed from one ` +
            "KakaoRedisCluster of this stack), so the shard total of that cluster cannot be checked during preview.",
        );
      }
    }
    for (const cluster of clusters) {
      checkCluster(cluster, addedTo.get(cluster.urn) ?? [], max, reportViolation, unknowns);
    }
    for (const [clusterId, added] of addedToExternal) {
      if (added.length <= max - 1) continue;
      reportViolation(
        `${plural(added.length, "KakaoShard")} (${quoteList(added.map((s) => s.name))}) add shards to cluster ` +
          `${JSON.stringify(clusterId)}, which is not managed in this stack; with at least one shard of its own it ` +
          `would have more than ${limitText(max)}. Remove KakaoShard resources so that at most ${max - 1} target it.`,
      );
    }
    unknowns.finish();
  },
};
