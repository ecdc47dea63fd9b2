/**
 * The KakaoCloud client's pure parts (provider/kakaocloud/client.ts): error mapping (kakaoError,
 * isBusy, isNotFound), the stable member order (sortNodes, sortShards), and the settings and
 * shared-client lookup (kakaoSettings, kakaoClient). The requests themselves: client.requests.test.ts.
 */
import type * as pulumi from "@pulumi/pulumi";
import { setStackConfig } from "../../../provider/core/config";
import { CloudError, ConfigError, redact } from "../../../provider/core/errors";
import type { HttpResponse } from "../../../provider/core/http";
import {
  isBusy,
  isNotFound,
  kakaoClient,
  kakaoError,
  kakaoSettings,
  sortNodes,
  sortShards,
} from "../../../provider/kakaocloud/client";
import { thrown } from "../../helpers/errors";

/** A node with a name, as the API lists it. */
const node = (id: string, name?: string) => ({ id, name });

function res(
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
  text?: string,
): HttpResponse {
  return { status, body, headers, text: text ?? (body === undefined ? "" : JSON.stringify(body)) };
}

describe("kakaoError", () => {
  it("takes the code from code, error.code, error.title, then the status", () => {
    const code = (body: unknown, status = 400) => kakaoError(res(status, body), "OP").code;
    expect(code({ code: "A", error: { code: "B", title: "C" } })).toBe("A");
    expect(code({ error: { code: "B", title: "C" } })).toBe("B");
    expect(code({ error: { title: "C" } })).toBe("C");
    const names = "400 BadRequest 401 Unauthorized 403 Forbidden 404 NotFound 409 Conflict 422 Unprocessable";
    const more = " 418 HTTP418 499 HTTP499 500 InternalError 503 InternalError";
    const pairs = (names + more).split(" ");
    for (let i = 0; i < pairs.length; i += 2) {
      expect([pairs[i], code(undefined, Number(pairs[i]))]).toEqual([pairs[i], pairs[i + 1]]);
    }
  });

  it("takes the message from message, error.message, detail, the text, then 'no details'", () => {
    const message = (r: HttpResponse) => kakaoError(r, "OP").message;
    expect(message(res(400, { message: "M1", error: { message: "M2" }, detail: "D" }))).toBe(
      "kakaocloud OP: BadRequest: M1 (HTTP 400)",
    );
    expect(message(res(400, { error: { message: "M2" }, detail: "D" }))).toContain(": M2 (");
    expect(message(res(400, { detail: "D" }))).toContain(": D (");
    expect(message(res(400, undefined, {}, "x".repeat(300)))).toContain(`: ${"x".repeat(200)} (`);
    expect(message(res(400, undefined, {}, ""))).toBe("kakaocloud OP: BadRequest: no details (HTTP 400)");
  });

  it("explains 401 and 403, and keeps other messages as they are", () => {
    const message = (status: number) => kakaoError(res(status, { message: "bad" }), "OP").message;
    expect(message(401)).toMatch(
      /^kakaocloud OP: Unauthorized: bad; the IAM token was refused: check managed-redis:kakaoAuthToken \/ KAKAOCLOUD_AUTH_TOKEN .* \(HTTP 401\)$/,
    );
    expect(kakaoError(res(401, { message: "bad" }), "POST /identity/v3/auth/tokens").message).toMatch(
      /bad; the application credential was refused: check managed-redis:kakaoApplicationCredentialId .*KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET/,
    );
    expect(message(403)).toBe(
      "kakaocloud OP: Forbidden: bad; the credential lacks permission for this project (HTTP 403)",
    );
    expect(message(404)).toBe("kakaocloud OP: NotFound: bad (HTTP 404)");
  });

  it("marks 429 and 5xx retryable, 429 and a busy 409 refused", () => {
    const flags = (status: number, message = "x") => {
      const e = kakaoError(res(status, { message }), "OP");
      return { retryable: e.retryable, refused: e.refused };
    };
    expect(flags(429)).toEqual({ retryable: true, refused: true });
    expect(flags(500)).toEqual({ retryable: true, refused: false });
    expect(flags(502)).toEqual({ retryable: true, refused: false });
    expect(flags(499)).toEqual({ retryable: false, refused: false });
    expect(flags(404)).toEqual({ retryable: false, refused: false });
    expect(flags(400, "cluster is busy")).toEqual({ retryable: false, refused: false });
    expect(flags(409, "cluster is busy")).toEqual({ retryable: false, refused: true });
    for (const m of ["name already in use", "Duplicate name", "cluster exists"]) {
      expect(flags(409, m)).toEqual({ retryable: false, refused: false });
    }
  });

  it("carries the request id, Retry-After, operation and status", () => {
    const both = kakaoError(
      res(429, {}, { "x-request-id": "r1", "x-openstack-request-id": "r2", "retry-after": "7" }),
      "GET /v1/clusters",
    );
    expect(both).toMatchObject({
      cloud: "kakaocloud",
      requestId: "r1",
      retryAfterSeconds: 7,
      operation: "GET /v1/clusters",
      httpStatus: 429,
    });
    expect(kakaoError(res(500, {}, { "x-openstack-request-id": "r2" }), "OP").requestId).toBe("r2");
  });
});

