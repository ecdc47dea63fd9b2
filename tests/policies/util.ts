/**
 * Test helpers for the policy pack, after pulumi-policy-aws `src/tests/util.ts`: build the arguments
 * the policy server would pass (props wrapped in `@pulumi/policy`'s unknown-checking proxy, as the
 * engine does), run a policy, and collect its violations, its "not known during preview" notes and
 * its not-applicable reason.
 */
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as policy from "@pulumi/policy";
import { TYPE_TOKENS, type ResourceTypeName } from "../../provider/tokens";
import { NotKnownDuringPreview, UNKNOWN } from "../../policies/src/values";

export { UNKNOWN };

/** Stands for the serialized provider every dynamic resource carries in `__provider`. */
export const PROVIDER =
  "exports.handler = __f0;\nfunction __f0() { return require('pulumi-managed-redis/internal/x'); }";

/** The `unknownCheckingProxy` of `@pulumi/policy` (exported untyped). */
const unknownCheckingProxy = (policy as unknown as { unknownCheckingProxy: <T>(v: T) => T })
  .unknownCheckingProxy;

const EMPTY_OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

class NotApplicable extends Error {
  constructor(public readonly reason: string) {
    super(reason);
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicable(reason ?? "");
}

/** The token of a type name of this package, or the string itself for other types. */
export function tokenOf(type: ResourceTypeName | string): string {
  return (TYPE_TOKENS as Record<string, string>)[type] ?? type;
}

/**
 * The properties the engine shows a policy: a dynamic resource's carry its serialized provider in
 * `__provider`, a provider plugin's (`managed-redis:...`) do not.
 */
function propsOf(token: string, props: Record<string, unknown>): Record<string, unknown> {
  return unknownCheckingProxy(
    token.startsWith("pulumi-nodejs:dynamic") ? { __provider: PROVIDER, ...props } : props,
  );
}

/** A URN in the test stack. */
export function urnOf(type: ResourceTypeName | string, name: string): string {
  return `urn:pulumi:dev::redis::${tokenOf(type)}::${name}`;
}

/** Resource-validation arguments for one resource of `type`. */
export function resourceArgs(
  type: ResourceTypeName | string,
  props: Record<string, unknown>,
  options: { name?: string; config?: object } = {},
): ResourceValidationArgs {
  const name = options.name ?? "res";
  return {
    type: tokenOf(type),
    props: propsOf(tokenOf(type), props),
    urn: urnOf(type, name),
    name,
    opts: EMPTY_OPTIONS,
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => (options.config ?? {}) as T,
    notApplicable: throwNotApplicable,
  };
}

/** A resource of a stack, with the resources its properties were computed from. */
export function stackResource(
  type: ResourceTypeName | string,
  name: string,
  props: Record<string, unknown>,
  deps: { propertyDependencies?: Record<string, PolicyResource[]>; dependencies?: PolicyResource[] } = {},
): PolicyResource {
  const propertyDependencies = deps.propertyDependencies ?? {};
  const dependencies = deps.dependencies ?? [...new Set(Object.values(propertyDependencies).flat())];
  return {
    type: tokenOf(type),
    props: propsOf(tokenOf(type), props),
    urn: urnOf(type, name),
    name,
    opts: EMPTY_OPTIONS,
    dependencies,
    propertyDependencies,
    isType: () => false,
    asType: () => undefined,
  };
}

/** Stack-validation arguments for `resources`. */
export function stackArgs(resources: PolicyResource[], config: object = {}): StackValidationArgs {
  return {
    resources,
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable: throwNotApplicable,
  };
}

/** What one run of a policy produced. */
export interface Outcome {
  /** Reported violations, in order. */
  violations: { message: string; urn?: string }[];
  /** The sentences of the advisory "not known during preview" message, if any. */
  previewNotes: readonly string[];
  /** The reason given to `notApplicable()`, if it was called. */
  notApplicable?: string;
}

async function run(fn: (report: (message: string, urn?: string) => void) => unknown): Promise<Outcome> {
  const outcome: Outcome = { violations: [], previewNotes: [] };
  try {
    await fn((message, urn) => outcome.violations.push(urn === undefined ? { message } : { message, urn }));
  } catch (e) {
    if (e instanceof NotKnownDuringPreview) outcome.previewNotes = e.notes;
    else if (e instanceof NotApplicable) outcome.notApplicable = e.reason;
    else throw e;
  }
  return outcome;
}

/** Runs every validation of a resource policy. */
export function runResource(p: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<Outcome> {
  const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
  return run(async (report) => {
    for (const v of validations) await v?.(args, report);
  });
}

/** Runs a stack policy. */
export function runStack(p: StackValidationPolicy, args: StackValidationArgs): Promise<Outcome> {
  return run((report) => p.validateStack(args, report));
}

/** The messages of an outcome's violations. */
export function messages(outcome: Outcome): string[] {
  return outcome.violations.map((v) => v.message);
}

// ---- Happy-path properties, from the document samples (seeds 000 and 004). ----

export const SUBNET_A = "xxxxxxxx-0a69-4f8b-b56d-59ce12b4d55b";
export const SUBNET_B = "yyyyyyyy-0a69-4f8b-b56d-59ce12b4d55b";
export const TAIR_ID = "r-bp1zxszhcgatnx0001";

/** One subnet assignment with `replicas` replica subnets. */
export function assignment(replicas: number): { primary: { id: string }; replicas: { id: string }[] } {
  return { primary: { id: SUBNET_A }, replicas: Array.from({ length: replicas }, () => ({ id: SUBNET_B })) };
}

/** A compliant KakaoRedisCluster: 2 shards of 3 nodes, TLS, 7-day backups. */
export function clusterProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "test-cluster",
    description: "test-cluster",
    version: "7.2.6",
    port: 6379,
    shardCount: 2,
    nodeCountPerShard: 3,
    flavorId: "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
    parameterGroupId: "bbbbcccc-1234-1234-5678-e705e91db2fb",
    subnets: [{ id: SUBNET_A }, { id: SUBNET_B }],
    subnetAssignments: [assignment(2), assignment(2)],
    securityGroups: [{ id: "abcdxxxx-4870-4c4e-a267-2de13e38c2ea" }],
    tlsEnabled: true,
    backupSchedule: { cron: "0 3 * * *", retentionLimit: 7 },
    ...overrides,
  };
}

/** A compliant KakaoShard of 3 nodes (its clusterId unknown: an output of a cluster being created). */
export function shardProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { clusterId: UNKNOWN, nodeCount: 3, subnetAssignments: assignment(2), ...overrides };
}

/** An InstanceSSL enabling SSL on {@link TAIR_ID}. */
export function instanceSslProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { instanceId: TAIR_ID, enabled: true, ...overrides };
}

/** A TairDirectConnection on {@link TAIR_ID}. */
export function directConnectionProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { instanceId: TAIR_ID, connectionString: "redisdirect123", port: "6379", ...overrides };
}

/** A DcsInstanceSSL enabling SSL. */
export function dcsSslProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    projectId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    instanceId: "3e3e3e3e-0000-4000-8000-000000000001",
    enabled: true,
    ...overrides,
  };
}
