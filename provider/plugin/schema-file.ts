/**
 * Writes the plugin's schema next to this file (`lib/provider/plugin/schema.json` once built), for
 * the tools that read a schema from a file (the YAML host's tests, SDK generators). Run by
 * `npm run build`: `node lib/provider/plugin/schema-file.js`.
 *
 * @packageDocumentation
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageSchema } from "./schema";
import { packageVersion } from "./version";

/** The schema file's path. */
export const SCHEMA_FILE = path.join(__dirname, "schema.json");

/** Writes the schema file and returns its path. */
export function writeSchemaFile(file: string = SCHEMA_FILE): string {
  fs.writeFileSync(file, `${JSON.stringify(packageSchema(packageVersion()), null, 2)}\n`);
  return file;
}

if (require.main === module) writeSchemaFile();
