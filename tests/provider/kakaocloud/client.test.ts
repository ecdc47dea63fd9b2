import { setStackConfig } from "../../../provider/core/config";
import { ConfigError } from "../../../provider/core/errors";
import { kakaoSettings } from "../../../provider/kakaocloud/client";
import { thrown } from "../../helpers/errors";

const CREDENTIAL_ENV = [
  "KAKAOCLOUD_APPLICATION_CREDENTIAL_ID",
  "KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET",
  "KAKAOCLOUD_AUTH_TOKEN",
];

describe("kakaoSettings", () => {
  const saved = Object.fromEntries(CREDENTIAL_ENV.map((k) => [k, process.env[k]]));
  beforeEach(() => {
    setStackConfig(undefined);
    for (const k of CREDENTIAL_ENV) delete process.env[k];
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it("refuses missing credentials as MissingCredentials, naming every key and variable", () => {
    const err = thrown(() => kakaoSettings());
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: "MissingCredentials" });
    for (const name of ["managed-redis:kakaoApplicationCredentialId", ...CREDENTIAL_ENV]) {
      expect((err as Error).message).toContain(name);
    }
  });

  it("takes a token alone, or an application credential", () => {
    process.env.KAKAOCLOUD_AUTH_TOKEN = "token-value";
    expect(kakaoSettings().token).toBe("token-value");
    delete process.env.KAKAOCLOUD_AUTH_TOKEN;
    process.env.KAKAOCLOUD_APPLICATION_CREDENTIAL_ID = "id";
    process.env.KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET = "secret-value";
    expect(kakaoSettings()).toMatchObject({ credentialId: "id", credentialSecret: "secret-value" });
  });
});
