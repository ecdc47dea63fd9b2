/** @type {import('jest').Config} */
module.exports = {
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
  testTimeout: 60000,
};
