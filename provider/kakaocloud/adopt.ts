/**
 * Creating a KakaoCloud cluster without ever creating it twice, and without taking over a cluster
 * this stack did not create.
 *
 * The cluster name is unique in the project, and the API has no tags or idempotency token. A create
 * that finds a cluster of the same name adopts it only with evidence that this request created it,
 * or when the program asks for it (`adopt: true`):
 *
 * - the create request was sent and its answer was lost (reset, 5xx), so the cluster that appears
 *   under the name is the one this request made (none existed before it);
 * - any other same-name cluster (another stack's, another team's, or one left by a run killed
 *   between the API's answer and the engine recording the id) is refused with an error that says
 *   what to do: this stack's `pulumi destroy` would delete what it adopts.
 *
 * The create hands the id to the engine as soon as the API answers (./cluster.ts), and the engine
 * records it before anything else happens to the cluster: a run killed while the cluster is being
 * built leaves it in the stack's state, so no evidence kept outside the state (the local journal of
 * earlier versions) is needed. Only a run killed in the one round trip between the API's answer
 * and the engine recording it leaves an unnamed cluster; the refusal names it and says how to
 * adopt it.
 */
import { CloudError, StateError } from "../core/errors";
import { sleep } from "../core/http";
import { logProgress } from "../core/log";
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

/** The cluster created or adopted. */
export interface Created {
  id: string;
  adopted: boolean;
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
      `stack created it. If it belongs to another stack or team, choose another name. If this resource ` +
      `should manage it (for example a run was killed right after the API created it, before its id ` +
      `reached the stack's state), set \`adopt: true\` on the ` +
      `resource: this stack then manages it, and its \`pulumi destroy\` deletes it.`,
  );
}

/**
 * Creates the cluster, or adopts a same-name cluster with evidence (see the module comment).
 * `body` is the create request.
 */
export async function createOrAdopt(
  client: KakaoClient,
  spec: CreateSpec,
  body: Record<string, unknown>,
): Promise<Created> {
  const same = await findByName(client, spec.name);
  if (same) {
    const mismatched = specMismatch(same, spec);
    if (mismatched.length > 0) throw mismatchError(spec, same, mismatched);
    if (spec.adopt !== true) throw refusal(spec, same);
    logProgress(`adopting the existing cluster "${spec.name}" (${same.id}) as asked (adopt: true)`);
    return { id: same.id, adopted: true };
  }
  return { id: await createOnce(client, spec, body), adopted: false };
}

/**
 * Sends the create-cluster request. After an ambiguous failure (reset, 5xx) it looks for the
 * cluster by its unique name: found, it is this request's (none existed before it) and is adopted;
 * not found, it was not created, and sending the request again is safe (a duplicate would be refused
 * as a name conflict, then found and adopted).
 */
async function createOnce(
  client: KakaoClient,
  spec: CreateSpec,
  body: Record<string, unknown>,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.createCluster(body);
    } catch (err) {
      const ambiguous = err instanceof CloudError && err.retryable;
      const conflict = attempt > 1 && err instanceof CloudError && err.httpStatus === 409;
      if (!ambiguous && !conflict) throw err;
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
