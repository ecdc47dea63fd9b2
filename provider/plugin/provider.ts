/**
 * The plugin face: a `@pulumi/pulumi/provider` `Provider` serving the six resources by token
 * (`managed-redis:<cloud>:<Type>`), each through the same implementation object the dynamic face
 * loads (`registry.ts`, `at(key)`): `check(olds, news)`, `diff(id, olds, news)`, `create(inputs)`,
 * `read(id, props)`, `update(id, olds, news)` and `delete(id, props)` map one to one.
 *
 * What the plugin adds around each call:
 * - **Secrets.** The engine sends secrets wrapped (`{"4dabf…": "1b47…", value}`) to a provider that
 *   accepts them; the implementations take plain values, so they are unwrapped on the way in, and
 *   a returned field is wrapped again when its input carried a secret or the declaration marks it secret.
 * - **customTimeouts.** The engine's timeout of the operation (`request-context.ts`) becomes the
 *   operation's `timeouts` entry for the call, so it wins over the `timeouts` input; the state keeps
 *   the program's `timeouts`.
 * - **Import.** `read(id, {})` returns `inputs` for every type (the implementation's, else the
 *   input fields of the live state), and marks the state `__imported` with the inputs no cloud
 *   reports (`unreported` in `declarations.ts`). While the mark is there, `diff` and `update` take
 *   the program's values of those fields as the old ones (no change, nothing sent) and `delete`
 *   takes them from the state's inputs (so a `leaveOnDestroy: true` the program declared holds).
 *   A resource created by the plugin has no mark: a change of those fields is a change as usual.
 *   The first update drops the mark (its outputs come from the program's inputs).
 * - **KakaoShard / KakaoReplica.** The dynamic face waits for a new member in an internal child
 *   resource (`KakaoMemberSettled`); a provider cannot register children, so the plugin's create
 *   waits itself, through the same implementation (`at("km")`), and adds its `status`, `slots` and
 *   `nodes` to the outputs. If that wait fails the member exists: create rejects with its id and
 *   outputs (a partial failure, `ErrorResourceInitFailed`), the engine records it, and the next
 *   `pulumi up` sees an unsettled `status` in `diff` and waits again in `update`.
 * - **KakaoRedisCluster.** Likewise: the cluster's create answers with the id at once, and the
 *   dynamic face waits in an internal `KakaoClusterSettled` child; the plugin's create waits itself
 *   through that implementation (`at("kw")`) and takes its `status`, `shards` (the members the
 *   create made), `foreignMembers` and endpoints. If the wait fails the cluster is recorded without
 *   `shards` (a partial failure); `diff` sees its unsettled `status`, and the cluster's own `update`
 *   waits and records the create's members.
 *
 * @packageDocumentation
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as prov from "@pulumi/pulumi/provider";
import { InputError } from "../core/errors";
import { partialFailure } from "../core/partial";
import { plain } from "../core/types";
import { KAKAO_CLUSTER_SETTLED } from "../kakaocloud/cluster-settled.resource";
import { KAKAO_REDIS_CLUSTER } from "../kakaocloud/cluster.resource";
import { KAKAO_MEMBER_SETTLED } from "../kakaocloud/settled.resource";
import { type PluginResource, registryKey, resourceOf } from "./declarations";
import { currentRequest } from "./request-context";
import { inputJsonSchema, packageSchema } from "./schema";

type Props = Record<string, unknown>;
type Operation = "create" | "update" | "delete";

/** The state key that marks an imported resource; its value lists the fields the import could not read. */
export const IMPORTED = "__imported";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Props)[SECRET_SIG] === SECRET_VALUE;
}

/** The value with every secret unwrapped, at any depth. */
export function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecret);
  return false;
}

/**
 * `result` with each top-level field wrapped as a secret when the declaration marks it secret or the
 * same field of `from` (what the engine sent) carried a secret anywhere.
 */
export function conceal(result: Props, from: Props, secrets: readonly string[]): Props {
  return Object.fromEntries(
    Object.entries(result).map(([k, v]) =>
      (secrets.includes(k) || containsSecret(from[k])) && !isSecret(v)
        ? [k, { [SECRET_SIG]: SECRET_VALUE, value: v }]
        : [k, v],
    ),
  );
}

/** Plain JSON (no `undefined`, which the engine's property maps cannot carry) without `__provider`. */
function clean(props: unknown): Props {
  const { __provider: _p, ...rest } = plain((props ?? {}) as Props);
  return rest;
}

/** The type token of a URN (`urn:pulumi:stack::project::parent$type::name`). */
export function tokenOf(urn: string): string {
  return (urn.split("::")[2] ?? "").split("$").pop() ?? "";
}

