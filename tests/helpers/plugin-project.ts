/**
 * A Pulumi project that uses the plugin face with no SDK: `Pulumi.yaml` names the launcher folder
 * under `plugins: providers:` as a user's project would (`node_modules/pulumi-managed-redis/bin`),
 * and the program registers `pulumi.CustomResource`s by token from the stack configuration
 * `resources` (a JSON list of {@link ResourceSpec}).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** One resource of the program. */
export interface ResourceSpec {
  /** The token, e.g. `managed-redis:huaweicloud:DcsInstanceSSL`. */
  type: string;
  name: string;
  /**
   * The inputs; a string `ref:<name>.<output>[.<key>...]` is another resource's output (`id`, or an
   * output listed in that resource's `outputs`), indexed by the keys that follow.
   */
  props: Record<string, unknown>;
  /** Outputs to register (so `ref:` can use them and the stack exports them). */
  outputs?: string[];
  customTimeouts?: { create?: string; update?: string; delete?: string };
}

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const specs = new pulumi.Config().requireObject("resources");
const made = {};
function resolve(value) {
  if (typeof value === "string" && value.startsWith("ref:")) {
    const [name, field, ...keys] = value.slice(4).split(".");
    return made[name][field].apply((v) => keys.reduce((x, k) => x[k], v));
  }
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  }
  return value;
}
for (const s of specs) {
  const props = resolve(s.props);
  for (const o of s.outputs || []) props[o] = undefined;
  made[s.name] = new pulumi.CustomResource(s.type, s.name, props, { customTimeouts: s.customTimeouts });
}
exports.ids = Object.fromEntries(Object.entries(made).map(([n, r]) => [n, r.id]));
exports.outs = Object.fromEntries(
  specs.map((s) => [s.name, Object.fromEntries((s.outputs || []).map((o) => [o, made[s.name][o]]))]),
);
`;

/** Creates the project in a new temporary folder and returns the folder. */
export function pluginProject(): string {
  const root = path.resolve(__dirname, "..", "..");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-face-"));
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    [
      "name: plugin-face",
      "runtime: nodejs",
      "plugins:",
      "  providers:",
      "    - name: managed-redis",
      "      path: node_modules/pulumi-managed-redis/bin",
      "",
    ].join("\n"),
  );
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "plugin-face", main: "index.js" }));
  fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(
    path.join(root, "node_modules", "@pulumi"),
    path.join(dir, "node_modules", "@pulumi"),
    "dir",
  );
  fs.symlinkSync(root, path.join(dir, "node_modules", "pulumi-managed-redis"), "dir");
  return dir;
}
