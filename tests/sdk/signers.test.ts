/**
 * The project's signers (provider/alicloud/signing.ts, provider/huaweicloud/signing.ts) and the
 * emulator's own verifier (emulator/signing/rules.ts) compute the same signatures as the official
 * SDKs' signing code, on random requests (fast-check, fixed seed so a failure replays): Alibaba v1
 * (`@alicloud/openapi-core` and `@alicloud/openapi-util` `getRPCSignature`), ACS3
 * (`getAuthorization` of both) and Huawei SDK-HMAC-SHA256 (`AKSKSigner.sign` of
 * `@huaweicloud/huaweicloud-sdk-core`). Values are arbitrary (unicode, empty); Alibaba names are in
 * the API's alphabet (the SDKs leave ACS3 query names unencoded); Huawei names are arbitrary
 * printable text and may repeat.
 */
import OpenApiCoreUtil from "@alicloud/openapi-core/dist/utils";
import OpenApiUtil from "@alicloud/openapi-util";
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { acs3Signature, aliyunV1Signature, huaweiSignatureOf } from "../../emulator/signing/rules";
import { rpcSignature, signAcs3 } from "../../provider/alicloud/signing";
import { huaweiSign } from "../../provider/huaweicloud/signing";

const RUNS = 300;
const SEED = Number(process.env.SIGNER_SEED ?? 20261201);
const compared = { v1: 0, acs3: 0, huawei: 0 };
afterAll(() => {
  process.stdout.write(
    `signer comparisons (seed ${SEED}): Alibaba v1 ${compared.v1}, ACS3 ${compared.acs3}, Huawei ${compared.huawei}\n`,
  );
});

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** Values: empty, printable ASCII, any unicode text (no lone surrogates). */
const value = fc.oneof(
  fc.constant(""),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc
    .string({ unit: "binary", maxLength: 6 })
    .filter((s) => !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ""))),
);
/** R-kvstore parameter names: `A-Za-z0-9` with `.` as in `Tag.1.Key`. */
const aliName = fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,10}(\.[1-9][A-Za-z0-9]{0,4})?$/);
const aliParams = fc.dictionary(aliName, value, { minKeys: 1, maxKeys: 8 }).map((d) => ({ ...d }));
const method = fc.constantFrom("GET" as const, "POST" as const);
const secret = fc.string({ minLength: 1, maxLength: 30 });

describe("Alibaba v1 (HMAC-SHA1) equals the SDKs' getRPCSignature", () => {
  it(`on ${RUNS} random requests`, () => {
    fc.assert(
      fc.property(aliParams, method, secret, (params, m, key) => {
        const ours = rpcSignature(m, params, key);
        expect(OpenApiCoreUtil.getRPCSignature(params, m, key)).toBe(ours);
        expect(OpenApiUtil.getRPCSignature(params, m, key)).toBe(ours);
        expect(aliyunV1Signature(m, params, key)).toBe(ours);
        compared.v1++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe("Alibaba ACS3-HMAC-SHA256 equals the SDKs' getAuthorization", () => {
  it(`on ${RUNS} random requests (query, form body, STS token)`, () => {
    const token = fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined });
    fc.assert(
      fc.property(aliParams, aliParams, method, secret, token, (query, form, m, key, securityToken) => {
        const body = m === "POST" ? new URLSearchParams(form).toString() : "";
        const signed = signAcs3(
          { accessKeyId: "AK", accessKeySecret: key, securityToken },
          {
            method: m,
            host: "127.0.0.1:4512",
            action: "DescribeInstanceSSL",
            version: "2015-01-01",
            query,
            body,
            contentType: m === "POST" ? "application/x-www-form-urlencoded" : undefined,
          },
          { timestamp: "2026-12-01T10:00:00Z", nonce: "n-1" },
        );
        const { authorization, ...headers } = signed.headers;
        const request = { pathname: "/", method: m, query, headers };
        const payload = sha256(body);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const sdkRequest = request as any;
        expect(OpenApiCoreUtil.getAuthorization(sdkRequest, "ACS3-HMAC-SHA256", payload, "AK", key)).toBe(
          authorization,
        );
        expect(OpenApiUtil.getAuthorization(sdkRequest, "ACS3-HMAC-SHA256", payload, "AK", key)).toBe(
          authorization,
        );
        const received = {
          method: m,
          path: "/",
          query: Object.entries(query),
          headers,
          signedHeaders: Object.keys(headers),
          hashedPayload: payload,
        };
        expect(acs3Signature(received, key)).toBe(signed.signature);
        compared.acs3++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe("Huawei SDK-HMAC-SHA256 equals AKSKSigner.sign", () => {
  it(`on ${RUNS} random requests (arbitrary and repeated names, unicode and empty values, JSON bodies)`, () => {
    const name = fc.oneof(
      fc.string({ minLength: 1, maxLength: 6 }),
      fc.constantFrom("limit", "offset", "name"),
    );
    const pairs = fc.array(fc.tuple(name, value), { maxLength: 8 });
    const body = fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(value, fc.boolean())), {
      nil: undefined,
    });
    const hwMethod = fc.constantFrom("GET", "PUT", "POST", "DELETE");
    fc.assert(
      fc.property(pairs, body, hwMethod, secret, (query, data, m, sk) => {
        const path = "/v2/demo-project/instances/5560df16-cebf-4473-95c4-d1b573c16e79/ssl";
        const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
        const url = `http://127.0.0.1:4513${path}${search ? `?${search}` : ""}`;
        const text = data === undefined ? "" : JSON.stringify(data);
        const date = "20261201T100000Z";
        const ours = huaweiSign(
          { accessKey: "AK", secretKey: sk },
          { method: m, url, headers: { "content-type": "application/json" }, body: text },
          { timestamp: date },
        );
        const queryParams: Record<string, string | string[]> = {};
        for (const [k, v] of query) {
          const had = queryParams[k];
          queryParams[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
        }
        const sdk = AKSKSigner.sign(
          {
            endpoint: `http://127.0.0.1:4513${path}`,
            method: m,
            headers: { "content-type": "application/json", "X-Sdk-Date": date },
            queryParams,
            data,
          } as unknown as Parameters<typeof AKSKSigner.sign>[0],
          new BasicCredentials().withAk("AK").withSk(sk),
        );
        expect((sdk as Record<string, string>).Authorization).toBe(ours.headers.Authorization);
        const received = {
          method: m,
          path,
          query,
          headers: { "content-type": "application/json", host: "127.0.0.1:4513", "x-sdk-date": date },
          signedHeaders: ["content-type", "host", "x-sdk-date"],
          body: text,
        };
        expect(huaweiSignatureOf(received, date, sk)).toBe(ours.signature);
        compared.huawei++;
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
