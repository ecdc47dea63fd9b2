// Build step of the plugin face's Node.js SDK (`npm run build`, after `tsc -p tsconfig.sdk.json`):
// copies the generated sdk/nodejs/package.json beside the compiled SDK, where the generated
// `utilities.getVersion()` reads it (`require("./package.json").version`: the plugin version each
// resource asks the engine for). Upstream's generated SDKs do the same in their postinstall script.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
fs.copyFileSync(
  path.join(root, "sdk", "nodejs", "package.json"),
  path.join(root, "lib", "sdk", "nodejs", "package.json"),
);
