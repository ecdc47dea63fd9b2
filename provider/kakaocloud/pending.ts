/**
 * Pending shard and replica additions, shared by `KakaoShard` and `KakaoReplica`.
 *
 * The add-shard and add-replica calls return only the cluster id, and the create waits (for hours,
 * during slot migration) before it can hand the new id to the engine. A `pulumi up` killed in that
 * window leaves a member the state does not know; `pulumi refresh --clear-pending-creates` drops the
 * pending create, and the next `pulumi up` would add a second one. So each addition is written to
 * the local journal (provider/core/journal.ts) before the call, and a create first looks there for
 * an addition an interrupted run left behind and adopts that member instead of adding another.
 *
 * Members returned by a create in this provider process are "claimed" and never adopted twice.
 */
import { CloudError } from "../core/errors";
import {
  findEntries,
  ownedByLiveProcess,
  type JournalEntry,
  type JournalKind,
  type JournalRecord,
  recordEntry,
  removeEntry,
  updateEntry,
} from "../core/journal";
import { logProgress } from "../core/log";
import type { KakaoClient } from "./client";
import { type KakaoWait, mutateWhenSettled } from "./settle";

/** A shard or node as listed by the API: what adoption needs of it. */
export interface Member {
  id: string;
  /** RFC 3339, or a number (epoch seconds or milliseconds): the document types it both ways. */
  createdAt?: string | number;
}

const claimed = new Map<string, Set<string>>();

/** Marks a member id of a cluster as returned by a create in this process. */
export function claim(clusterId: string, id: string): void {
  let ids = claimed.get(clusterId);
  if (!ids) claimed.set(clusterId, (ids = new Set()));
  ids.add(id);
}

/** Whether a member id of a cluster was already returned by a create in this process. */
export function isClaimed(clusterId: string, id: string): boolean {
  return claimed.get(clusterId)?.has(id) ?? false;
}

/**
 * Whether an error from the add call says that nothing was applied: a 4xx answer (invalid input, a
 * limit, a permission, a busy cluster that stayed busy until the deadline, throttling).
 */
export function isRefusal(err: unknown): boolean {
  return (
    err instanceof CloudError &&
    err.httpStatus !== undefined &&
    err.httpStatus >= 400 &&
    err.httpStatus < 500 &&
    err.httpStatus !== 408
  );
}

/** The journal entry of one addition, from before the call until the member is in the state. */
export class PendingAddition {
  private constructor(private record: JournalRecord | undefined) {}

  /** Writes the entry; call it just before the add call. */
  static begin(entry: Omit<JournalEntry, "createdAt" | "owner">): PendingAddition {
    return new PendingAddition(recordEntry(entry));
  }

  /** Wraps an entry found in the journal. */
  static of(record: JournalRecord): PendingAddition {
    return new PendingAddition(record);
  }

  /** Whether the entry is on disk (false when the journal could not be written). */
  get recorded(): boolean {
    return this.record !== undefined;
  }

  /** Records the discovered id of the new member. */
  added(id: string): void {
    if (this.record && this.record.entry.addedId !== id)
      this.record = updateEntry(this.record, { addedId: id });
  }

  /** Removes the entry: the member's id is in the state (or nothing was added). */
  finish(): void {
    if (this.record) removeEntry(this.record);
    this.record = undefined;
  }
}

/**
 * A creation time in milliseconds since the epoch: an RFC 3339 text, or a number of seconds (below
 * 10^11, i.e. before the year 5138) or milliseconds. Unknown or unreadable: +Infinity (youngest).
 */
export function createdAtMs(value: string | number | undefined): number {
  if (typeof value === "number")
    return Number.isFinite(value) ? (value < 1e11 ? value * 1000 : value) : Infinity;
  if (typeof value === "string" && value !== "") {
    const n = /^\d+(\.\d+)?$/.test(value) ? createdAtMs(Number(value)) : Date.parse(value);
    return Number.isNaN(n) ? Infinity : n;
  }
  return Infinity;
}

/** Oldest first, by `createdAt` (as a time, whatever its type) then id. */
export function byAge(a: Member, b: Member): number {
  const d = createdAtMs(a.createdAt) - createdAtMs(b.createdAt);
  return (Number.isNaN(d) ? 0 : d) || a.id.localeCompare(b.id);
}

/**
 * Looks in the journal for an addition of the same kind, cluster and key that an interrupted run
 * left behind, and returns the member to adopt with its entry, or `undefined` when there is none.
 *
 * For each entry, oldest first (skipping entries whose member this process already returned, and
 * entries of another run on this host that is still going):
 * with a recorded `addedId`, that member if it still exists; otherwise the earliest member (by
 * `createdAt`, then id) that is not in the entry's `before` list, not claimed and `matches` the
 * inputs. An entry with no such member is removed: its call never landed (or the member is gone).
 * The member found is claimed and its id written to the entry. Call it under the cluster's lock.
 */
