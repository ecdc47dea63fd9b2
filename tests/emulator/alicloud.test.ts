import { randomUUID } from "node:crypto";
import { request } from "undici";
import { startEmulator, type Emulator } from "../../emulator";
import type { AlicloudCloudModule } from "../../emulator/alicloud";
import { signAcs3, signRpcV1 } from "../../provider/alicloud/signing";

const creds = { accessKeyId: "demo-access-key-id", accessKeySecret: "demo-access-key-secret" };
let emu: Emulator;
let ali: AlicloudCloudModule;

interface Answer {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function rpc(
  action: string,
  params: Record<string, string> = {},
  opts: {
    method?: "GET" | "POST";
    secret?: string;
    accessKeyId?: string;
    timestamp?: Date;
    nonce?: string;
    version?: string;
  } = {},
): Promise<Answer> {
  const method = opts.method ?? "POST";
  const signed = signRpcV1(
    {
      accessKeyId: opts.accessKeyId ?? creds.accessKeyId,
      accessKeySecret: opts.secret ?? creds.accessKeySecret,
    },
    { method, params: { Action: action, Version: opts.version ?? "2015-01-01", Format: "JSON", ...params } },
    { timestamp: opts.timestamp ?? new Date(), nonce: opts.nonce ?? randomUUID() },
  );
  return send(method, new URLSearchParams(signed).toString());
}

async function send(
  method: "GET" | "POST",
  form: string,
  headers: Record<string, string> = {},
  query = "",
): Promise<Answer> {
  const url = `${emu.endpoints.alicloud}/${method === "GET" ? `?${form}` : query}`;
  const res = await request(url, {
    method,
    body: method === "POST" ? form : undefined,
    headers:
      method === "POST" ? { "content-type": "application/x-www-form-urlencoded", ...headers } : headers,
  });
  return { status: res.statusCode, body: (await res.body.json()) as Answer["body"] };
}

async function untilNormal(instanceId: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await rpc("DescribeInstanceAttribute", { InstanceId: instanceId });
    if (r.body.Instances.DBInstanceAttribute[0].InstanceStatus === "Normal") return;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error("never Normal");
}

beforeAll(async () => {
  emu = await startEmulator({
    alicloud: {
      settleMs: { default: 400 },
      instances: [
        { instanceId: "r-emu-cluster-a", shards: 3 },
        { instanceId: "r-emu-cluster-b" },
        { instanceId: "r-emu-standard", architecture: "standard" },
        { instanceId: "r-emu-classic", networkType: "CLASSIC" },
        { instanceId: "r-emu-tair7", engineVersion: "7.0" },
        { instanceId: "r-emu-ssl", sslEnabled: true },
      ],
    },
  });
  ali = emu.clouds.alicloud as AlicloudCloudModule;
});
afterAll(() => emu.stop());

describe("alicloud emulator: authentication", () => {
  it("accepts a v1-signed POST form and a GET query", async () => {
    const post = await rpc("DescribeInstanceSSL", { InstanceId: "r-emu-cluster-a" });
    expect(post.status).toBe(200);
    expect(post.body).toMatchObject({ InstanceId: "r-emu-cluster-a", SSLEnabled: "Disable" });
    expect(typeof post.body.RequestId).toBe("string");
    const get = await rpc("DescribeInstanceSSL", { InstanceId: "r-emu-ssl" }, { method: "GET" });
    expect(get.status).toBe(200);
    expect(get.body.SSLEnabled).toBe("Enable");
    expect(get.body.CertCommonName).toBe("r-emu-ssl.redis.rds.aliyuncs.com");
  });

  it("refuses a wrong signature with SignatureDoesNotMatch (400) in Alibaba's error shape", async () => {
    const r = await rpc("DescribeInstanceSSL", { InstanceId: "r-emu-cluster-a" }, { secret: "wrong-secret" });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body).sort()).toEqual(["Code", "HostId", "Message", "Recommend", "RequestId"]);
    expect(r.body.Code).toBe("SignatureDoesNotMatch");
  });

  it("refuses a replayed nonce, a stale timestamp and an unknown AccessKey id", async () => {
    const nonce = randomUUID();
    expect((await rpc("DescribeInstanceSSL", { InstanceId: "r-emu-cluster-a" }, { nonce })).status).toBe(200);
    const replay = await rpc("DescribeInstanceSSL", { InstanceId: "r-emu-cluster-a" }, { nonce });
    expect([replay.status, replay.body.Code]).toEqual([400, "SignatureNonceUsed"]);
    const stale = await rpc(
      "DescribeInstanceSSL",
      { InstanceId: "r-emu-cluster-a" },
      { timestamp: new Date(Date.now() - 20 * 60_000) },
    );
    expect([stale.status, stale.body.Code]).toEqual([400, "InvalidTimeStamp.Expired"]);
    const unknown = await rpc(
      "DescribeInstanceSSL",
      { InstanceId: "r-emu-cluster-a" },
      { accessKeyId: "nobody" },
    );
    expect([unknown.status, unknown.body.Code]).toEqual([404, "InvalidAccessKeyId.NotFound"]);
  });

