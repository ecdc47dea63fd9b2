/**
 * What a user reads through the real Pulumi engine (issue 24, parts 3 and 6): a misspelt input key
 * (`leaveOnDestory`, which a JavaScript program has no types to catch) is refused at preview with
 * the key meant, before any call to the cloud; a cloud secret set in the stack configuration
 * without `--secret` is warned about, naming the key and the fix, never the value.
 */
import { startEmulator, type Emulator } from "../../emulator";
import { credentialsInStackConfig, failureOf, pulumiBin, testStack, type TestStack } from "../helpers/pulumi";

jest.setTimeout(600_000);

const bin = pulumiBin();
const describeE2E = bin ? describe : describe.skip;
const KEY = "managed-redis:huaweicloudSecretKey";
const WARNING =
  `${KEY} is stored in plain text in the stack configuration (Pulumi.<stack>.yaml): encrypt it with ` +
  `\`pulumi config set --secret ${KEY}\``;

describeE2E("messages through the Pulumi engine", () => {
  let emu: Emulator;
  let t: TestStack;
  const expected = () => WARNING.replace("<stack>", t.stack.name);

  beforeAll(async () => {
    emu = await startEmulator({ huaweicloud: { settleMs: { sslJob: 250 } } });
    t = await testStack("dcs-messages", emu, bin!);
    await credentialsInStackConfig(t, emu, "huaweicloud");
  });
  afterAll(async () => {
    await t?.cleanup();
    await emu?.stop();
  });

  it("refuses a misspelt input key at preview with the key meant, and calls no cloud API", async () => {
    await t.stack.setConfig("extraInputs", { value: JSON.stringify({ leaveOnDestory: true }) });
    const output = await failureOf(t.stack.preview());
    expect(output).toContain('unknown property "leaveOnDestory"; did you mean leaveOnDestroy?');
    expect(emu.requests.filter((r) => r.cloud === "huaweicloud")).toEqual([]);
    await t.stack.removeConfig("extraInputs");
  });

  it("warns about a secret key set without --secret, naming the key and the fix, never the value", async () => {
    const secret = "plain-secret-7c2e";
    await t.stack.setConfig(KEY, { value: secret, secret: false });
    const plain = await t.stack.preview();
    expect(plain.stdout).toContain(expected());
    expect(plain.stdout + plain.stderr).not.toContain(secret);

    await t.stack.setConfig(KEY, { value: secret, secret: true });
    const encrypted = await t.stack.preview();
    expect(encrypted.stdout).not.toContain("stored in plain text");
  });
});
