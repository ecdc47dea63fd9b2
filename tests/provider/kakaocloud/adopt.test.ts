/**
 * `createOrAdopt` and `finishCreate` (provider/kakaocloud/adopt.ts) against a scripted fake client
 * and a temporary pending-additions journal: when a same-name cluster is refused, adopted with the
 * journal's evidence or on `adopt: true`, the journal entry a create writes and removes, and the
 * create retries after an ambiguous failure (the waits between them are mocked out and recorded).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CloudError, StateError } from "../../../provider/core/errors";
import { sleep } from "../../../provider/core/http";
import { journalKey, recordEntry, type JournalRecord } from "../../../provider/core/journal";
import { logProgress } from "../../../provider/core/log";
import { createOrAdopt, type CreateSpec, finishCreate } from "../../../provider/kakaocloud/adopt";
import type { ApiCluster } from "../../../provider/kakaocloud/client";
import { TYPE_TOKENS } from "../../../provider/tokens";
import { rejection } from "../../helpers/errors";
import { FAKE_ENDPOINT, fakeKakao } from "./fake-kakao-adopt";

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

const ENV = "PULUMI_MANAGED_REDIS_JOURNAL_DIR";
const savedDir = process.env[ENV];
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kakao-adopt-test-"));
  process.env[ENV] = dir;
  sleepMock.mockClear();
  logMock.mockClear();
});
afterEach(() => {
  if (savedDir === undefined) delete process.env[ENV];
  else process.env[ENV] = savedDir;
  fs.rmSync(dir, { recursive: true, force: true });
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
const KEY = journalKey(TYPE_TOKENS.KakaoRedisCluster, { endpoint: FAKE_ENDPOINT, name: spec.name });

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

/** An entry as an earlier (interrupted) run of this stack leaves it. */
const interrupted = (addedId?: string): JournalRecord => {
  const rec = recordEntry({ kind: "cluster", key: KEY, clusterId: spec.name, before: [], addedId });
  if (!rec) throw new Error("test journal not writable");
  return rec;
};

/** The journal's entries (file contents), by file name. */
const journal = (): Record<string, unknown>[] =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Record<string, unknown>);

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
    expect(err.message).toContain(`pending-additions journal at ${dir})`);
    expect(err.message).toContain("set `adopt: true` on the resource: this stack then manages it");
    expect(err.message).toMatch(/and its `pulumi destroy` deletes it\.$/);
    expect(fake.createBodies).toEqual([]);
  });

  it("is adopted on adopt: true, and says so", async () => {
    const fake = fakeKakao([[listed("c-1")]]);
    const created = await createOrAdopt(fake.client, { ...spec, adopt: true }, body);
    expect(created).toEqual({ id: "c-1", adopted: true, entry: undefined });
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

  it("is adopted from an interrupted run's entry that has no id yet", async () => {
    const evidence = interrupted();
    const fake = fakeKakao([[listed("c-1")]]);
    const created = await createOrAdopt(fake.client, spec, body);
    expect(created).toEqual({ id: "c-1", adopted: true, entry: evidence });
    expect(logMock).toHaveBeenCalledWith(
      `adopting cluster "adopt-test" (c-1), created by an earlier run of this stack that was interrupted`,
    );
    expect(fake.createBodies).toEqual([]);
  });

  it("is adopted from an interrupted run's entry that recorded its id", async () => {
    const evidence = interrupted("c-1");
    const created = await createOrAdopt(fakeKakao([[listed("c-1")]]).client, spec, body);
    expect(created).toEqual({ id: "c-1", adopted: true, entry: evidence });
  });

  it("is refused when the interrupted run's entry recorded another cluster's id", async () => {
    interrupted("c-gone");
    const err = await rejection(createOrAdopt(fakeKakao([[listed("c-1")]]).client, spec, body));
    expect(err.message).toContain("nothing shows that this stack created it");
  });

  it("is refused when the entry belongs to a run that is still going", async () => {
    const entry = {
      kind: "cluster",
      key: KEY,
      clusterId: spec.name,
      before: [],
      createdAt: new Date().toISOString(),
      owner: { host: os.hostname(), pid: process.ppid },
    };
    fs.writeFileSync(path.join(dir, `cluster-${KEY}-live.json`), JSON.stringify(entry));
    const err = await rejection(createOrAdopt(fakeKakao([[listed("c-1")]]).client, spec, body));
    expect(err.message).toContain("nothing shows that this stack created it");
  });
});

