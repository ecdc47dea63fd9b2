/**
 * KakaoCloud Redis (MemStore, cluster mode enabled) API client: IAM token handling and the cluster,
 * shard and node calls of the API document, over the shared HTTP client.
 */
import { CloudError, ConfigError, registerSecret } from "../core/errors";
import { HttpClient, type HttpMethod, type HttpResponse } from "../core/http";
import { isNotFound, kakaoError } from "./errors";
import { checkEndpoint, setting } from "../core/config";
import {
  type AcceptedChange,
  fieldsRead,
  lastLook,
  nodeAdded,
  nodeGone,
  noteAccepted,
  shardAdded,
  shardGone,
} from "./evidence";

export { isBusy, isNotFound, kakaoError } from "./errors";

/** A node as the API returns it. */
export interface ApiNode {
  id: string;
  name?: string;
  subnet?: { id: string };
  endpoint?: string;
  role?: string;
  status?: string;
  /** RFC 3339 in most answers; the list-nodes table of the document types it Integer (epoch). */
  createdAt?: string | number;
}

/** A shard as the API returns it. */
export interface ApiShard {
  id: string;
  name?: string;
  slots?: string;
  nodes?: ApiNode[];
  status?: string;
  createdAt?: string | number;
}

/**
 * A cluster as `GET /v1/clusters/{id}` returns it. The fields of this call are not published
 * (docs/cloud-facts.md: *uncertain*); everything but `id` and `status` is optional here.
 */
export interface ApiCluster {
  id: string;
  name?: string;
  description?: string;
  version?: string;
  port?: number;
  shardCount?: number;
  nodeCountPerShard?: number;
  flavorId?: string;
  parameterGroupId?: string;
  status?: string;
  tlsEnabled?: boolean;
  backupSchedule?: { cron: string; retentionLimit: number };
  subnets?: { id: string }[];
  securityGroups?: { id: string }[];
}

/**
 * The order the client reports members in, whatever order the API lists them in (a list's order is
 * not documented, and a shuffled answer would change the outputs between reads): shards by id
 * (`001`, `002`, ... count up), nodes by name then id (a node's name ends in its sequence number).
 */
const numeric = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/** Nodes in the client's stable order (by name, then id). */
export function sortNodes(nodes: ApiNode[]): ApiNode[] {
  return [...nodes].sort((a, b) => numeric(a.name ?? "", b.name ?? "") || numeric(a.id, b.id));
}

/** A shard with its nodes in the client's stable order. */
function sortedShard(shard: ApiShard): ApiShard {
  return shard.nodes ? { ...shard, nodes: sortNodes(shard.nodes) } : shard;
}

/** Shards (and their nodes) in the client's stable order (by shard id). */
export function sortShards(shards: ApiShard[]): ApiShard[] {
  return shards.map(sortedShard).sort((a, b) => numeric(a.id, b.id));
}

/** Resolved connection settings. */
export interface KakaoSettings {
  endpoint: string;
  iamEndpoint: string;
  credentialId?: string;
  credentialSecret?: string;
  token?: string;
}

/** Reads the KakaoCloud settings from the stack configuration or the environment. */
export function kakaoSettings(): KakaoSettings {
  const region = setting("kakaoRegion", ["KAKAOCLOUD_REGION"]) ?? "kr-central-2";
  const endpoint =
    setting("kakaoEndpoint", ["KAKAOCLOUD_REDIS_ENDPOINT"]) ?? `https://redis.${region}.kakaocloud.com`;
  const iam =
    setting("kakaoIamEndpoint", ["KAKAOCLOUD_IAM_ENDPOINT"]) ?? "https://iam.kakaocloud.com/identity";
  const settings: KakaoSettings = {
    endpoint: checkEndpoint(endpoint, "managed-redis:kakaoEndpoint / KAKAOCLOUD_REDIS_ENDPOINT"),
    iamEndpoint: checkEndpoint(iam, "managed-redis:kakaoIamEndpoint / KAKAOCLOUD_IAM_ENDPOINT"),
    credentialId: setting("kakaoApplicationCredentialId", ["KAKAOCLOUD_APPLICATION_CREDENTIAL_ID"]),
    credentialSecret: setting(
      "kakaoApplicationCredentialSecret",
      ["KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET"],
      {
        secret: true,
      },
    ),
    token: setting("kakaoAuthToken", ["KAKAOCLOUD_AUTH_TOKEN"], { secret: true }),
  };
  if (!settings.token && !(settings.credentialId && settings.credentialSecret)) {
    throw new ConfigError(
      "MissingCredentials",
      "KakaoCloud credentials are missing: set managed-redis:kakaoApplicationCredentialId and " +
        "managed-redis:kakaoApplicationCredentialSecret (pulumi config set --secret), or the environment variables " +
        "KAKAOCLOUD_APPLICATION_CREDENTIAL_ID and KAKAOCLOUD_APPLICATION_CREDENTIAL_SECRET, or an IAM token in " +
        "KAKAOCLOUD_AUTH_TOKEN",
    );
  }
  return settings;
}

