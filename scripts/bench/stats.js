// Small statistics and formatting helpers for the benchmark and chaos reports.
"use strict";

/** Median, min, max, mean, relative spread ((max - min) / median) and count of numbers. */
function summary(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN, mean: NaN, spread: NaN };
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return {
    n: v.length,
    median,
    min: v[0],
    max: v[v.length - 1],
    mean,
    spread: median !== 0 ? (v[v.length - 1] - v[0]) / Math.abs(median) : 0,
  };
}

/** `1.23 s` from milliseconds. */
function secs(ms, digits = 2) {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(digits)} s` : "n/a";
}

/** `median (min–max)` of a summary, formatted by `fmt`. */
function mmm(s, fmt = (x) => String(x)) {
  if (!s || s.n === 0) return "n/a";
  return s.n === 1 ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

/** Mebibytes from bytes. */
function mib(bytes) {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** A Markdown table from a header row and rows of cells. */
function markdownTable(header, rows) {
  const esc = (c) => String(c).replace(/\|/g, "\\|");
  return [
    `| ${header.map(esc).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ].join("\n");
}

/** A plain-text table (for the terminal) from a header row and rows of cells. */
function textTable(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join("  ");
  return [line(all[0]), widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)].join("\n");
}

/** `met` / `NOT MET` */
function verdict(ok) {
  return ok ? "met" : "NOT MET";
}

module.exports = { summary, secs, mmm, mib, markdownTable, textTable, verdict };
