/**
 * Instance statuses that never turn into `Normal` (`Error`, `Released`, `Unavailable`, `Inactive`)
 * end every wait of both Alibaba resources at once, with what to do, instead of polling for the
 * 30–40 minutes of the default deadline: before a change, after the cloud accepted one, and on
 * delete (where a released instance has nothing left to undo).
 */
import type { Emulator, EmuRequest } from "../../../emulator";
import type { AlicloudCloudModule } from "../../../emulator/alicloud";
import {
  provider as direct,
  type TairDirectConnectionInputs,
} from "../../../provider/alicloud/direct-connection";
import { provider as ssl, type InstanceSSLInputs } from "../../../provider/alicloud/instance-ssl";
import type { PartialFailure } from "../../../provider/core/partial";
import { clearAlicloudEnv, expectStructSafe, startAlicloud } from "./helpers";

const TERMINAL = ["Error", "Released", "Unavailable", "Inactive"] as const;
const P = "__provider-source__";
/**
 * Far below the default deadlines (30 and 40 minutes): a wait that polls on fails the test. 20 s, not
 * 5: the first create of a jest worker loads the SDK and took 8.7 s on a machine at load 11.
 */
const QUICK_MS = 20_000;

let emu: Emulator;
let ali: AlicloudCloudModule;

beforeAll(async () => {
  ({ emu, ali } = await startAlicloud({
    instances: [
      ...TERMINAL.map((status) => ({ instanceId: `r-term-${status.toLowerCase()}`, status })),
      { instanceId: "r-term-ssl" },
      { instanceId: "r-term-direct", architecture: "cluster" },
      { instanceId: "r-term-gone", architecture: "cluster" },
    ],
  }));
});
afterAll(async () => {
  clearAlicloudEnv();
  await emu.stop();
});
afterEach(() => emu.setFaults(undefined));

const mutations = (from: number) => emu.requests.slice(from).filter((r) => r.mutating);

/** Turns the instance to `status` for good at the first status look after `action` was sent. */
function breakAfter(action: string, instanceId: string, status: string) {
  let sent = false;
  return (cloud: string, _req: EmuRequest, op: string | undefined) => {
    if (cloud !== "alicloud") return undefined;
    if (op === action) sent = true;
    else if (sent && op === "DescribeInstanceAttribute") ali.setBusy(instanceId, status, 3_600_000);
    return undefined;
  };
}

async function timed<T>(run: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const start = Date.now();
  try {
    await run;
  } catch (error) {
    return { error, ms: Date.now() - start };
  }
  throw new Error("expected the operation to fail");
}

describe.each(TERMINAL)("an instance that is %s", (status) => {
  const instanceId = `r-term-${status.toLowerCase()}`;

  it("fails InstanceSSL create at once, says why, and sends nothing", async () => {
    const from = emu.requests.length;
    const inputs = { __provider: P, instanceId, enabled: true, leaveOnDestroy: false } as InstanceSSLInputs;
    const { error, ms } = await timed(ssl.create(inputs));
    expect(ms).toBeLessThan(QUICK_MS);
    expect((error as Error).message).toContain(
      `instance ${instanceId} is ${status}, which does not turn into Normal by waiting`,
    );
    expect(mutations(from)).toHaveLength(0);
  });

  it("fails TairDirectConnection create at once, says why, and sends nothing", async () => {
    const from = emu.requests.length;
    const { error, ms } = await timed(
      direct.create({ __provider: P, instanceId } as TairDirectConnectionInputs),
    );
    expect(ms).toBeLessThan(QUICK_MS);
    expect((error as Error).message).toMatch(new RegExp(`is ${status}, which does not turn into Normal`));
    expect(mutations(from)).toHaveLength(0);
  });
});

describe("an instance that breaks after the cloud accepted a change", () => {
  it("ends the InstanceSSL wait at once with a partial failure the engine can store", async () => {
    emu.setFaults(breakAfter("ModifyInstanceSSL", "r-term-ssl", "Error"));
    const inputs = { __provider: P, instanceId: "r-term-ssl", enabled: true, leaveOnDestroy: false };
    const { error, ms } = await timed(ssl.create(inputs as InstanceSSLInputs));
    expect(ms).toBeLessThan(QUICK_MS);
    const failure = error as PartialFailure;
    expect(failure.id).toBe("r-term-ssl");
    expect(failure.message).toContain(
      "instance r-term-ssl is Error, which does not turn into Normal by waiting",
    );
    expect(failure.properties).toMatchObject({ instanceId: "r-term-ssl", __provider: P });
    expectStructSafe(failure.properties);
  });

  it("ends the TairDirectConnection wait at once with a partial failure the engine can store", async () => {
    emu.setFaults(breakAfter("AllocateDirectConnection", "r-term-direct", "Inactive"));
    const { error, ms } = await timed(
      direct.create({ __provider: P, instanceId: "r-term-direct" } as TairDirectConnectionInputs),
    );
    expect(ms).toBeLessThan(QUICK_MS);
    const failure = error as PartialFailure;
    expect(failure.id).toBe("r-term-direct");
    expect(failure.message).toMatch(/is Inactive, which does not turn into Normal by waiting: .*renew it/);
    expectStructSafe(failure.properties);
  });
});

describe("delete on a released instance", () => {
  it("succeeds at once for both resources: nothing is left to undo", async () => {
    const created = await direct.create({
      __provider: P,
      instanceId: "r-term-gone",
    } as TairDirectConnectionInputs);
    ali.setBusy("r-term-gone", "Released", 3_600_000);
    const start = Date.now();
    await direct.delete!("r-term-gone", created.outs!);
    await ssl.delete!("r-term-gone", {
      __provider: P,
      instanceId: "r-term-gone",
      enabled: true,
      leaveOnDestroy: false,
      sslEnabled: true,
    } as never);
    expect(Date.now() - start).toBeLessThan(QUICK_MS);
  });
});
