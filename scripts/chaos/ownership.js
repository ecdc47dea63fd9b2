// Who owns the KakaoCloud members after a chaos run, read from the stack's state (issue 23): the
// killed runs' additions that no state names (unowned: reported by the cluster, never adopted) and
// the members two resources' states name (must be none). Used by ./runs.js.
"use strict";

/** Adds two counter maps. */
function plus(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/**
 * Who owns the KakaoCloud members, from the stack's state: the members the cluster reports as not
 * its own (`foreignMembers`) that no KakaoShard or KakaoReplica state names are *unowned* (a killed
 * run's additions: reported, never adopted), by the emulator's counter kind; `claimedTwice` lists
 * the members two resources' states name (must be empty).
 */
function ownership(state) {
  const resources = state.deployment?.resources ?? [];
  const of = (type) => resources.filter((r) => r.type.endsWith(`:${type}`) && r.outputs);
  const shardClaims = of("KakaoShard").map((r) => r.outputs.shardId);
  const nodeClaims = of("KakaoReplica").map((r) => r.outputs.nodeId);
  const unowned = { "kakaocloud:shard": 0, "kakaocloud:replica": 0 };
  const claimedTwice = [];
  for (const c of of("KakaoRedisCluster")) {
    const own = c.outputs.shards ?? [];
    const ownShards = own.map((s) => s.id);
    const ownNodes = own.flatMap((s) => (s.nodes ?? []).map((n) => n.id));
    claimedTwice.push(...ownShards.filter((s) => shardClaims.includes(s)).map((s) => `shard ${s}`));
    claimedTwice.push(...ownNodes.filter((n) => nodeClaims.includes(n)).map((n) => `node ${n}`));
    const foreign = c.outputs.foreignMembers ?? { shardIds: [], nodeIds: [] };
    unowned["kakaocloud:shard"] += foreign.shardIds.filter((s) => !shardClaims.includes(s)).length;
    unowned["kakaocloud:replica"] += foreign.nodeIds.filter((n) => !nodeClaims.includes(n)).length;
  }
  return { unowned, claimedTwice };
}

module.exports = { ownership, plus };
