/**
 * The committed Node.js SDK of the plugin face (sdk/nodejs, generated from the schema by
 * `bash scripts/plugin-sdk.sh generate`) follows the schema: a schema change without regenerating
 * fails here, without Go. (`scripts/plugin-sdk.sh check`, run once by .ci/run, regenerates it and
 * compares file for file; tests/e2e/plugin-sdk.test.ts runs a program on it.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageSchema } from "../../../provider/plugin/schema";
import { packageVersion } from "../../../provider/plugin/version";

const SDK = path.resolve(__dirname, "..", "..", "..", "sdk", "nodejs");
const schema = packageSchema(packageVersion());

/** sdk/nodejs/<module>/<type with a lower-case first letter>.ts, as the generator names it. */
function sourceOf(token: string): string {
  const [, mod, type] = token.split(":");
  const file = path.join(SDK, mod, `${type[0].toLowerCase()}${type.slice(1)}.ts`);
  return fs.readFileSync(file, "utf8");
}

describe("the generated Node.js SDK of the plugin face", () => {
  it("asks the engine for the plugin at the package's version", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(SDK, "package.json"), "utf8"));
    expect(pkg.version).toBe(packageVersion());
    expect(pkg.pulumi).toEqual({ resource: true, name: "managed-redis", version: packageVersion() });
  });

  it.each(Object.keys(schema.resources))("has a class for %s with every input and output", (token) => {
    const src = sourceOf(token);
    expect(src).toContain(`__pulumiType = '${token}'`);
    // Generated again inside the test, which a mutation run's per-test coverage then sees.
    const spec = packageSchema(packageVersion()).resources[token];
    const names = new Set([...Object.keys(spec.inputProperties), ...Object.keys(spec.properties)]);
    for (const name of names) expect(src).toContain(`resourceInputs["${name}"]`);
    const generated = [...src.matchAll(/resourceInputs\["(\w+)"\]/g)].map((m) => m[1]);
    expect(new Set(generated)).toEqual(names);
    for (const name of spec.requiredInputs) {
      expect(src).toContain(`if (args?.${name} === undefined && !opts.urn)`);
    }
  });
});
