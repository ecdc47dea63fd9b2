/**
 * The emulator's own signature rules (emulator/signing/rules.ts) reproduce the clouds' published
 * worked examples, and emulator/ imports nothing from provider/ (so a misreading shared with the
 * provider's signers cannot pass on both sides).
 */
import { createHmac } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  acs3Signature,
  aliyunV1Signature,
  huaweiSignatureOf,
  rfc3986,
  sha256,
} from "../../../emulator/signing/rules";

const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

describe("emulator signing rules", () => {
  it("encodes as RFC 3986 (UTF-8, only A-Za-z0-9-_.~ literal, uppercase hex)", () => {
    expect(rfc3986("a b*c~!'()+/é")).toBe("a%20b%2Ac~%21%27%28%29%2B%2F%C3%A9");
    expect(rfc3986("")).toBe("");
  });

  it("reproduces Alibaba's v1 worked example (DescribeDedicatedHosts)", () => {
    const params = {
      AccessKeyId: "testid",
      Action: "DescribeDedicatedHosts",
      Format: "JSON",
      RegionId: "cn-beijing",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "edb2b34af0af9a6d14deaf7c1a5315eb",
      SignatureVersion: "1.0",
      Timestamp: "2023-03-13T08:34:30Z",
      Version: "2014-05-26",
    };
    expect(aliyunV1Signature("GET", params, "testsecret")).toBe("9NaGiOspFP5UPcwX8Iwt2YJXXuk=");
    expect(aliyunV1Signature("POST", params, "testsecret")).not.toBe("9NaGiOspFP5UPcwX8Iwt2YJXXuk=");
  });

  it("reproduces Alibaba's ACS3 worked example (RunInstances)", () => {
    const headers = {
      host: "ecs.cn-shanghai.aliyuncs.com",
      "x-acs-action": "RunInstances",
      "x-acs-content-sha256": EMPTY,
      "x-acs-date": "2023-10-26T10:22:32Z",
      "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
      "x-acs-version": "2014-05-26",
    };
    const received = {
      method: "POST",
      path: "/",
      query: new URLSearchParams({
        RegionId: "cn-shanghai",
        ImageId: "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
      }),
      headers,
      signedHeaders: Object.keys(headers),
      hashedPayload: sha256(""),
    };
    expect(acs3Signature(received, "YourAccessKeySecret")).toBe(
      "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
    );
  });

  it("reproduces Huawei's worked example (VPC list) and sorts raw names before encoding", () => {
    const received = {
      method: "GET",
      path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
      query: new URLSearchParams("marker=13551d6b-755d-4757-b956-536f674975c0&limit=2"),
      headers: {
        "content-type": "application/json",
        host: "service.region.example.com",
        "x-sdk-date": "20191115T033655Z",
      },
      signedHeaders: ["content-type", "host", "x-sdk-date"],
      body: "",
    };
    const sk = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
    expect(huaweiSignatureOf(received, "20191115T033655Z", sk)).toBe(
      "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
    );
    // Raw "_" (0x5f) sorts before "{" (0x7b), but encoded "%7B" sorts before "_": the raw order
    // is the one signed, as the official signers do; repeated names by raw value.
    const canonical = [
      "GET",
      "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
      "a_=1&a%7B=%20&a%7B=%2B",
      "content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n",
      "content-type;host;x-sdk-date",
      EMPTY,
    ].join("\n");
    const expected = createHmac("sha256", sk)
      .update(`SDK-HMAC-SHA256\n20191115T033655Z\n${sha256(canonical)}`)
      .digest("hex");
    const q = { ...received, query: new URLSearchParams("a%7B=%2B&a_=1&a%7B=%20") };
    expect(huaweiSignatureOf(q, "20191115T033655Z", sk)).toBe(expected);
  });
});

describe("emulator/ independence", () => {
  it("imports nothing from provider/", () => {
    const root = path.join(__dirname, "..", "..", "..", "emulator");
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.[cm]?[jt]s$/.test(e.name)) files.push(p);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) =>
      /(?:from\s*|require\(\s*|import\(\s*)["'][^"']*provider(?:\/|["'])/.test(fs.readFileSync(f, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
