/**
 * `DcsInstanceSSL` against a Huawei Cloud whose reads lag up to 8 s (the realistic profile's
 * `readLagMs`): the job reads `RUNNING` after it ended and the SSL setting reads its old value,
 * each for its own while (either may come first). Every change must end on its evidence — the job
 * done and the SSL setting read back — and send one PUT. A fast clock runs it ten times faster.
 */
import type { Emulator } from "../../../emulator";
import { type DcsInstanceSSLOutputs, provider } from "../../../provider/huaweicloud/dcs-instance-ssl";
import { startTestEmulator } from "../../helpers/emulator";
import { FastClock } from "../../helpers/time";

let emu: Emulator;
let clock: FastClock;

beforeAll(async () => {
  clock = new FastClock(10);
  emu = await startTestEmulator({
    profile: "realistic",
    seed: Number(process.env.EMULATOR_SEED ?? 4),
    readLagMs: 8_000,
    huaweicloud: { settleMs: { sslJob: 1_000 } },
  });
});
afterAll(async () => {
  await emu.stop();
  clock.restore();
});

const puts = (id: string) => emu.requests.filter((r) => r.path.includes(id) && r.op === "setSsl");

it("turns SSL on and off, each after the job is done and the setting reads back, one PUT each", async () => {
  const id = emu.clouds.huaweicloud.addInstance({});
  const props = { instanceId: id, enabled: true, leaveOnDestroy: false };
  const on = await provider.create(props);
  expect(on.outs as DcsInstanceSSLOutputs).toMatchObject({ enabled: true, sslValidated: true });
  expect(emu.clouds.huaweicloud.instance(id)!.sslEnabled).toBe(true);
  expect(puts(id)).toHaveLength(1);

  const off = await provider.update!(on.id, on.outs as DcsInstanceSSLOutputs, { ...props, enabled: false });
  expect(off.outs).toMatchObject({ enabled: false });
  expect(emu.clouds.huaweicloud.instance(id)!.sslEnabled).toBe(false);
  expect(puts(id)).toHaveLength(2);
});
