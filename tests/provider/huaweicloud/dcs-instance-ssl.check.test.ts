import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { setStackConfig } from "../../../provider/core/config";
import { InputError } from "../../../provider/core/errors";
import { UNKNOWN } from "../../../provider/core/validation";
import {
  type DcsInstanceSSLInputs,
  parseDcsSslId,
  provider,
} from "../../../provider/huaweicloud/dcs-instance-ssl";
import { DcsInstanceSSL } from "../../../provider/huaweicloud/dcs-instance-ssl.resource";
import { TYPE_TOKENS } from "../../../provider/tokens";
import { thrown } from "../../helpers/errors";

const ID = "5560df16-cebf-4473-95c4-d1b573c16e79";
const OTHER = "a4c545cd-10b2-4efc-b0ab-a9b554ca0621";
type Props = DcsInstanceSSLInputs & { __provider?: string };
const good = (extra: Record<string, unknown> = {}): Props =>
  ({
    __provider: "p",
    projectId: "demo-project",
    instanceId: ID,
    enabled: true,
    ...extra,
  }) as unknown as Props;

async function failures(news: Props) {
  const res = await provider.check!({} as Props, news);
  return res.failures ?? [];
}

const savedProject = process.env.HW_PROJECT_ID;
beforeEach(() => {
  delete process.env.HW_PROJECT_ID;
  setStackConfig(undefined);
});
afterAll(() => {
  if (savedProject === undefined) delete process.env.HW_PROJECT_ID;
  else process.env.HW_PROJECT_ID = savedProject;
});

