/** The bench and chaos drivers' flags (scripts/cli-flags.js), read with node:util parseArgs. */
const { flags } = require("../../scripts/cli-flags");

describe("scripts/cli-flags", () => {
  const spec = { strings: ["runs", "out"], booleans: ["quick"] };

  it("reads declared flags in both spellings, then the environment, then the default", () => {
    process.env.CLI_FLAGS_TEST_OUT = "/from/env";
    try {
      const f = flags(spec, ["--runs=4", "--quick"]);
      expect(f.int("runs", "CLI_FLAGS_TEST_RUNS", 1)).toBe(4);
      expect(f.bool("quick")).toBe(true);
      expect(f.flag("out", "CLI_FLAGS_TEST_OUT")).toBe("/from/env");
      const g = flags(spec, ["--out", "/x"]);
      expect(g.flag("out", "CLI_FLAGS_TEST_OUT")).toBe("/x");
      expect(g.int("runs", "CLI_FLAGS_TEST_RUNS", 7)).toBe(7);
      expect(g.bool("quick")).toBe(false);
    } finally {
      delete process.env.CLI_FLAGS_TEST_OUT;
    }
  });

  it("refuses an unknown flag by name and lists the known ones", () => {
    expect(() => flags(spec, ["--rnus", "3"])).toThrow(/'--rnus'.*--runs V, --out V, --quick/);
  });

  it("refuses a value that is not a whole number at or above the minimum", () => {
    expect(() => flags(spec, ["--runs", "x"]).int("runs", "NONE", 1)).toThrow(
      '--runs must be a whole number ≥ 1, got "x"',
    );
    expect(() => flags(spec, ["--runs", "0"]).int("runs", "NONE", 1)).toThrow(/≥ 1/);
    expect(flags(spec, ["--runs", "0"]).int("runs", "NONE", 1, 0)).toBe(0);
  });
});
