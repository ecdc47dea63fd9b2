/**
 * The KakaoCloud catalog lookups (provider/kakaocloud/lookups.ts) against the emulator over
 * loopback, in both profiles (the realistic one lists the catalog in a shuffled order): versions
 * newest first and the newest of a line by numeric comparison, flavors by name or by size, unknown
 * names listing what exists, an error or an empty answer as a clear error, and the stack
 * configuration read as a program holds it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Emulator } from "../../../emulator";
import type { KakaocloudModule } from "../../../emulator/kakaocloud";
import { CloudError, InputError } from "../../../provider/core/errors";
import {
  getKakaoFlavor,
  getKakaoFlavors,
  getKakaoRedisVersion,
  getKakaoRedisVersions,
} from "../../../provider";
import { DEMO_ENV, startTestEmulator } from "../../helpers/emulator";

const PUBLISHED = ["7.2.11", "7.2.6", "7.0.15", "6.2.20", "6.2.16", "6.2.5", "5.0.6"];
const M2A_LARGE = "3830ebad-ea2f-4822-8a7d-9e301c86a58d";

describe.each(["documented", "realistic"] as const)("the %s profile", (profile) => {
  let emu: Emulator;
  let kakao: KakaocloudModule;

  beforeAll(async () => {
    emu = await startTestEmulator({ profile, seed: 3 });
    kakao = emu.clouds.kakaocloud as KakaocloudModule;
  });
  afterAll(() => emu.stop());
  afterEach(() => {
    kakao.catalog("versions", "list");
    kakao.catalog("flavors", "list");
  });

  it("lists the versions KakaoCloud publishes, newest first", async () => {
    expect(await getKakaoRedisVersions()).toEqual(PUBLISHED);
  });

  it("picks the newest version of a line, and refuses a line it does not offer with the list", async () => {
    expect(await getKakaoRedisVersion({ line: "7.2" })).toBe("7.2.11");
    expect(await getKakaoRedisVersion({ line: "6.2" })).toBe("6.2.20");
    expect(await getKakaoRedisVersion({ line: "5.0" })).toBe("5.0.6");
    const none = getKakaoRedisVersion({ line: "7.4" });
    await expect(none).rejects.toThrow(InputError);
    await expect(none).rejects.toThrow(
      `KakaoCloud offers no Redis 7.4 version; it offers ${PUBLISHED.join(", ")}`,
    );
    await expect(getKakaoRedisVersion({ line: "7" })).rejects.toThrow(
      'line must be major.minor, such as "7.2"',
    );
  });

  it("lists the flavors with their memory in GiB", async () => {
    const flavors = await getKakaoFlavors();
    expect(flavors.map((f) => f.name).sort()).toEqual(["m2a.large", "m2a.xlarge", "r2a.large", "r2a.xlarge"]);
    expect(flavors.find((f) => f.name === "m2a.large")).toEqual({
      id: M2A_LARGE,
      name: "m2a.large",
      vcpus: 2,
      memory: 8,
      memoryGiB: 8,
    });
  });

  it("finds a flavor by exact name, and lists the flavors when none has that name", async () => {
    expect((await getKakaoFlavor({ name: "m2a.large" })).id).toBe(M2A_LARGE);
    const wrong = getKakaoFlavor({ name: "M2A.large" });
    await expect(wrong).rejects.toThrow(InputError);
    await expect(wrong).rejects.toThrow(
      /^no flavor is named "M2A.large"; KakaoCloud offers .*m2a\.large \(2 vCPU, 8 GiB\)/,
    );
    await expect(wrong).rejects.toThrow("r2a.xlarge (4 vCPU, 32 GiB)");
  });

  it("finds the smallest flavor with at least the vCPUs and memory asked for", async () => {
    // m2a.xlarge (4 vCPU, 16 GiB) and r2a.large (2 vCPU, 16 GiB) both fit: the fewer vCPUs win.
    expect((await getKakaoFlavor({ minVcpus: 2, minMemoryGiB: 10 })).name).toBe("r2a.large");
    expect((await getKakaoFlavor({ minVcpus: 4 })).name).toBe("m2a.xlarge");
    expect((await getKakaoFlavor({ minMemoryGiB: 17 })).name).toBe("r2a.xlarge");
    expect((await getKakaoFlavor({ minMemoryGiB: 0 })).name).toBe("m2a.large");
    await expect(getKakaoFlavor({ minVcpus: 8, minMemoryGiB: 16 })).rejects.toThrow(
      /^no flavor has at least 8 vCPU and 16 GiB; KakaoCloud offers /,
    );
  });

  it("refuses a malformed query before asking the API", async () => {
    const before = emu.requests.length;
    await expect(getKakaoFlavor({} as never)).rejects.toThrow("give a flavor name, or minVcpus");
    await expect(getKakaoFlavor({ minVcpus: -1 })).rejects.toThrow(InputError);
    await expect(getKakaoFlavor({ name: "m2a.large", minVcpus: 2 } as never)).rejects.toThrow("given alone");
    expect(emu.requests.length).toBe(before);
  });

  it("answers an empty list with a clear error, never a default", async () => {
    kakao.catalog("versions", "empty");
    kakao.catalog("flavors", "empty");
    for (const lookup of [
      () => getKakaoRedisVersions(),
      () => getKakaoRedisVersion({ line: "7.2" }),
      () => getKakaoFlavors(),
      () => getKakaoFlavor({ name: "m2a.large" }),
    ]) {
      const err = await lookup().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CloudError);
      expect(err).toMatchObject({ code: "EmptyList" });
      expect((err as Error).message).toMatch(
        /KakaoCloud listed no Redis (versions|flavors); check the region/,
      );
    }
  });

  it("answers an API error with the API's code, status and operation", async () => {
    kakao.catalog("flavors", { status: 403, code: "Forbidden", message: "not allowed in this project" });
    const err = await getKakaoFlavor({ name: "m2a.large" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ code: "Forbidden", httpStatus: 403, operation: "GET /v1/redis/flavors" });
    expect((err as Error).message).toContain("not allowed in this project");
  });
});

describe("a catalog of its own", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startTestEmulator({
      kakaocloud: {
        // A string comparison would call 7.2.9 the newest; the flavors report memory in MiB.
        versions: ["7.2.9", "7.2.10", "6.2.5"],
        flavors: [
          { id: "f-small", name: "s.small", vcpus: 1, memory: 512 },
          { id: "f-big", name: "s.big", vcpus: 2, memory: 4096 },
        ],
      },
    });
  });
  afterAll(() => emu.stop());

  it("compares versions as numbers", async () => {
    expect(await getKakaoRedisVersion({ line: "7.2" })).toBe("7.2.10");
    expect(await getKakaoRedisVersions()).toEqual(["7.2.10", "7.2.9", "6.2.5"]);
  });

  it("reads a list whose largest memory is 1024 or more as MiB", async () => {
    expect(await getKakaoFlavors()).toEqual([
      { id: "f-small", name: "s.small", vcpus: 1, memory: 512, memoryGiB: 0.5 },
      { id: "f-big", name: "s.big", vcpus: 2, memory: 4096, memoryGiB: 4 },
    ]);
    expect((await getKakaoFlavor({ minMemoryGiB: 1 })).id).toBe("f-big");
  });

  it("reads the stack configuration as the program holds it, before the environment", async () => {
    // The environment points nowhere; the program's stack configuration (managed-redis:*) at the emulator.
    const saved = process.env.KAKAOCLOUD_REDIS_ENDPOINT;
    process.env.KAKAOCLOUD_REDIS_ENDPOINT = "http://127.0.0.1:9/nowhere";
    pulumi.runtime.setAllConfig(
      {
        "managed-redis:kakaoEndpoint": emu.endpoints.kakaocloud,
        "managed-redis:kakaoApplicationCredentialSecret": DEMO_ENV.KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET,
      },
      ["managed-redis:kakaoApplicationCredentialSecret"],
    );
    try {
      expect(await getKakaoRedisVersion({ line: "7.2" })).toBe("7.2.10");
    } finally {
      pulumi.runtime.setAllConfig({});
      process.env.KAKAOCLOUD_REDIS_ENDPOINT = saved;
    }
  });
});
