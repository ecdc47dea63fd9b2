#!/usr/bin/env node
/**
 * `pulumi-managed-redis emulator`: runs the emulator of the three clouds in the foreground, each
 * cloud at the root of its own port, and prints the environment that points the providers (or the
 * clouds' official SDKs) at it. Stops on Ctrl-C, SIGTERM, SIGHUP, or when its parent process (for
 * example `npx`) goes away, so stopping the launcher never leaves a server listening.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEMO_INSTANCES } from "./alicloud/instances";
import { HUAWEI_DEMO } from "./huaweicloud/model";
import { type EmulatorOptions, startEmulator } from "./index";
import { KAKAOCLOUD_DEFAULT_FLAVORS } from "./kakaocloud";

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  "settle-ms": { type: "string" },
  profile: { type: "string" },
  seed: { type: "string" },
  "read-lag-ms": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The `--help` text: options, demo credentials, seeded ids and the admin endpoints. */
export const USAGE = `usage: pulumi-managed-redis emulator [--port N] [--host ADDRESS] [--settle-ms MS]
                                   [--profile documented|realistic] [--seed N] [--read-lag-ms MS]

Runs a local emulator of the KakaoCloud Redis, Alibaba Cloud Tair (R-kvstore) and Huawei Cloud DCS
APIs. Each cloud owns the root of its own port: KakaoCloud Redis on N, KakaoCloud IAM on N+1
(under /identity), Alibaba Cloud on N+2, Huawei Cloud on N+3 (default: any free ports).

Options:
  --port N           first port (0 to 65532; default 0 = any free ports)
  --host ADDRESS     address to bind (default 127.0.0.1)
  --settle-ms MS     how long every asynchronous change takes, in ms (default 1000)
  --profile NAME     documented (default) or realistic: defaults for omitted fields, shuffled
                     arrays, extra fields, status lag, members finishing after their cluster
  --seed N           seed of the realistic profile (default 1): replay a failing run with it
  --read-lag-ms MS   realistic profile: reads show the clouds as they were up to MS earlier
                     (KakaoCloud clusters, Huawei jobs and SSL; default 0)
  -h, --help         this text

Demo credentials:
  KakaoCloud    application credential demo-credential-id / demo-credential-secret
  Alibaba Cloud AccessKey demo-access-key-id / demo-access-key-secret (region cn-hangzhou)
  Huawei Cloud  AK/SK demo-ak / demo-sk, project demo-project (or X-Auth-Token demo-token)

Seeded instances:
  Alibaba Cloud ${DEMO_INSTANCES.map((i) => `${i.instanceId} (${i.architecture ?? "cluster"}, ${i.networkType ?? "VPC"})`).join("\n                ")}
  Huawei Cloud  ${HUAWEI_DEMO.sslInstanceId} (Redis 6.0, SSL capable)
                ${HUAWEI_DEMO.redis5InstanceId} (Redis 5.0, no SSL: DCS.4201)
                ${HUAWEI_DEMO.busyInstanceId} (Redis 6.0, CREATING for 3 s)

KakaoCloud flavor ids:
  ${KAKAOCLOUD_DEFAULT_FLAVORS.map((f) => `${f.id} ${f.name} (${f.vcpus} vCPU, ${f.memory} GiB)`).join("\n  ")}

Admin endpoints (on every port; no authentication):
  GET  /_emulator/state        the clouds' state as JSON
  GET  /_emulator/requests     every request received
  GET  /_emulator/counters     requests, resources created and live
  POST /_emulator/failover     {clusterId, shardId, nodeId} (KakaoCloud port)
  POST /_emulator/expire-tokens                             (KakaoCloud port)
  POST /_emulator/fail-next    {kind, status?}              (KakaoCloud port)
`;

/** A usage error: printed with a hint, exit status 2. */
class UsageError extends Error {}

function integer(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(text)})`);
  }
  return Number(text);
}

/** Parses the arguments after `emulator`; throws {@link UsageError} on unknown flags and bad values. */
export function parseEmulatorArgs(args: string[]) {
  let values: {
    [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string;
  };
  try {
    ({ values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    const flag = /'(--?[^' ]+)/.exec(message)?.[1];
    const near = flag && Object.keys(OPTIONS).find((o) => editDistance(o, flag.replace(/^-+/, "")) <= 2);
    throw new UsageError(`${message}${near ? ` (did you mean --${near}?)` : ""}`);
  }
  const profile = values.profile ?? "documented";
  if (profile !== "documented" && profile !== "realistic") {
    throw new UsageError(`--profile must be documented or realistic (got ${JSON.stringify(profile)})`);
  }
  if (values.host !== undefined && values.host.trim() === "")
    throw new UsageError("--host must not be empty");
  return {
    help: values.help === true,
    port: integer("port", values.port, 0, 65532) ?? 0,
    host: values.host ?? "127.0.0.1",
    settleMs: integer("settle-ms", values["settle-ms"], 0, 86_400_000),
    profile: profile as "documented" | "realistic",
    seed: integer("seed", values.seed, 0, Number.MAX_SAFE_INTEGER),
    readLagMs: integer("read-lag-ms", values["read-lag-ms"], 0, 86_400_000),
  };
}

/**
 * What `startEmulator()` gets from the parsed command line: `--settle-ms` is every cloud's default
 * settle time (each kind of operation not named otherwise, Huawei's SSL jobs included).
 */
export function emulatorOptions(opts: ReturnType<typeof parseEmulatorArgs>): EmulatorOptions {
  const settleMs = opts.settleMs === undefined ? undefined : { default: opts.settleMs };
  return {
    port: opts.port,
    host: opts.host,
    profile: opts.profile,
    seed: opts.seed,
    readLagMs: opts.readLagMs,
    kakaocloud: { settleMs },
    alicloud: { settleMs },
    huaweicloud: { settleMs },
  };
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === "--help" || command === "-h") {
    process.stdout.write(USAGE);
    return;
  }
  if (command !== "emulator") {
    throw new UsageError(
      command === undefined ? "missing command: emulator" : `unknown command ${JSON.stringify(command)}`,
    );
  }
  const opts = parseEmulatorArgs(args);
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  const emu = await startEmulator(emulatorOptions(opts));
  const e = emu.endpoints;
  process.stdout.write(
    [
      `emulator listening (profile ${emu.profile.name}, seed ${emu.profile.seed}, read lag ${emu.profile.readLagMs} ms); admin: ${emu.url}/_emulator/state`,
      `  KakaoCloud Redis ${e.kakaocloud}   KakaoCloud IAM ${e.kakaocloudIam}`,
      `  Alibaba Cloud    ${e.alicloud}   Huawei Cloud   ${e.huaweicloud}`,
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
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emu.stop().then(() => process.exit(0));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
  // Exit with the launcher (npx, a shell, a test runner): when the parent or the grandparent dies,
  // this process or its parent (e.g. npx's `sh -c`) is re-parented.
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  setInterval(() => {
    if (process.ppid !== parent || parentOf(parent) !== grandparent) stop();
  }, 250);
}

/** The parent pid of a process (Linux `/proc`); `undefined` when it cannot be read. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    if (err instanceof UsageError) {
      process.stderr.write(
        `pulumi-managed-redis: ${err.message}\nTry 'pulumi-managed-redis emulator --help'.\n`,
      );
    } else process.stderr.write(`pulumi-managed-redis: ${err.message}\n`);
    process.exit(2);
  });
}