describe("a create", () => {
  it("records a journal entry before the request, and the id after it", async () => {
    const fake = fakeKakao([[listed("c-other", { name: "unrelated" })]], [{ id: "c-new" }]);
    const created = await createOrAdopt(fake.client, spec, body);
    expect(created.id).toBe("c-new");
    expect(created.adopted).toBe(false);
    expect(created.entry?.entry).toMatchObject({ addedId: "c-new", kind: "cluster", key: KEY });
    expect(fake.createBodies).toEqual([body]);
    expect(journal()).toEqual([
      expect.objectContaining({
        kind: "cluster",
        key: KEY,
        clusterId: "adopt-test",
        before: [],
        addedId: "c-new",
      }),
    ]);
    expect(fs.readFileSync(created.entry!.file, "utf8")).toContain('"addedId": "c-new"');
  });

  it("removes the entries of interrupted runs whose cluster never appeared", async () => {
    const stale = interrupted();
    const created = await createOrAdopt(fakeKakao([[]], [{ id: "c-new" }]).client, spec, body);
    expect(fs.existsSync(stale.file)).toBe(false);
    expect(journal()).toHaveLength(1);
    expect(created.entry?.file).not.toBe(stale.file);
  });

  it("goes on without an entry when the journal cannot be written", async () => {
    const file = path.join(dir, "a-file");
    fs.writeFileSync(file, "");
    process.env[ENV] = path.join(file, "journal");
    const created = await createOrAdopt(fakeKakao([[]], [{ id: "c-new" }]).client, spec, body);
    expect(created).toEqual({ id: "c-new", adopted: false, entry: undefined });
  });

  it("finishCreate removes the entry once the id is in the state, and takes nothing", async () => {
    const created = await createOrAdopt(fakeKakao([[]], [{ id: "c-new" }]).client, spec, body);
    expect(journal()).toHaveLength(1);
    finishCreate(created);
    expect(journal()).toHaveLength(0);
    expect(() => finishCreate(undefined)).not.toThrow();
    expect(() => finishCreate({})).not.toThrow();
  });
});

describe("a create that fails", () => {
  it("with a refusal (4xx) throws it at once and removes the entry", async () => {
    const refused = cloudError(400, false, "BadRequest");
    const fake = fakeKakao([[]], [{ error: refused }, { id: "c-new" }]);
    await expect(createOrAdopt(fake.client, spec, body)).rejects.toBe(refused);
    expect(fake.createBodies).toHaveLength(1);
    expect(fake.listCalls).toBe(1);
    expect(journal()).toEqual([]);
  });

  it("with a name conflict on the first request throws it, even if the name appears", async () => {
    const conflict = cloudError(409, false, "Conflict");
    const fake = fakeKakao([[], [listed("c-x")]], [{ error: conflict }, { id: "c-new" }]);
    await expect(createOrAdopt(fake.client, spec, body)).rejects.toBe(conflict);
    expect(fake.listCalls).toBe(1);
    expect(journal()).toEqual([]);
  });

  it("with an error that is not the cloud's keeps the entry (the request may have landed)", async () => {
    const odd = new Error("socket hang up");
    const fake = fakeKakao([[]], [{ error: odd }]);
    await expect(createOrAdopt(fake.client, spec, body)).rejects.toBe(odd);
    expect(fake.listCalls).toBe(1);
    expect(journal()).toHaveLength(1);
  });

  it("with a non-retryable 500 keeps the entry", async () => {
    const server = cloudError(500, false, "InternalError");
    const fake = fakeKakao([[]], [{ error: server }]);
    await expect(createOrAdopt(fake.client, spec, body)).rejects.toBe(server);
    expect(fake.listCalls).toBe(1);
    expect(journal()).toHaveLength(1);
  });

  it("ambiguously, then listed under the name: that cluster is the request's", async () => {
    const fake = fakeKakao([[], [listed("c-made")]], [{ error: busy() }, { id: "c-twice" }]);
    const created = await createOrAdopt(fake.client, spec, body);
    expect(created.id).toBe("c-made");
    expect(created.adopted).toBe(false);
    expect(created.entry?.entry.addedId).toBe("c-made");
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
    expect(journal()).toHaveLength(1);
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

  it("ambiguously, then refused: throws the refusal and removes the entry", async () => {
    const refused = cloudError(400, false, "BadRequest");
    const fake = fakeKakao(
      [[], [], [listed("c-x")]],
      [{ error: busy() }, { error: refused }, { id: "c-new" }],
    );
    await expect(createOrAdopt(fake.client, spec, body)).rejects.toBe(refused);
    expect(fake.createBodies).toHaveLength(2);
    expect(fake.listCalls).toBe(2);
    expect(journal()).toEqual([]);
  });
});