describe("isBusy and isNotFound", () => {
  const busy409 = kakaoError(res(409, { message: "cluster is busy" }), "OP");
  it("isBusy holds only for a refused KakaoCloud 409", () => {
    expect(isBusy(busy409)).toBe(true);
    expect(isBusy(kakaoError(res(409, { message: "already exists" }), "OP"))).toBe(false);
    expect(isBusy(kakaoError(res(429, {}), "OP"))).toBe(false);
    const other = { cloud: "alicloud" as const, code: "C", message: "m", httpStatus: 409, refused: true };
    expect(isBusy(new CloudError(other))).toBe(false);
    expect(isBusy({ cloud: "kakaocloud", httpStatus: 409, refused: true })).toBe(false);
  });

  it("isNotFound holds only for a CloudError with status 404", () => {
    expect(isNotFound(kakaoError(res(404, {}), "OP"))).toBe(true);
    expect(isNotFound(busy409)).toBe(false);
    expect(isNotFound({ httpStatus: 404 })).toBe(false);
  });
});

describe("sortNodes and sortShards", () => {
  it("orders nodes by name (numerically), then id, without touching the input", () => {
    const input = [node("a", "node-10"), node("z", "node-2"), node("c", "node-2"), node("b", "node-1")];
    const copy = structuredClone(input);
    expect(sortNodes(input).map((n) => n.id)).toEqual(["b", "c", "z", "a"]);
    expect(input).toEqual(copy);
  });

  it("puts a node without a name first, wherever it was listed", () => {
    expect(sortNodes([{ id: "b", name: "node-1" }, { id: "a" }]).map((n) => n.id)).toEqual(["a", "b"]);
    expect(sortNodes([{ id: "a" }, { id: "b", name: "node-1" }]).map((n) => n.id)).toEqual(["a", "b"]);
    expect(sortNodes([{ id: "n-10" }, { id: "n-9" }]).map((n) => n.id)).toEqual(["n-9", "n-10"]);
  });

  it("orders shards by id numerically and sorts their nodes", () => {
    const shards = sortShards([
      { id: "s-10" },
      { id: "s-2", nodes: [node("y", "n-2"), node("x", "n-1")] },
      { id: "s-1" },
    ]);
    expect(shards.map((s) => s.id)).toEqual(["s-1", "s-2", "s-10"]);
    expect(shards[1].nodes!.map((n) => n.id)).toEqual(["x", "y"]);
  });
});

