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
 * A TypeScript project cannot have code printed (this project's Node.js language host implements no
 * `GenerateProgram`): tests/e2e/programs/import-ts, the README's hand-written code for one
 * resource (the block `import-ts/index.ts`), imports with `--generate-code=false` and previews with
 * no change.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type Emulator } from "../../emulator";
import { pulumiBin, testStack, testStackIn, type TestStack } from "../helpers/pulumi";
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

  it("a TypeScript project imports with --generate-code=false, and the README's code previews with no change", async () => {
    const dir = path.join(__dirname, "programs", "import-ts");
    const readme = readmeBlocks(path.join(ROOT, "README.md"));
    expect(fs.readFileSync(path.join(dir, "index.ts"), "utf8")).toBe(block(readme, "import-ts/index.ts"));
    const c = await testStack("import-ts", emu, bin!);
    try {
      const args = ["--stack", c.stack.name, "--non-interactive"];
      const opts = { cwd: dir, env: c.env, maxBuffer: 16 * 1024 * 1024 };
      const type = IMPORTS["dcs-ssl"];
      const imported = await run(
        "pulumi",
        ["import", type, "ssl", ids["dcs-ssl"], "--yes", "--generate-code=false", ...args],
        opts,
      );
      expect(imported.stdout).toMatch(/1 imported/);
      const preview = await run("pulumi", ["preview", "--expect-no-changes", ...args], opts);
      expect(preview.stdout).toMatch(/2 unchanged/);
    } finally {
      await c.cleanup();
    }
  });
});
