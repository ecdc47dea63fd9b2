import type { Emulator, FaultHook } from "../../../emulator";
import {
  HUAWEI_DEMO,
  type HuaweicloudModule,
  type HuaweicloudSeedInstance,
} from "../../../emulator/huaweicloud";
import { setStackConfig } from "../../../provider/core/config";
import { CloudError } from "../../../provider/core/errors";
import type { PartialFailure } from "../../../provider/core/partial";
import {
  type DcsInstanceSSLInputs,
  type DcsInstanceSSLOutputs,
  provider,
} from "../../../provider/huaweicloud/dcs-instance-ssl";
import { startTestEmulator } from "../../helpers/emulator";
import { rejection } from "../../helpers/errors";

type Props = DcsInstanceSSLInputs & { __provider?: string };
const P = HUAWEI_DEMO.projectId;
const SERIALIZED = "exports.handler = shim";
const JOB_MS = 150;

let emu: Emulator;
let dcs: HuaweicloudModule;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emu = await startTestEmulator({ huaweicloud: { settleMs: { sslJob: JOB_MS } } });
  process.env.PULUMI_MANAGED_REDIS_POLL_SCALE = "0.02";
  dcs = emu.clouds.huaweicloud as HuaweicloudModule;
});
afterAll(async () => {
  await emu.stop();
  process.env = savedEnv;
});
afterEach(() => emu.setFaults(undefined));

const fresh = (seed: HuaweicloudSeedInstance = {}) => dcs.addInstance(seed);
const inputs = (instanceId: string, extra: Partial<Props> = {}): Props => ({
  __provider: SERIALIZED,
  instanceId,
  enabled: true,
  leaveOnDestroy: false,
  ...extra,
});
const requests = (instanceId: string, op?: string) =>
  emu.requests.filter((r) => r.path.includes(instanceId) && (op === undefined || r.op === op));
const appliedPuts = (instanceId: string) =>
  requests(instanceId, "setSsl").filter((r) => !r.fault && r.status === 200);
const jobsOf = (instanceId: string) => dcs.jobs().filter((j) => j.instanceId === instanceId);

/** Answers the first `n` SSL PUTs for an instance with `response` instead of the API. */
function refuseFirstPuts(
  instanceId: string,
  n: number,
  status: number,
  body: unknown,
  headers = {},
): FaultHook {
  let left = n;
  return (_cloud, req, op) => {
    if (op !== "setSsl" || !req.path.includes(instanceId) || left <= 0) return undefined;
    left--;
    return { kind: "respond", label: `refused-${status}`, response: { status, body, headers } };
  };
}

