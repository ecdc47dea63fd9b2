/**
 * The Huawei Cloud `DcsInstanceSSL` through the real engine in two forms, every optional field left
 * out and all set, with a dependent (SSL off on a second instance that never had SSL: its query
 * answers 204) that takes the first one's `projectId` output: up → refresh --expect-no-changes →
 * preview --expect-no-changes; an in-place change of each updatable field previews as an update of
 * that resource and no step on its dependent (and sends nothing); an up applies it in place;
 * destroy leaves no SSL on and no job behind.
 */
import { startEmulator, type Emulator, type HuaweicloudModule } from "../../emulator";
import { HUAWEI_DEMO } from "../../emulator/huaweicloud";
import { pulumiBin, testStack, type TestStack } from "../helpers/pulumi";
import { changesOf, previewSteps } from "../helpers/steps";

jest.setTimeout(600_000);

const bin = pulumiBin();
const describeE2E = bin ? describe : describe.skip;
const A = HUAWEI_DEMO.sslInstanceId;
const B = "7d3c1e52-0b8f-4a6e-9c21-5f4e3d2a1b01";

/** In-place changes, one updatable field per round. */
const ROUNDS: Record<string, Record<string, unknown>>[] = [
  { "dcs-ssl": { enabled: false } },
  { "dcs-ssl": { leaveOnDestroy: true } },
  { "dcs-ssl": { timeouts: { update: "3m" } } },
];

describeE2E.each(["minimal", "full"])("DcsInstanceSSL, %s form, through the Pulumi engine", (form) => {
  let emu: Emulator;
  let dcs: HuaweicloudModule;
  let t: TestStack;
  const mutations = () => emu.requests.filter((r) => r.cloud === "huaweicloud" && r.mutating).length;

  beforeAll(async () => {
    emu = await startEmulator({ huaweicloud: { settleMs: { sslJob: 150 } } });
    dcs = emu.clouds.huaweicloud;
    dcs.addInstance({ instanceId: B, name: "dcs-never-ssl", engineVersion: "6.0" });
    t = await testStack("dcs-forms", emu, bin!);
    await t.stack.setAllConfig({ form: { value: form }, secondInstanceId: { value: B } });
  });
  afterAll(async () => {
    await t?.cleanup();
    await emu?.stop();
  });

  it("up (SSL on one instance, off on one that never had it), then refresh and preview with --expect-no-changes", async () => {
    const up = await t.stack.up();
    expect(changesOf(up.summary)).toEqual({ create: 3 }); // the stack and two resources
    expect(dcs.instance(A)!.sslEnabled).toBe(true);
    expect(dcs.instance(B)!.sslEnabled).toBe(false);
    expect(up.outputs.sslEnabled.value).toBe(true);
    const before = mutations();
    expect(changesOf((await t.stack.refresh({ expectNoChanges: true })).summary)).toEqual({});
    expect(await previewSteps(t.stack, { expectNoChanges: true })).toEqual({});
    expect(mutations()).toBe(before);
  });

  it.each(ROUNDS.map((round, n) => [n + 1, round] as const))(
    "round %i: an in-place change previews as an update of that resource only, the dependent untouched",
    async (_n, round) => {
      await t.stack.setConfig("changes", { value: JSON.stringify(round) });
      const before = mutations();
      expect(await previewSteps(t.stack)).toEqual({ "dcs-ssl": "update" });
      expect(mutations()).toBe(before);
    },
  );

  it("up applies the first round in place, and the next preview has no changes", async () => {
    await t.stack.setConfig("changes", { value: JSON.stringify(ROUNDS[0]) });
    const up = await t.stack.up();
    expect(changesOf(up.summary)).toEqual({ update: 1 });
    expect(dcs.instance(A)!.sslEnabled).toBe(false);
    await t.stack.refresh({ expectNoChanges: true });
    expect(await previewSteps(t.stack, { expectNoChanges: true })).toEqual({});
  });

  it("destroy leaves no SSL on and no job running", async () => {
    const res = await t.stack.destroy();
    expect(res.summary.result).toBe("succeeded");
    expect(emu.counters().live).toMatchObject({ "huaweicloud:sslJob": 0, "huaweicloud:sslEnabled": 0 });
  });
});
