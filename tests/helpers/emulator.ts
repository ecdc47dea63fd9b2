/** Starts the emulator for provider tests and points the providers at it through the environment. */
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";

export const DEMO_ENV = {
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

/** Environment variables that point every provider at a running emulator. */
export function emulatorEnv(emu: Emulator): Record<string, string> {
  return {
    ...DEMO_ENV,
    KAKAOCLOUD_REDIS_ENDPOINT: emu.endpoints.kakaocloud,
    KAKAOCLOUD_IAM_ENDPOINT: emu.endpoints.kakaocloudIam,
    ALIBABA_CLOUD_REDIS_ENDPOINT: emu.endpoints.alicloud,
    HW_DCS_ENDPOINT: emu.endpoints.huaweicloud,
  };
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
