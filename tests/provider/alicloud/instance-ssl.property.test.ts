/**
 * Round-trip properties of `InstanceSSL` against the emulator, with every value passed through the
 * engine's serialization: generated valid inputs (each optional field present or absent, `enabled`
 * as a boolean or the API's word, SSL on or off at the start) → create → refresh → preview reports
 * no change and no replacement; SSL answers with extra fields or empty certificate fields never
 * change an input; in-place updates converge and leave no change; every instance status the API can
 * report after an accepted change leaves outputs or a partial failure the engine can store.
 */
import type * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import type { Emulator, EmuRequest } from "../../../emulator";
import type { AlicloudCloudModule } from "../../../emulator/alicloud";
import { provider } from "../../../provider/alicloud/instance-ssl";
import type { PartialFailure } from "../../../provider/core/partial";
import { UNKNOWN } from "../../../provider/core/validation";
import {
  engineCreate,
  engineDiff,
  engineRefresh,
  expectNoChange,
  PROVIDER_TEXT,
  throughEngine,
} from "../../helpers/roundtrip";
import { clearAlicloudEnv, paramsOf, startAlicloud } from "./helpers";

/** The provider as the engine sees it: property bags in, property bags out. */
const untyped = provider as unknown as pulumi.dynamic.ResourceProvider;
const RUNS = 12;
const POOL = Array.from({ length: 150 }, (_, n) => `r-prop-ssl-${String(n).padStart(2, "0")}`);
let next = 0;
let emu: Emulator;
let ali: AlicloudCloudModule;

beforeAll(async () => {
  ({ emu, ali } = await startAlicloud({
    instances: POOL.map((instanceId, n) => ({
      instanceId,
      architecture: "standard",
      sslEnabled: n % 2 === 0,
    })),
    settleMs: { default: 20 },
  }));
});
afterAll(async () => {
  clearAlicloudEnv();
  await emu.stop();
});
afterEach(() => emu.setFaults(undefined));

const sslOf = (id: string) =>
  (ali.invoke("DescribeInstanceSSL", { InstanceId: id }).body as { SSLEnabled: string }).SSLEnabled ===
  "Enable";
const duration = fc.constantFrom("90s", "2m", "30m", "1h");
/** The program's arguments: `instanceId` (added per run) and `enabled` required, every other field present or absent. */
const program = fc.record(
  {
    enabled: fc.constantFrom(true, false, "Enable", "Disable"),
    certificateRotation: fc.stringMatching(/^20[2-3][0-9]-[01][0-9]$/),
    leaveOnDestroy: fc.boolean(),
    timeouts: fc.record({ create: duration, update: duration, delete: duration }, { requiredKeys: [] }),
  },
  { requiredKeys: ["enabled"] },
);
const on = (v: boolean | string) => v === true || v === "Enable";