/**
 * The KakaoCloud client. One per provider process (see {@link kakaoClient}) so that the IAM token
 * and the connection pool are shared.
 */
export class KakaoClient {
  private readonly http = new HttpClient({ cloud: "kakaocloud", toError: kakaoError });
  private token?: { value: string; expiresAt: number };
  private issuing?: Promise<string>;

  constructor(readonly settings: KakaoSettings) {}

  /** Issues (or reuses) the IAM token; renews it five minutes before it expires. */
  async authToken(forceNew = false): Promise<string> {
    if (this.settings.token && !this.settings.credentialId) return this.settings.token;
    if (!forceNew && this.token && this.token.expiresAt - Date.now() > 5 * 60_000) return this.token.value;
    this.issuing ??= this.issueToken().finally(() => (this.issuing = undefined));
    return this.issuing;
  }

  private async issueToken(): Promise<string> {
    const res = await this.http.send<{ token?: { expires_at?: string } }>({
      method: "POST",
      url: `${this.settings.iamEndpoint}/v3/auth/tokens`,
      operation: "POST /identity/v3/auth/tokens",
      idempotent: true, // issuing a token creates nothing that needs cleaning up
      json: {
        auth: {
          identity: {
            methods: ["application_credential"],
            application_credential: {
              id: this.settings.credentialId,
              secret: this.settings.credentialSecret,
            },
          },
        },
      },
    });
    const value = res.headers["x-subject-token"];
    if (!value) {
      throw new CloudError({
        cloud: "kakaocloud",
        code: "NoToken",
        message: "the IAM answer carried no X-Subject-Token header",
        httpStatus: res.status,
      });
    }
    registerSecret(value);
    const expires = Date.parse(res.body?.token?.expires_at ?? "");
    this.token = { value, expiresAt: Number.isNaN(expires) ? Date.now() + 3_600_000 : expires };
    return value;
  }

  /** Sends an authenticated request; a 401 re-issues the token once. */
  async call<T>(
    method: HttpMethod,
    path: string,
    json?: unknown,
    idempotent?: boolean,
  ): Promise<HttpResponse<T>> {
    const operation = `${method} ${path.replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, "{id}")}`;
    const send = async (token: string) =>
      this.http.send<T>({
        method,
        url: `${this.settings.endpoint}${path}`,
        headers: { "X-Auth-Token": token },
        json,
        idempotent,
        operation,
      });
    try {
      return await send(await this.authToken());
    } catch (err) {
      if (err instanceof CloudError && err.httpStatus === 401 && this.settings.credentialId) {
        return send(await this.authToken(true));
      }
      throw err;
    }
  }

  /** `GET /v1/redis/versions`: the Redis versions new clusters may use (a bare array of strings). */
  async listVersions(): Promise<unknown[]> {
    const res = await this.call<unknown>("GET", "/v1/redis/versions");
    const body = res.body as { versions?: unknown } | unknown[] | undefined;
    // A bare array (docs/cloud-facts.md); an object that wraps it is read too.
    if (Array.isArray(body)) return body;
    return Array.isArray(body?.versions) ? body.versions : [];
  }

  /** `GET /v1/redis/flavors`: the flavors (`{flavors: [{id, name, vcpus, memory}]}`), as listed (./lookups.ts reads them). */
  async listFlavors(): Promise<unknown[]> {
    const res = await this.call<unknown>("GET", "/v1/redis/flavors");
    const body = res.body as { flavors?: unknown } | unknown[] | undefined;
    if (Array.isArray(body)) return body;
    return Array.isArray(body?.flavors) ? body.flavors : [];
  }

