/**
 * Round-trip properties of `TairDirectConnection` against the emulator, with every value passed
 * through the engine's serialization: generated valid inputs (each optional field present or
 * absent) → create → refresh → preview reports no change and no replacement; network answers
 * with the items in another order, extra fields and the cloud's own port and prefix for fields the
 * program left out never change or replace an input; in-place updates send nothing; and a value
 * unknown at preview never replaces.
 */
import type * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import type { Emulator } from "../../../emulator";
import type { AlicloudCloudModule } from "../../../emulator/alicloud";
import { provider } from "../../../provider/alicloud/direct-connection";
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
const POOL = Array.from({ length: 150 }, (_, n) => `r-prop-dc-${String(n).padStart(2, "0")}`);
let next = 0;
let emu: Emulator;
let ali: AlicloudCloudModule;

beforeAll(async () => {
  ({ emu, ali } = await startAlicloud({
    instances: POOL.map((instanceId, n) => ({ instanceId, shards: 1 + (n % 4) })),
    settleMs: { default: 20 },
  }));
});
afterAll(async () => {
  clearAlicloudEnv();
  await emu.stop();
});
afterEach(() => emu.setFaults(undefined));

const duration = fc.constantFrom("90s", "2m", "30m", "1h");
/** The program's arguments: `instanceId` required (added per run), every other field present or absent. */
const program = fc.record(
  {
    connectionStringPrefix: fc.stringMatching(/^[a-z][a-z0-9]{7,20}$/),
    port: fc.oneof(fc.integer({ min: 1024, max: 65535 }), fc.constant(6379)),
    timeouts: fc.record({ create: duration, update: duration, delete: duration }, { requiredKeys: [] }),
    adoptExisting: fc.boolean(),
  },
  { requiredKeys: [] },
);

const mutations = (from: number) => emu.requests.slice(from).filter((r) => r.mutating);

/**
 * Answers DescribeDBInstanceNetInfo with the real items in another order at every call (`order`,
 * rotated), extra fields, and the cloud's choice of port when the program left it out.
 */
function oddNetInfo(instanceId: string, order: number[], extra: Record<string, string>, cloudPort?: number) {
  let call = 0;
  emu.setFaults((cloud, req, op) => {
    if (cloud !== "alicloud" || op !== "DescribeDBInstanceNetInfo" || paramsOf(req).InstanceId !== instanceId)
      return undefined;
    const real = ali.invoke("DescribeDBInstanceNetInfo", { InstanceId: instanceId });
    const body = real.body as { NetInfoItems: { InstanceNetInfo: Record<string, unknown>[] } };
    const items = body.NetInfoItems.InstanceNetInfo.map((item) => ({
      ...extra,
      ...item,
      ...(cloudPort !== undefined && item.DirectConnection === 1 ? { Port: String(cloudPort) } : {}),
    }));
    const shift = call++;
    const sorted = items
      .map((item, n) => ({
        item,
        key: order[(n + shift) % order.length] * 100 + ((n + shift) % items.length),
      }))
      .sort((a, b) => a.key - b.key);
    return {
      kind: "respond",
      label: "odd-netinfo",
      response: {
        status: 200,
        body: { ...body, ...extra, NetInfoItems: { InstanceNetInfo: sorted.map((s) => s.item) } },
      },
    };
  });
}

describe("TairDirectConnection round trip (fast-check, emulator, engine serialization)", () => {
  it("create → refresh → preview shows no change, for every mix of optional fields", async () => {
    await fc.assert(
      fc.asyncProperty(program, async (args) => {
        const declared = { ...args, instanceId: POOL[next++] };
        const created = await engineCreate(provider, declared);
        const refreshed = await engineRefresh(provider, created);
        expect(refreshed).toEqual(created); // `pulumi refresh --expect-no-changes`
        expectNoChange(await engineDiff(provider, refreshed!, declared));
        await untyped.delete!(created.id, refreshed!.outputs);
        expect(ali.live().directConnection).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it("reordered items, extra fields and the cloud's own port never change or replace an input", async () => {
    const extra = fc.dictionary(fc.stringMatching(/^X[A-Za-z]{1,8}$/), fc.string({ maxLength: 8 }));
    await fc.assert(
      fc.asyncProperty(
        program,
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 6 }),
        extra,
        fc.integer({ min: 1024, max: 65535 }),
        async (args, order, fields, cloudPort) => {
          const declared = { ...args, instanceId: POOL[next++] };
          oddNetInfo(declared.instanceId, order, fields, args.port === undefined ? cloudPort : undefined);
          const created = await engineCreate(provider, declared);
          const refreshed = await engineRefresh(provider, created);
          expect(refreshed!.inputs).toEqual(created.inputs);
          expect(refreshed!.outputs).toEqual(created.outputs);
          expectNoChange(await engineDiff(provider, refreshed!, declared));
          emu.setFaults(undefined);
          await untyped.delete!(created.id, refreshed!.outputs);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("an in-place update (timeouts, adoptExisting) sends nothing and leaves no change", async () => {
    await fc.assert(
      fc.asyncProperty(program, program, async (before, after) => {
        const instanceId = POOL[next++];
        const created = await engineCreate(provider, { ...before, instanceId });
        // Only the fields that change in place differ; the endpoint's own fields stay.
        const declared = {
          ...before,
          timeouts: after.timeouts,
          adoptExisting: after.adoptExisting,
          instanceId,
        };
        for (const k of ["timeouts", "adoptExisting"] as const)
          if (declared[k] === undefined) delete declared[k];
        const d = await engineDiff(provider, created, declared);
        expect(d.replaces ?? []).toEqual([]);
        const from = emu.requests.length;
        const news = throughEngine({ ...declared, __provider: PROVIDER_TEXT });
        const updated = await untyped.update!(created.id, created.outputs, news);
        expect(mutations(from)).toHaveLength(0);
        const state = { id: created.id, inputs: news, outputs: throughEngine({ ...updated.outs }) };
        expectNoChange(await engineDiff(provider, (await engineRefresh(provider, state))!, declared));
        await untyped.delete!(created.id, state.outputs);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("TairDirectConnection diff (fast-check, no cloud)", () => {
  const state = fc.record({
    instanceId: fc.constant("r-prop-dc-00"),
    port: fc.integer({ min: 1024, max: 65535 }),
    connectionString: fc.stringMatching(/^[a-z][a-z0-9]{7,20}$/).map((p) => `${p}.redis.rds.aliyuncs.com`),
    ipAddresses: fc.array(fc.ipV4()),
  });

  it("values unknown at preview never replace; an unknown instance id is no change at all", async () => {
    await fc.assert(
      fc.asyncProperty(
        state,
        fc.subarray(["instanceId", "connectionStringPrefix", "port", "timeouts"] as const, { minLength: 1 }),
        async (olds, unknown) => {
          const news: Record<string, unknown> = { instanceId: olds.instanceId, __provider: PROVIDER_TEXT };
          for (const k of unknown) news[k] = UNKNOWN;
          const d = await untyped.diff!(olds.instanceId, olds, news);
          expect(d.replaces).toEqual([]);
          expect(d.changes).toBe(unknown.some((k) => k !== "instanceId"));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("fields the program leaves out accept whatever the cloud reports", async () => {
    await fc.assert(
      fc.asyncProperty(state, async (olds) => {
        const news = { instanceId: olds.instanceId, __provider: PROVIDER_TEXT };
        expectNoChange(await untyped.diff!(olds.instanceId, olds, news));
      }),
      { numRuns: 100 },
    );
  });
});
