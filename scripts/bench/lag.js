// Detection lag and API calls per operation, for every resource type: one worker process per
// type (scripts/bench/lag-worker.js), all types in parallel, settle times run one after another.
//
// Two series:
// - real time: settle times of about 1 s, 10 s and 60 s, waiter at its real schedule;
// - long operations (minutes to hours, e.g. shard migration), in scaled time: the emulator's
//   settle time and the waiter's schedule (PULUMI_MANAGED_REDIS_POLL_SCALE) are both multiplied
//   by the same factor k, which keeps the number of polls and the lag in proportion (the lag is
//   reported divided by k; HTTP round trips are not scaled, which makes it slightly pessimistic).
"use strict";
const { spawn } = require("node:child_process");
const path = require("node:path");
const { summary } = require("./stats");

const TYPES = [
  "KakaoRedisCluster",
  "KakaoShard",
  "KakaoReplica",
  "TairDirectConnection",
  "InstanceSSL",
  "DcsInstanceSSL",
];
/** Operations measured per type in the real-time series. */
const OPS = {
  KakaoRedisCluster: ["create", "update", "delete"],
  KakaoShard: ["create", "delete"],
  KakaoReplica: ["create", "delete"],
  TairDirectConnection: ["create", "delete"],
  InstanceSSL: ["create", "update", "delete"],
  DcsInstanceSSL: ["create", "delete"],
};

/** Runs one worker; resolves with its rows. */
function worker(spec) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, "lag-worker.js"), JSON.stringify(spec)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => {
      const rows = out
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l));
      if (code !== 0) reject(new Error(`lag worker ${spec.type} failed (${code}): ${err.slice(-1500)}`));
      else resolve(rows);
    });
  });
}

/** The detection-lag target: at most 0.5 s plus 10% of the settle time. */
function lagTarget(settleMs) {
  return 500 + 0.1 * settleMs;
}

/** Groups rows by type/op/settle and summarises them. */
function summarise(rows, scaled) {
  const groups = new Map();
  for (const r of rows) {
    const settle = scaled ? r.simulatedMs : r.settleMs;
    const key = `${r.type}|${r.op}|${settle}`;
    if (!groups.has(key)) groups.set(key, { type: r.type, op: r.op, settleMs: settle, rows: [] });
    groups.get(key).rows.push(r);
  }
  return [...groups.values()].map((g) => {
    const k = scaled ? g.rows[0].scale : 1;
    const lag = summary(g.rows.map((r) => r.lagMs / k));
    const polls = summary(g.rows.map((r) => r.polls));
    const fixed = Math.max(1, Math.ceil(g.settleMs / 10_000));
    // A provider that returns before the change settled did not wait for it: that is no lag to
    // report as met (the cluster's create answers at once; its settled child waits, and the worker
    // measures both, as the engine runs them).
    const waited = lag.min >= 0;
    return {
      type: g.type,
      op: g.op,
      settleMs: g.settleMs,
      scale: k,
      runs: g.rows.length,
      lagMs: lag,
      lagTargetMs: lagTarget(g.settleMs),
      waited,
      lagMet: waited && lag.max <= lagTarget(g.settleMs),
      lagMedianMet: waited && lag.median <= lagTarget(g.settleMs),
      mutations: summary(g.rows.map((r) => r.mutations)),
      reads: summary(g.rows.map((r) => r.reads)),
      polls,
      fixed10sPolls: fixed,
      // The polls target applies to operations longer than two minutes.
      pollsMet: g.settleMs > 120_000 ? waited && polls.max <= fixed : undefined,
    };
  });
}

/**
 * Runs the real-time series: `settles` (ms) × `runs` for every type, types in parallel.
 * `log(line)` reports progress.
 */
async function realTime({
  settles = [1000, 10_000, 60_000],
  runs = 3,
  types = TYPES,
  log = () => undefined,
}) {
  log(
    `detection lag: settle times ${settles.map((s) => s / 1000 + " s").join(", ")}, ${runs} run(s), ${types.length} types in parallel`,
  );
  const started = Date.now();
  const all = await Promise.all(types.map((type) => worker({ type, settles, runs, ops: OPS[type] })));
  log(`  done in ${Math.round((Date.now() - started) / 1000)} s`);
  return all.flat();
}

/**
 * Runs the long operations in scaled time: `durations` (simulated ms) for `types`, each compressed
 * into about `realMs` of real time.
 */
async function scaledTime({
  durations = [10 * 60_000, 60 * 60_000, 2 * 3_600_000],
  types = TYPES,
  realMs = 36_000,
  runs = 1,
  log = () => undefined,
}) {
  const rows = [];
  for (const d of durations) {
    const scale = realMs / d;
    log(
      `long operations: ${d / 60_000} min simulated in ${realMs / 1000} s (scale ${scale.toFixed(4)}), ${types.length} types`,
    );
    const started = Date.now();
    const results = await Promise.all(
      types.map((type) =>
        worker({
          type,
          settles: [Math.round(d * scale)],
          runs,
          ops: ["create"],
          pollScale: scale,
          tag: { simulatedMs: d, scale },
        }),
      ),
    );
    log(`  done in ${Math.round((Date.now() - started) / 1000)} s`);
    rows.push(...results.flat());
  }
  return rows;
}

module.exports = { realTime, scaledTime, summarise, lagTarget, TYPES };
