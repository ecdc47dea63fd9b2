#!/usr/bin/env node
// `npm run bench`: how fast deployments converge, how gently they treat the APIs, and what the
// package adds to every `pulumi` command, measured against the emulator (see docs/performance.md).
// Prints a table and writes results/bench.json and results/bench.md.
//
// Flags (or environment variables):
//   --runs N            BENCH_RUNS            runs per settle time of the detection-lag series (default 3)
//   --settles a,b,c     BENCH_SETTLES_MS      settle times in ms (default 1000,10000,60000)
//   --rounds N          BENCH_ROUNDS          rounds of the preview/up comparison (default 3)
//   --topology-runs N   BENCH_TOPOLOGY_RUNS   runs of the KakaoCloud topology (default 3)
//   --only a,b          BENCH_ONLY            parts: noise, lag, long, stacks, topology (default all)
//   --quick                                   a short smoke run (1 run, settles 1 s and 10 s, 1 round, short topology)
//   --out DIR           BENCH_OUT             results folder (default results/)
/* global setTimeout */
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const crypto = require("node:crypto");
const { execFileSync } = require("node:child_process");
const { ensurePulumi } = require("../pulumi-env");
const { flags } = require("../cli-flags");
const { root } = require("./engine");
const lag = require("./lag");
const { stacks } = require("./stacks");
const { stacksSummaryRows, stacksSections } = require("./stacks-report");
const { topology } = require("./topology");
const { summary, secs, mmm, markdownTable, textTable, verdict } = require("./stats");

function args() {
  const {
    flag,
    bool,
    int: num,
  } = flags({
    strings: ["runs", "settles", "rounds", "topology-runs", "only", "out"],
    booleans: ["quick"],
  });
  const quick = bool("quick");
  const list = (v) =>
    v
      ? String(v)
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  const settles =
    list(flag("settles", "BENCH_SETTLES_MS"))?.map(Number) ??
    (quick ? [1000, 10_000] : [1000, 10_000, 60_000]);
  const only = list(flag("only", "BENCH_ONLY")) ?? ["noise", "lag", "long", "stacks", "topology"];
  for (const o of only) {
    if (!["noise", "lag", "long", "stacks", "topology"].includes(o))
      throw new Error(`--only: unknown part "${o}"`);
  }
  return {
    quick,
    runs: num("runs", "BENCH_RUNS", quick ? 1 : 3),
    settles,
    rounds: num("rounds", "BENCH_ROUNDS", quick ? 1 : 3),
    topologyRuns: num("topology-runs", "BENCH_TOPOLOGY_RUNS", quick ? 1 : 3),
    only,
    out: path.resolve(flag("out", "BENCH_OUT") ?? path.join(root, "results")),
  };
}

