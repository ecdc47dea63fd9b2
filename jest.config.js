// Two projects: "unit" (every test that needs no Pulumi CLI: the core, the providers against the
// emulator in-process, the emulator, the policies, the SDK cross-checks, the scripts) runs on jest's
// workers; "engine" (the real Pulumi engine: end-to-end, chaos, consumer and policy-engine tests)
// runs serially (`--runInBand`), because each test drives CLIs and providers of its own and times
// their steps. `npm test` runs the first, then the second.

/** The suites that drive the Pulumi CLI. */
const ENGINE = [
  "<rootDir>/tests/e2e/",
  "<rootDir>/tests/consumer/",
  "<rootDir>/tests/chaos/engine.test.ts",
  "<rootDir>/tests/policies/engine.test.ts",
];

const common = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // p-retry and is-network-error are ESM-only: let ts-jest turn them into CommonJS for jest.
    "^.+\\.(ts|js|mjs)$": [
      "ts-jest",
      { tsconfig: "tsconfig.test.json", diagnostics: { ignoreCodes: ["TS151001"] } },
    ],
  },
  transformIgnorePatterns: ["/node_modules/(?!(p-retry|is-network-error)/)"],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: "unit", testPathIgnorePatterns: ["/node_modules/", ...ENGINE] },
    {
      ...common,
      displayName: "engine",
      testMatch: ENGINE.map((p) => (p.endsWith("/") ? `${p}**/*.test.ts` : p)),
    },
  ],
};
