/**
 * `addMember()` when discovery cannot tell which member the call added: the error names what the
 * user must clean up and never points to `pulumi import` (dynamic resources cannot be imported).
 */
import type { Emulator } from "../../../emulator";
import { StateError } from "../../../provider/core/errors";
import { kakaoClient } from "../../../provider/kakaocloud/client";
import { provider as clusterProvider } from "../../../provider/kakaocloud/cluster";
import { addMember } from "../../../provider/kakaocloud/members";
import { startTestEmulator } from "../../helpers/emulator";
import { rejection } from "../../helpers/errors";
import { clusterInputs } from "../../helpers/kakao";
import { FastClock } from "../../helpers/time";

let emu: Emulator;
let clusterId: string;

beforeAll(async () => {
  emu = await startTestEmulator({ kakaocloud: { settleMs: { default: 100 } } });
  clusterId = (await clusterProvider.create(clusterInputs({ name: "members" }))).id;
});
afterAll(async () => {
  await emu.stop();
});

/** A member list that shows `after` once `send` ran, and no member before. */
function listing(after: { id: string; status?: string }[]) {
  let sent = false;
  return {
    list: async () => (sent ? after : []),
    send: async () => {
      sent = true;
    },
  };
}

const base = () => ({
  kind: "shard" as const,
  client: kakaoClient(),
  clusterId,
  what: `a shard to cluster ${clusterId}`,
  memberKey: (id: string) => `${clusterId}/${id}`,
});

it("two new members: names both, says the state has neither, and never suggests pulumi import", async () => {
  const err = await rejection(
    addMember({
      ...base(),
      wait: { timeoutMs: 10_000 },
      ...listing([{ id: "004" }, { id: "005" }]),
    }),
  );
  expect(err.message).toBe(
    `added a shard to cluster ${clusterId} but found 2 new shards; another client changed the cluster at the ` +
      `same time (new: 004, 005). None of them is in this stack's state: delete the one this stack added ` +
      "before the next `pulumi up`, which adds another",
  );
  expect(err).toBeInstanceOf(StateError);
  expect(err).toMatchObject({ code: "Conflict" });
});

it("no new member within the wait: says so, and what to do if one shows later", async () => {
  const err = await rejection(addMember({ ...base(), wait: { timeoutMs: 1_000 }, ...listing([]) }));
  expect(err.message).toBe(
    `added a shard to cluster ${clusterId} but found 0 new shards; the API accepted the call but listed no ` +
      "new shard within the operation's timeout (1 s after the call). If one shows later it is not in this stack's state: delete it before the next " +
      "`pulumi up`, which adds another",
  );
  expect(err.message).not.toMatch(/import/);
  expect(err).toMatchObject({ name: "StateError", code: "Conflict" });
});

it("waits for the new member as long as the operation's timeout allows, not a fixed time", async () => {
  // The member shows 40 s after the call (longer than the 30 s the provider used to allow).
  let shownAt = Infinity;
  const clock = new FastClock(100);
  try {
    const added = await addMember({
      ...base(),
      wait: { timeoutMs: 3_600_000 },
      list: async () => (Date.now() >= shownAt ? [{ id: "009", status: "Creating" }] : []),
      send: async () => {
        shownAt = Date.now() + 40_000;
      },
    });
    expect(added.id).toBe("009");
    expect(Date.now()).toBeGreaterThanOrEqual(shownAt);
  } finally {
    clock.restore();
  }
});
