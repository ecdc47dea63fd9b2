/**
 * A wrong KakaoCloud credential, as a user meets it: the stack configuration (handed to
 * `configure()`) points at the emulator with a wrong application credential secret, or a stale IAM
 * token, and a refresh of a cluster fails with a message that names the configuration keys and the
 * environment variables to check, never the secret itself.
 */
import { type Emulator, startEmulator } from "../../../emulator";
import { CloudError } from "../../../provider/core/errors";
import { setStackConfig } from "../../../provider/core/config";
import { provider as cluster } from "../../../provider/kakaocloud/cluster";
import { DEMO_ENV } from "../../helpers/emulator";

const WRONG = "wrong-secret-4f1c9a";
let emu: Emulator;
const saved = { ...process.env };

beforeAll(async () => {
  emu = await startEmulator();
  for (const k of Object.keys(process.env)) if (k.startsWith("KAKAOCLOUD_")) delete process.env[k];
});
afterAll(async () => {
  process.env = saved;
  setStackConfig(undefined);
  await emu.stop();
});

/** Configures the provider as the engine does, with these `managed-redis:` keys beside the endpoints. */
async function configure(values: Record<string, string>): Promise<void> {
  const all: Record<string, string> = {
    "managed-redis:kakaoEndpoint": emu.endpoints.kakaocloud,
    "managed-redis:kakaoIamEndpoint": emu.endpoints.kakaocloudIam,
  };
  for (const [k, v] of Object.entries(values)) all[`managed-redis:${k}`] = v;
  await cluster.configure!({ config: { get: (key: string) => all[key] } } as never);
}

async function refreshError(): Promise<CloudError> {
  const err = await cluster.read!("7f4e2a4e-0000-4000-a000-000000000001", {} as never).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CloudError);
  return err as CloudError;
}

it("a wrong application credential names its config keys and environment variables, not the secret", async () => {
  await configure({
    kakaoApplicationCredentialId: DEMO_ENV.KAKAOCLOUD_APPLICATION_CREDENTIAL_ID,
    kakaoApplicationCredentialSecret: WRONG,
  });
  const err = await refreshError();
  expect(err.httpStatus).toBe(401);
  expect(err.message).toMatch(/the application credential was refused/);
  for (const name of [
    "managed-redis:kakaoApplicationCredentialId",
    "managed-redis:kakaoApplicationCredentialSecret",
    "KAKAOCLOUD_APPLICATION_CREDENTIAL_ID",
    "KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET",
    "managed-redis:kakaoIamEndpoint",
  ]) {
    expect(err.message).toContain(name);
  }
  expect(JSON.stringify({ message: err.message, stack: err.stack })).not.toContain(WRONG);
});

it("a refused IAM token names managed-redis:kakaoAuthToken / KAKAOCLOUD_AUTH_TOKEN and the credential keys", async () => {
  await configure({ kakaoAuthToken: WRONG });
  const err = await refreshError();
  expect(err.httpStatus).toBe(401);
  expect(err.message).toMatch(
    /the IAM token was refused: check managed-redis:kakaoAuthToken \/ KAKAOCLOUD_AUTH_TOKEN .*managed-redis:kakaoApplicationCredentialId/,
  );
  expect(err.message).not.toContain(WRONG);
});
