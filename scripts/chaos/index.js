#!/usr/bin/env node
// `npm run chaos`: the chaos stack (every resource type) deployed, updated and destroyed under a
// seeded fault mix, over many runs; then `pulumi up` killed at seeded random points of creation
// and update, and recovered with cancel + refresh + up; then the fresh-runner series: kills during
// shard and replica additions and during resharding updates, each recovered with a new, empty
// PULUMI_HOME (a CI runner that keeps nothing). Prints the figures and writes
// results/chaos.json and results/chaos.md (see docs/reliability.md).
//
// Flags (or environment variables):
//   --runs N        CHAOS_RUNS    fault runs (default 16), seeds seed, seed+1, ...
//   --rate R        CHAOS_RATE    fault probability per request (default 0.15)
//   --seed S        CHAOS_SEED    first seed (default 1)
//   --kills N       CHAOS_KILLS   interruption runs (default 12: alternately during create and update)
//   --fresh N       CHAOS_FRESH   fresh-runner kill runs (default 12: alternately during additions
//                                 and during a resharding update)
//   --only a,b      CHAOS_ONLY    parts: faults, kills, fresh (default all three)
//   --out DIR       CHAOS_OUT     results folder (default results/)
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { root } = require("../bench/engine");
const { markdownTable, textTable, secs } = require("../bench/stats");
const { faultRun, interruptionRun, sum } = require("./runs");
const { flags } = require("../cli-flags");

function args() {
  const { flag, int } = flags({ strings: ["runs", "rate", "seed", "kills", "fresh", "only", "out"] });
  const rate = Number(flag("rate", "CHAOS_RATE") ?? 0.15);
  if (!(rate >= 0 && rate <= 1)) throw new Error(`--rate must be from 0 to 1`);
  const only = (flag("only", "CHAOS_ONLY") ?? "faults,kills,fresh").split(",").map((s) => s.trim());
  for (const o of only)
    if (!["faults", "kills", "fresh"].includes(o)) throw new Error(`--only: unknown part "${o}"`);
  return {
    runs: int("runs", "CHAOS_RUNS", 16),
    rate,
    seed: int("seed", "CHAOS_SEED", 1, 0),
    kills: int("kills", "CHAOS_KILLS", 12),
    fresh: int("fresh", "CHAOS_FRESH", 12),
    only,
    out: path.resolve(flag("out", "CHAOS_OUT") ?? path.join(root, "results")),
  };
}

const log = (line) => process.stdout.write(`${line}\n`);

function addCounts(into, from) {
  for (const [k, v] of Object.entries(from ?? {})) into[k] = (into[k] ?? 0) + (typeof v === "number" ? v : 1);
  return into;
}

/** Totals of the fault runs. */
function faultTotals(runs) {
  const t = {
    runs: runs.length,
    converged: runs.filter((r) => r.converged).length,
    stepsFailedUnderFaults: runs.reduce((a, r) => a + r.unabsorbed.length, 0),
    faultsInjected: runs.reduce((a, r) => a + r.faultsInjected, 0),
    faultsAbsorbed: runs.reduce((a, r) => a + r.faultsAbsorbed, 0),
    faultsOnMutations: runs.reduce((a, r) => a + r.faultsOnMutations, 0),
    duplicates: runs.reduce((a, r) => a + sum(r.duplicates), 0),
    leftovers: runs.reduce((a, r) => a + sum(r.leftovers), 0),
    byLabel: {},
  };
  for (const r of runs) addCounts(t.byLabel, r.faultsByLabel);
  return t;
}

function killTotals(runs) {
  return {
    runs: runs.length,
    killed: runs.filter((r) => r.killedDuring && !r.killedDuring.startsWith("not killed")).length,
    converged: runs.filter((r) => r.converged).length,
    duplicates: runs.reduce((a, r) => a + sum(r.duplicates ?? {}), 0),
    orphansAfterRecovery: runs.reduce((a, r) => a + sum(r.afterRecovery ?? {}), 0),
    leftovers: runs.reduce((a, r) => a + sum(r.leftovers ?? {}), 0),
    errors: runs.filter((r) => r.error).length,
    adopted: runs.filter((r) => r.adopted?.length).length,
    unowned: runs.reduce((a, r) => a + sum(r.unowned ?? {}), 0),
    claimedTwice: runs.reduce((a, r) => a + (r.claimedTwice?.length ?? 0), 0),
  };
}

