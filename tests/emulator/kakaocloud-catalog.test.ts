/**
 * The KakaoCloud emulator's catalog over loopback, in both profiles: `GET /v1/redis/versions` (the
 * list KakaoCloud publishes today, 7.2.11 and 6.2.20 included) and `GET /v1/redis/flavors`; a
 * cluster of 7.2.11 is created; the catalog hook (option, module method, admin route) makes either
 * call answer an empty list or an error.
 */
import { type Emulator, startEmulator } from "../../emulator";
import type { KakaocloudModule } from "../../emulator/kakaocloud";
import { call, clusterBody, ctx, issue, running } from "./kakaocloud-helpers";

const PUBLISHED = ["7.2.11", "7.2.6", "7.0.15", "6.2.20", "6.2.16", "6.2.5", "5.0.6"];

describe.each(["documented", "realistic"] as const)("the %s profile", (profile) => {
  let emu: Emulator;
  let kakao: KakaocloudModule;

  beforeAll(async () => {
    emu = await startEmulator({ profile, seed: 11, kakaocloud: { settleMs: { default: 100 } } });
    kakao = emu.clouds.kakaocloud as KakaocloudModule;
    ctx.base = emu.endpoints.kakaocloud;
    ctx.iam = emu.endpoints.kakaocloudIam;
    ctx.token = (await issue()).token!;
  });
  afterAll(() => emu.stop());
  afterEach(() => {
    kakao.catalog("versions", "list");
    kakao.catalog("flavors", "list");
  });

  it("lists the published versions and the flavors (in an undocumented order when realistic)", async () => {
    const versions = await call("GET", "/v1/redis/versions");
    expect(versions.status).toBe(200);
    expect([...versions.body].sort()).toEqual([...PUBLISHED].sort());
    if (profile === "documented") expect(versions.body).toEqual(PUBLISHED);
    const flavors = await call("GET", "/v1/redis/flavors");
    expect(flavors.body.flavors.map((f: { name: string }) => f.name).sort()).toEqual([
      "m2a.large",
      "m2a.xlarge",
      "r2a.large",
      "r2a.xlarge",
    ]);
  });

  it("creates a cluster of 7.2.11", async () => {
    const r = await call("POST", "/v1/clusters", { ...clusterBody(`v7211-${profile}`), version: "7.2.11" });
    expect(r.status).toBe(201);
    const c = await running(r.body.objectId);
    expect(c.body.version).toBe("7.2.11");
  });

  it("answers an empty list or an error when told to, through the module or the admin route", async () => {
    kakao.catalog("versions", "empty");
    expect((await call("GET", "/v1/redis/versions")).body).toEqual([]);
    kakao.catalog("flavors", "empty");
    expect((await call("GET", "/v1/redis/flavors")).body).toEqual({ flavors: [] });
    kakao.catalog("versions", { status: 503 });
    const unavailable = await call("GET", "/v1/redis/versions");
    expect([unavailable.status, unavailable.body.code]).toEqual([503, "InternalError"]);
    const admin = await fetch(`${ctx.base}/_emulator/catalog`, {
      method: "POST",
      body: JSON.stringify({ kind: "flavors", answer: { status: 404 } }),
    });
    expect(admin.status).toBe(200);
    const missing = await call("GET", "/v1/redis/flavors");
    expect([missing.status, missing.body.code]).toEqual([404, "NotFound"]);
    // Creating a cluster still checks the versions and flavors, whatever the catalog answers.
    const r = await call("POST", "/v1/clusters", { ...clusterBody(`still-${profile}`), version: "7.2.11" });
    expect(r.status).toBe(201);
    kakao.catalog("versions", "list");
    expect((await call("GET", "/v1/redis/versions")).status).toBe(200);
  });

  it("refuses a malformed catalog answer", async () => {
    expect(() => kakao.catalog("zones" as never, "empty")).toThrow("kind must be versions or flavors");
    expect(() => kakao.catalog("versions", { status: 200 })).toThrow("{status >= 400}");
    const admin = await fetch(`${ctx.base}/_emulator/catalog`, {
      method: "POST",
      body: JSON.stringify({ kind: "versions", answer: "sometimes" }),
    });
    expect(admin.status).toBe(400);
  });
});

it("takes the catalog's answers as an option", async () => {
  const emu = await startEmulator({
    kakaocloud: { catalog: { flavors: "empty", versions: { status: 500 } } },
  });
  try {
    ctx.base = emu.endpoints.kakaocloud;
    ctx.iam = emu.endpoints.kakaocloudIam;
    ctx.token = (await issue()).token!;
    expect((await call("GET", "/v1/redis/flavors")).body).toEqual({ flavors: [] });
    expect((await call("GET", "/v1/redis/versions")).status).toBe(500);
  } finally {
    await emu.stop();
  }
});