function target(urn: string): { decl: PluginResource; impl: pulumi.dynamic.ResourceProvider } {
  const token = tokenOf(urn);
  const decl = resourceOf(token);
  if (!decl) throw new InputError("InvalidInput", `managed-redis has no resource type "${token}"`);
  return { decl, impl: implementation(registryKey(decl.module)) };
}

function implementation(key: string): pulumi.dynamic.ResourceProvider {
  const { at } = require("../registry") as { at(key: string): pulumi.dynamic.ResourceProvider };
  return at(key);
}

/**
 * The inputs with the engine's timeout of `op` (seconds; customTimeouts) as `timeouts[op]`: the
 * implementations turn `timeouts` into their deadlines, so customTimeouts win over the input.
 */
export function withTimeout(inputs: Props, op: Operation, seconds: number | undefined): Props {
  if (!seconds || seconds <= 0) return inputs;
  const timeouts = {
    ...((inputs.timeouts as Props | undefined) ?? {}),
    [op]: `${Math.ceil(seconds * 1000)}ms`,
  };
  return { ...inputs, timeouts };
}

/** `outs` with the program's own `timeouts` (the state never records a customTimeouts value). */
function keepTimeouts(outs: Props, program: Props): Props {
  const { timeouts: _t, ...rest } = outs;
  return program.timeouts === undefined ? rest : { ...rest, timeouts: program.timeouts };
}

/**
 * The old state as the implementation should see it: without the import mark and, on an imported
 * resource, with the fields the import could not read taken from `source` (the program's inputs).
 */
export function oldsFor(olds: Props, source: Props | undefined): Props {
  const { [IMPORTED]: mark, ...rest } = olds;
  if (!Array.isArray(mark) || !source) return rest;
  for (const field of mark as string[]) {
    if (source[field] === undefined) delete rest[field];
    else rest[field] = source[field];
  }
  return rest;
}

const inputNamesCache = new Map<string, string[]>();

function inputNames(decl: PluginResource): string[] {
  let names = inputNamesCache.get(decl.pluginToken);
  if (!names) {
    names = Object.keys(inputJsonSchema(decl).properties ?? {});
    inputNamesCache.set(decl.pluginToken, names);
  }
  return names;
}

function pick(props: Props, names: readonly string[]): Props {
  return Object.fromEntries(names.filter((n) => props[n] !== undefined).map((n) => [n, props[n]]));
}

/** The internal `KakaoMemberSettled` inputs of a shard's or replica's outputs. */
function memberOf(decl: PluginResource, outs: Props, timeouts: unknown): Props {
  return plain({
    kind: decl.settles,
    clusterId: outs.clusterId,
    shardId: outs.shardId,
    nodeId: decl.settles === "replica" ? outs.nodeId : undefined,
    timeouts,
  });
}

/** Waits until the member settled (the dynamic face's child create); its status, slots and nodes. */
async function settle(decl: PluginResource, outs: Props, timeouts: unknown): Promise<Props> {
  const { outs: settled } = await implementation(registryKey(KAKAO_MEMBER_SETTLED.module)).create(
    memberOf(decl, outs, timeouts),
  );
  return pick(settled as Props, KAKAO_MEMBER_SETTLED.outputNames);
}

/** Whether the resource is a cluster whose create answers before it settled (see the module comment). */
function settlesCluster(decl: PluginResource): boolean {
  return decl.module === KAKAO_REDIS_CLUSTER.module;
}

/** Waits until a new cluster settled (the dynamic face's child create); what the class shows from it. */
async function settleCluster(outs: Props, timeouts: unknown): Promise<Props> {
  const inputs = plain({ clusterId: outs.clusterId, port: outs.port, timeouts });
  const { outs: settled } = await implementation(registryKey(KAKAO_CLUSTER_SETTLED.module)).create(inputs);
  return pick(settled as Props, KAKAO_REDIS_CLUSTER.outputNames);
}

function isPartial(
  err: unknown,
): err is { message: string; id: string; properties?: Props; reasons?: string[] } {
  return (
    typeof err === "object" &&
    err !== null &&
    typeof (err as Props).id === "string" &&
    (err as Props).id !== ""
  );
}

/** A partial failure whose properties the engine can record (plain, secrets wrapped). */
function recordable(err: unknown, decl: PluginResource, program: Props, sent: Props): unknown {
  if (!isPartial(err)) return err;
  const properties = conceal(keepTimeouts(clean(err.properties), program), sent, decl.secrets);
  return { message: err.message, id: err.id, properties, reasons: err.reasons ?? [err.message] };
}

