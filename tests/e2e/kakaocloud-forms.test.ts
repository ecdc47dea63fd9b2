/**
 * The KakaoCloud resources through the real Pulumi engine in both forms a user writes: every
 * optional field left out, and every one set. For each: `up → refresh --expect-no-changes →
 * preview --expect-no-changes`; an in-place change of the cluster (description, then
 * parameterGroupId, with the shard and replica taking either `cluster.clusterId` or `cluster.id`)
 * previews as exactly one update and no step on the shard or replica, and the up does that; destroy
 * leaves the emulator empty. The full form names its flavor and Redis version line through the
 * lookups, with the credentials in the stack configuration only.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { startEmulator, type Emulator } from "../../emulator";
import type { KakaocloudModule } from "../../emulator/kakaocloud";
import { credentialsInStackConfig, pulumiBin, testStack, type TestStack } from "../helpers/pulumi";

jest.setTimeout(900_000);

const bin = pulumiBin();
const describeE2E = bin ? describe : describe.skip;

/** The step of every resource (by type name) of a preview or an up. */
async function steps(
  run: (onEvent: (e: EngineEvent) => void) => Promise<unknown>,
): Promise<Record<string, string>> {
  const ops: Record<string, string> = {};
  await run((e) => {
    const m = e.resourcePreEvent?.metadata;
    // The stack, and the default provider (it takes the stack configuration, which these tests change).
    if (m && m.type !== "pulumi:pulumi:Stack" && !m.type.startsWith("pulumi:providers:"))
      ops[m.type.split(":").pop()!] = m.op;
  });
  return ops;
}

for (const form of ["minimal", "full"] as const) {
  describeE2E(`KakaoCloud, every optional field ${form === "minimal" ? "left out" : "set"}`, () => {
    let emu: Emulator;
    let kakao: KakaocloudModule;
    let t: TestStack;

    beforeAll(async () => {
      emu = await startEmulator({ kakaocloud: { settleMs: { default: 200 } } });
      kakao = emu.clouds.kakaocloud as KakaocloudModule;
      t = await testStack("kakao-forms", emu, bin!);
      await t.stack.setAllConfig({
        form: { value: form },
        name: { value: `forms-${form}` },
        password: { value: "e2e-forms-encrypted-password", secret: true },
      });
      // The full form's lookups run in the program: they find the endpoints and credentials in the
      // stack configuration only, as its resources do.
      if (form === "full") await credentialsInStackConfig(t, emu, "kakaocloud");
    });
    afterAll(async () => {
      await t?.cleanup();
      await emu?.stop();
    });

    it("up, then refresh and preview report no changes", async () => {
      const up = await t.stack.up();
      expect(up.summary.result).toBe("succeeded");
      expect(kakao.live()).toEqual({ cluster: 1, shard: 1, replica: 1 });
      // The full form named the m2a.large flavor and the 7.2 line: the newest, 7.2.11, which the API
      // lists and the document did not.
      expect(kakao.snapshot().clusters[0]).toMatchObject({
        version: form === "full" ? "7.2.11" : "7.0.15",
        flavorId: "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
      });
      await t.stack.refresh({ expectNoChanges: true });
      await t.stack.preview({ expectNoChanges: true });
    });

    it.each([
      ["description", "changed by review", "clusterId"],
      ["parameterGroupId", "pg-2", "id"],
    ])(
      "changing %s to %s previews one update of the cluster and nothing else (shards take cluster.%s)",
      async (key, value, ref) => {
        await t.stack.setAllConfig({ [key]: { value }, ref: { value: ref } });
        const previewed = await steps((onEvent) => t.stack.preview({ onEvent }));
        expect(previewed).toEqual({
          KakaoRedisCluster: "update",
          KakaoShard: "same",
          KakaoReplica: "same",
          KakaoMemberSettled: "same",
          KakaoClusterSettled: "same",
        });
        const done = await steps((onEvent) => t.stack.up({ onEvent }));
        expect(done).toEqual(previewed);
        expect(kakao.snapshot().clusters[0]).toMatchObject({ [key]: value });
        expect(kakao.created()).toEqual({ cluster: 1, shard: 1, replica: 1 });
        await t.stack.refresh({ expectNoChanges: true });
        await t.stack.preview({ expectNoChanges: true });
      },
    );

    it("destroy leaves the emulator empty", async () => {
      await t.stack.destroy();
      expect(kakao.live()).toEqual({ cluster: 0, shard: 0, replica: 0 });
      expect(kakao.snapshot().clusters).toEqual([]);
    });
  });
}