  async getCluster(id: string): Promise<ApiCluster | undefined> {
    try {
      const res = await this.call<ApiCluster | { cluster: ApiCluster }>("GET", `/v1/clusters/${enc(id)}`);
      const body = res.body as ApiCluster & { cluster?: ApiCluster };
      return body.cluster ?? body;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async listClusters(): Promise<ApiCluster[]> {
    const res = await this.call<{ clusters?: ApiCluster[] } | ApiCluster[]>("GET", "/v1/clusters");
    return Array.isArray(res.body) ? res.body : (res.body?.clusters ?? []);
  }

  async createCluster(body: unknown): Promise<string> {
    const res = await this.call<{ objectId: string }>("POST", "/v1/clusters", body, false);
    return res.body.objectId;
  }

  /**
   * Sends a mutation of a cluster and records it for the waits after it (./evidence.ts): as
   * accepted once answered, as unsure when the answer was lost (a reset or a 5xx).
   */
  private async mutate(
    clusterId: string,
    what: string,
    shows: AcceptedChange["shows"],
    send: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await send();
    } catch (err) {
      const lost =
        err instanceof CloudError &&
        !err.refused &&
        (err.code === "NetworkError" || (err.httpStatus ?? 0) >= 500);
      if (lost) noteAccepted(clusterId, { what, shows, unsure: true });
      throw err;
    }
    noteAccepted(clusterId, { what, shows });
  }

  async updateCluster(id: string, body: { description?: string; parameterGroupId?: string }): Promise<void> {
    await this.mutate(id, "the new settings to read back", fieldsRead(body), () =>
      this.call("PATCH", `/v1/clusters/${enc(id)}`, body, true),
    );
  }

  async deleteCluster(id: string): Promise<void> {
    await this.call("DELETE", `/v1/clusters/${enc(id)}`);
  }

  async listShards(clusterId: string): Promise<ApiShard[]> {
    const res = await this.call<{ shards?: ApiShard[] }>("GET", `/v1/clusters/${enc(clusterId)}/shards`);
    return sortShards(res.body?.shards ?? []);
  }

  async getShard(clusterId: string, shardId: string): Promise<ApiShard | undefined> {
    try {
      return sortedShard(
        (await this.call<ApiShard>("GET", `/v1/clusters/${enc(clusterId)}/shards/${enc(shardId)}`)).body,
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async addShard(clusterId: string, body: unknown): Promise<void> {
    await this.mutate(clusterId, "the new shard to be listed", shardAdded(lastLook(clusterId)), () =>
      this.call("POST", `/v1/clusters/${enc(clusterId)}/shards`, body, false),
    );
  }

  async deleteShard(clusterId: string, shardId: string): Promise<void> {
    await this.mutate(clusterId, `shard ${shardId} to be no longer listed`, shardGone(shardId), () =>
      this.call("DELETE", `/v1/clusters/${enc(clusterId)}/shards/${enc(shardId)}`),
    );
  }

  async listNodes(clusterId: string, shardId: string): Promise<ApiNode[]> {
    const res = await this.call<{ nodes?: ApiNode[] }>(
      "GET",
      `/v1/clusters/${enc(clusterId)}/shards/${enc(shardId)}/nodes`,
    );
    return sortNodes(res.body?.nodes ?? []);
  }

  async getNode(clusterId: string, shardId: string, nodeId: string): Promise<ApiNode | undefined> {
    try {
      return (
        await this.call<ApiNode>(
          "GET",
          `/v1/clusters/${enc(clusterId)}/shards/${enc(shardId)}/nodes/${enc(nodeId)}`,
        )
      ).body;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async addReplica(clusterId: string, shardId: string, subnetId: string): Promise<void> {
    const shows = nodeAdded(shardId, lastLook(clusterId));
    await this.mutate(clusterId, `the new node of shard ${shardId} to be listed`, shows, () =>
      this.call(
        "POST",
        `/v1/clusters/${enc(clusterId)}/shards/${enc(shardId)}/nodes`,
        { subnet: { id: subnetId } },
        false,
      ),
    );
  }

  async deleteNode(clusterId: string, shardId: string, nodeId: string): Promise<void> {
    await this.mutate(clusterId, `node ${nodeId} to be no longer listed`, nodeGone(shardId, nodeId), () =>
      this.call("DELETE", `/v1/clusters/${enc(clusterId)}/shards/${enc(shardId)}/nodes/${enc(nodeId)}`),
    );
  }
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

let shared: { key: string; client: KakaoClient } | undefined;

/** The process-wide client for the current settings. */
export function kakaoClient(): KakaoClient {
  const settings = kakaoSettings();
  const key = JSON.stringify([
    settings.endpoint,
    settings.iamEndpoint,
    settings.credentialId,
    settings.token,
  ]);
  if (!shared || shared.key !== key) shared = { key, client: new KakaoClient(settings) };
  return shared.client;
}
