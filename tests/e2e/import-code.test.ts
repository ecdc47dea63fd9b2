/**
 * "The printed code works when pasted": `pulumi import` in a Pulumi YAML project, with the real CLI
 * and its YAML language host (which generates the code), against the emulator.
 *
 * Stack A runs tests/e2e/programs/yaml (all six types: a KakaoCloud cluster with a KakaoShard and a
 * KakaoReplica on it, Tair InstanceSSL and a direct connection, a DcsInstanceSSL). A second, empty
 * YAML project imports each of them by id with `--out <file>`; the printed resources are pasted
 * into its `Pulumi.yaml` as they are, and then `pulumi preview --expect-no-changes` passes, while a
 * new `description` on the pasted cluster previews as an update.
 *
 * In a TypeScript project on the plugin face (the generated SDK, `pulumi-managed-redis/plugin`), this
 * project's Node.js language host prints TypeScript (`GenerateProgram`): one `pulumi import --file`
 * of a resource of each cloud prints a program that, pasted as `index.ts` with only the SDK's import
 * line changed (the generator names the module `@pulumi/managed-redis`), previews with no change.
 * tests/e2e/programs/import-ts is the README's example (the block `import-ts/index.ts`): exactly
 * what the CLI prints for the DCS instance, with that line changed.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type Emulator } from "../../emulator";
import { pulumiBin, testStack, testStackIn, type TestStack } from "../helpers/pulumi";
import { pluginProject } from "../helpers/plugin-project";
import { block, readmeBlocks } from "../helpers/readme";

jest.setTimeout(900_000);

const bin = pulumiBin();
const describeE2E = bin ? describe : describe.skip;
const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
/** js-yaml (a dependency of @pulumi/pulumi): parses the printed code and writes Pulumi.yaml. */
const yaml = require("js-yaml") as {
  load(text: string): unknown;
  dump(value: unknown, options?: { lineWidth?: number }): string;
};
const PASSWORD = "e2e-import-code-password";
/** How the printed TypeScript imports the SDK: the generator's default module name for the package. */
const GENERATED_IMPORT = 'import * as managed_redis from "@pulumi/managed-redis";';
/** The one line changed when pasting: the SDK ships inside this package as `pulumi-managed-redis/plugin`. */
function fixImportLine(code: string): string {
  return code.replace(GENERATED_IMPORT, 'import * as managed_redis from "pulumi-managed-redis/plugin";');
}
/** The README block's first line, the command that printed the rest. */
const README_HEADER =
  "// pulumi import managed-redis:huaweicloud:DcsInstanceSSL ssl <projectId>/<instanceId> --yes (import line changed)\n";

/** The resources of tests/e2e/programs/yaml, by name, with their tokens. */
const IMPORTS: Record<string, string> = {
  cache: "managed-redis:kakaocloud:KakaoRedisCluster",
  "extra-shard": "managed-redis:kakaocloud:KakaoShard",
  "extra-replica": "managed-redis:kakaocloud:KakaoReplica",
  "tair-ssl": "managed-redis:alicloud:InstanceSSL",
  "tair-direct": "managed-redis:alicloud:TairDirectConnection",
  "dcs-ssl": "managed-redis:huaweicloud:DcsInstanceSSL",
};

type YamlResource = { type: string; properties?: Record<string, unknown>; options?: Record<string, unknown> };
type YamlProgram = { resources?: Record<string, YamlResource> } & Record<string, unknown>;

const EMPTY_PROJECT: YamlProgram = {
  name: "e2e-import-code",
  runtime: "yaml",
  plugins: { providers: [{ name: "managed-redis", path: path.join(ROOT, "bin") }] },
};

