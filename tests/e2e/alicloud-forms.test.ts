/**
 * The Alibaba Cloud Tair resources through the real engine in two forms, every optional field left
 * out and all set, each with a dependent that takes its `instanceId` output: up → refresh
 * --expect-no-changes → preview --expect-no-changes; an in-place change of each updatable field
 * previews as an update of that resource and no step on its dependent (and sends nothing); an up
 * applies changes in place; destroy leaves the emulator as it was.
 */
import { startEmulator, type AlicloudCloudModule, type Emulator } from "../../emulator";
import { pulumiBin, testStack, type TestStack } from "../helpers/pulumi";
import { changesOf, previewSteps } from "../helpers/steps";

jest.setTimeout(600_000);

const bin = pulumiBin();
const describeE2E = bin ? describe : describe.skip;

/** In-place changes, one updatable field per resource and round, so that every field is covered. */
const ROUNDS: Record<string, Record<string, unknown>>[] = [
  {
    tls: { enabled: false },
    "cluster-tls-off": { certificateRotation: "2027-01" },
    direct: { timeouts: { create: "3m" } },
  },
  {
    tls: { certificateRotation: "2027-02" },
    "cluster-tls-off": { leaveOnDestroy: true },
    direct: { adoptExisting: true },
  },
  { tls: { leaveOnDestroy: true }, "cluster-tls-off": { timeouts: { delete: "3m" } } },
  { tls: { timeouts: { update: "3m" } } },
];

describeE2E.each(["minimal", "full"])("Tair resources, %s form, through the Pulumi engine", (form) => {
  let emu: Emulator;
  let ali: AlicloudCloudModule;
  let t: TestStack;
  const mutations = () => emu.requests.filter((r) => r.cloud === "alicloud" && r.mutating).length;

  beforeAll(async () => {
    emu = await startEmulator({ alicloud: { settleMs: { default: 150 } } });
    ali = emu.clouds.alicloud;
    t = await testStack("tair-forms", emu, bin!);
    await t.stack.setConfig("form", { value: form });
  });
  afterAll(async () => {
    await t?.cleanup();
    await emu?.stop();
  });

  it("up, then refresh and preview with --expect-no-changes", async () => {
    const up = await t.stack.up();
    expect(changesOf(up.summary)).toEqual({ create: 6 }); // the stack and five resources
    expect(ali.live()).toEqual({ directConnection: 2, sslEnabled: 1 });
    const before = mutations();
    const refresh = await t.stack.refresh({ expectNoChanges: true });
    expect(changesOf(refresh.summary)).toEqual({});
    expect(await previewSteps(t.stack, { expectNoChanges: true })).toEqual({});
    expect(mutations()).toBe(before);
  });

  it.each(ROUNDS.map((round, n) => [n + 1, round] as const))(
    "round %i of in-place changes previews as updates of those resources only, dependents untouched",
    async (_n, round) => {
      await t.stack.setConfig("changes", { value: JSON.stringify(round) });
      const before = mutations();
      const expected = Object.fromEntries(Object.keys(round).map((name) => [name, "update"]));
      expect(await previewSteps(t.stack)).toEqual(expected);
      expect(mutations()).toBe(before);
    },
  );

  it("up applies the first round in place, and the next preview has no changes", async () => {
    await t.stack.setConfig("changes", { value: JSON.stringify(ROUNDS[0]) });
    const up = await t.stack.up();
    expect(changesOf(up.summary)).toEqual({ update: 3 });
    expect(ali.live()).toEqual({ directConnection: 2, sslEnabled: 0 });
    await t.stack.refresh({ expectNoChanges: true });
    expect(await previewSteps(t.stack, { expectNoChanges: true })).toEqual({});
  });

  it("destroy leaves the emulator as it was", async () => {
    const res = await t.stack.destroy();
    expect(res.summary.result).toBe("succeeded");
    expect(ali.live()).toEqual({ directConnection: 0, sslEnabled: 0 });
    const snap = ali.snapshot() as {
      instances: { status: string; sslEnabled: boolean; directConnection?: unknown }[];
    };
    for (const i of snap.instances)
      expect(i).toMatchObject({ status: "Normal", sslEnabled: false, directConnection: undefined });
  });
});
