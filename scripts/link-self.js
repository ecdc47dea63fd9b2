// Makes `require("pulumi-managed-redis/...")` resolve inside this repository, as it does for users
// who install the package: the serialized dynamic provider loads the implementation by package
// name from the program's node_modules. Runs from `npm run build` (never from a consumer's install: the file is not shipped).
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-managed-redis");
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  const current = fs.readlinkSync(link);
  if (path.resolve(path.dirname(link), current) === root) process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch {
  fs.rmSync(link, { recursive: true, force: true });
}
fs.symlinkSync(path.relative(path.dirname(link), root), link, "dir");
