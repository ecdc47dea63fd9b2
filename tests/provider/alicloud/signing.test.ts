import { createHash, createHmac } from "node:crypto";
import {
  acs3CanonicalRequest,
  canonicalizeQuery,
  formatTimestamp,
  percentEncode,
  rpcStringToSign,
  signAcs3,
  signRpcV1,
} from "../../../provider/alicloud/signing";

describe("percentEncode", () => {
  it("leaves only A-Za-z0-9-_.~ literal, with uppercase hex", () => {
    expect(percentEncode("AZaz09-_.~")).toBe("AZaz09-_.~");
    expect(percentEncode("a b*c")).toBe("a%20b%2Ac");
    expect(percentEncode("!'()")).toBe("%21%27%28%29");
    expect(percentEncode("/:=&+")).toBe("%2F%3A%3D%26%2B");
    expect(percentEncode("é")).toBe("%C3%A9");
  });
});

describe("formatTimestamp", () => {
  it("formats UTC without milliseconds", () => {
    expect(formatTimestamp(new Date(Date.UTC(2016, 1, 23, 12, 46, 24, 123)))).toBe("2016-02-23T12:46:24Z");
  });
});

describe("RPC v1 (HMAC-SHA1)", () => {
  it("canonicalizes and builds the string to sign as computed by hand", () => {
    const params = { b: "x y", A: "1*", a: "~" };
    // Code-point order puts upper case first; Signature is never part of it.
    expect(canonicalizeQuery({ ...params, Signature: "zzz" })).toBe("A=1%2A&a=~&b=x%20y");
    expect(rpcStringToSign("post", params)).toBe("POST&%2F&A%3D1%252A%26a%3D~%26b%3Dx%2520y");
  });

  it("reproduces Alibaba's published V2 worked example (DescribeDedicatedHosts, testid/testsecret)", () => {
    const signed = signRpcV1(
      { accessKeyId: "testid", accessKeySecret: "testsecret" },
      {
        method: "GET",
        params: {
          Action: "DescribeDedicatedHosts",
          Format: "JSON",
          RegionId: "cn-beijing",
          Version: "2014-05-26",
        },
      },
      { timestamp: "2023-03-13T08:34:30Z", nonce: "edb2b34af0af9a6d14deaf7c1a5315eb" },
    );
    expect(canonicalizeQuery(signed)).toBe(
      "AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&RegionId=cn-beijing&SignatureMethod=HMAC-SHA1" +
        "&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2014-05-26",
    );
    expect(rpcStringToSign("GET", signed)).toBe(
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON%26RegionId%3Dcn-beijing" +
        "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0" +
        "%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26",
    );
    expect(signed.Signature).toBe("9NaGiOspFP5UPcwX8Iwt2YJXXuk=");
  });

  it("reproduces the classic DescribeRegions example (testid/testsecret, Format=XML)", () => {
    const signed = signRpcV1(
      { accessKeyId: "testid", accessKeySecret: "testsecret" },
      { method: "GET", params: { Action: "DescribeRegions", Format: "XML", Version: "2014-05-26" } },
      {
        timestamp: new Date(Date.UTC(2016, 1, 23, 12, 46, 24)),
        nonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
      },
    );
    expect(signed.Signature).toBe("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    expect(signed.Timestamp).toBe("2016-02-23T12:46:24Z");
  });

  it("signs with the secret plus '&' and adds the STS token as SecurityToken (signed)", () => {
    const creds = { accessKeyId: "ak", accessKeySecret: "sk", securityToken: "sts-token" };
    const ctx = { timestamp: "2024-01-01T00:00:00Z", nonce: "n1" };
    const signed = signRpcV1(
      creds,
      { method: "POST", params: { Action: "DescribeInstanceSSL", InstanceId: "r-1" } },
      ctx,
    );
    expect(signed.SecurityToken).toBe("sts-token");
    const { Signature, ...rest } = signed;
    const expected = createHmac("sha1", "sk&").update(rpcStringToSign("POST", rest)).digest("base64");
    expect(Signature).toBe(expected);
    const withoutToken = signRpcV1(
      { accessKeyId: "ak", accessKeySecret: "sk" },
      { method: "POST", params: { Action: "DescribeInstanceSSL", InstanceId: "r-1" } },
      ctx,
    );
    expect(withoutToken.SecurityToken).toBeUndefined();
    expect(withoutToken.Signature).not.toBe(Signature);
  });

  it("changes with the method and the nonce", () => {
    const creds = { accessKeyId: "ak", accessKeySecret: "sk" };
    const base = { Action: "X" };
    const a = signRpcV1(
      creds,
      { method: "GET", params: base },
      { timestamp: "2024-01-01T00:00:00Z", nonce: "n" },
    );
    const b = signRpcV1(
      creds,
      { method: "POST", params: base },
      { timestamp: "2024-01-01T00:00:00Z", nonce: "n" },
    );
    const c = signRpcV1(
      creds,
      { method: "GET", params: base },
      { timestamp: "2024-01-01T00:00:00Z", nonce: "m" },
    );
    expect(new Set([a.Signature, b.Signature, c.Signature]).size).toBe(3);
  });
});

describe("ACS3-HMAC-SHA256", () => {
  const example = {
    credentials: { accessKeyId: "YourAccessKeyId", accessKeySecret: "YourAccessKeySecret" },
    request: {
      method: "POST" as const,
      host: "ecs.cn-shanghai.aliyuncs.com",
      action: "RunInstances",
      version: "2014-05-26",
      query: { ImageId: "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", RegionId: "cn-shanghai" },
    },
    context: { timestamp: "2023-10-26T10:22:32Z", nonce: "3156853299f313e23d1673dc12e1703d" },
  };
  const emptySha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  it("reproduces Alibaba's published V3 worked example (RunInstances)", () => {
    const signed = signAcs3(example.credentials, example.request, example.context);
    expect(signed.canonicalRequest).toBe(
      [
        "POST",
        "/",
        "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\nx-acs-content-sha256:" +
          emptySha +
          "\nx-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n",
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
        emptySha,
      ].join("\n"),
    );
    expect(signed.stringToSign).toBe(
      "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
    );
    expect(signed.signature).toBe("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    expect(signed.headers.authorization).toBe(
      "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;" +
        "x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
    );
    expect(signed.headers["x-acs-content-sha256"]).toBe(emptySha);
  });

  it("signs a form body, its content type and the STS token header (computed by hand)", () => {
    const body = "InstanceId=r-1&SSLEnabled=Enable";
    const signed = signAcs3(
      { accessKeyId: "ak", accessKeySecret: "sk", securityToken: "tok" },
      {
        method: "POST",
        host: "127.0.0.1:8080",
        action: "ModifyInstanceSSL",
        version: "2015-01-01",
        body,
        contentType: "application/x-www-form-urlencoded",
      },
      { timestamp: "2024-05-01T00:00:00Z", nonce: "abc" },
    );
    const bodySha = createHash("sha256").update(body).digest("hex");
    const canonical =
      "POST\n/\n\n" +
      "content-type:application/x-www-form-urlencoded\nhost:127.0.0.1:8080\nx-acs-action:ModifyInstanceSSL\n" +
      `x-acs-content-sha256:${bodySha}\nx-acs-date:2024-05-01T00:00:00Z\nx-acs-security-token:tok\n` +
      "x-acs-signature-nonce:abc\nx-acs-version:2015-01-01\n\n" +
      "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version\n" +
      bodySha;
    expect(signed.canonicalRequest).toBe(canonical);
    const sts = "ACS3-HMAC-SHA256\n" + createHash("sha256").update(canonical).digest("hex");
    expect(signed.stringToSign).toBe(sts);
    expect(signed.signature).toBe(createHmac("sha256", "sk").update(sts).digest("hex"));
    expect(signed.headers["x-acs-security-token"]).toBe("tok");
  });

  it("canonical request sorts and trims headers and encodes the query", () => {
    const c = acs3CanonicalRequest("get", "/", { b: "2 3", a: "*" }, { "X-Acs-B": " v ", Host: "h" }, "");
    expect(c.split("\n").slice(0, 6)).toEqual(["GET", "/", "a=%2A&b=2%203", "host:h", "x-acs-b:v", ""]);
  });

  it("canonical request encodes each segment of a deeper path and writes an empty path as /", () => {
    const line = (path: string) => acs3CanonicalRequest("GET", path, {}, { Host: "h" }, "").split("\n")[1];
    expect(line("/a b/c*")).toBe("/a%20b/c%2A");
    expect(line("/v1/instances/")).toBe("/v1/instances/");
    expect(line("")).toBe("/");
  });

  it("leaves parameters with no value out of the canonical query", () => {
    const params = { B: "2", A: undefined, C: "3" } as unknown as Record<string, string>;
    expect(canonicalizeQuery(params)).toBe("B=2&C=3");
  });
});
