#!/usr/bin/env node
// `npm run demo`: starts the emulator, points the providers at it with demo credentials (through
// the stack configuration, secrets included), and runs `pulumi up`, `pulumi refresh` (no changes
// expected) and `pulumi destroy` on the root Pulumi.yaml project with a local file backend in a
// temporary folder. Exits non-zero if any step fails or the emulator is not empty at the end.
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { pulumiEnv, ensurePulumi } = require("./pulumi-env");

const root = path.resolve(__dirname, "..");

// Asynchronous on purpose: the emulator serves the providers from this very process.
function run(bin, args, env, opts = {}) {
  if (!opts.quiet) console.log(`\n$ pulumi ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(bin, "pulumi"), args, {
      cwd: root,
      env,
      stdio: opts.capture ? "pipe" : "inherit",
    });
    let out = "";
    let err = "";
    child.stdout?.on("data", (d) => (out += d));
    child.stderr?.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) return resolve(out);
      if (opts.capture) process.stderr.write(err);
      reject(new Error(`pulumi ${args[0]} failed with exit code ${code}`));
    });
  });
}

async function main() {
  const bin = ensurePulumi();
  const { startEmulator } = require("../lib/emulator");
  const settle = Number(process.env.DEMO_SETTLE_MS ?? 1500);
  const emu = await startEmulator({
    kakaocloud: { settleMs: { default: settle } },
    alicloud: { settleMs: { default: settle } },
    huaweicloud: { settleMs: { default: settle } },
  });
  console.log(`emulator listening on ${emu.url} (settle time ${settle} ms)`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "managed-redis-demo-"));
  const configFile = path.join(work, "Pulumi.demo.yaml");
  const env = pulumiEnv(bin, work, {});
  const cfg = (key, value, secret) =>
    run(
      bin,
      [
        "config",
        "set",
        "--config-file",
        configFile,
        ...(secret ? ["--secret"] : ["--plaintext"]),
        `managed-redis:${key}`,
        value,
      ],
      env,
      { capture: true, quiet: true },
    );
  let failed = false;
  try {
    await run(bin, ["stack", "init", "demo", "--non-interactive"], env);
    await cfg("kakaoEndpoint", emu.endpoints.kakaocloud);
    await cfg("kakaoIamEndpoint", emu.endpoints.kakaocloudIam);
    await cfg("kakaoApplicationCredentialId", "demo-credential-id");
    await cfg("kakaoApplicationCredentialSecret", "demo-credential-secret", true);
    await cfg("alicloudEndpoint", emu.endpoints.alicloud);
    await cfg("alicloudAccessKeyId", "demo-access-key-id");
    await cfg("alicloudAccessKeySecret", "demo-access-key-secret", true);
    await cfg("alicloudRegion", "cn-hangzhou");
    await cfg("huaweicloudEndpoint", emu.endpoints.huaweicloud);
    await cfg("huaweicloudAccessKey", "demo-ak");
    await cfg("huaweicloudSecretKey", "demo-sk", true);
    await cfg("huaweicloudRegion", "ap-southeast-1");
    await cfg("huaweicloudProjectId", "demo-project");
    const policy = fs.existsSync(path.join(root, "policies", "PulumiPolicy.yaml"))
      ? ["--policy-pack", "policies"]
      : [];
    await run(bin, ["up", "--yes", "--config-file", configFile, ...policy], env);
    await run(bin, ["stack", "output", "--json"], env);
    await run(bin, ["refresh", "--yes", "--expect-no-changes", "--config-file", configFile], env);
    await run(bin, ["destroy", "--yes", "--config-file", configFile], env);
    const live = Object.entries(emu.counters().live).filter(([, n]) => n > 0);
    if (live.length > 0) throw new Error(`the emulator is not empty after destroy: ${JSON.stringify(live)}`);
    const created = emu.counters().created;
    console.log(
      `\ndemo finished: created ${JSON.stringify(created)}, nothing left in the emulator, ${emu.requests.length} API requests`,
    );
  } catch (err) {
    failed = true;
    console.error(`\ndemo FAILED: ${err.message}`);
  } finally {
    await run(bin, ["stack", "rm", "--yes", "--force", "demo"], env, { capture: true, quiet: true }).catch(
      () => undefined,
    );
    await emu.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
