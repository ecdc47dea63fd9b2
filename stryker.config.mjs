// Mutation testing of the provider (`npm run mutation`): StrykerJS with the jest runner, driven by
// the provider unit tests and the emulator-backed provider tests. Not part of CI: a full run takes
// hours on two cores. `MUTATE=provider/core/**/*.ts MUTATION_TESTS=tests/provider/core npm run mutation` narrows the run.
// Each scope keeps its own incremental file, so a re-run after new tests re-tests only what changed.
const scope = (process.env.MUTATE ?? "provider").replace(/\/\*\*.*$/, "").replace(/[^A-Za-z0-9]+/g, "-");

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "jest",
  jest: {
    projectType: "custom",
    config: {
      testEnvironment: "node",
      roots: (process.env.MUTATION_TESTS ?? "tests/provider").split(",").map((d) => `<rootDir>/${d}`),
      testMatch: ["**/*.test.ts"],
      transform: {
        "^.+\\.(ts|js|mjs)$": ["ts-jest", { tsconfig: "tsconfig.test.json", diagnostics: false }],
      },
      transformIgnorePatterns: ["/node_modules/(?!(p-retry|is-network-error)/)"],
      testTimeout: 60000,
    },
    enableFindRelatedTests: false,
  },
  coverageAnalysis: "perTest",
  mutate: (process.env.MUTATE ?? "provider/**/*.ts")
    .split(",")
    // core/shim.ts is its own source text (the serialized provider; its tests assert that text),
    // which the instrumenter rewrites: it is checked by tests/provider/core/shim.test.ts, not mutated.
    .concat(["!provider/index.ts", "!provider/tokens.ts", "!provider/core/shim.ts"]),
  reporters: ["json", "clear-text", "progress"],
  jsonReporter: { fileName: process.env.MUTATION_REPORT ?? "results/mutation.json" },
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 20000,
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `results/tmp/stryker-incremental-${scope}.json`,
  tempDirName: `results/tmp/stryker-${scope}`,
  // Not copied into the sandboxes: the other scopes' sandboxes and incremental files live there.
  ignorePatterns: ["/results/tmp"],
  cleanTempDir: true,
};
