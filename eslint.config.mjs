import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "lib/",
      "**/node_modules/",
      "results/",
      "**/bin/",
      "sdk/",
      // What `pulumi import` prints, kept verbatim (tests/e2e/import-code.test.ts compares it).
      "tests/e2e/programs/import-ts/index.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: "readonly",
        exports: "writable",
        module: "writable",
        process: "readonly",
        __dirname: "readonly",
        console: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The provider throws only its own error hierarchy: a stable `code`, a redacted message, a cause.
    files: ["provider/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "NewExpression[callee.name='Error']",
          message:
            "Use an error class of provider/core/errors.ts (InputError, ConfigError, StateError, AbortedError, CloudError, ...) instead of a bare Error.",
        },
        {
          selector: "CallExpression[callee.name='Error']",
          message:
            "Use an error class of provider/core/errors.ts (InputError, ConfigError, StateError, AbortedError, CloudError, ...) instead of a bare Error.",
        },
      ],
    },
  },
);
