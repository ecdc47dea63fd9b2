// `npm run mutation`: runs StrykerJS over provider/ (stryker.config.mjs) and writes a summary of its
// JSON report: the score overall and per file, and the surviving mutants — the to-do list of
// behaviours no test guards yet.
//
//   npm run mutation                        the whole provider, driven by tests/provider:
//                                           results/mutation.{json,md}
//   npm run mutation -- --area kakaocloud   one folder of provider/ (core, kakaocloud, alicloud,
//                                           huaweicloud, plugin) driven by its own
//                                           tests/provider/<area>: results/mutation-<area>.{json,md},
//                                           then --merge
//   npm run mutation -- --merge             results/mutation.md from the five area reports
//   npm run mutation -- --area core --file provider/registry.ts
//                                           one file, driven by the area's tests alone:
//                                           results/mutation-registry.{json,md} (not merged)
//   --summary-only                          rewrite a summary from its existing report
//
// An area run is incremental: it starts from the area's last report, so after new tests only the
// mutants those tests cover run again. Reasons why the remaining survivors survive are kept by hand
// in results/mutation-survivors-<area>.md (-registry.md for --file provider/registry.ts) and appended
// to the summaries. Needs Node 22 or newer. MUTATION_CONCURRENCY=1 (read by stryker.config.mjs; 2 by
// default) runs one test process at a time, for a shared machine.
//
// The `plugin` area is provider/plugin/ (the provider plugin face), driven by tests/provider/plugin.
// provider/tokens.ts belongs to no area (stryker.config.mjs leaves it out, as it does index.ts): it
// is two tables of string constants, read only while modules load, so every mutant of it is static
// and `ignoreStatic` would drop it — an area run would report no mutants for it. Its values are
// guarded by tests instead: the resources tests of each cloud (tests/provider/<cloud>/resources.test.ts
// and the like, which spell out each dynamic token), tests/policies/plugin-tokens.test.ts (each plugin
// token derived from the dynamic one, each public type served by the plugin) and
// tests/provider/plugin/sdk.test.ts (the committed SDK's __pulumiType of each token).
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const results = path.join(root, "results");
const AREAS = ["core", "kakaocloud", "alicloud", "huaweicloud", "plugin"];
const rel = (p) => path.relative(root, p);
const reportOf = (area) => path.join(results, area ? `mutation-${area}.json` : "mutation.json");
const summaryOf = (area) => path.join(results, area ? `mutation-${area}.md` : "mutation.md");
const reasonsOf = (area) => path.join(results, `mutation-survivors-${area}.md`);

