/**
 * Creating a KakaoCloud cluster without ever creating it twice, and without taking over a cluster
 * this stack did not create.
 *
 * The cluster name is unique in the project, and the API has no tags or idempotency token. A create
 * that finds a cluster of the same name adopts it only with evidence that this stack created it, or
 * when the program asks for it (`adopt: true`):
 *
 * - in this process: the create request was sent and its answer was lost (reset, 5xx), so the
 *   cluster that appears under the name is the one this request made;
 * - across runs: before the request, an entry is written to the local pending-additions journal
 *   (provider/core/journal.ts) and removed once the id is handed to the engine. An entry left by a
 *   run that was killed in between (its process is gone) is the evidence that the same-name cluster
 *   is that run's.
 *
 * Any other same-name cluster (another stack's, another team's) is refused with an error that says
 * what to do: this stack's `pulumi destroy` would delete what it adopts.
 */
import { CloudError, StateError } from "../core/errors";
import {
  findEntries,
  journalDir,
  journalKey,
  type JournalRecord,
  ownedByLiveProcess,
  recordEntry,
  removeEntry,
  updateEntry,
} from "../core/journal";
import { sleep } from "../core/http";
import { logProgress } from "../core/log";
import { TYPE_TOKENS } from "../tokens";
import type { ApiCluster, KakaoClient } from "./client";

/** What {@link createOrAdopt} needs of the inputs. */
export interface CreateSpec {
  name: string;
  version: string;
  port: number;
  shardCount: number;
  nodeCountPerShard: number;
  flavorId: string;
  adopt?: boolean;
}

/** The cluster created or adopted, and the journal entry to remove once its id is in the state. */
export interface Created {
  id: string;
  adopted: boolean;
  entry?: JournalRecord;
}

const SPEC_KEYS = ["version", "port", "shardCount", "nodeCountPerShard", "flavorId"] as const;

function specMismatch(same: ApiCluster, spec: CreateSpec): string[] {
  return SPEC_KEYS.filter((k) => same[k] !== undefined && same[k] !== spec[k]);
}

async function findByName(client: KakaoClient, name: string): Promise<ApiCluster | undefined> {
  return (await client.listClusters()).find((c) => c.name === name);
}

function mismatchError(spec: CreateSpec, same: ApiCluster, mismatched: string[]): StateError {
  return new StateError(
    "Conflict",
    `a KakaoCloud cluster named "${spec.name}" already exists (id ${same.id}) with a different ` +
      `${mismatched.join(", ")}; choose another name for this cluster`,
  );
}

function refusal(spec: CreateSpec, same: ApiCluster): StateError {
  return new StateError(
    "Conflict",
    `a KakaoCloud cluster named "${spec.name}" already exists (id ${same.id}), and nothing shows that this ` +
      `stack created it (no interrupted create of it in the pending-additions journal at ${journalDir()}). ` +
      `If it belongs to another stack or team, choose another name. If this resource should manage it (for ` +
      `example a run on another machine was killed after creating it), set \`adopt: true\` on the ` +
      `resource: this stack then manages it, and its \`pulumi destroy\` deletes it.`,
  );
}

/** The journal key of a cluster create: the endpoint (cloud and region) and the unique name. */
function clusterKey(client: KakaoClient, name: string): string {
  return journalKey(TYPE_TOKENS.KakaoRedisCluster, { endpoint: client.settings.endpoint, name });
}

/**
 * Creates the cluster, or adopts a same-name cluster with evidence (see the module comment).
 * `body` is the create request. The caller removes `entry` (see {@link finishCreate}) once the id
 * is on its way to the engine.
 */
export async function createOrAdopt(
  client: KakaoClient,
  spec: CreateSpec,
  body: Record<string, unknown>,
): Promise<Created> {
  const key = clusterKey(client, spec.name);
  const entries = findEntries("cluster", spec.name, key).filter((r) => !ownedByLiveProcess(r.entry));
  const same = await findByName(client, spec.name);
  if (same) {
    const mismatched = specMismatch(same, spec);
    if (mismatched.length > 0) throw mismatchError(spec, same, mismatched);
    const evidence = entries.find((r) => !r.entry.addedId || r.entry.addedId === same.id);
    if (!evidence && spec.adopt !== true) throw refusal(spec, same);
    logProgress(
      evidence
        ? `adopting cluster "${spec.name}" (${same.id}), created by an earlier run of this stack that was interrupted`
        : `adopting the existing cluster "${spec.name}" (${same.id}) as asked (adopt: true)`,
    );
    return { id: same.id, adopted: true, entry: evidence };
  }
  // The interrupted runs' requests never landed (or their cluster is gone): their entries are done.
  for (const r of entries) removeEntry(r);
  const entry = recordEntry({ kind: "cluster", key, clusterId: spec.name, before: [] });
  const id = await createOnce(client, spec, body, entry);
  return { id, adopted: false, entry: entry && updateEntry(entry, { addedId: id }) };
}

/** Removes the journal entry of a create whose id is in the state now (or that never happened). */
export function finishCreate(created: { entry?: JournalRecord } | undefined): void {
  if (created?.entry) removeEntry(created.entry);
}

/**
 * Sends the create-cluster request. After an ambiguous failure (reset, 5xx) it looks for the
 * cluster by its unique name: found, it is this request's (none existed before it) and is adopted;
 * not found, it was not created, and sending the request again is safe (a duplicate would be refused
 * as a name conflict, then found and adopted). A refusal (4xx) removes the journal entry.
 */
async function createOnce(
  client: KakaoClient,
  spec: CreateSpec,
  body: Record<string, unknown>,
  entry: JournalRecord | undefined,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.createCluster(body);
    } catch (err) {
      const ambiguous = err instanceof CloudError && err.retryable;
      const conflict = attempt > 1 && err instanceof CloudError && err.httpStatus === 409;
      if (!ambiguous && !conflict) {
        if (entry && err instanceof CloudError && (err.httpStatus ?? 0) < 500) removeEntry(entry);
        throw err;
      }
      const maybe = await findByName(client, spec.name);
      if (maybe) {
        const mismatched = specMismatch(maybe, spec);
        if (mismatched.length > 0) throw mismatchError(spec, maybe, mismatched);
        return maybe.id;
      }
      if (!ambiguous || attempt >= 4) throw err;
      logProgress(
        `creating cluster "${spec.name}": ${(err as Error).message}; not created, sending it again`,
      );
      await sleep(500 * attempt);
    }
  }
}