describe("InstanceSSL round trip (fast-check, emulator, engine serialization)", () => {
  it("create → refresh → preview shows no change, for every mix of optional fields and starting state", async () => {
    await fc.assert(
      fc.asyncProperty(program, async (args) => {
        const declared = { ...args, instanceId: POOL[next++] };
        const created = await engineCreate(provider, declared);
        expect(sslOf(declared.instanceId)).toBe(on(args.enabled));
        const refreshed = await engineRefresh(provider, created);
        expect(refreshed).toEqual(created); // `pulumi refresh --expect-no-changes`
        expectNoChange(await engineDiff(provider, refreshed!, declared));
        await untyped.delete!(created.id, refreshed!.outputs);
        expect(sslOf(declared.instanceId)).toBe(args.leaveOnDestroy === true && on(args.enabled));
      }),
      { numRuns: RUNS },
    );
  });

  it("SSL answers with extra fields or empty certificate fields never change an input", async () => {
    const extra = fc.dictionary(fc.stringMatching(/^X[A-Za-z]{1,8}$/), fc.string({ maxLength: 8 }));
    const blank = fc.subarray(["SSLExpiredTime", "CertCommonName", "CertDownloadURL"]);
    await fc.assert(
      fc.asyncProperty(program, extra, blank, async (args, fields, blanks) => {
        const declared = { ...args, instanceId: POOL[next++] };
        emu.setFaults((cloud: string, req: EmuRequest, op: string | undefined) => {
          if (cloud !== "alicloud" || op !== "DescribeInstanceSSL") return undefined;
          const real = ali.invoke("DescribeInstanceSSL", { InstanceId: paramsOf(req).InstanceId }).body;
          const body: Record<string, unknown> = { ...fields, ...real };
          for (const b of blanks) body[b] = "";
          return { kind: "respond", label: "odd-ssl", response: { status: 200, body } };
        });
        const created = await engineCreate(provider, declared);
        const refreshed = await engineRefresh(provider, created);
        expect(refreshed!.inputs).toEqual(created.inputs);
        expectNoChange(await engineDiff(provider, refreshed!, declared));
        emu.setFaults(undefined);
        await untyped.delete!(created.id, refreshed!.outputs);
      }),
      { numRuns: RUNS },
    );
  });

  it("an in-place update of any field converges, passes the engine's serialization, then shows no change", async () => {
    await fc.assert(
      fc.asyncProperty(program, program, async (before, after) => {
        const instanceId = POOL[next++];
        const created = await engineCreate(provider, { ...before, instanceId });
        const declared = { ...after, instanceId };
        expect((await engineDiff(provider, created, declared)).replaces ?? []).toEqual([]);
        const news = throughEngine({
          ...declared,
          enabled: on(after.enabled),
          leaveOnDestroy: after.leaveOnDestroy ?? false,
          __provider: PROVIDER_TEXT,
        });
        const updated = await untyped.update!(created.id, created.outputs, news);
        const state = { id: created.id, inputs: news, outputs: throughEngine({ ...updated.outs }) };
        expect(sslOf(instanceId)).toBe(on(after.enabled));
        expectNoChange(await engineDiff(provider, (await engineRefresh(provider, state))!, declared));
        await untyped.delete!(created.id, state.outputs);
      }),
      { numRuns: RUNS },
    );
  });

  it("every status the API reports after an accepted change: outputs or a partial failure the engine can store", async () => {
    const STATUSES = ["Normal", "Error", "Released", "Unavailable", "Inactive"] as const;
    const statuses = fc.constantFrom(...STATUSES);
    await fc.assert(
      fc.asyncProperty(statuses, async (status) => {
        const instanceId = POOL[next++];
        const wanted = !sslOf(instanceId);
        let sent = false;
        emu.setFaults((cloud, _req, op) => {
          if (cloud !== "alicloud") return undefined;
          if (op === "ModifyInstanceSSL") sent = true;
          else if (sent && op === "DescribeInstanceAttribute" && status !== "Normal")
            ali.setBusy(instanceId, status, 3_600_000);
          return undefined;
        });
        const outcome = await engineCreate(provider, { instanceId, enabled: wanted }).then(
          (created) => ({ created, failure: undefined }),
          (err: unknown) => ({ created: undefined, failure: err as PartialFailure }),
        );
        if (status === "Normal") {
          expect(outcome.failure).toBeUndefined();
          expect(outcome.created!.outputs.sslEnabled).toBe(wanted);
        } else {
          expect(outcome.created).toBeUndefined();
          const failure = outcome.failure!;
          expect(failure.message).toContain(`is ${status}, which does not turn into Normal by waiting`);
          expect(failure.id).toBe(instanceId);
          expect(() => throughEngine(failure.properties)).not.toThrow();
        }
      }),
      // Every status at least once (a draw of 10 can miss one), then 10 drawn runs (the examples count
      // toward numRuns).
      { numRuns: STATUSES.length + 10, examples: STATUSES.map((status) => [status] as [string]) },
    );
  });
});

describe("InstanceSSL diff (fast-check, no cloud)", () => {
  it("values unknown at preview never replace; an unknown instance id is no change at all", async () => {
    const olds = { instanceId: "r-prop-ssl-00", enabled: true, leaveOnDestroy: false, sslEnabled: true };
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(["instanceId", "enabled", "certificateRotation", "timeouts"] as const, { minLength: 1 }),
        async (unknown) => {
          const news: Record<string, unknown> = { ...olds, __provider: PROVIDER_TEXT };
          for (const k of unknown) news[k] = UNKNOWN;
          const d = await untyped.diff!(olds.instanceId, olds, news);
          expect(d.replaces).toEqual([]);
          expect(d.changes).toBe(unknown.some((k) => k !== "instanceId"));
        },
      ),
      { numRuns: 50 },
    );
  });
});