  it("refuses an unsigned request and a tampered one", async () => {
    const unsigned = await send(
      "POST",
      "Action=DescribeInstanceSSL&Version=2015-01-01&InstanceId=r-emu-cluster-a",
    );
    expect([unsigned.status, unsigned.body.Code]).toEqual([400, "MissingParameter"]);
    const signed = signRpcV1(
      creds,
      {
        method: "POST",
        params: { Action: "DescribeInstanceSSL", Version: "2015-01-01", InstanceId: "r-emu-cluster-a" },
      },
      { timestamp: new Date(), nonce: randomUUID() },
    );
    const tampered = await send(
      "POST",
      new URLSearchParams({ ...signed, InstanceId: "r-emu-ssl" }).toString(),
    );
    expect(tampered.body.Code).toBe("SignatureDoesNotMatch");
  });

  it("verifies ACS3 signatures, including the body hash", async () => {
    const host = new URL(emu.endpoints.alicloud).host;
    const body = "InstanceId=r-emu-cluster-b";
    const sign = (nonce: string) =>
      signAcs3(
        creds,
        {
          method: "POST",
          host,
          action: "DescribeInstanceSSL",
          version: "2015-01-01",
          body,
          contentType: "application/x-www-form-urlencoded",
        },
        { timestamp: new Date(), nonce },
      ).headers;
    const ok = await send("POST", body, sign(randomUUID()));
    expect(ok.status).toBe(200);
    expect(ok.body.InstanceId).toBe("r-emu-cluster-b");
    const tampered = await send("POST", "InstanceId=r-emu-ssl", sign(randomUUID()));
    expect(tampered.body.Code).toBe("SignatureDoesNotMatch");
    const wrong = signAcs3(
      { ...creds, accessKeySecret: "nope" },
      {
        method: "POST",
        host,
        action: "DescribeInstanceSSL",
        version: "2015-01-01",
        body,
        contentType: "application/x-www-form-urlencoded",
      },
      { timestamp: new Date(), nonce: randomUUID() },
    ).headers;
    expect((await send("POST", body, wrong)).body.Code).toBe("SignatureDoesNotMatch");
  });

  it("answers an unknown action with InvalidAction.NotFound and a wrong version with InvalidVersion", async () => {
    const r = await rpc("DescribeEverything", { InstanceId: "r-emu-cluster-a" });
    expect([r.status, r.body.Code]).toEqual([404, "InvalidAction.NotFound"]);
    const v = await rpc("DescribeInstanceSSL", { InstanceId: "r-emu-cluster-a" }, { version: "2014-05-26" });
    expect([v.status, v.body.Code]).toEqual([400, "InvalidVersion"]);
  });

  it("requires the STS token of a credential that has one", async () => {
    const sts = await startEmulator({
      alicloud: {
        credentials: [{ accessKeyId: "sts-id", accessKeySecret: "sts-secret", securityToken: "tok-1" }],
      },
    });
    try {
      const call = async (securityToken?: string) => {
        const signed = signRpcV1(
          { accessKeyId: "sts-id", accessKeySecret: "sts-secret", securityToken },
          {
            method: "POST",
            params: { Action: "DescribeInstanceSSL", Version: "2015-01-01", InstanceId: "r-demo-cluster-01" },
          },
          { timestamp: new Date(), nonce: randomUUID() },
        );
        const res = await request(`${sts.endpoints.alicloud}/`, {
          method: "POST",
          body: new URLSearchParams(signed).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded" },
        });
        return { status: res.statusCode, body: (await res.body.json()) as Record<string, string> };
      };
      expect((await call("tok-1")).status).toBe(200);
      expect((await call()).body.Code).toBe("InvalidSecurityToken.Mismatch");
    } finally {
      await sts.stop();
    }
  });
});

