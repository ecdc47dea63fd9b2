/**
 * `createOrAdopt` (provider/kakaocloud/adopt.ts) against a scripted fake client: a same-name cluster
 * is refused (whoever left it: nothing outside the state is evidence) or adopted on `adopt: true`,
 * and the create retries after an ambiguous failure (the waits between them are mocked out and
 * recorded).
 */
import { CloudError, StateError } from "../../../provider/core/errors";
import { sleep } from "../../../provider/core/http";
import { logProgress } from "../../../provider/core/log";
import { createOrAdopt, type CreateSpec } from "../../../provider/kakaocloud/adopt";
import type { ApiCluster } from "../../../provider/kakaocloud/client";
import { rejection } from "../../helpers/errors";
import { fakeKakao } from "./fake-kakao-adopt";

jest.mock("../../../provider/core/http", () => ({
  ...jest.requireActual("../../../provider/core/http"),
  sleep: jest.fn(async () => undefined),
}));
jest.mock("../../../provider/core/log", () => ({
  ...jest.requireActual("../../../provider/core/log"),
  logProgress: jest.fn(),
}));

const sleepMock = sleep as jest.MockedFunction<typeof sleep>;
const logMock = logProgress as jest.MockedFunction<typeof logProgress>;

beforeEach(() => {
  sleepMock.mockClear();
  logMock.mockClear();
});

const spec: CreateSpec = {
  name: "adopt-test",
  version: "7.2.6",
  port: 6379,
  shardCount: 2,
  nodeCountPerShard: 2,
  flavorId: "flavor-1",
};
const body = { name: "adopt-test", port: 6379 };

/** A listed cluster of the spec's name and shape. */
const listed = (id: string, over: Partial<ApiCluster> = {}): ApiCluster => ({
  id,
  name: spec.name,
  status: "Running",
  version: spec.version,
  port: spec.port,
  shardCount: spec.shardCount,
  nodeCountPerShard: spec.nodeCountPerShard,
  flavorId: spec.flavorId,
  ...over,
});

const cloudError = (httpStatus: number, retryable: boolean, code = "Err") =>
  new CloudError({ cloud: "kakaocloud", code, message: `status ${httpStatus}`, httpStatus, retryable });
const busy = () => cloudError(503, true, "ServiceUnavailable");

describe("a same-name cluster", () => {
  it("is refused without evidence or adopt: true, with what to do", async () => {
    const fake = fakeKakao([[listed("c-other", { name: "unrelated" }), listed("c-1")]]);
    const err = await rejection(createOrAdopt(fake.client, spec, body));
    expect(err).toBeInstanceOf(StateError);
    expect((err as StateError).code).toBe("Conflict");
    expect(err.message).toContain(`a KakaoCloud cluster named "adopt-test" already exists (id c-1)`);
    expect(err.message).toContain("nothing shows that this stack created it");
    expect(err.message).toContain("before its id reached the stack's state");
    expect(err.message).toContain("set `adopt: true` on the resource: this stack then manages it");
    expect(err.message).toMatch(/and its `pulumi destroy` deletes it\.$/);
    expect(fake.createBodies).toEqual([]);
  });

  it("is adopted on adopt: true, and says so", async () => {
    const fake = fakeKakao([[listed("c-1")]]);
    const created = await createOrAdopt(fake.client, { ...spec, adopt: true }, body);
    expect(created).toEqual({ id: "c-1", adopted: true });
    expect(logMock).toHaveBeenCalledWith(
      `adopting the existing cluster "adopt-test" (c-1) as asked (adopt: true)`,
    );
    expect(fake.createBodies).toEqual([]);
  });

  it("is adopted when the listing leaves the compared fields out", async () => {
    const fake = fakeKakao([[{ id: "c-1", name: spec.name }]]);
    const created = await createOrAdopt(fake.client, { ...spec, adopt: true }, body);
    expect(created.id).toBe("c-1");
    expect(created.adopted).toBe(true);
  });

  it("of another shape is refused even on adopt: true, naming every field that differs", async () => {
    const fake = fakeKakao([[listed("c-1", { version: "6.2.14", port: 6380 })]]);
    const err = await rejection(createOrAdopt(fake.client, { ...spec, adopt: true }, body));
    expect(err).toBeInstanceOf(StateError);
    expect(err.message).toBe(
      `a KakaoCloud cluster named "adopt-test" already exists (id c-1) with a different version, port; ` +
        `choose another name for this cluster`,
    );
    expect(fake.createBodies).toEqual([]);
  });

  it("is refused whatever run of this stack left it: only the state is evidence", async () => {
    const fake = fakeKakao([[listed("c-1")]]);
    const err = await rejection(createOrAdopt(fake.client, spec, body));
    expect(err.message).toContain("nothing shows that this stack created it");
    expect(fake.createBodies).toEqual([]);
  });
});

