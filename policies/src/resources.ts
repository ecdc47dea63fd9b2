/**
 * Recognising this package's resources in policy arguments and relating them to each other: which
 * resources target the same Tair instance, which KakaoCloud cluster a shard belongs to. Resources are
 * matched only by their type token, on either face of the package: the dynamic resources'
 * `pulumi-nodejs:dynamic/<cloud>:<Type>` ({@link TYPE_TOKENS}) and the provider plugin's
 * `managed-redis:<cloud>:<Type>` (`PLUGIN_TYPE_TOKENS` in `provider/tokens.ts`), with the same property names.
 */
import type { PolicyResource } from "@pulumi/policy";
import { PLUGIN_TYPE_TOKENS, TYPE_TOKENS, type ResourceTypeName } from "../../provider/tokens";
import { isUnknown, plainProps } from "./values";

/** What the helpers need to know about a resource; `PolicyResource` and `ResourceValidationArgs` fit. */
export interface ResourceInfo {
  /** The type token, e.g. `pulumi-nodejs:dynamic/alicloud:InstanceSSL` or `managed-redis:alicloud:InstanceSSL`. */
  type: string;
  /** The resource name given in the program. */
  name: string;
  /** The resource URN. */
  urn: string;
}

/** Token → type name, for both faces' tokens. */
const NAME_BY_TOKEN: ReadonlyMap<string, ResourceTypeName> = new Map(
  [...Object.entries(TYPE_TOKENS), ...Object.entries(PLUGIN_TYPE_TOKENS)].map(
    ([name, token]) => [token, name as ResourceTypeName] as const,
  ),
);

/**
 * The short type name (`InstanceSSL`) of one of this package's tokens, on either face, else
 * `undefined`.
 */
export function typeName(type: string): ResourceTypeName | undefined {
  return NAME_BY_TOKEN.get(type);
}

/** Whether `resource` is of the given type of this package, on either face. */
export function isType(resource: { type: string }, name: ResourceTypeName): boolean {
  return NAME_BY_TOKEN.get(resource.type) === name;
}

/** The resources of the given type of this package (either face), in stack order. */
export function ofType(resources: readonly PolicyResource[], name: ResourceTypeName): PolicyResource[] {
  return resources.filter((r) => isType(r, name));
}

/**
 * How a message names a resource: `InstanceSSL "cache-ssl"` for this package's resources, the full
 * type token for others (`alicloud:kvstore/instance:Instance "cache"`).
 */
export function label(resource: ResourceInfo): string {
  return `${typeName(resource.type) ?? resource.type} ${JSON.stringify(resource.name)}`;
}

/** Whether SSL/TLS is switched on by a setting: `on`, `off`, or `unknown` during preview. */
export type SslState = "on" | "off" | "unknown";

/**
 * Reads an SSL switch: `true`, `"Enable"` (any case) and `"Update"` (certificate renewal, which
 * implies SSL on) are `on`; anything else known — `false`, `"Disable"`, absent — is `off`.
 */
export function sslState(enabled: unknown): SslState {
  if (isUnknown(enabled)) return "unknown";
  if (enabled === true) return "on";
  if (typeof enabled === "string" && ["enable", "enabled", "update"].includes(enabled.toLowerCase()))
    return "on";
  return "off";
}

/**
 * The resources a property of `resource` was computed from: its `propertyDependencies` entry for that
 * property when the engine recorded one, else all its `dependencies`.
 */
export function propertySources(resource: PolicyResource, property: string): PolicyResource[] {
  const byProperty = resource.propertyDependencies ?? {};
  if (Object.prototype.hasOwnProperty.call(byProperty, property)) return byProperty[property] ?? [];
  return resource.dependencies ?? [];
}

/** What a reference property (`instanceId`, `clusterId`) of a resource points at. */
export interface Reference {
  /** The property holding the reference. */
  property: string;
  /** The id when it is known. */
  value?: string;
  /** True when the id is unknown during preview. */
  unknown: boolean;
  /** True when the property is absent or not a string. */
  missing: boolean;
  /** The resources the id was computed from (see {@link propertySources}). */
  sources: PolicyResource[];
}

/** Reads the reference held by `property` of a stack resource. */
export function referenceOf(resource: PolicyResource, property: string): Reference {
  const raw = plainProps(resource.props)[property];
  const sources = propertySources(resource, property);
  if (isUnknown(raw)) return { property, unknown: true, missing: false, sources };
  if (typeof raw === "string" && raw !== "")
    return { property, value: raw, unknown: false, missing: false, sources };
  return { property, unknown: false, missing: true, sources };
}

/** Whether two references point at the same thing: `same`, `different`, or `unknown` during preview. */
export type Relation = "same" | "different" | "unknown";

/**
 * Relates two references. Known ids are compared by value. Otherwise ids computed from exactly the same
 * set of resources (for example both `instance.id`) are taken as the same, ids computed from disjoint
 * sets of resources as different, and anything else cannot be told during preview.
 */
export function relate(a: Reference, b: Reference): Relation {
  if (a.missing || b.missing) return "different";
  if (a.value !== undefined && b.value !== undefined) return a.value === b.value ? "same" : "different";
  if (a.sources.length === 0 || b.sources.length === 0) return "unknown";
  const aUrns = new Set(a.sources.map((r) => r.urn));
  const bUrns = new Set(b.sources.map((r) => r.urn));
  const shared = [...aUrns].filter((u) => bUrns.has(u)).length;
  if (shared === aUrns.size && shared === bUrns.size) return "same";
  if (shared === 0) return "different";
  return "unknown";
}

/**
 * Names the target of a reference in a message: `Tair instance "r-bp1…"` when the id is known, else
 * `the Tair instance whose id comes from <source>`.
 */
export function describeTarget(ref: Reference, noun: string): string {
  if (ref.value !== undefined) return `${noun} ${JSON.stringify(ref.value)}`;
  if (ref.sources.length > 0)
    return `the ${noun} whose id comes from ${ref.sources.map(label).join(" and ")}`;
  return `a ${noun} whose id is not known yet`;
}

/** Where a `KakaoShard` adds its shard. */
export type ShardTarget =
  | { kind: "cluster"; cluster: PolicyResource }
  | { kind: "external"; clusterId: string }
  | { kind: "unresolved" };

/**
 * Finds the cluster a `KakaoShard` (or `KakaoReplica`) targets through its `clusterId`: a cluster of
 * the stack whose `clusterId` output equals it, else the one cluster of the stack it was computed from
 * (property dependencies), else a cluster outside the stack when the id is a known literal.
 */
export function clusterOf(shard: PolicyResource, clusters: readonly PolicyResource[]): ShardTarget {
  const ref = referenceOf(shard, "clusterId");
  if (ref.value !== undefined) {
    const byValue = clusters.find((c) => plainProps(c.props).clusterId === ref.value);
    if (byValue) return { kind: "cluster", cluster: byValue };
  }
  const sourceUrns = new Set(ref.sources.map((r) => r.urn));
  const bySource = clusters.filter((c) => sourceUrns.has(c.urn));
  if (bySource.length === 1) return { kind: "cluster", cluster: bySource[0] };
  if (ref.value !== undefined && bySource.length === 0) return { kind: "external", clusterId: ref.value };
  return { kind: "unresolved" };
}
