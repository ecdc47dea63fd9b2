#!/usr/bin/env node
/**
 * `pulumi-managed-redis emulator [--port N] [--host H] [--settle-ms MS]`: runs the emulator of the
 * three clouds in the foreground and prints the environment variables that point the providers at
 * it. Stops on Ctrl-C.
 */
import { startEmulator } from "./index";

const usage = `usage: pulumi-managed-redis emulator [--port N] [--host ADDRESS] [--settle-ms MS]

Runs a local emulator of the KakaoCloud Redis, Alibaba Cloud Tair and Huawei Cloud DCS APIs
on loopback, with demo credentials and seeded Tair and DCS instances.`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a value\n\n${usage}`);
  return value;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command !== "emulator" || args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${usage}\n`);
    process.exitCode = command === "emulator" || command === "--help" ? 0 : 2;
    return;
  }
  const port = Number(option(args, "--port") ?? 0);
  const settle = option(args, "--settle-ms");
  const settleMs = settle === undefined ? undefined : { default: Number(settle) };
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0 to 65535`);
  const emu = await startEmulator({
    port,
    host: option(args, "--host") ?? "127.0.0.1",
    kakaocloud: { settleMs },
    alicloud: { settleMs },
    huaweicloud: { settleMs },
  });
  const e = emu.endpoints;
  process.stdout.write(
    [
      `emulator listening on ${emu.url} (state: ${emu.url}/_emulator/state)`,
      "",
      `export KAKAOCLOUD_REDIS_ENDPOINT=${e.kakaocloud}`,
      `export KAKAOCLOUD_IAM_ENDPOINT=${e.kakaocloudIam}`,
      "export KAKAOCLOUD_APPLICATION_CREDENTIAL_ID=demo-credential-id",
      "export KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET=demo-credential-secret",
      `export ALIBABA_CLOUD_REDIS_ENDPOINT=${e.alicloud}`,
      "export ALIBABA_CLOUD_ACCESS_KEY_ID=demo-access-key-id",
      "export ALIBABA_CLOUD_ACCESS_KEY_SECRET=demo-access-key-secret",
      "export ALIBABA_CLOUD_REGION=cn-hangzhou",
      `export HW_DCS_ENDPOINT=${e.huaweicloud}`,
      "export HW_ACCESS_KEY=demo-ak HW_SECRET_KEY=demo-sk HW_REGION_NAME=ap-southeast-1 HW_PROJECT_ID=demo-project",
      "",
    ].join("\n"),
  );
  const stop = () => {
    emu.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
});