/** What a recovering run adopted, in short ("found shard 003 added by an interrupted run"). */
function adoptedText(r) {
  if (!r.adopted?.length) return "nothing";
  return r.adopted.map((l) => l.split(";")[0].slice(0, 80)).join("; ");
}

function render(results, format) {
  const table = format === "md" ? markdownTable : textTable;
  const h = (title) => (format === "md" ? `\n### ${title}\n` : `\n${title.toUpperCase()}`);
  const parts = [];
  if (results.faults) {
    const t = results.faultTotals;
    parts.push(h(`Fault runs: create, update and destroy under a fault rate of ${results.config.rate}`));
    parts.push(
      table(
        ["figure", "value"],
        [
          ["runs (seeds)", `${t.runs} (${results.faults.map((r) => r.seed).join(", ")})`],
          ["runs that converged", `${t.converged}/${t.runs}`],
          ["faults injected", String(t.faultsInjected)],
          ["faults absorbed (the command succeeded anyway)", String(t.faultsAbsorbed)],
          ["faults on mutations", String(t.faultsOnMutations)],
          ["steps whose error reached the user", String(t.stepsFailedUnderFaults)],
          ["resources created twice", String(t.duplicates)],
          ["resources left in the emulator after destroy", String(t.leftovers)],
        ],
      ),
    );
    parts.push(h("Faults injected, by cloud and answer"));
    parts.push(
      table(
        ["fault", "count"],
        Object.entries(t.byLabel)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => [k, String(v)]),
      ),
    );
    parts.push(h("Each fault run"));
    parts.push(
      table(
        ["seed", "create", "update", "destroy", "faults", "errors shown", "duplicates", "leftovers"],
        results.faults.map((r) => {
          const step = (n) => {
            const s = r.steps.find((x) => x.name === n);
            if (!s) return "not run";
            return `${s.ok ? "ok" : s.rerunOk ? "failed, re-run ok" : "FAILED"} ${secs(s.ms, 1)} (${s.faults} faults)`;
          };
          return [
            String(r.seed),
            step("create"),
            step("update"),
            step("destroy"),
            String(r.faultsInjected),
            r.unabsorbed.length
              ? r.unabsorbed.map((u) => `${u.step}: ${u.errors[0] ?? "?"}`).join("; ")
              : "none",
            String(sum(r.duplicates)),
            String(sum(r.leftovers)),
          ];
        }),
      ),
    );
  }
  for (const [key, title] of [
    ["kills", "Interruptions: `pulumi up` killed, then cancel, refresh --clear-pending-creates, up"],
    [
      "fresh",
      "Fresh runner: `pulumi up` killed during a shard or replica addition or a resharding update, " +
        "then cancel, refresh --clear-pending-creates, up with a new, empty PULUMI_HOME",
    ],
  ]) {
    if (results[key]) parts.push(...renderKills(results[key], results[`${key}Totals`], title, table, h));
  }
  return parts.join("\n");
}

function renderKills(runs, t, title, table, h) {
  const parts = [h(title)];
  parts.push(
    table(
      ["figure", "value"],
      [
        ["kill points tried", String(t.runs)],
        ["runs killed before they finished", String(t.killed)],
        ["recoveries that converged (state = cloud, destroy clean)", `${t.converged}/${t.runs}`],
        ["resources created twice", String(t.duplicates)],
        ["recoveries that adopted what the killed run had created", String(t.adopted)],
        [
          "killed runs' additions left unowned (no state names them; reported in foreignMembers, never adopted)",
          String(t.unowned),
        ],
        ["members claimed by two resources", String(t.claimedTwice)],
        ["live resources not in the state after recovery (orphans)", String(t.orphansAfterRecovery)],
        ["resources left in the emulator after destroy", String(t.leftovers)],
      ],
    ),
  );
  parts.push(h("Each kill point"));
  parts.push(
    table(
      [
        "seed",
        "phase",
        "killed",
        "recovery",
        "adopted",
        "unowned",
        "duplicates",
        "after recovery",
        "leftovers",
      ],
      runs.map((r) => {
        const steps = (r.steps ?? [])
          .filter((s) => s.name !== "up (killed)" && s.name !== "up (before)")
          .map((s) => `${s.name} ${s.code === 0 ? "ok" : "FAILED"}`)
          .join(", ");
        return [
          String(r.seed),
          r.phase,
          r.killedDuring ?? r.error ?? "?",
          r.error ? `error: ${r.error}` : steps,
          adoptedText(r),
          sum(r.unowned ?? {}) ? JSON.stringify(r.unowned) : "none",
          String(sum(r.duplicates ?? {})) +
            (sum(r.duplicates ?? {}) ? ` ${JSON.stringify(r.duplicates)}` : ""),
          Object.keys(r.afterRecovery ?? {}).length ? JSON.stringify(r.afterRecovery) : "as declared",
          String(sum(r.leftovers ?? {})),
        ];
      }),
    ),
  );
  return parts;
}

