/**
 * `DcsInstanceSSL` delete when turning SSL off is refused: the refusal reaches the user (the destroy
 * fails and the resource stays in the state) instead of being taken as "nothing to turn off", which
 * only an instance that is gone (404) or cannot have SSL (DCS.4201) means.
 */
import type { Emulator } from "../../../emulator";
import type { HuaweicloudModule } from "../../../emulator/huaweicloud";
import { HUAWEI_DEMO } from "../../../emulator/huaweicloud";
import { CloudError } from "../../../provider/core/errors";
import { provider } from "../../../provider/huaweicloud/dcs-instance-ssl";
import { startTestEmulator } from "../../helpers/emulator";
import { rejection } from "../../helpers/errors";
import { usePollScale } from "../../helpers/time";

const P = HUAWEI_DEMO.projectId;
let emu: Emulator;
let dcs: HuaweicloudModule;

beforeAll(async () => {
  emu = await startTestEmulator({ huaweicloud: { settleMs: { sslJob: 50 } } });
  dcs = emu.clouds.huaweicloud as HuaweicloudModule;
});
afterAll(async () => {
  await emu.stop();
});
usePollScale(0.02);
afterEach(() => emu.setFaults(undefined));

/** Answers every SSL PUT for the instance with `status` and a DCS error body. */
function refusePuts(instanceId: string, status: number, code: string): void {
  emu.setFaults((_cloud, req, op) =>
    op === "setSsl" && req.path.includes(instanceId)
      ? {
          kind: "respond",
          label: `refused-${status}`,
          response: { status, body: { error_code: code, error_msg: "refused by policy" }, headers: {} },
        }
      : undefined,
  );
}

const props = (instanceId: string) => ({ instanceId, enabled: true, leaveOnDestroy: false });

describe("DcsInstanceSSL delete, SSL off refused", () => {
  it("a 403 fails the delete with the cloud's error, and SSL stays on", async () => {
    const id = dcs.addInstance({ sslEnabled: true });
    refusePuts(id, 403, "DCS.4403");
    const err = await rejection<CloudError>(provider.delete!(`${P}/${id}`, props(id)));
    expect(err).toBeInstanceOf(CloudError);
    expect(err.httpStatus).toBe(403);
    expect(err.code).toBe("DCS.4403");
    expect(dcs.instance(id)?.sslEnabled).toBe(true);
  });

  it("a 400 of another kind fails the delete too", async () => {
    const id = dcs.addInstance({ sslEnabled: true });
    refusePuts(id, 400, "DCS.4800");
    await expect(provider.delete!(`${P}/${id}`, props(id))).rejects.toMatchObject({ code: "DCS.4800" });
    expect(dcs.instance(id)?.sslEnabled).toBe(true);
  });

  it("DCS.4201 (SSL not supported) is nothing to turn off: the delete succeeds", async () => {
    const id = dcs.addInstance({ sslEnabled: true });
    refusePuts(id, 400, "DCS.4201");
    await expect(provider.delete!(`${P}/${id}`, props(id))).resolves.toBeUndefined();
  });
});