const log = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** How steady this machine is: timer overshoot and the spread of a fixed CPU task. */
async function noise() {
  const over = [];
  for (let i = 0; i < 20; i++) {
    const t = process.hrtime.bigint();
    await sleep(50);
    over.push(Number(process.hrtime.bigint() - t) / 1e6 - 50);
  }
  const cpu = [];
  const data = crypto.randomBytes(1 << 20);
  for (let i = 0; i < 7; i++) {
    const t = process.hrtime.bigint();
    for (let j = 0; j < 150; j++) crypto.createHash("sha256").update(data).digest();
    cpu.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { timerOvershootMs: summary(over), cpuTaskMs: summary(cpu) };
}

function machine() {
  let pulumi = "unknown";
  try {
    pulumi = execFileSync(path.join(ensurePulumi(), "pulumi"), ["version"], { encoding: "utf8" }).trim();
  } catch {
    // reported as unknown
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    pulumi,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

const OP_ORDER = { create: 0, update: 1, delete: 2 };
function sortRows(rows) {
  return rows.sort(
    (a, b) =>
      lag.TYPES.indexOf(a.type) - lag.TYPES.indexOf(b.type) ||
      OP_ORDER[a.op] - OP_ORDER[b.op] ||
      a.settleMs - b.settleMs,
  );
}

const fmtS = (ms) => secs(ms, 2);
const fmtN = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The verdict of a detection-lag row: met, met by the median only, or not (and why, when the provider never waited). */
function lagVerdict(r) {
  if (r.lagMet) return "met";
  if (r.lagMedianMet) return "median met, max not";
  return r.waited === false ? "NOT MET: returned before it settled" : "NOT MET";
}

function lagTable(rows) {
  const header = [
    "resource",
    "op",
    "settle",
    "lag median (min–max)",
    "target",
    "verdict",
    "mutations",
    "reads",
    "polls",
  ];
  return [
    header,
    sortRows(rows).map((r) => [
      r.type,
      r.op,
      secs(r.settleMs, 0),
      mmm(r.lagMs, fmtS),
      fmtS(r.lagTargetMs),
      lagVerdict(r),
      fmtN(r.mutations.median),
      fmtN(r.reads.median),
      fmtN(r.polls.median),
    ]),
  ];
}

function longTable(rows) {
  const header = [
    "resource",
    "simulated duration",
    "polls",
    "fixed 10 s schedule",
    "verdict",
    "lag (simulated)",
    "lag target",
  ];
  return [
    header,
    sortRows(rows).map((r) => [
      r.type,
      `${r.settleMs / 60_000} min`,
      fmtN(r.polls.median),
      String(r.fixed10sPolls),
      verdict(r.pollsMet),
      mmm(r.lagMs, (x) => secs(x, 1)),
      secs(r.lagTargetMs, 1),
    ]),
  ];
}

function render(results, format) {
  const table = format === "md" ? markdownTable : textTable;
  const parts = [];
  const { lag: lagRows, long, stacks: st, topology: topo } = results;
  const summaryRows = [];
  if (lagRows) {
    const met = lagRows.filter((r) => r.lagMet).length;
    summaryRows.push([
      "detection lag ≤ 0.5 s + 10% of settle",
      `${met}/${lagRows.length} operation × settle pairs met (max of ${results.config.runs} runs)`,
      verdict(met === lagRows.length),
    ]);
  }
  if (long) {
    const met = long.filter((r) => r.pollsMet).length;
    summaryRows.push([
      "polls ≤ fixed 10 s schedule (operations > 2 min)",
      `${met}/${long.length} met`,
      verdict(met === long.length),
    ]);
  }
  if (st) summaryRows.push(...stacksSummaryRows(st));
  if (topo) {
    summaryRows.push([
      "topology ≤ 1.15 × critical path + 5 s",
      `${fmtS(topo.wallMs.median)} for ${fmtS(topo.criticalPathMs)} (${topo.ratio.median.toFixed(3)}×; target ${fmtS(topo.targetMs)})`,
      verdict(topo.met),
    ]);
  }
  parts.push(format === "md" ? "### Targets\n" : "TARGETS");
  parts.push(table(["figure", "measured", "verdict"], summaryRows));
  if (lagRows) {
    parts.push(
      format === "md"
        ? "\n### Detection lag and API calls (real time)\n"
        : "\nDETECTION LAG AND API CALLS (real time)",
    );
    const [h, r] = lagTable(lagRows);
    parts.push(table(h, r));
  }
  if (long) {
    parts.push(
      format === "md"
        ? "\n### Long operations: polls against a fixed 10-second schedule (scaled time)\n"
        : "\nLONG OPERATIONS (scaled time)",
    );
    const [h, r] = longTable(long);
    parts.push(table(h, r));
  }
  if (st) parts.push(...stacksSections(st, format, table));
  if (topo) {
    parts.push(format === "md" ? "\n### KakaoCloud topology convergence\n" : "\nKAKAOCLOUD TOPOLOGY");
    parts.push(
      table(
        ["figure", "value"],
        [
          [
            "shape",
            `12 shards × 2 nodes, +${topo.shape.extraShards} shards (+1 replica each), +${topo.shape.extraReplicas - topo.shape.extraShards} replicas in existing shards`,
          ],
          [
            "settle times",
            `cluster ${secs(topo.settleMs.createCluster, 0)}, shard ${secs(topo.settleMs.addShard, 0)}, replica ${secs(topo.settleMs.addReplica, 0)}`,
          ],
          ["critical path (one operation at a time per cluster)", fmtS(topo.criticalPathMs)],
          ["pulumi up wall time", mmm(topo.wallMs, fmtS)],
          ["ratio to the critical path", mmm(topo.ratio, (x) => x.toFixed(3))],
          ["target (1.15 × critical path + 5 s)", `${fmtS(topo.targetMs)}: ${verdict(topo.met)}`],
          ["API calls", `${fmtN(topo.mutations.median)} mutations, ${fmtN(topo.reads.median)} reads`],
          [
            "where the extra time went (per run)",
            topo.timelines
              .map(
                (t) =>
                  `start ${secs(t.startMs, 1)}, idle between operations ${secs(t.idleTotalMs, 1)} ` +
                  `(largest ${secs(Math.max(...t.idleGapsMs), 1)}), end ${secs(t.tailMs, 1)}`,
              )
              .join("; "),
          ],
        ],
      ),
    );
  }
  if (results.noise) {
    const n = results.noise;
    parts.push(format === "md" ? "\n### Machine and noise\n" : "\nMACHINE AND NOISE");
    const m = results.machine;
    const rows = [
      ["machine", `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}`],
      ["software", `node ${m.node}, pulumi ${m.pulumi}`],
      ["load average at start (1, 5, 15 min)", m.loadAverageAtStart.join(", ")],
      ["timer overshoot of a 50 ms sleep", `${mmm(n.timerOvershootMs, (x) => x.toFixed(1) + " ms")}`],
      [
        "fixed CPU task (7 runs)",
        `${mmm(n.cpuTaskMs, (x) => x.toFixed(0) + " ms")}, spread ${(n.cpuTaskMs.spread * 100).toFixed(0)}%`,
      ],
    ];
    if (st) {
      rows.push([
        "repeated identical trivial preview",
        `${mmm(st.trivial.previewEmpty, fmtS)}, spread ${(st.trivial.previewEmpty.spread * 100).toFixed(0)}%`,
      ]);
    }
    parts.push(table(["", ""], rows));
  }
  return parts.join("\n");
}

async function main() {
  const cfg = args();
  const started = Date.now();
  ensurePulumi();
  const results = { startedAt: new Date(started).toISOString(), config: cfg, machine: machine() };
  log(`npm run bench: ${JSON.stringify({ ...cfg, out: path.relative(root, cfg.out) })}`);
  if (cfg.only.includes("noise")) results.noise = await noise();
  if (cfg.only.includes("lag")) {
    results.lagRaw = await lag.realTime({ settles: cfg.settles, runs: cfg.runs, log });
    results.lag = lag.summarise(results.lagRaw, false);
  }
  if (cfg.only.includes("long")) {
    const durations = cfg.quick ? [10 * 60_000] : [10 * 60_000, 60 * 60_000, 2 * 3_600_000];
    results.longRaw = await lag.scaledTime({ durations, realMs: cfg.quick ? 20_000 : 36_000, log });
    results.long = lag.summarise(results.longRaw, true);
  }
  if (cfg.only.includes("stacks")) {
    log(
      `preview and up: 40 resources of this package vs. 40 trivial resources, dynamic face then plugin face, ${cfg.rounds} round(s)`,
    );
    results.stacks = await stacks({ rounds: cfg.rounds, log });
  }
  if (cfg.only.includes("topology")) {
    log(`KakaoCloud topology: ${cfg.topologyRuns} run(s)`);
    results.topology = await topology(
      cfg.quick
        ? { runs: 1, createClusterMs: 10_000, addShardMs: 6_000, addReplicaMs: 3_000, log }
        : { runs: cfg.topologyRuns, log },
    );
  }
  results.finishedAt = new Date().toISOString();
  results.durationMs = Date.now() - started;
  results.machine.loadAverageAtEnd = os.loadavg().map((x) => Number(x.toFixed(2)));

  log("\n" + render(results, "text"));
  log(`\nbench took ${Math.round(results.durationMs / 1000)} s`);
  fs.mkdirSync(cfg.out, { recursive: true });
  fs.writeFileSync(path.join(cfg.out, "bench.json"), JSON.stringify(results, null, 2) + "\n");
  const md = [
    "# `npm run bench` results",
    "",
    `Run on ${results.startedAt} in ${Math.round(results.durationMs / 60_000)} min ` +
      `(\`node scripts/bench/index.js${process.argv.slice(2).length ? " " + process.argv.slice(2).join(" ") : ""}\`). ` +
      "Medians with min–max over the runs; every figure was measured in this run. " +
      "What the figures mean and why some targets are not met: [docs/performance.md](../docs/performance.md).",
    "",
    render(results, "md"),
    "",
  ].join("\n");
  fs.writeFileSync(path.join(cfg.out, "bench.md"), md);
  log(
    `wrote ${path.relative(root, path.join(cfg.out, "bench.json"))} and ${path.relative(root, path.join(cfg.out, "bench.md"))}`,
  );
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