describeE2E("pulumi import in a Pulumi YAML project: the printed code, pasted", () => {
  let emu: Emulator;
  let a: TestStack;
  let b: TestStack;
  let workDir: string;
  let ids: Record<string, string>;
  const printed: Record<string, YamlResource> = {};

  /** Runs the CLI in the import project for stack B. */
  async function cli(args: string[]): Promise<string> {
    try {
      const { stdout, stderr } = await run(
        "pulumi",
        [...args, "--stack", b.stack.name, "--non-interactive"],
        {
          cwd: workDir,
          env: b.env,
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      return stdout + stderr;
    } catch (err) {
      const e = err as { message: string; stdout?: string; stderr?: string };
      throw new Error(`${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
    }
  }

  function writeProgram(resources: Record<string, YamlResource>): void {
    const program = { ...EMPTY_PROJECT, resources };
    fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), yaml.dump(program, { lineWidth: 200 }));
  }

  beforeAll(async () => {
    emu = await startEmulator({
      kakaocloud: { settleMs: { default: 200 } },
      alicloud: { settleMs: { default: 200 } },
      huaweicloud: { settleMs: { sslJob: 200 } },
    });
    a = await testStack("yaml", emu, bin!);
    await a.stack.setConfig("redisPassword", { value: PASSWORD, secret: true });
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-import-code-"));
    fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), yaml.dump(EMPTY_PROJECT));
    b = await testStackIn(workDir, emu, bin!);
  });
  afterAll(async () => {
    await b?.cleanup();
    await a?.stack.destroy().catch(() => undefined);
    await a?.cleanup();
    await emu?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("stack A creates the six resources the other project imports", async () => {
    const res = await a.stack.up();
    expect(res.summary.result).toBe("succeeded");
    const { deployment } = await a.stack.exportStack();
    const resources = deployment.resources as { urn: string; id?: string; type: string }[];
    ids = Object.fromEntries(
      resources
        .filter((r) => r.type.startsWith("managed-redis:"))
        .map((r) => [r.urn.split("::").pop()!, r.id!]),
    );
    expect(Object.keys(ids).sort()).toEqual(Object.keys(IMPORTS).sort());
  });

  it("imports each of the six types by id and prints YAML code for each", async () => {
    for (const [name, type] of Object.entries(IMPORTS)) {
      const out = path.join(workDir, `${name}.yaml`);
      const log = await cli(["import", type, name, ids[name], "--yes", "--skip-preview", "--out", out]);
      expect(log).toMatch(/1 imported/);
      const code = yaml.load(fs.readFileSync(out, "utf8")) as YamlProgram;
      expect(Object.keys(code.resources ?? {})).toEqual([name]);
      expect(code.resources![name].type).toBe(type);
      printed[name] = code.resources![name];
    }
  });

  it("the pasted code previews with no change (--expect-no-changes)", async () => {
    writeProgram(printed);
    if (process.env.IMPORT_CODE_DEBUG)
      fs.copyFileSync(path.join(workDir, "Pulumi.yaml"), process.env.IMPORT_CODE_DEBUG);
    const out = await cli(["preview", "--expect-no-changes", "--diff"]);
    expect(out).toMatch(/7 unchanged/); // the stack and the six resources
    // The password the import could not read, added to the pasted cluster as a secret: no change.
    const cache = printed.cache;
    const user = { name: "app", password: { "fn::secret": PASSWORD } };
    writeProgram({ ...printed, cache: { ...cache, properties: { ...cache.properties, user } } });
    expect(await cli(["preview", "--expect-no-changes"])).toMatch(/7 unchanged/);
  });

  it("a new description on the pasted cluster previews as an update", async () => {
    const cache = printed.cache;
    writeProgram({
      ...printed,
      cache: { ...cache, properties: { ...cache.properties, description: "changed" } },
    });
    const res = await b.stack.preview();
    expect(res.changeSummary).toMatchObject({ update: 1 });
  });

  it("a TypeScript project on the plugin face imports one resource of each cloud; the printed code, pasted, previews with no change", async () => {
    const dir = pluginProject();
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "import-ts", main: "index.ts" }));
    fs.rmSync(path.join(dir, "index.js"));
    const c = await testStackIn(dir, emu, bin!);
    try {
      const args = ["--stack", c.stack.name, "--non-interactive"];
      const opts = { cwd: dir, env: c.env, maxBuffer: 16 * 1024 * 1024 };
      const names = ["cache", "tair-ssl", "dcs-ssl"]; // KakaoCloud, Alibaba Cloud, Huawei Cloud
      const file = path.join(dir, "import.json");
      const resources = names.map((name) => ({ type: IMPORTS[name], name, id: ids[name] }));
      fs.writeFileSync(file, JSON.stringify({ resources }));
      const out = path.join(dir, "printed.ts");
      const imported = await run("pulumi", ["import", "--file", file, "--yes", "--out", out, ...args], opts);
      expect(imported.stdout).toMatch(/3 imported/);
      const printed = fs.readFileSync(out, "utf8");
      if (process.env.IMPORT_CODE_DEBUG) fs.writeFileSync(`${process.env.IMPORT_CODE_DEBUG}.ts`, printed);
      // The generator names the SDK module after the package (`@pulumi/<name>`): the one line changed.
      expect(printed).toContain(GENERATED_IMPORT);
      fs.writeFileSync(path.join(dir, "index.ts"), fixImportLine(printed));
      const preview = await run("pulumi", ["preview", "--expect-no-changes", "--diff", ...args], opts);
      expect(preview.stdout).toMatch(/4 unchanged/); // the stack and the three resources
    } finally {
      await c.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the README's TypeScript code is what `pulumi import` prints for the DCS instance, and previews with no change", async () => {
    const dir = path.join(__dirname, "programs", "import-ts");
    const readme = readmeBlocks(path.join(ROOT, "README.md"));
    const code = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    expect(code).toBe(block(readme, "import-ts/index.ts"));
    const c = await testStack("import-ts", emu, bin!);
    const out = path.join(os.tmpdir(), `e2e-import-ts-${process.pid}.ts`);
    try {
      const args = ["--stack", c.stack.name, "--non-interactive"];
      const opts = { cwd: dir, env: c.env, maxBuffer: 16 * 1024 * 1024 };
      const type = IMPORTS["dcs-ssl"];
      const imported = await run(
        "pulumi",
        ["import", type, "ssl", ids["dcs-ssl"], "--yes", "--out", out, ...args],
        opts,
      );
      expect(imported.stdout).toMatch(/1 imported/);
      expect(README_HEADER + fixImportLine(fs.readFileSync(out, "utf8"))).toBe(code);
      const preview = await run("pulumi", ["preview", "--expect-no-changes", ...args], opts);
      expect(preview.stdout).toMatch(/2 unchanged/);
    } finally {
      fs.rmSync(out, { force: true });
      await c.cleanup();
    }
  });
});
