// Entry the Pulumi policy runner loads (package.json "main"). The runner registers ts-node, which
// compiles TypeScript outside node_modules only: in this repository the pack runs from its
// TypeScript sources (index.ts); installed as a dependency it runs the compiled copy that
// `npx tsc -p policies/tsconfig.build.json` writes to bin/ before the package is packed.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

if (!__dirname.split(path.sep).includes("node_modules")) {
  require("./index.ts");
} else {
  const built = path.join(__dirname, "bin", "policies", "index.js");
  if (!fs.existsSync(built)) {
    throw new Error(
      `pulumi-managed-redis policies: ${built} is missing. This copy of the pack was installed without its ` +
        "compiled form (npx tsc -p policies/tsconfig.build.json before packing); point --policy-pack at a " +
        "checkout of the repository's policies/ folder instead.",
    );
  }
  require(built);
}
