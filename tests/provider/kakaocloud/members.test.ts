/**
 * `addMember()` when discovery cannot tell which member the call added: the error names what the
 * user must clean up and never points to `pulumi import` (dynamic resources cannot be imported).
 */
import type { Emulator } from "../../../emulator";
import { StateError } from "../../../provider/core/errors";
import { kakaoClient } from "../../../provider/kakaocloud/client";
import { provider as clusterProvider } from "../../../provider/kakaocloud/cluster";
import { addMember } from "../../../provider/kakaocloud/members";
import { takeMemberPending } from "../../../provider/kakaocloud/settle";
import { startTestEmulator } from "../../helpers/emulator";
import { rejection } from "../../helpers/errors";
import { clusterInputs } from "../../helpers/kakao";

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
      "new shard within 1 s. If one shows later it is not in this stack's state: delete it before the next " +
      "`pulumi up`, which adds another",
  );
  expect(err.message).not.toMatch(/import/);
  expect(err).toMatchObject({ name: "StateError", code: "Conflict" });
});

it("records a new member found not yet settled for step two, and nothing for one already Running", async () => {
  const before = Date.now();
  const added = await addMember({
    ...base(),
    wait: { timeoutMs: 10_000 },
    ...listing([{ id: "007", status: "Creating" }]),
  });
  expect(added.id).toBe("007");
  const at = takeMemberPending(`${clusterId}/007`);
  expect(at).toBeGreaterThanOrEqual(before);
  expect(at).toBeLessThanOrEqual(Date.now());

  await addMember({ ...base(), wait: { timeoutMs: 10_000 }, ...listing([{ id: "008", status: "Running" }]) });
  expect(takeMemberPending(`${clusterId}/008`)).toBeUndefined();
});