describe("a create", () => {
  it("sends the request once and answers with the new id", async () => {
    const fake = fakeKakao([[listed("c-other", { name: "unrelated" })]], [{ id: "c-new" }]);
    const created = await createOrAdopt(fake.client, spec, body);
    expect(created).toEqual({ id: "c-new", adopted: false });
    expect(fake.createBodies).toEqual([body]);
  });
});

describe("a create that fails", () => {
  it("with a refusal (4xx) throws it at once", async () => {
    const refused = cloudError(400, false, "BadRequest");
    const fake = fakeKakao([[]], [{ error: refused }, { id: "c-new" }]);
    await expect(createOrAdopt(fake.client, spec, body)).rejects.toBe(refused);
    expect(fake.createBodies).toHaveLength(1);
    expect(fake.listCalls).toBe(1);
  });

  it("with a name conflict on the first request throws it, even if the name appears", async () => {
    const conflict = cloudError(409, false, "Conflict");
    const fake = fakeKakao([[], [listed("c-x")]], [{ error: conflict }, { id: "c-new" }]);
    await expect(createOrAdopt(fake.client, spec, body)).rejects.toBe(conflict);
    expect(fake.listCalls).toBe(1);
  });

  it("with an error that is not the cloud's throws it without looking again", async () => {
    const odd = new Error("socket hang up");
    const fake = fakeKakao([[]], [{ error: odd }]);
    await expect(createOrAdopt(fake.client, spec, body)).rejects.toBe(odd);
    expect(fake.listCalls).toBe(1);
  });

  it("with a non-retryable 500 throws it", async () => {
    const server = cloudError(500, false, "InternalError");
    const fake = fakeKakao([[]], [{ error: server }]);
    await expect(createOrAdopt(fake.client, spec, body)).rejects.toBe(server);
    expect(fake.listCalls).toBe(1);
  });

  it("ambiguously, then listed under the name: that cluster is the request's", async () => {
    const fake = fakeKakao([[], [listed("c-made")]], [{ error: busy() }, { id: "c-twice" }]);
    const created = await createOrAdopt(fake.client, spec, body);
    expect(created.id).toBe("c-made");
    expect(created.adopted).toBe(false);
    expect(fake.createBodies).toHaveLength(1);
    expect(fake.listCalls).toBe(2);
    expect(sleepMock).not.toHaveBeenCalled();
  });

  it("ambiguously, then listed with another shape: refused as a mismatch", async () => {
    const fake = fakeKakao([[], [listed("c-made", { flavorId: "flavor-2" })]], [{ error: busy() }]);
    const err = await rejection(createOrAdopt(fake.client, spec, body));
    expect(err).toBeInstanceOf(StateError);
    expect(err.message).toContain("(id c-made) with a different flavorId;");
  });

  it("ambiguously and not listed: sent again after a wait, and says so", async () => {
    const first = busy();
    const fake = fakeKakao([[]], [{ error: first }, { id: "c-new" }]);
    const created = await createOrAdopt(fake.client, spec, body);
    expect(created.id).toBe("c-new");
    expect(fake.createBodies).toEqual([body, body]);
    expect(sleepMock.mock.calls).toEqual([[500]]);
    expect(logMock).toHaveBeenCalledWith(
      `creating cluster "adopt-test": ${first.message}; not created, sending it again`,
    );
  });

  it("ambiguously four times: gives up with the last error, waiting longer each time", async () => {
    const errors = [busy(), busy(), busy(), busy()];
    const fake = fakeKakao([[]], [...errors.map((error) => ({ error })), { id: "c-late" }]);
    await expect(createOrAdopt(fake.client, spec, body)).rejects.toBe(errors[3]);
    expect(fake.createBodies).toHaveLength(4);
    expect(sleepMock.mock.calls).toEqual([[500], [1000], [1500]]);
  });

  it("ambiguously, then as a name conflict: the cluster listed is the first request's", async () => {
    const conflict = cloudError(409, false, "Conflict");
    const fake = fakeKakao([[], [], [listed("c-made")]], [{ error: busy() }, { error: conflict }]);
    const created = await createOrAdopt(fake.client, spec, body);
    expect(created.id).toBe("c-made");
    expect(fake.createBodies).toHaveLength(2);
  });

  it("ambiguously, then as a name conflict not listed: throws the conflict", async () => {
    const conflict = cloudError(409, false, "Conflict");
    const fake = fakeKakao([[]], [{ error: busy() }, { error: conflict }, { id: "c-new" }]);
    await expect(createOrAdopt(fake.client, spec, body)).rejects.toBe(conflict);
    expect(fake.createBodies).toHaveLength(2);
    expect(fake.listCalls).toBe(3);
  });

  it("ambiguously, then refused: throws the refusal", async () => {
    const refused = cloudError(400, false, "BadRequest");
    const fake = fakeKakao(
      [[], [], [listed("c-x")]],
      [{ error: busy() }, { error: refused }, { id: "c-new" }],
    );
    await expect(createOrAdopt(fake.client, spec, body)).rejects.toBe(refused);
    expect(fake.createBodies).toHaveLength(2);
    expect(fake.listCalls).toBe(2);
  });
});
