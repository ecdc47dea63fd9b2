/**
 * scripts/ensure-pulumi.sh provides the Pulumi YAML language host beside every CLI it returns: built
 * once (`go install github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v<pinned>`, CGO off,
 * version linked in) into a cache folder of its own, shared by every CLI version, and linked into a
 * cached CLI's bin without rebuilding that CLI. Runs the real script against a scratch cache holding
 * fake, complete CLI builds, with a stand-in `go` on PATH that records its calls.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const SCRIPTS = path.resolve(__dirname, "../../scripts");
const TOOLCHAIN = path.join(SCRIPTS, "pulumi-toolchain");
const YAML_VERSION: string = require("../../scripts/toolchains.json").pulumiLanguageYaml;

/**
 * A stand-in `go`: logs its arguments and CGO_ENABLED; `go install` writes a fake host into GOBIN,
 * `go build -o <file>` a fake executable there.
 */
const FAKE_GO = `#!/bin/sh
echo "CGO_ENABLED=$CGO_ENABLED $*" >>"$GO_LOG"
if [ "$1" = install ]; then
  printf '#!/bin/sh\\necho fake yaml host\\n' >"$GOBIN/pulumi-language-yaml"
  chmod +x "$GOBIN/pulumi-language-yaml"
fi
if [ "$1" = build ]; then
  while [ $# -gt 0 ] && [ "$1" != -o ]; do shift; done
  printf '#!/bin/sh\\necho rebuilt\\n' >"$2"
  chmod +x "$2"
fi
`;

let scratch: string;
let cache: string;
let goLog: string;
let fakeGoDir: string;

/**
 * The stamp ensure-pulumi.sh writes for a complete build of `version` (see its `fingerprint`): each
 * file's name and contents, the language host's `.go` files but the tests in byte order first.
 */
function stamp(version: string): string {
  const hash = createHash("sha256");
  const goFiles = fs
    .readdirSync(path.join(TOOLCHAIN, "language-nodejs"))
    .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"))
    .sort()
    .map((f) => `language-nodejs/${f}`);
  for (const f of [
    ...goFiles,
    "language-nodejs/go.mod",
    "language-nodejs/go.sum",
    "pulumi-resource-pulumi-nodejs",
    "pulumi-analyzer-policy",
  ]) {
    hash.update(`${f}\n`);
    hash.update(fs.readFileSync(path.join(TOOLCHAIN, f)));
  }
  return `pulumi v${version}\nextras ${hash.digest("hex")}\n`;
}

