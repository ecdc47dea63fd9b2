// `npm run mutation`: runs StrykerJS over provider/ (stryker.config.mjs), then writes a summary of
// Stryker's JSON report (results/mutation.json) to results/mutation.md: the score overall and per
// file, and the surviving mutants, which are the to-do list of behaviours no test guards yet.
// `--summary-only` rewrites the summary from an existing report. Needs Node 22 or newer.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const report = path.join(root, "results", "mutation.json");
const summary = path.join(root, "results", "mutation.md");
// Hand-kept reasons why the remaining survivors survive; appended to the summary when present.
const explained = path.join(root, "results", "mutation-survivors.md");

function run() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) {
    console.error(`npm run mutation: StrykerJS 10 needs Node 22 or newer (this is ${process.version}).`);
    process.exit(2);
  }
  const bin = path.join(root, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
  const res = spawnSync(process.execPath, [bin, "run"], { cwd: root, stdio: "inherit" });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

/** Counts by status for a list of mutants; the score is Stryker's: detected / (valid mutants). */
function score(mutants) {
  const by = {};
  for (const m of mutants) by[m.status] = (by[m.status] ?? 0) + 1;
  const detected = (by.Killed ?? 0) + (by.Timeout ?? 0);
  const undetected = (by.Survived ?? 0) + (by.NoCoverage ?? 0);
  const valid = detected + undetected;
  return { by, detected, undetected, valid, pct: valid === 0 ? 100 : (100 * detected) / valid };
}

function summarize() {
  const json = JSON.parse(fs.readFileSync(report, "utf8"));
  const files = Object.entries(json.files).map(([file, f]) => ({
    file,
    ...score(f.mutants),
    mutants: f.mutants,
  }));
  const all = score(files.flatMap((f) => f.mutants));
  const when = fs
    .statSync(report)
    .mtime.toISOString()
    .replace(/\.\d+Z$/, "Z");
  const lines = [
    "# Mutation testing (StrykerJS, jest runner, provider/)",
    "",
    `Report: results/mutation.json, written ${when}. Score = detected (killed + timed out) / (detected + survived + no coverage).`,
    "",
    `Scope: mutated \`${process.env.MUTATE ?? "provider/**/*.ts"}\`, driven by \`${process.env.MUTATION_TESTS ?? "tests/provider"}\`` +
      " (`MUTATE` and `MUTATION_TESTS` at the summary; a narrowed run says so here).",
    "",
    `**Overall: ${all.pct.toFixed(1)}%** — ${all.detected} detected of ${all.valid} mutants` +
      ` (killed ${all.by.Killed ?? 0}, timeout ${all.by.Timeout ?? 0}, survived ${all.by.Survived ?? 0},` +
      ` no coverage ${all.by.NoCoverage ?? 0}, compile errors ${all.by.CompileError ?? 0}).`,
    "",
    "| file | score | detected | survived | no coverage |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...files
      .sort((a, b) => a.pct - b.pct)
      .map(
        (f) =>
          `| ${f.file} | ${f.pct.toFixed(1)}% | ${f.detected} | ${f.by.Survived ?? 0} | ${f.by.NoCoverage ?? 0} |`,
      ),
    "",
    // The reasons are written for the core's survivors: left out of a run that mutates no core file.
    ...(fs.existsSync(explained) && /core|^provider\/\*\*/.test(process.env.MUTATE ?? "provider/**")
      ? [fs.readFileSync(explained, "utf8").trim(), ""]
      : []),
    "## Surviving mutants",
    "",
  ];
  for (const f of files) {
    const left = f.mutants.filter((m) => m.status === "Survived" || m.status === "NoCoverage");
    if (left.length === 0) continue;
    lines.push(`### ${f.file}`, "");
    for (const m of left) {
      const where = `${m.location.start.line}:${m.location.start.column}`;
      const repl = (m.replacement ?? "").replace(/\s+/g, " ").slice(0, 80);
      lines.push(`- ${where} ${m.mutatorName} → \`${repl.replace(/`/g, "'")}\` (${m.status})`);
    }
    lines.push("");
  }
  fs.writeFileSync(summary, lines.join("\n"));
  console.log(
    `mutation score ${all.pct.toFixed(1)}% (${all.detected}/${all.valid}); summary in results/mutation.md`,
  );
}

if (!process.argv.includes("--summary-only")) run();
summarize();
