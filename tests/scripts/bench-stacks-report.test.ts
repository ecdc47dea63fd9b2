/** The bench's stacks report (scripts/bench/stacks-report.js): the plugin face's rows beside the dynamic face's. */
const { stacksTable, stateTable, stacksSummaryRows, stacksSections } =
  require("../../scripts/bench/stacks-report") as {
    stacksTable(st: unknown): [string[], string[][]];
    stacksSections(st: unknown, format: string, table: (h: string[], rows: string[][]) => string): string[];
    stateTable(st: unknown): [string[], string[][]];
    stacksSummaryRows(st: unknown): string[][];
  };

const one = (x: number) => ({ n: 1, median: x, min: x, max: x, mean: x, spread: 0 });
const face = (ms: number) => ({
  previewEmpty: one(ms),
  previewSame: one(ms),
  up: one(2 * ms),
  destroy: one(ms),
  peakSum: one(2 ** 27),
  processes: one(1),
});
const ratios = (r: number) => ({ previewEmpty: one(r), previewSame: one(r), up: one(r), destroy: one(r) });
const sizes = (n: number, bytes: number, types: Record<string, [number, number]>) => ({
  types: Object.fromEntries(
    Object.entries(types).map(([t, [min, max]]) => [t, { token: t, count: 1, min, max, total: max }]),
  ),
  resources: n,
  resourceBytes: bytes,
  engineBytes: 1000,
  deploymentBytes: bytes + 1000,
});
/** The stacks figures as a run before the plugin face wrote them (results/bench.json of 2026-12-02). */
const dynamicOnly = {
  rounds: 1,
  settleMs: 100,
  resources: 40,
  managed: face(2400),
  trivial: face(2000),
  ratios: ratios(1.2),
  providerBytes: { "pulumi-nodejs:dynamic/kakaocloud:KakaoShard": 2295 },
  trivialProviderBytes: { "pulumi-nodejs:dynamic/bench:Trivial": 567 },
};
const both = {
  ...dynamicOnly,
  plugin: face(3000),
  trivialPlugin: face(2000),
  pluginRatios: ratios(1.5),
  faceRatios: ratios(1.25),
  stateBytes: {
    managed: sizes(56, 400_000, { KakaoShard: [6637, 6637], KakaoMemberSettled: [7068, 7151] }),
    plugin: sizes(40, 88_000, { KakaoShard: [2039, 2039] }),
    trivial: sizes(40, 97_680, { Trivial: [2327, 2612] }),
    trivialPlugin: sizes(40, 47_040, { Trivial: [1062, 1345] }),
  },
};

describe("scripts/bench/stacks-report", () => {
  it("keeps the dynamic face's four rows and targets, and adds the plugin face's rows with their ratio to its baseline", () => {
    const [, old] = stacksTable(dynamicOnly);
    expect(old.map((r) => r[0])).toEqual([
      "pulumi preview (new stack)",
      "pulumi preview (no changes)",
      "pulumi up --skip-preview (settle 100 ms)",
      "pulumi destroy --skip-preview",
    ]);
    expect(old[0].slice(1)).toEqual(["2.40 s", "2.00 s", "1.20", "≤ 1.30: met"]);
    const [, rows] = stacksTable(both);
    expect(rows.slice(0, 4)).toEqual(old);
    expect(rows.slice(4).map((r) => r[0])).toEqual(old.map((r) => `plugin face: ${r[0]}`));
    expect(rows[4].slice(1)).toEqual(["3.00 s", "2.00 s", "1.50", ""]);
    expect(stacksSummaryRows(dynamicOnly)).toHaveLength(3);
    expect(stacksSummaryRows(both).slice(3)).toEqual([
      [
        "plugin face: preview against a trivial plugin stack",
        "1.50× (new), 1.50× (no changes)",
        "(reported)",
      ],
      ["state bytes per declared resource (dynamic face, plugin face)", "10000 B, 2200 B", "(reported)"],
    ]);
  });

  it("puts each type's state entry of both faces on one row, and the bytes per declared resource", () => {
    const [, rows] = stateTable(both);
    expect(rows).toContainEqual(["KakaoShard", "6637 B", "2039 B"]);
    expect(rows).toContainEqual(["KakaoMemberSettled", "7068–7151 B", ""]);
    expect(rows).toContainEqual(["trivial resource", "2327–2612 B", "1062–1345 B"]);
    expect(rows).toContainEqual([
      "this package: resource entries / 40 declared resources",
      "56: 10000 B",
      "40: 2200 B",
    ]);
  });

  it("splits the dynamic face's ratio into the mirror's two when the run has the mirror stack", () => {
    const table = (h: string[], rows: string[][]) => JSON.stringify([h, rows]);
    const withMirror = {
      ...both,
      mirror: face(2200),
      ownRatios: ratios(1.1),
      shapeRatios: ratios(1.25),
      stateBytes: { ...both.stateBytes, mirror: sizes(64, 380_000, {}) },
    };
    const parts = stacksSections(withMirror, "md", table);
    const at = parts.findIndex((p) => p.includes("Where the dynamic face's overhead comes from"));
    expect(at).toBeGreaterThan(0);
    const [header, rows] = JSON.parse(parts[at + 1]) as [string[], string[][]];
    expect(header.slice(1)).toEqual([
      "what the program registers: mirror ÷ trivial",
      "the package's provider work: this package ÷ mirror",
    ]);
    expect(rows[1]).toEqual(["pulumi preview (no changes)", "1.25", "1.10"]);
    expect(parts[at + 2]).toContain("64 resource entries");
    // A run without the mirror (results of earlier versions) has no such section.
    expect(stacksSections(both, "md", table).some((p) => p.includes("overhead comes from"))).toBe(false);
  });
});
