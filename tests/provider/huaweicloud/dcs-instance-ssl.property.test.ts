/**
 * Round-trip properties of `DcsInstanceSSL` against the emulator, with every value passed through
 * the engine's serialization: generated valid inputs (each optional field present or absent, SSL on
 * or off, on instances that never had SSL and on ones that had) → create → refresh → preview
 * reports no change and no replacement; SSL answers in every form the API can give (204, a body
 * without `enabled`, empty or null fields, extra fields) never replace or change an input; and a
 * job that fails after the PUT leaves a partial failure the engine can store.
 */
import type * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import type { Emulator, EmuResponse } from "../../../emulator";
import { HUAWEI_DEMO, type HuaweicloudModule } from "../../../emulator/huaweicloud";
import type { PartialFailure } from "../../../provider/core/partial";
import { provider } from "../../../provider/huaweicloud/dcs-instance-ssl";
import { startTestEmulator } from "../../helpers/emulator";
import {
  engineCreate,
  engineDiff,
  engineRefresh,
  expectNoChange,
  PROVIDER_TEXT,
  throughEngine,
} from "../../helpers/roundtrip";

/** The provider as the engine sees it: property bags in, property bags out. */
const untyped = provider as unknown as pulumi.dynamic.ResourceProvider;
const RUNS = 12;
let emu: Emulator;
let dcs: HuaweicloudModule;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emu = await startTestEmulator({ huaweicloud: { settleMs: { sslJob: 40 } } });
  process.env.PULUMI_MANAGED_REDIS_POLL_SCALE = "0.01";
  dcs = emu.clouds.huaweicloud as HuaweicloudModule;
});
afterAll(async () => {
  await emu.stop();
  process.env = savedEnv;
});
afterEach(() => emu.setFaults(undefined));

const duration = fc.constantFrom("90s", "2m", "30m", "1h", "1.5h");
/** The program's arguments: `instanceId` and `enabled` required, every other field present or absent. */
const program = fc.record(
  {
    enabled: fc.boolean(),
    projectId: fc.constant(HUAWEI_DEMO.projectId),
    leaveOnDestroy: fc.boolean(),
    timeouts: fc.record({ create: duration, update: duration, delete: duration }, { requiredKeys: [] }),
  },
  { requiredKeys: ["enabled"] },
);
/** The instance's history: SSL never on (the query answers 204), on now, or on once and off now. */
const HISTORIES = ["never", "on", "was-on"] as const;
const history = fc.constantFrom(...HISTORIES);
/** What an arbitrary generates. */
type Drawn<A> = A extends fc.Arbitrary<infer T> ? T : never;

function freshInstance(kind: (typeof HISTORIES)[number]): string {
  const id = dcs.addInstance({ engineVersion: "6.0", sslEnabled: kind !== "never" });
  if (kind === "was-on") dcs.setSsl(id, false);
  return id;
}

/** The SSL query's answer in one of the forms the document allows for the instance's current state. */
const FORMS = ["document", "204", "empty-body", "nulls", "empty-strings", "extra-fields"] as const;
const sslAnswer = fc.record({
  form: fc.constantFrom(...FORMS),
  extra: fc.dictionary(
    fc.stringMatching(/^x_[a-z]{1,8}$/),
    fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
  ),
});

function answerFor(enabled: boolean, a: { form: string; extra: Record<string, unknown> }): EmuResponse {
  const on = {
    enabled: true,
    ip: "192.168.0.9",
    port: "6379",
    domain_name: "r.dcs.example.com",
    ssl_validated: true,
  };
  if (enabled) {
    // SSL on: the answer always says so; extra fields may come with it.
    const body =
      a.form === "extra-fields" ? { ...a.extra, ...on, ssl_expired_at: "2030-01-01 00:00:00" } : on;
    return { status: 200, body };
  }
  switch (a.form) {
    case "204":
      return { status: 204 };
    case "empty-body":
      return { status: 200, body: {} };
    case "nulls":
      return {
        status: 200,
        body: { ip: null, ipv6: null, port: null, domain_name: null, ssl_expired_at: null },
      };
    case "empty-strings":
      return {
        status: 200,
        body: { enabled: false, ip: "", port: "", domain_name: "", ssl_validated: false },
      };
    case "extra-fields":
      return { status: 200, body: { ...a.extra, enabled: false } };
    default:
      return { status: 200, body: { ip: "192.168.0.5", port: "6379", domain_name: "r.dcs.example.com" } };
  }
}

/** Answers every SSL query of `instanceId` with the chosen form (the instance's real state decides `enabled`). */
function answerSslQueries(instanceId: string, a: { form: string; extra: Record<string, unknown> }) {
  emu.setFaults((cloud, req, op) => {
    if (cloud !== "huaweicloud" || op !== "getSsl" || !req.path.includes(instanceId)) return undefined;
    return {
      kind: "respond",
      label: `ssl-${a.form}`,
      response: answerFor(dcs.instance(instanceId)!.sslEnabled, a),
    };
  });
}

