// Entry the Pulumi policy runner loads (package.json "main"). The runner registers ts-node, which
// compiles TypeScript outside node_modules only: in this repository the pack runs from its
// TypeScript sources (index.ts); installed as a dependency it runs the compiled copy in bin/, which
// `npm run build` writes (npm pack runs it first) and the tarball ships, so no TypeScript is needed.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

if (!__dirname.split(path.sep).includes("node_modules")) {
  require("./index.ts");
} else {
  const built = path.join(__dirname, "bin", "policies", "index.js");
  if (!fs.existsSync(built)) {
    throw new Error(
      `pulumi-managed-redis policies: ${built} is missing. This copy of the pack was packed without its ` +
        "compiled form (run npm run build before npm pack); point --policy-pack at a checkout of the " +
        "repository's policies/ folder instead.",
    );
  }
  require(built);
}