describe("alicloud emulator: instances", () => {
  it("describes an instance and its endpoints, and answers NotFound for unknown ids", async () => {
    const a = await rpc("DescribeInstanceAttribute", { InstanceId: "r-emu-cluster-a" });
    expect(a.body.Instances.DBInstanceAttribute[0]).toMatchObject({
      InstanceId: "r-emu-cluster-a",
      InstanceStatus: "Normal",
      ArchitectureType: "cluster",
      NetworkType: "VPC",
      EngineVersion: "5.0",
    });
    const n = await rpc("DescribeDBInstanceNetInfo", { InstanceId: "r-emu-cluster-a" });
    expect(n.body.NetInfoItems.InstanceNetInfo).toHaveLength(1);
    expect(n.body.NetInfoItems.InstanceNetInfo[0].DirectConnection).toBe(0);
    for (const action of [
      "DescribeInstanceAttribute",
      "DescribeInstanceSSL",
      "DescribeDBInstanceNetInfo",
      "ModifyInstanceSSL",
    ]) {
      const r = await rpc(action, { InstanceId: "r-nope", SSLEnabled: "Enable" });
      expect([action, r.status, r.body.Code]).toEqual([action, 404, "InvalidInstanceId.NotFound"]);
    }
    for (const action of ["AllocateDirectConnection", "ReleaseDirectConnection"]) {
      const r = await rpc(action, { InstanceId: "r-nope" });
      expect([action, r.status, r.body.Code]).toEqual([action, 404, "InvalidDbInstanceId.NotFound"]);
    }
  });

  it("allocates a direct connection through NetworkModifying, once per instance, with a unique prefix", async () => {
    const before = ali.created().directConnection;
    const ok = await rpc("AllocateDirectConnection", {
      InstanceId: "r-emu-cluster-a",
      ConnectionString: "emudirect01",
      Port: "6380",
    });
    expect(ok.status).toBe(200);
    const attr = await rpc("DescribeInstanceAttribute", { InstanceId: "r-emu-cluster-a" });
    expect(attr.body.Instances.DBInstanceAttribute[0].InstanceStatus).toBe("NetworkModifying");
    const busy = await rpc("ReleaseDirectConnection", { InstanceId: "r-emu-cluster-a" });
    expect([busy.status, busy.body.Code]).toEqual([403, "InstanceStatus.NotSupport"]);
    const sameprefix = await rpc("AllocateDirectConnection", {
      InstanceId: "r-emu-cluster-b",
      ConnectionString: "emudirect01",
    });
    expect([sameprefix.status, sameprefix.body.Code]).toEqual([400, "ConnectionStringAlreadyExists"]);
    await untilNormal("r-emu-cluster-a");
    const n = await rpc("DescribeDBInstanceNetInfo", { InstanceId: "r-emu-cluster-a" });
    const direct = n.body.NetInfoItems.InstanceNetInfo.filter(
      (i: { DirectConnection: number }) => i.DirectConnection === 1,
    );
    expect(direct).toHaveLength(3);
    expect(direct[0]).toMatchObject({
      ConnectionString: "emudirect01.redis.rds.aliyuncs.com",
      Port: "6380",
      VPCId: expect.stringMatching(/^vpc-/),
    });
    const again = await rpc("AllocateDirectConnection", {
      InstanceId: "r-emu-cluster-a",
      ConnectionString: "emudirect02",
    });
    expect([again.status, again.body.Code]).toEqual([400, "DirectConnectionAlreadyExists"]);
    const ssl = await rpc("ModifyInstanceSSL", { InstanceId: "r-emu-cluster-a", SSLEnabled: "Enable" });
    expect([ssl.status, ssl.body.Code]).toEqual([403, "DirectConnection.NotSupport"]);
    expect(ali.created().directConnection).toBe(before + 1);
    expect(ali.live().directConnection).toBeGreaterThanOrEqual(1);

    const released = await rpc("ReleaseDirectConnection", { InstanceId: "r-emu-cluster-a" });
    expect(released.status).toBe(200);
    await untilNormal("r-emu-cluster-a");
    const after = await rpc("DescribeDBInstanceNetInfo", { InstanceId: "r-emu-cluster-a" });
    expect(
      after.body.NetInfoItems.InstanceNetInfo.some(
        (i: { DirectConnection: number }) => i.DirectConnection === 1,
      ),
    ).toBe(false);
    const twice = await rpc("ReleaseDirectConnection", { InstanceId: "r-emu-cluster-a" });
    expect([twice.status, twice.body.Code]).toEqual([400, "NetTypeNotExists"]);
  });

  it("enforces the documented preconditions of AllocateDirectConnection", async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      ["r-emu-standard", {}, 400, "InvalidConnType"],
      ["r-emu-classic", {}, 400, "InvalidVPCParamGroup"],
      ["r-emu-tair7", {}, 403, "UnsupportedEngineVersion"],
      ["r-emu-ssl", {}, 403, "SSLEnabled.NotSupport"],
      ["r-emu-cluster-b", { ConnectionString: "bad-prefix" }, 400, "InvalidConnectionString"],
      ["r-emu-cluster-b", { ConnectionString: "Short1" }, 400, "InvalidConnectionString.Format"],
      ["r-emu-cluster-b", { ConnectionString: "9startsdigit" }, 400, "InvalidConnectionString.Format"],
      ["r-emu-cluster-b", { Port: "80" }, 400, "InvalidParameters.Format"],
    ];
    for (const [id, extra, status, code] of cases) {
      const r = await rpc("AllocateDirectConnection", { InstanceId: id, ...extra });
      expect([id, extra, r.status, r.body.Code]).toEqual([id, extra, status, code]);
    }
    ali.setBusy("r-emu-cluster-b", "Changing", 150);
    const busy = await rpc("AllocateDirectConnection", { InstanceId: "r-emu-cluster-b" });
    expect([busy.status, busy.body.Code]).toEqual([403, "InstanceStatus.NotSupport"]);
    const sslBusy = await rpc("ModifyInstanceSSL", { InstanceId: "r-emu-cluster-b", SSLEnabled: "Enable" });
    expect([sslBusy.status, sslBusy.body.Code]).toEqual([403, "IncorrectDBInstanceState"]);
    await untilNormal("r-emu-cluster-b");
  });

  it("modifies SSL through SSLModifying, with the state-exists faults and certificate renewal", async () => {
    const id = "r-emu-cluster-b";
    const exists = await rpc("ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "Disable" });
    expect([exists.status, exists.body.Code]).toEqual([400, "SSLDisableStateExistsFault"]);
    const bad = await rpc("ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "On" });
    expect([bad.status, bad.body.Code]).toEqual([400, "InvalidParameters.Format"]);
    const on = await rpc("ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "Enable" });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ InstanceId: id, TaskId: expect.any(String) });
    const during = await rpc("DescribeInstanceAttribute", { InstanceId: id });
    expect(during.body.Instances.DBInstanceAttribute[0].InstanceStatus).toBe("SSLModifying");
    expect((await rpc("DescribeInstanceSSL", { InstanceId: id })).body.SSLEnabled).toBe("Disable");
    await untilNormal(id);
    const enabled = await rpc("DescribeInstanceSSL", { InstanceId: id });
    expect(enabled.body).toMatchObject({ SSLEnabled: "Enable", SSLExpiredTime: expect.stringMatching(/Z$/) });
    expect(ali.live().sslEnabled).toBe(1);
    const again = await rpc("ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "Enable" });
    expect(again.body.Code).toBe("SSLEnabledStateExistsFault");
    expect((await rpc("ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "Update" })).status).toBe(200);
    await untilNormal(id);
    const renewed = await rpc("DescribeInstanceSSL", { InstanceId: id });
    expect(renewed.body.SSLExpiredTime).not.toBe(enabled.body.SSLExpiredTime);
    expect((await rpc("ModifyInstanceSSL", { InstanceId: id, SSLEnabled: "Disable" })).status).toBe(200);
    ali.completeAll();
    expect((await rpc("DescribeInstanceSSL", { InstanceId: id })).body.SSLEnabled).toBe("Disable");
    expect(ali.live().sslEnabled).toBe(0);
    expect(ali.created()).toMatchObject({ sslEnable: 1, sslUpdate: 1, sslDisable: 1 });
  });

  it("flips SSL from the console (drift) and shows it in the snapshot", async () => {
    ali.setSsl("r-emu-cluster-b", true);
    expect((await rpc("DescribeInstanceSSL", { InstanceId: "r-emu-cluster-b" })).body.SSLEnabled).toBe(
      "Enable",
    );
    const snap = ali.snapshot() as { instances: { instanceId: string; sslEnabled: boolean }[] };
    expect(snap.instances.find((i) => i.instanceId === "r-emu-cluster-b")?.sslEnabled).toBe(true);
    expect(ali.live().sslEnabled).toBe(0); // not enabled through the API
    ali.setSsl("r-emu-cluster-b", false);
  });

  it("logs each request with its action and whether it mutates", async () => {
    const from = emu.requests.length;
    await rpc("DescribeInstanceSSL", { InstanceId: "r-emu-cluster-b" });
    await rpc("ReleaseDirectConnection", { InstanceId: "r-emu-cluster-b" });
    const entries = emu.requests.slice(from).map((e) => [e.cloud, e.op, e.mutating, e.status]);
    expect(entries).toEqual([
      ["alicloud", "DescribeInstanceSSL", false, 200],
      ["alicloud", "ReleaseDirectConnection", true, 400],
    ]);
  });

  it("seeds the demo instances by default, with settle times changeable at run time", async () => {
    const demo = await startEmulator();
    try {
      const mod = demo.clouds.alicloud as AlicloudCloudModule;
      const ids = (mod.snapshot() as { instances: { instanceId: string }[] }).instances.map(
        (i) => i.instanceId,
      );
      expect(ids).toEqual([
        "r-demo-cluster-01",
        "r-demo-cluster-02",
        "r-demo-standard-01",
        "r-demo-classic-01",
      ]);
      expect(mod.settle.get("modifySSL")).toBe(1000);
      mod.settle.set("modifySSL", 5);
      expect(mod.settle.get("modifySSL")).toBe(5);
    } finally {
      await demo.stop();
    }
  });
});
