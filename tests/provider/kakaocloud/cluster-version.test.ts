/**
 * `KakaoRedisCluster.version` against the emulator over loopback: `check()` judges the form only
 * (major.minor.patch), `create` judges it against the versions the cloud lists
 * (`GET /v1/redis/versions`), refusing with that list, and falls back to the API document's five
 * (said in a progress line) when the list cannot be asked. In both profiles, 7.2.11 — listed by
 * the API, not by the document — is created end to end.
 */
import type { Emulator } from "../../../emulator";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { CloudError, InputError } from "../../../provider/core/errors";
import { UNKNOWN } from "../../../provider/core/validation";
import { provider } from "../../../provider/kakaocloud/cluster";
import { clusterInputs, upCluster, withOuts } from "../../helpers/kakao";
import { mutations, startTestEmulator } from "../../helpers/emulator";
import { progressLines } from "../../helpers/stderr";

const PUBLISHED = "7.2.11, 7.2.6, 7.0.15, 6.2.20, 6.2.16, 6.2.5, 5.0.6";
const DOCUMENT = "7.2.6, 7.0.15, 6.2.16, 6.2.5, 5.0.6";

const failuresOf = async (inputs: unknown) =>
  (await provider.check!({} as never, inputs as never)).failures ?? [];

describe("check: the form of the version, at preview", () => {
  it("accepts any major.minor.patch, listed by the document or not, and a value unknown at preview", async () => {
    for (const version of ["7.2.11", "6.2.20", "7.2.6", "8.0.1"]) {
      expect(await failuresOf(clusterInputs({ version }))).toEqual([]);
    }
    expect(await failuresOf(clusterInputs({ version: UNKNOWN as never }))).toEqual([]);
  });

  it.each([["7.2"], ["7.2.x"], ["v7.2.11"], ["7.2.11 "], [""]])("refuses %j at version", async (version) => {
    expect(await failuresOf(clusterInputs({ version }))).toEqual([
      {
        property: "version",
        reason: expect.stringContaining("must be major.minor.patch, such as 7.2.11"),
      },
    ]);
  });

  it("refuses a version left out or not a string", async () => {
    const { version: _v, ...without } = clusterInputs();
    expect(await failuresOf(without)).toEqual([
      { property: "version", reason: expect.stringContaining("is required: a Redis version such as 7.2.11") },
    ]);
    expect((await failuresOf(clusterInputs({ version: 7.2 as never })))[0].property).toBe("version");
  });
});

describe.each(["documented", "realistic"] as const)("create, %s profile", (profile) => {
  let emu: Emulator;
  let kakao: KakaocloudModule;
  const progress = progressLines();

  beforeAll(async () => {
    emu = await startTestEmulator({ profile, seed: 5, kakaocloud: { settleMs: { default: 150 } } });
    kakao = emu.clouds.kakaocloud as KakaocloudModule;
  });
  afterAll(() => emu.stop());
  afterEach(() => kakao.catalog("versions", "list"));

  it("creates a cluster of 7.2.11, a version the API lists and the document did not", async () => {
    const created = await upCluster(clusterInputs({ name: `v7211-${profile}`, version: "7.2.11" }));
    expect(created.outs.version).toBe("7.2.11");
    expect(kakao.snapshot().clusters.find((c) => c.id === created.id)).toMatchObject({ version: "7.2.11" });
    const read = await provider.read!(created.id, created.outs);
    expect(read.props).toMatchObject({ version: "7.2.11", status: "Running" });
    await provider.delete!(created.id, created.outs);
    expect(progress.filter((l) => l.includes("could not be listed"))).toEqual([]);
  });

  it("refuses a well-formed version the cloud does not list, with the list, before any mutation", async () => {
    const before = mutations(emu).length;
    const err = await provider
      .create(clusterInputs({ name: "v740", version: "7.4.0" }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(
      `KakaoRedisCluster: version 7.4.0 is not offered: KakaoCloud offers ${PUBLISHED}`,
    );
    expect(mutations(emu)).toHaveLength(before);
  });

  it("falls back to the document's five when the versions API answers 404, and says so", async () => {
    kakao.catalog("versions", { status: 404 });
    const before = mutations(emu).length;
    const refused = provider.create(clusterInputs({ name: "fallback-new", version: "7.2.11" }));
    await expect(refused).rejects.toThrow(
      `version 7.2.11 is not offered: the API document lists ${DOCUMENT}`,
    );
    expect(mutations(emu)).toHaveLength(before);
    expect(progress).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^the Redis versions could not be listed \\(kakaocloud GET /v1/redis/versions: NotFound: .*HTTP 404.*\\); ` +
            `checking version 7.2.11 against the API document's: ${DOCUMENT}$`,
        ),
      ),
    );
    const created = withOuts(
      await provider.create(clusterInputs({ name: "fallback-doc", version: "7.0.15" })),
    );
    expect(created.outs.version).toBe("7.0.15");
    await provider.delete!(created.id, created.outs);
  });

  it("falls back when the versions API lists nothing", async () => {
    kakao.catalog("versions", "empty");
    await expect(provider.create(clusterInputs({ name: "empty", version: "6.2.20" }))).rejects.toThrow(
      `the API document lists ${DOCUMENT}`,
    );
    expect(progress).toContainEqual(expect.stringContaining("KakaoCloud listed no Redis versions"));
  });

  it("does not fall back on an answer that says the credentials cannot list (403)", async () => {
    kakao.catalog("versions", { status: 403, code: "Forbidden", message: "no permission" });
    const err = await provider
      .create(clusterInputs({ name: "forbidden", version: "7.2.6" }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ httpStatus: 403, operation: "GET /v1/redis/versions" });
    expect(progress).toEqual([]);
  });
});

describe("create when the versions API fails with 503 on every retry", () => {
  let emu: Emulator;
  const progress = progressLines();
  beforeAll(async () => {
    emu = await startTestEmulator({
      kakaocloud: { settleMs: { default: 100 }, catalog: { versions: { status: 503 } } },
    });
  });
  afterAll(() => emu.stop());

  it("falls back to the document's five after the retries, and says so", async () => {
    const created = await upCluster(clusterInputs({ name: "after-503", version: "6.2.16" }));
    expect(created.outs.version).toBe("6.2.16");
    expect(emu.requests.filter((r) => r.op === "listVersions").length).toBe(6); // the first try and 5 retries
    expect(progress).toContainEqual(expect.stringMatching(/could not be listed \(.*InternalError.*HTTP 503/));
    await provider.delete!(created.id, created.outs);
  }, 60_000);
});
