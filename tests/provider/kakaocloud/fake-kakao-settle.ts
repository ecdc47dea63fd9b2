/**
 * A scripted stand-in for the `KakaoClient` calls the settle waits use (`getCluster`, `listShards`,
 * `getShard`): the unit tests of ./settle.ts, ./members.ts and ./settled.ts drive statuses look by
 * look and count the requests made.
 */
import type { ApiShard, KakaoClient } from "../../../provider/kakaocloud/client";
import { CloudError } from "../../../provider/core/errors";

/** The cluster as one look finds it: a status, or `null` when the cluster does not exist. */
export type ClusterLook = string | undefined | null;

/** A fake client: each list is consumed one look at a time, its last entry repeating. */
export class FakeKakao {
  /** Requests made, in order (`getCluster`, `listShards`, `getShard`). */
  readonly requests: string[] = [];
  /** Called after every `getCluster` (e.g. to move a frozen clock on). */
  afterGetCluster?: () => void;
  /** What `getShard` answers. */
  shard?: ApiShard;

  constructor(
    public clusters: ClusterLook[] = ["Running"],
    public shards: ApiShard[][] = [[running("001")]],
  ) {}

  private next<T>(list: T[]): T {
    return list.length > 1 ? list.shift()! : list[0];
  }

  get client(): KakaoClient {
    return {
      getCluster: async (id: string) => {
        this.requests.push("getCluster");
        const status = this.next(this.clusters);
        this.afterGetCluster?.();
        return status === null ? undefined : { id, status };
      },
      listShards: async () => {
        this.requests.push("listShards");
        // A fresh copy per call, so that tests can tell one listing from another by identity.
        return this.next(this.shards).map((s) => ({ ...s, nodes: s.nodes?.map((n) => ({ ...n })) }));
      },
      getShard: async () => {
        this.requests.push("getShard");
        return this.shard;
      },
    } as unknown as KakaoClient;
  }

  /** How many times the cluster was looked at. */
  get looks(): number {
    return this.requests.filter((r) => r === "getCluster").length;
  }
}

/** A shard with one primary node, both in `status`. */
export function running(id: string, status = "Running"): ApiShard {
  return {
    id,
    status,
    slots: "0-100",
    nodes: [{ id: `n-${id}`, name: `redis-${id}`, role: "primary", status }],
  };
}

/** A "cluster busy" answer (HTTP 409, refused). */
export function busyError(): CloudError {
  return new CloudError({
    cloud: "kakaocloud",
    code: "Conflict",
    message: "busy",
    httpStatus: 409,
    refused: true,
  });
}

/** A retryable server error (HTTP 502). */
export function serverError(): CloudError {
  return new CloudError({
    cloud: "kakaocloud",
    code: "InternalError",
    message: "bad gateway",
    httpStatus: 502,
    retryable: true,
  });
}

/** A non-retryable client error (HTTP 400). */
export function badRequest(): CloudError {
  return new CloudError({ cloud: "kakaocloud", code: "BadRequest", message: "nope", httpStatus: 400 });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the promise's outcome, or `"hung"` when it has not settled within `ms`. */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | Error | "hung"> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((r) => (timer = setTimeout(() => r("hung"), ms)));
  try {
    return await Promise.race([p.catch((e: Error) => e), hung]);
  } finally {
    clearTimeout(timer);
  }
}
