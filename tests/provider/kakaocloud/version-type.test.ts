/**
 * The TypeScript type of `KakaoRedisCluster.version`: any string (a version from the stack
 * configuration, one the cloud published after the document), never a number, while the known
 * versions stay a type of their own. Compiled with the compiler API and the project's options.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const FIXTURE = path.join(__dirname, "fixtures", "version-type.ts");

let previous: ts.Program | undefined;

/** The diagnostics of compiling `source` (as the fixture's file) with tsconfig.test.json's options. */
function diagnostics(source: string): string[] {
  const configPath = path.join(__dirname, "..", "..", "..", "tsconfig.test.json");
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configPath));
  const options = { ...parsed.options, noEmit: true, types: ["node"] };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile;
  host.readFile = (file) => (path.resolve(file) === FIXTURE ? source : readFile(file));
  // The second compilation reuses the first's unchanged files (the package's and Pulumi's types).
  const program = ts.createProgram([FIXTURE], options, host, previous);
  previous = program;
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName !== undefined && path.resolve(d.file.fileName) === FIXTURE)
    .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

const text = fs.readFileSync(FIXTURE, "utf8");

it("takes a version from the stack configuration, a published one, a promise and an output", () => {
  expect(diagnostics(text)).toEqual([]);
});

it("refuses a number and an unknown suggestion (the check above can fail)", () => {
  const bad =
    `${text}\nexport const n: KakaoRedisClusterArgs = { ...base, version: 7.2 };\n` +
    `export const k: KnownKakaoRedisVersion = "7.9.9";\n`;
  const found = diagnostics(bad);
  expect(found).toHaveLength(2);
  expect(found.every((d) => d.startsWith("TS2322"))).toBe(true);
});