function argValue(name) {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

/** What a run mutates: `--file`, else the area's folder, else the whole provider. */
const mutatedBy = (area, file) => file ?? (area ? `provider/${area}/**/*.ts` : "provider/**/*.ts");

function run(area, file, name) {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) {
    console.error(`npm run mutation: StrykerJS 10 needs Node 22 or newer (this is ${process.version}).`);
    process.exit(2);
  }
  const env = { ...process.env, MUTATION_REPORT: rel(reportOf(name)) };
  if (area) {
    env.MUTATE = mutatedBy(area, file);
    env.MUTATION_TESTS = `tests/provider/${area}`;
    // Seed Stryker's incremental file from the committed report (same schema) on a new clone; the
    // file's name is stryker.config.mjs's scope of MUTATE.
    const scope = env.MUTATE.replace(/\/\*\*.*$/, "").replace(/[^A-Za-z0-9]+/g, "-");
    const incremental = path.join(results, "tmp", `stryker-incremental-${scope}.json`);
    if (!fs.existsSync(incremental) && fs.existsSync(reportOf(name))) {
      fs.mkdirSync(path.dirname(incremental), { recursive: true });
      fs.copyFileSync(reportOf(name), incremental);
    }
    if (fs.existsSync(incremental)) forgetStaticSurvivors(incremental);
  }
  const bin = path.join(root, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
  const res = spawnSync(process.execPath, [bin, "run"], { cwd: root, stdio: "inherit", env });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

/**
 * Drops the surviving static mutants (code run while a module loads, such as a table of codes) from
 * an incremental file. Stryker reuses their old result however the tests changed, since it records no
 * per-test coverage for them; dropped, they are tested again against the whole area's tests.
 */
function forgetStaticSurvivors(file) {
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  let dropped = 0;
  for (const f of Object.values(report.files ?? {})) {
    const keep = f.mutants.filter(
      (m) => !(m.static && (m.status === "Survived" || m.status === "NoCoverage")),
    );
    dropped += f.mutants.length - keep.length;
    f.mutants = keep;
  }
  if (dropped > 0) {
    fs.writeFileSync(file, JSON.stringify(report));
    console.log(`npm run mutation: ${dropped} surviving static mutants will be tested again`);
  }
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

const fileRows = (files) => [
  "| file | score | detected | survived | no coverage |",
  "| --- | ---: | ---: | ---: | ---: |",
  ...[...files]
    .sort((a, b) => a.pct - b.pct)
    .map(
      (f) =>
        `| ${f.file} | ${f.pct.toFixed(1)}% | ${f.detected} | ${f.by.Survived ?? 0} | ${f.by.NoCoverage ?? 0} |`,
    ),
];

function overall(all) {
  return (
    `**Overall: ${all.pct.toFixed(1)}%** — ${all.detected} detected of ${all.valid} mutants` +
    ` (killed ${all.by.Killed ?? 0}, timeout ${all.by.Timeout ?? 0}, survived ${all.by.Survived ?? 0},` +
    ` no coverage ${all.by.NoCoverage ?? 0}, compile errors ${all.by.CompileError ?? 0}).`
  );
}

function survivorLines(files) {
  const lines = ["## Surviving mutants", ""];
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
  return lines;
}

function filesOf(json) {
  return Object.entries(json.files).map(([file, f]) => ({ file, ...score(f.mutants), mutants: f.mutants }));
}

const reasons = (areas) =>
  areas
    .filter((a) => fs.existsSync(reasonsOf(a)))
    .flatMap((a) => [fs.readFileSync(reasonsOf(a), "utf8").trim(), ""]);

/**
 * Cuts each mutant's `statusReason` (the failing test's whole output, most of a report's size) to its
 * first 300 characters, so that the committed reports stay small; the incremental mode does not read it.
 */
function shortenReasons(file) {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const f of Object.values(report.files ?? {})) {
    for (const m of f.mutants)
      if (m.statusReason?.length > 300) m.statusReason = m.statusReason.slice(0, 300);
  }
  fs.writeFileSync(file, JSON.stringify(report));
}

/** Summary of one run's report (the whole provider, one area, or one file named `name`). */
function summarize(area, file, name) {
  const report = reportOf(name);
  shortenReasons(report);
  const files = filesOf(JSON.parse(fs.readFileSync(report, "utf8")));
  const all = score(files.flatMap((f) => f.mutants));
  // A rewritten summary keeps the date of the run (a clone's files carry the checkout's time).
  const earlier =
    fs.existsSync(summaryOf(name)) && /written (\S+?)\./.exec(fs.readFileSync(summaryOf(name), "utf8"));
  const when =
    process.argv.includes("--summary-only") && earlier
      ? earlier[1]
      : fs
          .statSync(report)
          .mtime.toISOString()
          .replace(/\.\d+Z$/, "Z");
  const scope = area
    ? `mutated \`${mutatedBy(area, file)}\`, driven by \`tests/provider/${area}\` alone`
    : "mutated `provider/**/*.ts`, driven by `tests/provider`";
  const title = file ?? (area ? `provider/${area}` : "provider/");
  const lines = [
    `# Mutation testing (StrykerJS, jest runner): ${title}`,
    "",
    `Report: ${rel(report)}, written ${when}. Score = detected (killed + timed out) / (detected + survived + no coverage).`,
    "",
    `Scope: ${scope}.`,
    "",
    overall(all),
    "",
    ...fileRows(files),
    "",
    ...reasons(name ? [name] : AREAS),
    ...survivorLines(files),
  ];
  fs.writeFileSync(summaryOf(name), lines.join("\n"));
  console.log(
    `mutation score ${all.pct.toFixed(1)}% (${all.detected}/${all.valid}); summary in ${rel(summaryOf(name))}`,
  );
}

/** results/mutation.md from the five area reports: each area mutated with its own tests. */
function merge() {
  const missing = AREAS.filter((a) => !fs.existsSync(reportOf(a)));
  if (missing.length > 0) {
    console.error(`npm run mutation -- --merge: no report yet for ${missing.join(", ")} (run --area first).`);
    process.exit(2);
  }
  const reports = AREAS.map((a) => JSON.parse(fs.readFileSync(reportOf(a), "utf8")));
  // Only the summary is merged: the area reports are the data (one merged JSON would be 5 MB in git).
  const files = reports.flatMap(filesOf);
  const all = score(files.flatMap((f) => f.mutants));
  const written = (a) => /written (\S+?)\./.exec(fs.readFileSync(summaryOf(a), "utf8"))?.[1] ?? "?";
  const areaRows = AREAS.map((a, i) => {
    const s = score(filesOf(reports[i]).flatMap((f) => f.mutants));
    return `| provider/${a} | tests/provider/${a} | ${s.pct.toFixed(1)}% | ${s.detected} / ${s.valid} | ${written(a)} |`;
  });
  const lines = [
    "# Mutation testing (StrykerJS, jest runner): provider/",
    "",
    "Reports: results/mutation-<area>.json, summarized together here (`npm run mutation -- --merge`).",
    "Each area was mutated in its own run, driven by its own test folder alone — a lower bound on what",
    "the whole of tests/provider detects. Score = detected (killed + timed out) / (detected + survived + no coverage).",
    "",
    overall(all),
    "",
    "| area | driven by | score | detected / mutants | run written |",
    "| --- | --- | ---: | ---: | --- |",
    ...areaRows,
    "",
    ...fileRows(files),
    "",
    ...reasons(AREAS),
    ...survivorLines(files),
  ];
  fs.writeFileSync(summaryOf(), lines.join("\n"));
  console.log(
    `merged mutation score ${all.pct.toFixed(1)}% (${all.detected}/${all.valid}); summary in results/mutation.md`,
  );
}

const area = argValue("--area");
if (area !== undefined && !AREAS.includes(area)) {
  console.error(`npm run mutation: --area takes one of ${AREAS.join(", ")}.`);
  process.exit(2);
}
// `--file provider/registry.ts`: one file of the provider (outside the areas' folders, or a part of
// one), mutated alone and reported as `mutation-registry`; not part of the merged summary.
const file = argValue("--file");
if (file !== undefined && (area === undefined || !/^provider\/[\w/.-]+\.ts$/.test(file))) {
  console.error(
    "npm run mutation: --file takes a provider/….ts path, with --area naming the tests that drive it.",
  );
  process.exit(2);
}
const name = file === undefined ? area : path.basename(file, ".ts");
if (process.argv.includes("--merge") && area === undefined) {
  merge();
} else {
  if (!process.argv.includes("--summary-only")) run(area, file, name);
  summarize(area, file, name);
  if (file === undefined && area !== undefined && AREAS.every((a) => fs.existsSync(reportOf(a)))) merge();
}