async function check(urn: string, olds: Props, news: Props): Promise<prov.CheckResult> {
  const { decl, impl } = target(urn);
  const result = await impl.check!(reveal(olds), reveal(news));
  return { inputs: conceal(clean(result.inputs), news, decl.secrets), failures: result.failures ?? [] };
}

async function diff(id: string, urn: string, olds: Props, news: Props): Promise<prov.DiffResult> {
  const { decl, impl } = target(urn);
  const plainNews = reveal(news) as Props;
  const before = oldsFor(reveal(olds) as Props, plainNews);
  const result = await impl.diff!(id, before, plainNews);
  // A member whose wait did not finish (a partial failure, a refresh during the migration) waits
  // again in update, as the dynamic face's child does.
  const { classify } = require("../kakaocloud/settle") as typeof import("../kakaocloud/settle");
  const unsettled =
    (decl.settles !== undefined || settlesCluster(decl)) &&
    classify(before.status as string | undefined) !== "settled";
  return {
    changes: Boolean(result.changes) || unsettled,
    replaces: result.replaces ?? [],
    deleteBeforeReplace: result.deleteBeforeReplace ?? false,
  };
}

async function create(urn: string, inputs: Props): Promise<prov.CreateResult> {
  const { decl, impl } = target(urn);
  const program = reveal(inputs) as Props;
  const sent = withTimeout(program, "create", currentRequest().timeoutSeconds);
  let id: string;
  let outs: Props;
  try {
    const created = await impl.create(sent);
    id = created.id;
    outs = keepTimeouts(clean(created.outs), program);
  } catch (err) {
    throw recordable(err, decl, program, inputs);
  }
  if (decl.settles || (settlesCluster(decl) && !Array.isArray(outs.shards))) {
    try {
      const waited = decl.settles ? settle(decl, outs, sent.timeouts) : settleCluster(outs, sent.timeouts);
      outs = { ...outs, ...(await waited) };
    } catch (err) {
      throw recordable(partialFailure(err, id, outs), decl, program, inputs);
    }
  }
  return { id, outs: conceal(outs, inputs, decl.secrets) };
}

async function read(id: string, urn: string, props: Props = {}): Promise<prov.ReadResult> {
  const { decl, impl } = target(urn);
  const state = reveal(props) as Props;
  const importing = Object.keys(state).length === 0;
  const mark = state[IMPORTED];
  const result = await impl.read!(id, oldsFor(state, undefined));
  if (!result.id) return { id: "", props: {} };
  let outs = clean(result.props);
  if (decl.settles) {
    const member = await implementation(registryKey(KAKAO_MEMBER_SETTLED.module)).read!(
      id,
      memberOf(decl, outs, outs.timeouts),
    );
    outs = { ...outs, ...pick(clean(member.props), KAKAO_MEMBER_SETTLED.outputNames) };
  }
  let inputs = result.inputs === undefined ? undefined : clean(result.inputs);
  if (importing) {
    inputs ??= pick(outs, inputNames(decl));
    outs = { ...outs, [IMPORTED]: [...decl.unreported] };
  } else if (mark !== undefined) {
    outs = { ...outs, [IMPORTED]: mark };
  }
  return {
    id: result.id,
    props: conceal(outs, props, decl.secrets),
    ...(inputs ? { inputs: conceal(inputs, props, decl.secrets) } : {}),
  };
}

async function update(id: string, urn: string, olds: Props, news: Props): Promise<prov.UpdateResult> {
  const { decl, impl } = target(urn);
  const program = reveal(news) as Props;
  const sent = withTimeout(program, "update", currentRequest().timeoutSeconds);
  const before = oldsFor(reveal(olds) as Props, program);
  let outs: Props;
  try {
    outs = keepTimeouts(clean((await impl.update!(id, before, sent)).outs), program);
  } catch (err) {
    throw recordable(err, decl, program, news);
  }
  if (decl.settles) {
    const timeouts = { ...((sent.timeouts as Props | undefined) ?? {}) };
    if (timeouts.update !== undefined) timeouts.create = timeouts.update;
    outs = { ...outs, ...(await settle(decl, outs, timeouts)) };
  }
  return { outs: conceal(outs, news, decl.secrets) };
}

async function del(id: string, urn: string, props: Props): Promise<void> {
  const { impl } = target(urn);
  const request = currentRequest();
  const state = oldsFor(reveal(props) as Props, reveal(request.oldInputs) as Props | undefined);
  await impl.delete!(id, withTimeout(state, "delete", request.timeoutSeconds));
}

/** The plugin's provider object for `main()` of `@pulumi/pulumi/provider`. */
export function pluginProvider(version: string): prov.Provider {
  return {
    version,
    getSchema: async () => JSON.stringify(packageSchema(version)),
    check,
    diff,
    create,
    read,
    update,
    delete: del,
  };
}
