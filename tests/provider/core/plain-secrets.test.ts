/**
 * A cloud secret set with `pulumi config set` without `--secret` sits in plain text in
 * `Pulumi.<stack>.yaml`: the program warns, naming the key and the command that encrypts it, never
 * the value. Under Pulumi's mocks, with the configuration set as the language host sets it (the
 * values and the list of secret keys); every resource class gets its provider from `shimProvider`.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as plainSecrets from "../../../provider/core/plain-secrets";
import { fresh } from "../../helpers/fresh";

const VALUE = "s3cr3t-value-never-printed";

pulumi.runtime.setMocks(
  { newResource: (args) => ({ id: "id-1", state: args.inputs }), call: () => ({}) },
  "secrets-project",
  "dev",
  false,
);

/**
 * The package's warnings for one program run with this configuration: a fresh copy of the package
 * (and of the SDK it logs through), as in a new run, whose resource classes get their providers.
 */
function warningsFor(config: Record<string, string>, secretKeys: string[]): string[] {
  pulumi.runtime.setAllConfig(config, secretKeys);
  const run = fresh(() => ({
    sdk: require("@pulumi/pulumi") as typeof pulumi,
    shim: require("../../../provider/core/shim") as typeof import("../../../provider/core/shim"),
  }));
  const warn = jest.spyOn(run.sdk.log, "warn").mockImplementation(() => Promise.resolve());
  try {
    // What the constructors of two DcsInstanceSSL and a KakaoShard call.
    run.shim.shimProvider("huaweicloud/dcs-instance-ssl");
    run.shim.shimProvider("huaweicloud/dcs-instance-ssl");
    run.shim.shimProvider("kakaocloud/shard");
    return warn.mock.calls.map((c) => String(c[0]));
  } finally {
    warn.mockRestore();
  }
}

describe("a cloud secret in plain text in the stack configuration", () => {
  it("warns once per key, naming the key, the file and the fix, never the value", () => {
    const warnings = warningsFor(
      {
        "managed-redis:huaweicloudSecretKey": VALUE,
        "managed-redis:kakaoApplicationCredentialSecret": VALUE,
        "managed-redis:huaweicloudAccessKey": "AK-not-a-secret",
      },
      [],
    );
    expect(warnings).toEqual([
      "managed-redis:kakaoApplicationCredentialSecret is stored in plain text in the stack configuration " +
        "(Pulumi.dev.yaml): encrypt it with `pulumi config set --secret managed-redis:kakaoApplicationCredentialSecret` " +
        "(it prompts for the value), or set it in the environment instead",
      "managed-redis:huaweicloudSecretKey is stored in plain text in the stack configuration " +
        "(Pulumi.dev.yaml): encrypt it with `pulumi config set --secret managed-redis:huaweicloudSecretKey` " +
        "(it prompts for the value), or set it in the environment instead",
    ]);
    for (const w of warnings) expect(w).not.toContain(VALUE);
  });

  it("says nothing when the secret was set with --secret, or is not set", () => {
    expect(
      warningsFor({ "managed-redis:huaweicloudSecretKey": VALUE }, ["managed-redis:huaweicloudSecretKey"]),
    ).toEqual([]);
    expect(warningsFor({ "managed-redis:huaweicloudAccessKey": "AK" }, [])).toEqual([]);
  });

  it("covers every secret setting, and says nothing when the SDK cannot tell secret from plain", () => {
    const { plainSecretWarnings, SECRET_SETTINGS } = fresh(
      () => require("../../../provider/core/plain-secrets") as typeof plainSecrets,
    );
    const values = Object.fromEntries(SECRET_SETTINGS.map((k) => [`managed-redis:${k}`, VALUE]));
    const all = plainSecretWarnings({ values, isSecret: () => false });
    expect(all).toHaveLength(7);
    expect(all.map((w) => w.split(" ")[0])).toEqual(SECRET_SETTINGS.map((k) => `managed-redis:${k}`));
    expect(all[0]).toContain("(Pulumi.<stack>.yaml)");
    expect(plainSecretWarnings({ values })).toEqual([]);
  });
});
