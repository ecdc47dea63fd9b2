/**
 * Lookups of the KakaoCloud Redis catalog: the flavors (`GET /v1/redis/flavors`) and the Redis
 * versions (`GET /v1/redis/versions`), so that a program names `m2a.large` or the `7.2` line instead
 * of a flavor UUID or a frozen version.
 *
 * They run where they are awaited — in the program — with the same credentials and endpoints as the
 * resources: the stack configuration (`managed-redis:*`, read through `new pulumi.Config`), else the
 * environment (../core/config.ts). The package root exports them; this file loads the client (and
 * its HTTP stack) only when a lookup is called, so that importing the package stays light.
 *
 * `memory`: the API does not publish its unit (docs/cloud-facts.md). It is read as GiB (the emulator's, and
 * the size of every published Redis flavor), unless the largest flavor listed has 1024 or more: then
 * the whole list is read as MiB. `memoryGiB` says what was understood.
 */
import { CloudError, InputError } from "../core/errors";
import { logProgress } from "../core/log";
import type { KakaoClient } from "./client";
import { KAKAO_REDIS_VERSIONS } from "./versions";

/** A KakaoCloud Redis flavor, as `GET /v1/redis/flavors` lists it, with its memory in GiB. */
export interface KakaoFlavor {
  /** The flavor id: `KakaoRedisCluster.flavorId`. */
  id: string;
  /** Its name, e.g. `m2a.large`. */
  name: string;
  vcpus: number;
  /** Memory as the API reports it (unit not published). */
  memory: number;
  /** Memory in GiB, as this package reads `memory` (see the module comment). */
  memoryGiB: number;
}

/** Which flavor {@link getKakaoFlavor} returns: one by exact name, or the smallest with at least this much. */
export type KakaoFlavorQuery = { name: string } | { minVcpus?: number; minMemoryGiB?: number };

/** The client, loaded on first use (it brings undici and p-retry). */
function client(): KakaoClient {
  return (require("./client") as typeof import("./client")).kakaoClient();
}

/** An answer that lists nothing: an error, never an empty choice. */
function emptyList(what: string, operation: string): CloudError {
  return new CloudError({
    cloud: "kakaocloud",
    code: "EmptyList",
    operation,
    httpStatus: 200,
    message:
      `KakaoCloud listed no Redis ${what}; check the region and endpoint (managed-redis:kakaoRegion / ` +
      `KAKAOCLOUD_REGION, managed-redis:kakaoEndpoint / KAKAOCLOUD_REDIS_ENDPOINT)`,
  });
}

/** Compares two versions part by part as numbers (`7.2.11` > `7.2.6`); a missing part counts as 0. */
export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] || 0) - (y[i] || 0);
    if (d !== 0) return d;
  }
  return 0;
}

const VERSION = /^\d+\.\d+\.\d+$/;

/** Versions as listed: strings of the form major.minor.patch, newest first, each once. */
function versionsOf(listed: unknown[]): string[] {
  const versions = listed.filter((v): v is string => typeof v === "string" && VERSION.test(v));
  return [...new Set(versions)].sort((a, b) => compareVersions(b, a));
}

/** Flavors as listed (entries without a string id and name or numeric sizes are left out), memory read. */
function flavorsOf(listed: unknown[]): KakaoFlavor[] {
  const flavors = listed.filter(
    (f): f is Omit<KakaoFlavor, "memoryGiB"> =>
      typeof f === "object" &&
      f !== null &&
      typeof (f as KakaoFlavor).id === "string" &&
      typeof (f as KakaoFlavor).name === "string" &&
      Number.isFinite((f as KakaoFlavor).vcpus) &&
      Number.isFinite((f as KakaoFlavor).memory),
  );
  const mib = flavors.some((f) => f.memory >= 1024);
  return flavors.map(({ id, name, vcpus, memory }) => ({
    id,
    name,
    vcpus,
    memory,
    memoryGiB: mib ? memory / 1024 : memory,
  }));
}

/**
 * Every Redis version KakaoCloud offers for new clusters (`GET /v1/redis/versions`), newest first.
 *
 * @throws CloudError when the API answers with an error (its code and HTTP status) or lists nothing
 *   (`EmptyList`); ConfigError when credentials are missing.
 * @example
 * ```ts
 * const versions = await getKakaoRedisVersions(); // ["7.2.11", "7.2.6", "7.0.15", ...]
 * ```
 */
export async function getKakaoRedisVersions(): Promise<string[]> {
  const versions = versionsOf(await client().listVersions());
  if (versions.length === 0) throw emptyList("versions", "GET /v1/redis/versions");
  return versions;
}

/**
 * The newest Redis version KakaoCloud offers in a `major.minor` line (compared as numbers: 7.2.11 is
 * newer than 7.2.6).
 *
 * @throws InputError when `line` is not `major.minor` or the cloud offers no version of it (the
 *   message lists the versions it offers); the errors of {@link getKakaoRedisVersions}.
 * @example
 * ```ts
 * const version = await getKakaoRedisVersion({ line: "7.2" }); // "7.2.11"
 * new KakaoRedisCluster("cache", { version, ... });
 * // or as an Output: version: pulumi.output(getKakaoRedisVersion({ line: "7.2" }))
 * ```
 */
