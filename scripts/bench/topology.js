// A full KakaoCloud topology converging through the real engine: a 12-shard cluster with replicas,
// plus added shards and replicas (scripts/bench/programs/topology). The wall time of `pulumi up`
// is compared with the critical path of the emulator's settle times.
//
// KakaoCloud runs one operation at a time per cluster (anything else is refused as ClusterBusy),
// so every addition waits for the one before it: the critical path is the cluster's creation plus
// every addition, one after another.
"use strict";
const path = require("node:path");
const { emulatorEnv, errorLines, loadEmulator, newStack } = require("./engine");
const { summary } = require("./stats");

const PROGRAM = path.join(__dirname, "programs", "topology");
const UP = ["up", "--yes", "--skip-preview", "--non-interactive"];
const DESTROY = ["destroy", "--yes", "--skip-preview", "--non-interactive"];

/**
 * Runs `runs` times: up (timed), checks the emulator, destroy. Settle times (ms): `createCluster`,
 * `addShard`, `addReplica`; deletions settle in `deleteMs`.
 */
async function topology({
  runs = 2,
  createClusterMs = 30_000,
  addShardMs = 20_000,
  addReplicaMs = 10_000,
  deleteMs = 1_000,
  extraShards = 2,
  extraReplicas = 2,
  log = () => undefined,
}) {
  const { startEmulator } = loadEmulator();
  const stamps = [];
  const emu = await startEmulator({
    // An observer, not a fault: it timestamps each request as the emulator receives it.
    faults: () => {
      stamps.push(Date.now());
      return undefined;
    },
    kakaocloud: {
      maxShards: 12 + extraShards,
      settleMs: {
        default: deleteMs,
        createCluster: createClusterMs,
        addShard: addShardMs,
        addReplica: addReplicaMs,
      },
    },
  });
  const stack = await newStack(PROGRAM, emulatorEnv(emu), { label: "bench-topology" });
  await stack.config("extraShards", extraShards);
  await stack.config("extraReplicas", extraReplicas);
  const replicas = extraShards + extraReplicas;
  const criticalMs = createClusterMs + extraShards * addShardMs + replicas * addReplicaMs;
  const walls = [];
  const timelines = [];
  const mutations = [];
  const polls = [];
  try {
    for (let run = 0; run < runs; run++) {
      const from = emu.requests.length;
      const upStarted = Date.now();
      const res = await stack.run(UP, { timeoutMs: 30 * 60_000 });
      if (res.code !== 0) throw new Error(`topology up failed: ${errorLines(res.out).join(" | ")}`);
      const clusters = emu.clouds.kakaocloud.snapshot().clusters;
      const shards = clusters[0]?.shards ?? [];
      const nodes = shards.flatMap((s) => s.nodes);
      if (
        clusters.length !== 1 ||
        shards.length !== 12 + extraShards ||
        nodes.length !== 2 * (12 + extraShards) + replicas
      ) {
        throw new Error(
          `unexpected topology: ${clusters.length} clusters, ${shards.length} shards, ${nodes.length} nodes`,
        );
      }
      const reqs = emu.requests.slice(from).map((r, i) => ({ ...r, t: stamps[from + i] }));
      const mut = reqs.filter((r) => r.mutating && r.op !== "issueToken").length;
      timelines.push(timeline(reqs, upStarted, upStarted + res.ms, emu.clouds.kakaocloud.settle));
      walls.push(res.ms);
      mutations.push(mut);
      polls.push(reqs.length - mut);
      log(
        `  run ${run + 1}/${runs}: up ${(res.ms / 1000).toFixed(1)} s for a critical path of ${criticalMs / 1000} s ` +
          `(${(res.ms / criticalMs).toFixed(3)}x), ${mut} mutations, ${reqs.length - mut} reads`,
      );
      const d = await stack.run(DESTROY, { timeoutMs: 30 * 60_000 });
      if (d.code !== 0) throw new Error(`topology destroy failed: ${errorLines(d.out).join(" | ")}`);
    }
  } finally {
    await stack.cleanup();
    await emu.stop();
  }
  const wall = summary(walls);
  const targetMs = 1.15 * criticalMs + 5000;
  return {
    runs,
    shape: { shards: 12, replicasPerShard: 1, extraShards, extraReplicas: replicas },
    settleMs: { createCluster: createClusterMs, addShard: addShardMs, addReplica: addReplicaMs },
    criticalPathMs: criticalMs,
    wallMs: wall,
    ratio: summary(walls.map((w) => w / criticalMs)),
    overheadMs: summary(walls.map((w) => w - criticalMs)),
    targetMs,
    met: wall.median <= targetMs,
    mutations: summary(mutations),
    reads: summary(polls),
    timelines,
  };
}

/**
 * Where the time went in one run: from the start of `pulumi up` to the first mutation (engine
 * start, program, cluster create call), the idle time between one operation settling and the next
 * mutation (detection lag and queueing), and from the last operation settling to the end of
 * `pulumi up` (the last detection lag, the engine finishing). Times in ms.
 */
function timeline(reqs, started, ended, settle) {
  const muts = reqs.filter((r) => r.mutating && r.op !== "issueToken" && r.status >= 200 && r.status < 300);
  const ops = muts.map((r) => ({ op: r.op, at: r.t - started, settledAt: r.t - started + settle.get(r.op) }));
  const gaps = ops.slice(1).map((o, i) => o.at - ops[i].settledAt);
  const last = ops[ops.length - 1];
  return {
    ops,
    startMs: ops[0]?.at,
    idleGapsMs: gaps,
    idleTotalMs: gaps.reduce((a, b) => a + b, 0),
    tailMs: last ? ended - started - last.settledAt : undefined,
  };
}

module.exports = { topology };
