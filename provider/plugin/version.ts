/**
 * The version of this installation of pulumi-managed-redis (its package.json), which the plugin
 * reports to the engine and writes into its schema.
 *
 * @packageDocumentation
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The `version` of the nearest package.json named pulumi-managed-redis above this file. */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-managed-redis" && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return "0.0.0";
  }
}
