/**
 * Tests against surviving mutants of provider/kakaocloud/client.ts: every read is sent as `GET`
 * (so that its errors name `GET <path>` and a 5xx is retried, a read being idempotent), and a
 * network error of the KakaoCloud client says it came from `kakaocloud`.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { CloudError } from "../../../provider/core/errors";
import { KakaoClient } from "../../../provider/kakaocloud/client";
import { rejection } from "../../helpers/errors";
import { FakeKakaoHttp } from "./fake-kakao-http";

/** The five reads, each with the path it must request. */
const reads: [string, string, (c: KakaoClient) => Promise<unknown>][] = [
  ["listClusters", "/v1/clusters", (c) => c.listClusters()],
  ["listShards", "/v1/clusters/c/shards", (c) => c.listShards("c")],
  ["getShard", "/v1/clusters/c/shards/001", (c) => c.getShard("c", "001")],
  ["listNodes", "/v1/clusters/c/shards/001/nodes", (c) => c.listNodes("c", "001")],
  ["getNode", "/v1/clusters/c/shards/001/nodes/n1", (c) => c.getNode("c", "001", "n1")],
];

describe("KakaoClient reads are GETs", () => {
  let fake: FakeKakaoHttp;
  beforeAll(async () => {
    fake = await FakeKakaoHttp.start();
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.stop());

  const client = () => new KakaoClient({ endpoint: fake.url, iamEndpoint: fake.iamEndpoint, token: "tok" });

  it.each(reads)("%s: an error names the operation `GET <path>`", async (_name, path, read) => {
    fake.on("GET", path, { status: 403, body: { code: "Forbidden", message: "no" } });
    const err = await rejection<CloudError>(read(client()));
    expect(err).toBeInstanceOf(CloudError);
    expect(err.operation).toBe(`GET ${path}`);
    expect(fake.sent().map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${path}`]);
  });

  it("a 5xx answer to a read is retried (a GET is idempotent) and the retry's answer returned", async () => {
    const c = client();
    for (const [, path] of reads) {
      fake.on(
        "GET",
        path,
        { status: 503, body: { code: "Unavailable", message: "later" } },
        { status: 200, body: {} },
      );
    }
    await Promise.all(reads.map(([, , read]) => read(c)));
    for (const [, path] of reads) expect(fake.sent(`GET ${path}`)).toHaveLength(2);
  });
});

describe("KakaoClient network errors", () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    // Drops the connection once the whole request arrived: a POST that may have been applied.
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => res.socket?.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("a connection lost after a mutation was sent fails at once, as a kakaocloud NetworkError", async () => {
    const c = new KakaoClient({ endpoint: url, iamEndpoint: `${url}/identity`, token: "tok" });
    const err = await rejection<CloudError>(c.createCluster({ name: "x" }));
    expect(err).toBeInstanceOf(CloudError);
    expect(err).toMatchObject({ cloud: "kakaocloud", code: "NetworkError", operation: "POST /v1/clusters" });
  });
});