describe("DcsInstanceSSL round trip (fast-check, emulator, engine serialization)", () => {
  it("create → refresh → preview shows no change, for every mix of optional fields and instance history", async () => {
    await fc.assert(
      fc.asyncProperty(program, history, async (args, kind) => {
        const instanceId = freshInstance(kind);
        const declared = { ...args, instanceId };
        const created = await engineCreate(provider, declared);
        expect(dcs.instance(instanceId)!.sslEnabled).toBe(args.enabled);
        const refreshed = await engineRefresh(provider, created);
        // `pulumi refresh --expect-no-changes`: the state read back is the state created.
        expect(refreshed).toEqual(created);
        expectNoChange(await engineDiff(provider, refreshed!, declared));
        await untyped.delete!(created.id, refreshed!.outputs);
        expect(dcs.instance(instanceId)!.sslEnabled).toBe(args.leaveOnDestroy === true && args.enabled);
      }),
      { numRuns: RUNS },
    );
  });

  it("SSL answers with 204, absent `enabled`, empty or null fields, or extra fields never change an input", async () => {
    await fc.assert(
      fc.asyncProperty(program, history, sslAnswer, async (args, kind, answer) => {
        const instanceId = freshInstance(kind);
        answerSslQueries(instanceId, answer);
        const declared = { ...args, instanceId };
        const created = await engineCreate(provider, declared);
        const refreshed = await engineRefresh(provider, created);
        expect(refreshed!.inputs).toEqual(created.inputs);
        expect(refreshed!.outputs.enabled).toBe(args.enabled);
        expectNoChange(await engineDiff(provider, refreshed!, declared));
        emu.setFaults(undefined);
        await untyped.delete!(created.id, refreshed!.outputs);
      }),
      // Every form with SSL off (the forms differ only then) at least once, across the three
      // histories — a draw of 12 often misses one — then RUNS drawn runs (the examples count toward
      // numRuns).
      {
        numRuns: FORMS.length + RUNS,
        examples: FORMS.map(
          (form, n): [Drawn<typeof program>, Drawn<typeof history>, Drawn<typeof sslAnswer>] => [
            n % 2 === 0
              ? { enabled: false }
              : { enabled: false, leaveOnDestroy: true, timeouts: { update: "2m" } },
            HISTORIES[n % HISTORIES.length],
            { form, extra: n % 2 === 0 ? {} : { x_zone: "az1", x_count: 3, x_none: null } },
          ],
        ),
      },
    );
  });

  it("update in place of each updatable field: outputs pass the engine's serialization, then no change", async () => {
    await fc.assert(
      fc.asyncProperty(program, program, history, async (before, after, kind) => {
        const instanceId = freshInstance(kind);
        const created = await engineCreate(provider, { ...before, instanceId });
        const d = await engineDiff(provider, created, { ...after, instanceId });
        expect(d.replaces ?? []).toEqual([]);
        const news = {
          ...after,
          instanceId,
          __provider: PROVIDER_TEXT,
          leaveOnDestroy: after.leaveOnDestroy ?? false,
        };
        const updated = await untyped.update!(created.id, created.outputs, news);
        const state = {
          id: created.id,
          inputs: throughEngine(news),
          outputs: throughEngine({ ...updated.outs }),
        };
        expect(dcs.instance(instanceId)!.sslEnabled).toBe(after.enabled);
        expectNoChange(
          await engineDiff(provider, (await engineRefresh(provider, state))!, { ...after, instanceId }),
        );
        await untyped.delete!(created.id, state.outputs);
      }),
      { numRuns: RUNS },
    );
  });

  it("a job that fails after the PUT: the partial failure's properties pass the engine's serialization", async () => {
    await fc.assert(
      fc.asyncProperty(program, history, async (args, kind) => {
        const instanceId = freshInstance(kind);
        dcs.failNextJob(instanceId, "injected");
        const declared = { ...args, instanceId, enabled: !dcs.instance(instanceId)!.sslEnabled };
        let failure: PartialFailure | undefined;
        try {
          await engineCreate(provider, declared);
        } catch (err) {
          failure = err as PartialFailure;
        }
        expect(failure?.id).toBe(`${HUAWEI_DEMO.projectId}/${instanceId}`);
        expect(() => throughEngine(failure!.properties)).not.toThrow();
        // The state kept by the engine reads back and is repaired by the next up (an update).
        const kept = { id: failure!.id, inputs: {}, outputs: throughEngine(failure!.properties) };
        const refreshed = await engineRefresh(provider, kept);
        expect(refreshed).toBeDefined();
        const d = await engineDiff(provider, refreshed!, declared);
        expect(d).toMatchObject({ changes: true, replaces: [] });
      }),
      { numRuns: 6 },
    );
  });
});
