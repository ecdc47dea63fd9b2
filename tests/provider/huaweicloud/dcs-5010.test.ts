/**
 * `DCS.5010` (500 "Failed to operate SSL in database.", the SSL PUT's documented server error),
 * played by the emulator from an instance's seed (`sslDbErrors`) or its `failNextSslRequests` hook,
 * as a user of `DcsInstanceSSL` meets it: a passing failure is sent again after the provider made
 * sure nothing was applied (one job in the end); a lasting one fails the create at its timeout with
 * the code, the message and what to do, and leaves no resource half-made.
 */
import type { Emulator } from "../../../emulator";
import { HUAWEI_DEMO, type HuaweicloudModule } from "../../../emulator/huaweicloud";
import { ManagedRedisError, WaitTimeoutError } from "../../../provider/core/errors";
import { type DcsInstanceSSLInputs, provider } from "../../../provider/huaweicloud/dcs-instance-ssl";
import { startTestEmulator } from "../../helpers/emulator";
import { rejection } from "../../helpers/errors";

let emu: Emulator;
let dcs: HuaweicloudModule;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emu = await startTestEmulator({ huaweicloud: { settleMs: { sslJob: 150 } } });
  process.env.PULUMI_MANAGED_REDIS_POLL_SCALE = "0.02";
  dcs = emu.clouds.huaweicloud as HuaweicloudModule;
});
afterAll(async () => {
  await emu.stop();
  process.env = savedEnv;
});

const inputs = (instanceId: string, extra: Partial<DcsInstanceSSLInputs> = {}): DcsInstanceSSLInputs => ({
  projectId: HUAWEI_DEMO.projectId,
  instanceId,
  enabled: true,
  ...extra,
});
const puts = (instanceId: string) =>
  emu.requests.filter((r) => r.path.includes(instanceId) && r.op === "setSsl").map((r) => r.status);

it("a passing DCS.5010 is sent again once nothing was applied: SSL ends on, with one job", async () => {
  const id = dcs.addInstance({ sslDbErrors: 1 });
  const { outs } = await provider.create(inputs(id));
  expect(outs).toMatchObject({ instanceId: id, enabled: true });
  expect(puts(id)).toEqual([500, 200]);
  expect(dcs.jobs().filter((j) => j.instanceId === id)).toHaveLength(1);
});

it("a lasting DCS.5010 fails the create at its timeout, naming the code, the message and what to do", async () => {
  const id = dcs.addInstance({});
  dcs.failNextSslRequests(id, 1_000);
  const err = await rejection<ManagedRedisError>(provider.create(inputs(id, { timeouts: { create: "3s" } })));
  expect(err).toBeInstanceOf(WaitTimeoutError);
  expect(err.message).toMatch(/DCS\.5010: Failed to operate SSL in database\./);
  expect(err.message).toMatch(/a DCS server error: .*contact Huawei Cloud support with the request id/);
  // Not a partial failure: nothing was accepted, so no job and nothing to keep in the state.
  expect(err).not.toHaveProperty("id");
  expect(dcs.jobs().filter((j) => j.instanceId === id)).toHaveLength(0);
  expect(new Set(puts(id))).toEqual(new Set([500]));
  expect(dcs.instance(id)?.sslEnabled).toBe(false);
});