/** A complete cached build of `version` whose `pulumi` only answers `version`. */
function fakeCachedCli(version: string): string {
  const bin = path.join(cache, `v${version}`, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const exe = (name: string, body: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  exe("pulumi", `echo v${version}`);
  exe("pulumi-language-nodejs", "exit 0");
  exe("pulumi-resource-pulumi-nodejs", "exit 0");
  fs.writeFileSync(path.join(bin, ".stamp"), stamp(version));
  return bin;
}

function ensure(version: string) {
  const r = spawnSync("bash", [path.join(SCRIPTS, "ensure-pulumi.sh"), "--version", version], {
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${fakeGoDir}:${process.env.PATH}`,
      PULUMI_TOOLCHAIN_CACHE: cache,
      PULUMI_TOOLCHAIN_NO_PATH: "1",
      GO_LOG: goLog,
    },
  });
  return { ...r, dir: r.stdout.trim().split("\n").pop() };
}

const goCalls = () => (fs.existsSync(goLog) ? fs.readFileSync(goLog, "utf8").trim().split("\n") : []);

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ensure-pulumi-yaml-"));
  cache = path.join(scratch, "cache");
  goLog = path.join(scratch, "go.log");
  fakeGoDir = path.join(scratch, "fake-go");
  fs.mkdirSync(fakeGoDir);
  fs.writeFileSync(path.join(fakeGoDir, "go"), FAKE_GO, { mode: 0o755 });
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("ensure-pulumi.sh and the Pulumi YAML language host", () => {
  it("pins one version of pulumi-yaml in scripts/toolchains.json", () => {
    expect(YAML_VERSION).toMatch(/^1\.\d+\.\d+$/);
  });

  it("adds the host to a cached CLI with one go install and leaves the CLI as it was", () => {
    const bin = fakeCachedCli("3.248.0");
    const before = fs.readFileSync(path.join(bin, "pulumi"), "utf8");
    const r = ensure("3.248.0");
    expect(r.status).toBe(0);
    expect(r.dir).toBe(bin);
    expect(goCalls()).toEqual([
      `CGO_ENABLED=0 install -trimpath -tags osusergo,grpcnotrace -ldflags -s -w ` +
        `-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v${YAML_VERSION} ` +
        `github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v${YAML_VERSION}`,
    ]);
    expect(fs.readFileSync(path.join(bin, "pulumi"), "utf8")).toBe(before);
    const host = path.join(bin, "pulumi-language-yaml");
    expect(fs.lstatSync(host).isSymbolicLink()).toBe(false); // a symlink makes the CLI warn
    expect(spawnSync(host, { encoding: "utf8" }).stdout).toBe("fake yaml host\n");
    expect(fs.existsSync(path.join(cache, "language-yaml", `v${YAML_VERSION}`, "pulumi-language-yaml"))).toBe(
      true,
    );
  });

  it("builds it once for every CLI version: a second CLI and a second call only link it", () => {
    const other = fakeCachedCli("3.274.1");
    expect(ensure("3.274.1").status).toBe(0);
    expect(ensure("3.248.0").status).toBe(0);
    expect(goCalls()).toHaveLength(1);
    expect(fs.statSync(path.join(other, "pulumi-language-yaml")).ino).toBe(
      fs.statSync(path.join(cache, "v3.248.0", "bin", "pulumi-language-yaml")).ino,
    );
  });

  it("rebuilds only the Node.js language host when its sources changed since the cached build", () => {
    const bin = fakeCachedCli("3.248.0");
    // A cache filled before the last change of language-nodejs/ (e.g. before generate.go existed).
    fs.writeFileSync(path.join(bin, ".stamp"), "pulumi v3.248.0\nextras 0123456789abcdef\n");
    const cli = fs.readFileSync(path.join(bin, "pulumi"), "utf8");
    fs.rmSync(goLog, { force: true });
    const r = ensure("3.248.0");
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("reusing the already built pulumi CLI");
    expect(goCalls()).toEqual([
      "CGO_ENABLED=0 version",
      expect.stringMatching(/^CGO_ENABLED=0 build -trimpath .* -o \S+\/pulumi-language-nodejs \.$/),
    ]);
    expect(fs.readFileSync(path.join(r.dir!, "pulumi"), "utf8")).toBe(cli);
    expect(spawnSync(path.join(r.dir!, "pulumi-language-nodejs"), { encoding: "utf8" }).stdout).toBe(
      "rebuilt\n",
    );
    expect(fs.readFileSync(path.join(r.dir!, ".stamp"), "utf8")).toBe(stamp("3.248.0"));
    expect(ensure("3.248.0").stderr).toContain("using cached build");
    expect(goCalls()).toHaveLength(2);
  });

  it("fails, naming the host, when its build fails", () => {
    fs.rmSync(path.join(cache, "language-yaml"), { recursive: true, force: true });
    fs.writeFileSync(path.join(fakeGoDir, "go"), "#!/bin/sh\necho 'module not found' >&2\nexit 1\n", {
      mode: 0o755,
    });
    const r = ensure("3.248.0");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`go install of pulumi-language-yaml v${YAML_VERSION}`);
    expect(r.stderr).toContain("module not found");
    fs.writeFileSync(path.join(fakeGoDir, "go"), FAKE_GO, { mode: 0o755 });
  });
});
