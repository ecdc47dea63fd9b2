// Shared by the demo, the end-to-end tests, the benchmarks and the chaos runs: provides the Pulumi
// CLI (scripts/ensure-pulumi.sh) and the environment for a local, offline, non-interactive run.
"use strict";
const { execFileSync } = require("node:child_process");
const path = require("node:path");

/** The tested ends: `oldest` and `newest` Node.js, `@pulumi/pulumi` and Pulumi CLI versions. */
const TOOLCHAINS = require("./toolchains.json");

const cached = new Map();

/** Runs one of the ensure-*.sh scripts and returns the directory it prints on its last line. */
function ensureDir(script, args) {
  const key = [script, ...args].join(" ");
  if (!cached.has(key)) {
    const out = execFileSync("bash", [path.join(__dirname, script), ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    cached.set(key, out.trim().split("\n").pop());
  }
  return cached.get(key);
}

/**
 * Returns the directory holding `pulumi`, its Node.js language host and the dynamic-provider plugin:
 * the CLI `version`, else `PULUMI_CLI_VERSION`, else the oldest supported one (3.248.0).
 */
function ensurePulumi(version = process.env.PULUMI_CLI_VERSION || TOOLCHAINS.oldest.pulumiCli) {
  return ensureDir("ensure-pulumi.sh", ["--version", version]);
}

/** Returns the directory holding `node` at `version` (installed from the npm registry's `node` package). */
function ensureNode(version) {
  return ensureDir("ensure-node.sh", [version]);
}

/** Environment for a pulumi command: local file backend under `stateDir`, no update checks, no downloads. */
function pulumiEnv(bin, stateDir, extra) {
  return {
    ...process.env,
    PATH: `${bin}:${path.resolve(__dirname, "..", "node_modules", ".bin")}:${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "demo-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: path.join(stateDir, ".pulumi-home"),
    ...extra,
  };
}

/** Demo credentials the emulator accepts (never valid anywhere else). */
const DEMO_ENV = {
  KAKAOCLOUD_APPLICATION_CREDENTIAL_ID: "demo-credential-id",
  KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET: "demo-credential-secret",
  ALIBABA_CLOUD_ACCESS_KEY_ID: "demo-access-key-id",
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "demo-access-key-secret",
  ALIBABA_CLOUD_REGION: "cn-hangzhou",
  HW_ACCESS_KEY: "demo-ak",
  HW_SECRET_KEY: "demo-sk",
  HW_REGION_NAME: "ap-southeast-1",
  HW_PROJECT_ID: "demo-project",
};

/** Environment variables that point every provider at a running emulator (`startEmulator()`'s handle). */
function emulatorEnv(emu) {
  return {
    ...DEMO_ENV,
    KAKAOCLOUD_REDIS_ENDPOINT: emu.endpoints.kakaocloud,
    KAKAOCLOUD_IAM_ENDPOINT: emu.endpoints.kakaocloudIam,
    ALIBABA_CLOUD_REDIS_ENDPOINT: emu.endpoints.alicloud,
    HW_DCS_ENDPOINT: emu.endpoints.huaweicloud,
  };
}

module.exports = { TOOLCHAINS, ensurePulumi, ensureNode, pulumiEnv, DEMO_ENV, emulatorEnv };