describe("kakaoSettings and kakaoClient", () => {
  const ENV = [
    "KAKAOCLOUD_REGION",
    "KAKAOCLOUD_REDIS_ENDPOINT",
    "KAKAOCLOUD_IAM_ENDPOINT",
    "KAKAOCLOUD_APPLICATION_CREDENTIAL_ID",
    "KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET",
    "KAKAOCLOUD_AUTH_TOKEN",
  ];
  const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  beforeEach(() => {
    setStackConfig(undefined);
    for (const k of ENV) delete process.env[k];
  });
  afterAll(() => {
    setStackConfig(undefined);
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it("defaults to kr-central-2 and takes the region from the environment", () => {
    process.env.KAKAOCLOUD_AUTH_TOKEN = "env-token-1";
    expect(kakaoSettings()).toEqual({
      endpoint: "https://redis.kr-central-2.kakaocloud.com",
      iamEndpoint: "https://iam.kakaocloud.com/identity",
      credentialId: undefined,
      credentialSecret: undefined,
      token: "env-token-1",
    });
    process.env.KAKAOCLOUD_REGION = "kr-central-1";
    expect(kakaoSettings().endpoint).toBe("https://redis.kr-central-1.kakaocloud.com");
  });

  it("reads every key from the stack configuration", () => {
    const config: Record<string, string> = {
      "managed-redis:kakaoRegion": "kr-east-9",
      "managed-redis:kakaoIamEndpoint": "https://iam.example.test/identity/",
      "managed-redis:kakaoApplicationCredentialId": "cfg-id",
      "managed-redis:kakaoApplicationCredentialSecret": "cfg-secret-4f1a",
      "managed-redis:kakaoAuthToken": "cfg-token-9b2c",
    };
    setStackConfig({ get: (k: string) => config[k] } as unknown as pulumi.dynamic.Config);
    expect(kakaoSettings()).toEqual({
      endpoint: "https://redis.kr-east-9.kakaocloud.com",
      iamEndpoint: "https://iam.example.test/identity",
      credentialId: "cfg-id",
      credentialSecret: "cfg-secret-4f1a",
      token: "cfg-token-9b2c",
    });
    config["managed-redis:kakaoEndpoint"] = "https://redis.example.test";
    expect(kakaoSettings().endpoint).toBe("https://redis.example.test");
  });

  it("registers the credential secret and the token for redaction", () => {
    process.env.KAKAOCLOUD_APPLICATION_CREDENTIAL_ID = "plain-id-77";
    process.env.KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET = "envsec-8d3e";
    process.env.KAKAOCLOUD_AUTH_TOKEN = "envtok-5c7a";
    kakaoSettings();
    expect(redact("a envsec-8d3e b envtok-5c7a c")).toBe("a *** b *** c");
  });

  it("refuses a credential id without its secret, naming the secret key", () => {
    process.env.KAKAOCLOUD_APPLICATION_CREDENTIAL_ID = "only-id";
    const err = thrown(() => kakaoSettings());
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(
      "managed-redis:kakaoApplicationCredentialSecret (pulumi config set --secret), or the environment variables ",
    );
  });

  it("names the setting of an endpoint it refuses", () => {
    process.env.KAKAOCLOUD_AUTH_TOKEN = "env-token-2";
    process.env.KAKAOCLOUD_REDIS_ENDPOINT = "http://redis.example.test";
    expect((thrown(() => kakaoSettings()) as Error).message).toContain(
      "managed-redis:kakaoEndpoint / KAKAOCLOUD_REDIS_ENDPOINT",
    );
    delete process.env.KAKAOCLOUD_REDIS_ENDPOINT;
    process.env.KAKAOCLOUD_IAM_ENDPOINT = "http://iam.example.test";
    expect((thrown(() => kakaoSettings()) as Error).message).toContain(
      "managed-redis:kakaoIamEndpoint / KAKAOCLOUD_IAM_ENDPOINT",
    );
  });

  it("shares one client per settings and makes a new one when they change", () => {
    process.env.KAKAOCLOUD_AUTH_TOKEN = "env-token-3";
    const first = kakaoClient();
    expect(kakaoClient()).toBe(first);
    process.env.KAKAOCLOUD_REDIS_ENDPOINT = "https://redis.other.test";
    const second = kakaoClient();
    expect(second).not.toBe(first);
    expect(second.settings.endpoint).toBe("https://redis.other.test");
  });
});