export async function findInterrupted<M extends Member>(opts: {
  kind: JournalKind;
  clusterId: string;
  key: string;
  list: () => Promise<M[]>;
  matches: (member: M) => boolean;
}): Promise<{ member: M; pending: PendingAddition } | undefined> {
  const { kind, clusterId } = opts;
  const entries = findEntries(kind, clusterId, opts.key).filter(
    (r) => !(r.entry.addedId && isClaimed(clusterId, r.entry.addedId)) && !ownedByLiveProcess(r.entry),
  );
  if (entries.length === 0) return undefined;
  const members = await opts.list();
  for (const record of entries) {
    const { addedId, before } = record.entry;
    let member: M | undefined;
    if (addedId) member = members.find((m) => m.id === addedId);
    else {
      const known = new Set(before);
      member = members
        .filter((m) => !known.has(m.id) && !isClaimed(clusterId, m.id) && opts.matches(m))
        .sort(byAge)[0];
    }
    if (member) {
      claim(clusterId, member.id);
      const pending = PendingAddition.of(record);
      pending.added(member.id);
      return { member, pending };
    }
    logProgress(
      addedId
        ? `the ${kind} ${addedId} that an interrupted run added to cluster ${clusterId} is gone; adding a new one`
        : `an interrupted run had started adding a ${kind} to cluster ${clusterId}, but it never appeared; ` +
            `adding it now`,
    );
    removeEntry(record);
  }
  return undefined;
}

/**
 * Adds one shard or node and discovers its id (call it under the cluster's lock): lists the members,
 * writes the journal entry, sends the add call once the cluster is free, and finds the one member
 * that was not there before; the member is claimed and its id written to the entry.
 *
 * `before` is the first attempt's list: after an ambiguous failure (reset, 5xx) the next attempt
 * waits for the cluster to settle and looks again, so a member added by a call whose answer was lost
 * is found instead of being added twice; only when none appeared is the call sent again. A refused
 * call (4xx) removes its entry: nothing was added.
 */
export async function addMember(opts: {
  kind: JournalKind;
  key: string;
  client: KakaoClient;
  clusterId: string;
  shardId?: string;
  wait: KakaoWait;
  /** For messages: `a shard to cluster c-1`. */
  what: string;
  list: () => Promise<Member[]>;
  send: () => Promise<unknown>;
}): Promise<{ id: string; pending: PendingAddition | undefined }> {
  const { kind, key, clusterId, shardId } = opts;
  let before: Set<string> | undefined;
  // Set inside the callback: the journal entry of the call, and whether the API refused the call.
  const sent: { journal?: PendingAddition; refused: boolean } = { refused: false };
  for (let attempt = 1; ; attempt++) {
    try {
      await mutateWhenSettled(opts.client, clusterId, opts.wait, async () => {
        const now = (await opts.list()).map((m) => m.id);
        before ??= new Set(now);
        if (now.some((m) => !before!.has(m))) return;
        // Written before the call: a run killed from here on leaves what the next run needs.
        sent.journal ??= PendingAddition.begin({ kind, key, clusterId, shardId, before: [...before] });
        sent.refused = false;
        try {
          await opts.send();
        } catch (err) {
          sent.refused = isRefusal(err);
          throw err;
        }
      });
      break;
    } catch (err) {
      if (sent.refused) {
        // The API said no: nothing was added (a later attempt writes a new entry).
        sent.journal?.finish();
        sent.journal = undefined;
      }
      if (!(err instanceof CloudError && err.retryable) || attempt >= 4) throw err;
      logProgress(`adding ${opts.what}: ${err.message}; checking whether it was applied`);
    }
  }
  const added = (await opts.list()).filter((m) => !before!.has(m.id));
  if (added.length !== 1) {
    const [members, parent, member] =
      kind === "shard" ? ["shards", "cluster", "shard"] : ["nodes", "shard", "node"];
    throw new Error(
      `added ${opts.what} but found ${added.length} new ${members}; another client changed the ${parent} ` +
        `at the same time: check the ${parent}'s ${members} in the KakaoCloud console and delete the ` +
        `${member} nobody asked for, then run \`pulumi up\` again (it adopts the oldest new ${member} that ` +
        `matches)`,
    );
  }
  claim(clusterId, added[0].id);
  sent.journal?.added(added[0].id);
  return { id: added[0].id, pending: sent.journal };
}