describe("DcsInstanceSSL lifecycle against the emulator", () => {
  it("creates: waits, sends one PUT, follows the job, confirms and reports the SSL endpoint", async () => {
    const id = fresh();
    const res = await provider.create(inputs(id));
    expect(res.id).toBe(`${P}/${id}`);
    const outs = res.outs as DcsInstanceSSLOutputs;
    expect(outs).toMatchObject({
      instanceId: id,
      enabled: true,
      port: 6379,
      sslValidated: true,
      __provider: SERIALIZED,
    });
    expect(outs.domainName).toBe(`redis-${id}.dcs.example.com:6379`);
    expect(Date.parse(outs.sslExpiredAt!)).toBeGreaterThan(Date.now());
    expect(appliedPuts(id)).toHaveLength(1);
    expect(requests(id, "getInstance").length).toBeGreaterThanOrEqual(1);
    expect(emu.requests.filter((r) => r.op === "getJob").length).toBeGreaterThanOrEqual(1);
    expect(dcs.instance(id)?.sslEnabled).toBe(true);
  });

  it("skips the PUT when SSL is already in the wanted state", async () => {
    const off = fresh();
    expect((await provider.create(inputs(off, { enabled: false }))).outs).toMatchObject({ enabled: false });
    const on = fresh({ sslEnabled: true });
    expect((await provider.create(inputs(on))).outs).toMatchObject({ enabled: true, sslValidated: true });
    expect(requests(off, "setSsl")).toHaveLength(0);
    expect(requests(on, "setSsl")).toHaveLength(0);
  });

  it("reads live state, shows drift, updates in place and deletes (SSL off, nothing left over)", async () => {
    const id = fresh();
    const { id: rid, outs } = await provider.create(inputs(id));
    dcs.setSsl(id, false); // out of band
    const read = await provider.read!(rid, outs);
    expect(read.id).toBe(rid);
    expect(read.props).toMatchObject({ enabled: false, instanceId: id, leaveOnDestroy: false });
    expect(read.inputs).toBeUndefined();
    const diff = await provider.diff!(rid, read.props as Props, inputs(id));
    expect(diff).toMatchObject({ changes: true, replaces: [] });

    const updated = await provider.update!(rid, read.props as Props, inputs(id));
    expect(updated.outs).toMatchObject({ enabled: true });
    expect(appliedPuts(id)).toHaveLength(2);

    const off = await provider.update!(rid, updated.outs as Props, inputs(id, { enabled: false }));
    expect(off.outs).toMatchObject({ enabled: false, sslValidated: false });
    expect(appliedPuts(id)).toHaveLength(3);
    // Only the timeouts change: nothing is sent.
    await provider.update!(
      rid,
      off.outs as Props,
      inputs(id, { enabled: false, timeouts: { update: "5m" } }),
    );
    expect(appliedPuts(id)).toHaveLength(3);

    await provider.update!(rid, off.outs as Props, inputs(id));
    await provider.delete!(rid, inputs(id));
    expect(dcs.instance(id)?.sslEnabled).toBe(false);
    expect(appliedPuts(id)).toHaveLength(5);
    expect(jobsOf(id).every((j) => j.finished)).toBe(true);
    await provider.delete!(rid, inputs(id)); // already off: nothing sent
    expect(appliedPuts(id)).toHaveLength(5);
  });

  it("leaves SSL on at destroy with leaveOnDestroy, sending nothing", async () => {
    const id = fresh();
    const { id: rid } = await provider.create(inputs(id, { leaveOnDestroy: true }));
    const before = emu.requests.length;
    await provider.delete!(rid, inputs(id, { leaveOnDestroy: true }));
    expect(emu.requests.length).toBe(before);
    expect(dcs.instance(id)?.sslEnabled).toBe(true);
  });

  it("imports from the id alone (also a bare instance id with a configured project)", async () => {
    const id = fresh({ sslEnabled: true });
    const read = await provider.read!(`${P}/${id}`, {} as Props);
    expect(read.id).toBe(`${P}/${id}`);
    expect(read.inputs).toEqual({ instanceId: id, enabled: true, leaveOnDestroy: false });
    expect(read.props).toMatchObject({ instanceId: id, enabled: true, port: 6379 });
    const bare = await provider.read!(id, {} as Props);
    expect(bare.props).toMatchObject({ enabled: true });
  });

  it("reports a failed job with its fail_reason as a partial failure recorded with the live state", async () => {
    const id = fresh();
    dcs.failNextJob(id, "certificate deployment failed on node 2");
    const err = (await rejection(provider.create(inputs(id)))) as PartialFailure;
    expect(err.id).toBe(`${P}/${id}`);
    expect(err.message).toContain("certificate deployment failed on node 2");
    expect(err.message).toContain("FAIL");
    expect(err.reasons[0]).toContain("certificate deployment failed on node 2");
    expect(err.properties).toMatchObject({ __provider: SERIALIZED, instanceId: id, enabled: false });
    expect(appliedPuts(id)).toHaveLength(1);
    // The next `pulumi up` sees enabled false vs true and tries again, once.
    const diff = await provider.diff!(err.id, err.properties as unknown as Props, inputs(id));
    expect(diff.changes).toBe(true);
    await provider.update!(err.id, err.properties as unknown as Props, inputs(id));
    expect(appliedPuts(id)).toHaveLength(2);
    expect(dcs.instance(id)?.sslEnabled).toBe(true);
  });

  it("records a partial failure when the job outlives the timeout, and resumes without a second PUT", async () => {
    const id = fresh();
    dcs.settle.set("sslJob", 1_500);
    try {
      const err = (await rejection(
        provider.create(inputs(id, { timeouts: { create: "400ms" } })),
      )) as PartialFailure;
      expect(err.message).toMatch(/timed out after .* waiting for DCS job/);
      expect(err.properties).toMatchObject({ enabled: false, timeouts: { create: "400ms" } });
    } finally {
      dcs.settle.set("sslJob", JOB_MS);
    }
    // The job finishes in the cloud; the next update finds SSL on and sends nothing.
    const next = await provider.update!(`${P}/${id}`, inputs(id, { enabled: false }), inputs(id));
    expect(next.outs).toMatchObject({ enabled: true });
    expect(appliedPuts(id)).toHaveLength(1);
    expect(jobsOf(id)).toHaveLength(1);
  });

  it("waits out an instance that is still being created, then applies one PUT", async () => {
    const id = fresh({ busyForMs: 500 });
    const started = Date.now();
    await provider.create(inputs(id));
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(requests(id, "getInstance").length).toBeGreaterThanOrEqual(2);
    expect(requests(id, "setSsl")).toHaveLength(1);
    expect(appliedPuts(id)).toHaveLength(1);
  });

  it("waits out busy refusals of the PUT (DCS.4049) beyond the client's retries, applying one change", async () => {
    const id = fresh();
    // More refusals than the HTTP client retries (5): the resource's own wait takes over.
    emu.setFaults(
      refuseFirstPuts(id, 8, 400, {
        error_code: "DCS.4049",
        error_msg: "The instance status is not running.",
      }),
    );
    await provider.create(inputs(id));
    expect(requests(id, "setSsl").filter((r) => r.fault)).toHaveLength(8);
    expect(appliedPuts(id)).toHaveLength(1);
    expect(jobsOf(id)).toHaveLength(1);
  });

  it("retries throttling (429 with Retry-After) with only one change applied", async () => {
    const id = fresh();
    emu.setFaults(
      refuseFirstPuts(
        id,
        2,
        429,
        { error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached" },
        {
          "retry-after": "0",
        },
      ),
    );
    await provider.create(inputs(id));
    expect(requests(id, "setSsl").filter((r) => r.status === 429)).toHaveLength(2);
    expect(appliedPuts(id)).toHaveLength(1);
  });

  it("after a 500 on the PUT, looks before sending it again: resent only when it was not applied", async () => {
    const id = fresh();
    emu.setFaults(
      refuseFirstPuts(id, 1, 500, {
        error_code: "DCS.5010",
        error_msg: "Failed to operate SSL in database.",
      }),
    );
    const res = await provider.create(inputs(id));
    expect(res.outs).toMatchObject({ enabled: true });
    // The 500 came before the API acted: the instance showed no task and SSL still off, so one more PUT.
    expect(requests(id, "setSsl").map((r) => r.status)).toEqual([500, 200]);
    expect(jobsOf(id)).toHaveLength(1);
    const firstPut = requests(id, "setSsl")[0];
    const looked = requests(id).filter((r) => r.op === "getInstance" && r.at >= firstPut.at);
    expect(looked.length).toBeGreaterThanOrEqual(1);
  });

  it("after a 500 on a PUT that was applied, sends no second PUT", async () => {
    const id = fresh();
    let left = 1;
    emu.setFaults((_cloud, req, op) => {
      if (op !== "setSsl" || !req.path.includes(id) || left-- <= 0) return undefined;
      dcs.setSsl(id, true); // the change happened, but its answer was lost
      return {
        kind: "respond",
        label: "lost-500",
        response: { status: 500, body: { error_code: "DCS.5010" } },
      };
    });
    const res = await provider.create(inputs(id));
    expect(res.outs).toMatchObject({ enabled: true });
    expect(requests(id, "setSsl")).toHaveLength(1);
  });

  it("explains DCS.4201 on an unsupported edition and sends no PUT", async () => {
    const id = HUAWEI_DEMO.redis5InstanceId;
    const err = await rejection(provider.create(inputs(id)));
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).code).toBe("DCS.4201");
    expect((err as CloudError).httpStatus).toBe(400);
    expect((err as Error).message).toMatch(/only supported on DCS Redis 6\.0 basic edition instances/);
    expect((err as { id?: string }).id).toBeUndefined();
    expect(requests(id, "setSsl")).toHaveLength(0);
  });

  it("handles an unknown instance: create fails with 404, read drops it, delete succeeds", async () => {
    const ghost = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    const err = await rejection(provider.create(inputs(ghost)));
    expect((err as CloudError).httpStatus).toBe(404);
    expect((err as CloudError).code).toBe("DCS.3022");
    expect(await provider.read!(`${P}/${ghost}`, inputs(ghost))).toEqual({});
    await expect(provider.delete!(`${P}/${ghost}`, inputs(ghost))).resolves.toBeUndefined();
  });
});

