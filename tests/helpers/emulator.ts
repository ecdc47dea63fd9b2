/** Starts the emulator for provider tests and points the providers at it through the environment. */
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";

const shared = require("../../scripts/pulumi-env.js") as {
  DEMO_ENV: Record<string, string>;
  emulatorEnv(emu: Emulator): Record<string, string>;
};

/** Demo credentials the emulator accepts (shared with the demo, benchmarks and chaos runs). */
export const DEMO_ENV = shared.DEMO_ENV;

/** Environment variables that point every provider at a running emulator. */
export const emulatorEnv = shared.emulatorEnv;

/** A KakaoCloud IAM token for the demo application credential, issued by the emulator. */
export async function kakaoToken(emu: Emulator): Promise<string> {
  const res = await fetch(`${emu.endpoints.kakaocloudIam}/v3/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["application_credential"],
          application_credential: {
            id: DEMO_ENV.KAKAOCLOUD_APPLICATION_CREDENTIAL_ID,
            secret: DEMO_ENV.KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET,
          },
        },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`IAM token request answered ${res.status}: ${await res.text()}`);
  const token = res.headers.get("x-subject-token");
  if (!token) throw new Error("IAM token answer carries no X-Subject-Token header");
  return token;
}

/** Starts an emulator and sets `process.env` for the provider implementations under test. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator(options);
  Object.assign(process.env, emulatorEnv(emu), { PULUMI_MANAGED_REDIS_POLL_SCALE: "0.05" });
  return emu;
}

/** Mutating requests the emulator received for an operation name. */
export function mutations(emu: Emulator, op?: string) {
  return emu.requests.filter((r) => r.mutating && (op === undefined || r.op === op));
}
