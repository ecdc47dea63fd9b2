/**
 * The emulator CLI as a user meets it: `--help` lists what one needs (demo credentials, seeded ids,
 * flavor ids, admin endpoints), unknown flags and bad values are refused with exit status 2, it
 * prints export lines for the endpoints it serves, and stopping `npx pulumi-managed-redis emulator`
 * (politely or with SIGKILL) leaves no server listening. Runs the built `lib/emulator/cli.js`
 * (`npm test` builds first), installed in a scratch project as a user's `npm install` would.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { DEMO_INSTANCES } from "../../emulator/alicloud/instances";
import { HUAWEI_DEMO } from "../../emulator/huaweicloud/model";
import { KAKAOCLOUD_DEFAULT_FLAVORS } from "../../emulator/kakaocloud";

const ROOT = path.join(__dirname, "..", "..");
const CLI = path.join(ROOT, "lib", "emulator", "cli.js");
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

/** A scratch project with the package installed (as a symlink) and its bin on `node_modules/.bin`. */
function scratchProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "managed-redis-cli-"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true }));
  fs.mkdirSync(path.join(dir, "node_modules", ".bin"), { recursive: true });
  fs.symlinkSync(ROOT, path.join(dir, "node_modules", "pulumi-managed-redis"), "dir");
  fs.chmodSync(CLI, 0o755); // as npm does to a package's bin when it installs it
  fs.symlinkSync(
    path.join("..", "pulumi-managed-redis", "lib", "emulator", "cli.js"),
    path.join(dir, "node_modules", ".bin", "pulumi-managed-redis"),
  );
  return dir;
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: "127.0.0.1" });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/** Starts `npx pulumi-managed-redis emulator` in the scratch project; resolves with its export lines. */
function startNpx(cwd: string): Promise<{ child: ChildProcess; exports: Record<string, string> }> {
  const child = spawn("npx", ["--no-install", "pulumi-managed-redis", "emulator", "--settle-ms", "100"], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`no export lines within 60 s: ${out}`)), 60_000);
    child.stdout!.on("data", (c) => {
      out += c;
      if (!out.includes("export HW_DCS_ENDPOINT=")) return;
      clearTimeout(timer);
      const exports: Record<string, string> = {};
      for (const m of out.matchAll(/^export (\w+)=(\S+)/gm)) exports[m[1]] = m[2];
      resolve({ child, exports });
    });
    let err = "";
    child.stderr!.on("data", (c) => (err += c));
    child.once("exit", (code) => reject(new Error(`npx exited (${code}) before printing: ${out} ${err}`)));
  });
}

async function closedWithin(ports: number[], ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const open = await Promise.all(ports.map(listening));
    if (open.every((o) => !o)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe("pulumi-managed-redis emulator (CLI)", () => {
  it("--help lists demo credentials, seeded instance ids, flavor ids and the admin endpoints", () => {
    const r = run("emulator", "--help");
    expect(r.status).toBe(0);
    for (const text of [
      "demo-credential-id",
      "demo-access-key-secret",
      "demo-ak / demo-sk",
      ...DEMO_INSTANCES.map((i) => i.instanceId),
      HUAWEI_DEMO.sslInstanceId,
      HUAWEI_DEMO.redis5InstanceId,
      ...KAKAOCLOUD_DEFAULT_FLAVORS.map((f) => f.id),
      "/_emulator/state",
      "/_emulator/requests",
      "/_emulator/counters",
      "/_emulator/failover",
      "--profile",
      "--seed",
      "--read-lag-ms",
    ]) {
      expect(r.stdout).toContain(text);
    }
  });

  it.each([
    [["--prot", "9090"], /Unknown option '--prot' \(did you mean --port\?\)/],
    [["--settle-ms", "abc"], /--settle-ms must be an integer .*"abc"/],
    [["--port", "70000"], /--port must be an integer from 0 to 65532/],
    [["--port"], /--port/],
    [["--profile", "chaotic"], /--profile must be documented or realistic/],
    [["--seed", "1.5"], /--seed must be an integer/],
    [["--read-lag-ms", "soon"], /--read-lag-ms must be an integer/],
    [["extra"], /Unexpected argument 'extra'/],
  ])("refuses %j with a clear message and exit status 2", (args, message) => {
    const r = run("emulator", ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("--help");
    expect(r.stdout).toBe("");
  });

  it("refuses an unknown command with exit status 2", () => {
    const r = run("emulate");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "emulate"');
  });

  it.each(["SIGTERM", "SIGKILL"] as const)(
    "prints export lines for the endpoints it serves, and leaves nothing listening after npx gets %s",
    async (signal) => {
      const dir = scratchProject();
      const { child, exports } = await startNpx(dir);
      try {
        const urls = [
          exports.KAKAOCLOUD_REDIS_ENDPOINT,
          exports.KAKAOCLOUD_IAM_ENDPOINT,
          exports.ALIBABA_CLOUD_REDIS_ENDPOINT,
          exports.HW_DCS_ENDPOINT,
        ];
        expect(urls.every((u) => /^http:\/\/127\.0\.0\.1:\d+(\/identity)?$/.test(u))).toBe(true);
        const ports = urls.map((u) => Number(new URL(u).port));
        expect(new Set(ports).size).toBe(4);
        const res = await fetch(`${exports.KAKAOCLOUD_REDIS_ENDPOINT}/v1/clusters`);
        expect(res.status).toBe(401);
        expect(exports.ALIBABA_CLOUD_ACCESS_KEY_ID).toBe("demo-access-key-id");
        child.kill(signal);
        expect(await closedWithin(ports, 10_000)).toBe(true);
      } finally {
        child.kill("SIGKILL");
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