describe("DcsInstanceSSL credentials and configuration", () => {
  const withEnv = async (env: Record<string, string | undefined>, fn: () => Promise<void>) => {
    const saved = { ...process.env };
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    try {
      await fn();
    } finally {
      process.env = saved;
    }
  };

  it("authenticates with an IAM token instead of AK/SK", async () => {
    const id = fresh();
    await withEnv(
      { HW_ACCESS_KEY: undefined, HW_SECRET_KEY: undefined, HW_AUTH_TOKEN: "demo-token" },
      async () => {
        const res = await provider.create(inputs(id));
        expect(res.outs).toMatchObject({ enabled: true });
      },
    );
    expect(appliedPuts(id)).toHaveLength(1);
  });

  it("reports refused credentials as 401 without printing them", async () => {
    const id = fresh();
    await withEnv({ HW_SECRET_KEY: "wrong-secret-key" }, async () => {
      const err = (await rejection(provider.create(inputs(id)))) as CloudError;
      expect(err.httpStatus).toBe(401);
      expect(err.code).toBe("APIGW.0301");
      expect(err.message).toMatch(/check the AK\/SK/);
      expect(err.message).not.toContain("wrong-secret-key");
    });
    await withEnv(
      { HW_ACCESS_KEY: undefined, HW_SECRET_KEY: undefined, HW_AUTH_TOKEN: "stale-token-value" },
      async () => {
        const err = (await rejection(provider.read!(`${P}/${id}`, inputs(id)))) as CloudError;
        expect(err.httpStatus).toBe(401);
        expect(err.message).not.toContain("stale-token-value");
      },
    );
  });

  it("names the missing settings", async () => {
    await withEnv(
      { HW_ACCESS_KEY: undefined, HW_SECRET_KEY: undefined, HW_AUTH_TOKEN: undefined },
      async () => {
        await expect(provider.create(inputs(fresh()))).rejects.toThrow(/HW_ACCESS_KEY and HW_SECRET_KEY/);
        await expect(provider.create(inputs(fresh()))).rejects.toMatchObject({
          name: "ConfigError",
          code: "MissingCredentials",
        });
      },
    );
    await withEnv({ HW_DCS_ENDPOINT: undefined, HW_REGION_NAME: undefined }, async () => {
      await expect(provider.create(inputs(fresh()))).rejects.toThrow(
        /huaweicloudRegion \(or HW_REGION_NAME\)/,
      );
      await expect(provider.create(inputs(fresh()))).rejects.toMatchObject({
        name: "ConfigError",
        code: "InvalidConfig",
      });
    });
    await withEnv({ HW_DCS_ENDPOINT: "http://dcs.example.com" }, async () => {
      await expect(provider.create(inputs(fresh()))).rejects.toThrow(/plain http/);
    });
  });

  it("prefers the stack configuration given to configure() over the environment", async () => {
    const id = fresh({ sslEnabled: true, projectId: "cfg-project" });
    const config: Record<string, string> = {
      "managed-redis:huaweicloudEndpoint": emu.endpoints.huaweicloud,
      "managed-redis:huaweicloudAccessKey": "demo-ak",
      "managed-redis:huaweicloudSecretKey": "demo-sk",
      "managed-redis:huaweicloudProjectId": "cfg-project",
    };
    await withEnv({ HW_DCS_ENDPOINT: "http://127.0.0.1:1", HW_PROJECT_ID: "env-project" }, async () => {
      await provider.configure!({
        config: { get: (k: string) => config[k], require: (k: string) => config[k] },
      });
      try {
        const read = await provider.read!(id, {} as Props);
        expect(read).toMatchObject({ id, props: { enabled: true } });
      } finally {
        setStackConfig(undefined);
      }
    });
  });
});