export async function getKakaoRedisVersion(query: { line: string }): Promise<string> {
  const line = query?.line;
  if (typeof line !== "string" || !/^\d+\.\d+$/.test(line)) {
    throw new InputError(
      "InvalidInput",
      `line must be major.minor, such as "7.2" (got ${JSON.stringify(line)})`,
    );
  }
  const versions = await getKakaoRedisVersions();
  const [major, minor] = line.split(".").map(Number);
  const match = versions.find((v) => {
    const [a, b] = v.split(".").map(Number);
    return a === major && b === minor;
  });
  if (match === undefined) {
    throw new InputError(
      "InvalidInput",
      `KakaoCloud offers no Redis ${line} version; it offers ${versions.join(", ")}`,
    );
  }
  return match;
}

/**
 * Every flavor KakaoCloud offers for Redis (`GET /v1/redis/flavors`), in the order listed.
 *
 * @throws CloudError when the API answers with an error or lists nothing (`EmptyList`).
 * @example
 * ```ts
 * for (const f of await getKakaoFlavors()) console.log(f.name, f.vcpus, f.memoryGiB);
 * ```
 */
export async function getKakaoFlavors(): Promise<KakaoFlavor[]> {
  const flavors = flavorsOf(await client().listFlavors());
  if (flavors.length === 0) throw emptyList("flavors", "GET /v1/redis/flavors");
  return flavors;
}

const describeFlavor = (f: KakaoFlavor) => `${f.name} (${f.vcpus} vCPU, ${f.memoryGiB} GiB)`;

/**
 * One flavor: by exact `name`, or the smallest (least memory, then fewest vCPUs, then by name) with
 * at least `minVcpus` vCPUs and `minMemoryGiB` GiB (see the module comment on memory units).
 *
 * @throws InputError when the query is malformed or nothing matches (the message lists the flavors
 *   KakaoCloud offers); the errors of {@link getKakaoFlavors}.
 * @example
 * ```ts
 * const flavor = await getKakaoFlavor({ name: "m2a.large" });
 * const big = await getKakaoFlavor({ minVcpus: 4, minMemoryGiB: 16 });
 * new KakaoRedisCluster("cache", { flavorId: flavor.id, ... });
 * // or as an Output: flavorId: pulumi.output(getKakaoFlavor({ name: "m2a.large" })).id
 * ```
 */
export async function getKakaoFlavor(query: KakaoFlavorQuery): Promise<KakaoFlavor> {
  const q = (query ?? {}) as { name?: unknown; minVcpus?: unknown; minMemoryGiB?: unknown };
  const bounds = [q.minVcpus, q.minMemoryGiB];
  if (q.name !== undefined) {
    if (typeof q.name !== "string" || q.name === "" || bounds.some((b) => b !== undefined)) {
      throw new InputError("InvalidInput", "name must be a flavor name, such as m2a.large, given alone");
    }
  } else if (
    bounds.every((b) => b === undefined) ||
    bounds.some((b) => b !== undefined && !(typeof b === "number" && Number.isFinite(b) && b >= 0))
  ) {
    throw new InputError(
      "InvalidInput",
      "give a flavor name, or minVcpus and/or minMemoryGiB as non-negative numbers",
    );
  }
  const flavors = await getKakaoFlavors();
  const offered = () => `KakaoCloud offers ${flavors.map(describeFlavor).join(", ")}`;
  if (q.name !== undefined) {
    const found = flavors.find((f) => f.name === q.name);
    if (!found) throw new InputError("InvalidInput", `no flavor is named "${q.name}"; ${offered()}`);
    return found;
  }
  const minVcpus = (q.minVcpus as number | undefined) ?? 0;
  const minMemoryGiB = (q.minMemoryGiB as number | undefined) ?? 0;
  const fits = flavors
    .filter((f) => f.vcpus >= minVcpus && f.memoryGiB >= minMemoryGiB)
    .sort((a, b) => a.memoryGiB - b.memoryGiB || a.vcpus - b.vcpus || a.name.localeCompare(b.name));
  if (fits.length === 0) {
    throw new InputError(
      "InvalidInput",
      `no flavor has at least ${minVcpus} vCPU and ${minMemoryGiB} GiB; ${offered()}`,
    );
  }
  return fits[0];
}

/** Whether an error means the versions API could not be asked (network, 404, 5xx after retries, empty). */
function unreachable(err: unknown): boolean {
  return (
    err instanceof CloudError &&
    (err.code === "NetworkError" ||
      err.code === "EmptyList" ||
      err.httpStatus === 404 ||
      (err.httpStatus ?? 0) >= 500)
  );
}

/**
 * Refuses a version the cloud does not offer (`KakaoRedisCluster` create): the live list when it can
 * be asked, else the document's five ({@link KAKAO_REDIS_VERSIONS}), said in a progress line.
 *
 * @throws InputError `InvalidInput` naming the versions offered.
 */
export async function checkVersionOffered(kakao: KakaoClient, version: string): Promise<void> {
  let offered: string[];
  let source = "KakaoCloud offers";
  try {
    offered = versionsOf(await kakao.listVersions());
    if (offered.length === 0) throw emptyList("versions", "GET /v1/redis/versions");
  } catch (err) {
    if (!unreachable(err)) throw err;
    offered = [...KAKAO_REDIS_VERSIONS];
    source = "the API document lists";
    logProgress(
      `the Redis versions could not be listed (${(err as Error).message}); checking version ${version} ` +
        `against the API document's: ${offered.join(", ")}`,
    );
  }
  if (!offered.includes(version)) {
    throw new InputError(
      "InvalidInput",
      `KakaoRedisCluster: version ${version} is not offered: ${source} ${offered.join(", ")}`,
    );
  }
}
