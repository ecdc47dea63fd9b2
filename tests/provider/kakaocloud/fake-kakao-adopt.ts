/**
 * A scripted fake of the two KakaoCloud client calls that `createOrAdopt` (provider/kakaocloud/adopt.ts)
 * makes: `listClusters` answers from a queue of listings (the last one repeats), `createCluster`
 * from a queue of outcomes (an id, or an error to throw). Every call and request body is recorded.
 */
import type { ApiCluster, KakaoClient } from "../../../provider/kakaocloud/client";

/** The endpoint the fake client reports in its settings. */
export const FAKE_ENDPOINT = "https://redis.fake-region.kakaocloud.test";

/** What one `createCluster` call does: return the id, or throw the error. */
export type CreateOutcome = { id: string } | { error: unknown };

export interface FakeKakao {
  /** The fake, typed as the client `createOrAdopt` takes. */
  client: KakaoClient;
  /** How many times `listClusters` was called. */
  listCalls: number;
  /** The bodies `createCluster` was called with, in order. */
  createBodies: unknown[];
}

/**
 * A fake client. `listings[i]` is the answer to the i-th `listClusters` call (the last repeats;
 * none given: always empty); `creates[i]` the outcome of the i-th `createCluster` call (past the
 * end: an error saying the script ran out).
 */
export function fakeKakao(listings: ApiCluster[][], creates: CreateOutcome[] = []): FakeKakao {
  const fake: FakeKakao = { client: undefined as unknown as KakaoClient, listCalls: 0, createBodies: [] };
  const impl = {
    settings: { endpoint: FAKE_ENDPOINT, iamEndpoint: "https://iam.fake.test", token: "t" },
    async listClusters(): Promise<ApiCluster[]> {
      const i = Math.min(fake.listCalls, listings.length - 1);
      fake.listCalls++;
      return i < 0 ? [] : listings[i].map((c) => ({ ...c }));
    },
    async createCluster(body: unknown): Promise<string> {
      const outcome = creates[fake.createBodies.length];
      fake.createBodies.push(body);
      if (outcome === undefined) throw new Error("fake-kakao-adopt: no scripted createCluster outcome left");
      if ("error" in outcome) throw outcome.error;
      return outcome.id;
    },
  };
  fake.client = impl as unknown as KakaoClient;
  return fake;
}