async function main() {
  const cfg = args();
  const started = Date.now();
  const results = { startedAt: new Date(started).toISOString(), config: cfg };
  log(`npm run chaos: ${JSON.stringify({ ...cfg, out: path.relative(root, cfg.out) })}`);
  if (cfg.only.includes("faults")) {
    log(`fault runs: ${cfg.runs} seeded runs at rate ${cfg.rate}`);
    results.faults = [];
    for (let i = 0; i < cfg.runs; i++) {
      results.faults.push(await faultRun({ seed: cfg.seed + i, rate: cfg.rate, log }));
    }
    results.faultTotals = faultTotals(results.faults);
  }
  if (cfg.only.includes("kills")) {
    log(`interruptions: ${cfg.kills} kill points`);
    results.kills = [];
    for (let i = 0; i < cfg.kills; i++) {
      const phase = i % 2 === 0 ? "create" : "update";
      results.kills.push(await interruptionRun({ seed: 1000 + cfg.seed + i, phase, log }));
    }
    results.killsTotals = killTotals(results.kills);
  }
  if (cfg.only.includes("fresh")) {
    log(
      `fresh runner: ${cfg.fresh} kill points during additions and resharding, recovered with a new PULUMI_HOME`,
    );
    results.fresh = [];
    for (let i = 0; i < cfg.fresh; i++) {
      const phase = i % 2 === 0 ? "create" : "reshard";
      results.fresh.push(
        await interruptionRun({
          seed: 2000 + cfg.seed + i,
          phase,
          freshRunner: true,
          // Slot migration of seconds (the experiment): kills land 0 to 4 s after the call.
          kakaoSettle: { addShard: 4000, addReplica: 2000 },
          log,
        }),
      );
    }
    results.freshTotals = killTotals(results.fresh);
  }
  results.durationMs = Date.now() - started;
  log("\n" + render(results, "text"));
  log(`\nchaos took ${Math.round(results.durationMs / 1000)} s`);
  fs.mkdirSync(cfg.out, { recursive: true });
  fs.writeFileSync(path.join(cfg.out, "chaos.json"), JSON.stringify(results, null, 2) + "\n");
  const md = [
    "# `npm run chaos` results",
    "",
    `Run on ${results.startedAt} in ${Math.round(results.durationMs / 60_000)} min ` +
      `(\`node scripts/chaos/index.js${process.argv.slice(2).length ? " " + process.argv.slice(2).join(" ") : ""}\`). ` +
      "What this proves and what it does not: [docs/reliability.md](../docs/reliability.md).",
    "",
    render(results, "md"),
    "",
  ].join("\n");
  fs.writeFileSync(path.join(cfg.out, "chaos.md"), md);
  log(
    `wrote ${path.relative(root, path.join(cfg.out, "chaos.json"))} and ${path.relative(root, path.join(cfg.out, "chaos.md"))}`,
  );
  const bad =
    (results.faultTotals &&
      (results.faultTotals.duplicates ||
        results.faultTotals.leftovers ||
        results.faultTotals.converged < results.faultTotals.runs)) ||
    [results.killsTotals, results.freshTotals].some(
      (t) => t && (t.duplicates || t.leftovers || t.orphansAfterRecovery || t.converged < t.runs),
    );
  process.exitCode = bad ? 1 : 0;
}

main().catch((err) => {
  process.stderr.write(`chaos failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