describe("DcsInstanceSSL check()", () => {
  it("accepts good inputs and defaults leaveOnDestroy to false", async () => {
    const res = await provider.check!({} as Props, good());
    expect(res.failures).toEqual([]);
    expect(res.inputs).toEqual({ ...good(), leaveOnDestroy: false });
  });

  it("refuses an instanceId that is not a UUID or absent (a value unknown at preview is the sentinel)", async () => {
    // A JavaScript program that leaves the required field out is refused at preview ...
    expect(await failures(good({ instanceId: undefined }))).toEqual([
      { property: "instanceId", reason: "instanceId is required: the id of the DCS instance (a UUID)" },
    ]);
    expect(await failures(good({ instanceId: UNKNOWN }))).toEqual([]);
    // ... and create() refuses it too, before any API call.
    await expect(provider.create(good({ instanceId: undefined }))).rejects.toThrow(
      "invalid DcsInstanceSSL inputs: instanceId: instanceId is required: the id of the DCS instance (a UUID)",
    );
    const [bad] = await failures(good({ instanceId: "dcs-1234" }));
    expect(bad.property).toBe("instanceId");
    expect(bad.reason).toMatch(/must be a DCS instance id, a UUID/);
    expect((await failures(good({ instanceId: 42 })))[0].reason).toBe("instanceId must be a string");
  });

  it("requires enabled as a boolean", async () => {
    expect(await failures(good({ enabled: "yes" }))).toEqual([
      { property: "enabled", reason: "enabled must be a boolean (true or false)" },
    ]);
    expect(await failures(good({ enabled: undefined }))).toEqual([
      { property: "enabled", reason: "enabled is required: true to enable SSL, false to disable it" },
    ]);
    expect(await failures(good({ enabled: UNKNOWN }))).toEqual([]);
    await expect(
      provider.update!(`demo-project/${ID}`, good(), good({ enabled: undefined })),
    ).rejects.toThrow("enabled: enabled is required: true to enable SSL, false to disable it");
  });

  it("requires a project id from the input or the configuration", async () => {
    const [f] = await failures(good({ projectId: undefined }));
    expect(f.property).toBe("projectId");
    expect(f.reason).toMatch(
      /projectId is required: set it on the resource or configure managed-redis:huaweicloudProjectId/,
    );
    process.env.HW_PROJECT_ID = "env-project";
    expect(await failures(good({ projectId: undefined }))).toEqual([]);
    delete process.env.HW_PROJECT_ID;
    setStackConfig({
      get: (k: string) => (k === "managed-redis:huaweicloudProjectId" ? "cfg-project" : undefined),
    } as never);
    expect(await failures(good({ projectId: undefined }))).toEqual([]);
  });

  it("refuses a missing project id at create too, before any call, as an InputError", async () => {
    const err = await provider.create(good({ projectId: undefined })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({
      code: "InvalidInput",
      message:
        "projectId is required: set it on the resource or configure managed-redis:huaweicloudProjectId (or HW_PROJECT_ID)",
    });
  });

  it("refuses a malformed project id", async () => {
    const [f] = await failures(good({ projectId: "bad project/x" }));
    expect(f).toEqual({
      property: "projectId",
      reason: "projectId must be a Huawei Cloud project id (letters, digits, '-' or '_', at most 64)",
    });
  });

  it("checks leaveOnDestroy and timeouts", async () => {
    expect(await failures(good({ leaveOnDestroy: "no" }))).toEqual([
      { property: "leaveOnDestroy", reason: "leaveOnDestroy must be a boolean" },
    ]);
    const [t] = await failures(good({ timeouts: { create: "ten minutes" } }));
    expect(t.property).toBe("timeouts.create");
    expect(t.reason).toMatch(/duration such as "90m"/);
    expect(await failures(good({ timeouts: { craete: "5m" } }))).toEqual([
      { property: "timeouts.craete", reason: 'unknown property "craete"; did you mean create?' },
    ]);
    expect(await failures(good({ timeouts: { create: "30m", update: "2h", delete: "90s" } }))).toEqual([]);
  });

  it("does not judge values unknown during preview", async () => {
    expect(await failures(good({ instanceId: UNKNOWN, enabled: UNKNOWN, projectId: UNKNOWN }))).toEqual([]);
  });
});

describe("DcsInstanceSSL diff()", () => {
  const id = `demo-project/${ID}`;

  it("reports no change for equal inputs (leaveOnDestroy undefined equals false)", async () => {
    const res = await provider.diff!(id, good({ leaveOnDestroy: false, domainName: "x" }), good());
    expect(res).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("changes enabled, leaveOnDestroy and timeouts in place", async () => {
    expect(await provider.diff!(id, good(), good({ enabled: false }))).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await provider.diff!(id, good(), good({ leaveOnDestroy: true }))).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await provider.diff!(id, good(), good({ timeouts: { create: "1h" } }))).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await provider.diff!(id, good(), good({ enabled: UNKNOWN }))).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it("replaces on a new instanceId or projectId", async () => {
    expect((await provider.diff!(id, good(), good({ instanceId: OTHER }))).replaces).toEqual(["instanceId"]);
    expect((await provider.diff!(id, good(), good({ projectId: "other" }))).replaces).toEqual(["projectId"]);
  });

  it("does not replace (nor change) for an id unknown at preview, as a dependent sees it during its parent's update", async () => {
    expect(await provider.diff!(id, good(), good({ instanceId: UNKNOWN }))).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await provider.diff!(id, good(), good({ projectId: UNKNOWN }))).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("compares the project from the id and the configuration when the input is omitted", async () => {
    process.env.HW_PROJECT_ID = "demo-project";
    expect(
      await provider.diff!(id, good({ projectId: undefined }), good({ projectId: undefined })),
    ).toMatchObject({
      changes: false,
    });
    expect(
      (await provider.diff!(id, good({ projectId: undefined }), good({ projectId: "demo-project" }))).changes,
    ).toBe(false);
    process.env.HW_PROJECT_ID = "moved-project";
    expect(
      (await provider.diff!(id, good({ projectId: undefined }), good({ projectId: undefined }))).replaces,
    ).toEqual(["projectId"]);
  });
});

describe("DcsInstanceSSL ids and type token", () => {
  it("parses <projectId>/<instanceId> and a bare instance id with a configured project", () => {
    expect(parseDcsSslId(`p1/${ID}`)).toEqual({ projectId: "p1", instanceId: ID });
    expect(() => parseDcsSslId(ID)).toThrow(/use the id form <projectId>\/<instanceId>/);
    process.env.HW_PROJECT_ID = "p2";
    expect(parseDcsSslId(ID)).toEqual({ projectId: "p2", instanceId: ID });
    expect(() => parseDcsSslId("a/b/c")).toThrow(/expected <projectId>\/<instanceId>/);
    for (const bad of ["a/b/c", ""]) {
      expect(thrown(() => parseDcsSslId(bad))).toMatchObject({ name: "InputError", code: "InvalidId" });
    }
    delete process.env.HW_PROJECT_ID;
    const bare = thrown(() => parseDcsSslId(ID));
    expect(bare).toBeInstanceOf(InputError);
    expect(bare).toMatchObject({ code: "InvalidId" });
  });

  it("declares its output fields without defining them (a definition would hide the registered outputs)", () => {
    const source = readFileSync(
      join(__dirname, "../../../provider/huaweicloud/dcs-instance-ssl.resource.ts"),
      "utf8",
    );
    // Compiled as the package is built: target ES2022 with the project's class-field semantics.
    const root = join(__dirname, "../../..");
    const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    expect(options.target).toBe(ts.ScriptTarget.ES2022);
    const js = ts.transpileModule(source, { compilerOptions: options }).outputText;
    const body = js.slice(js.indexOf("class DcsInstanceSSL"));
    for (const field of [
      "projectId",
      "instanceId",
      "enabled",
      "domainName",
      "port",
      "sslExpiredAt",
      "sslValidated",
    ]) {
      expect(body).not.toMatch(new RegExp(`^\\s+${field};`, "m"));
    }
    expect(body).toMatch(/__pulumiType = exports\.DCS_INSTANCE_SSL\.token/);
  });

  it("carries its own type token and implements every provider method", () => {
    expect(DcsInstanceSSL.__pulumiType).toBe("pulumi-nodejs:dynamic/huaweicloud:DcsInstanceSSL");
    expect(DcsInstanceSSL.__pulumiType).toBe(TYPE_TOKENS.DcsInstanceSSL);
    for (const m of ["configure", "check", "diff", "create", "read", "update", "delete"] as const) {
      expect(typeof provider[m]).toBe("function");
    }
  });
});
