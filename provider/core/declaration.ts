/**
 * One declaration per resource: the values both faces of the package are derived from.
 *
 * Each `.resource.ts` file declares its resource once, with {@link declareResource} (a public
 * resource) or {@link declareInternal} (an internal settle child), and exports the declaration
 * beside its class. From it come:
 * - the dynamic face: the type token `pulumi-nodejs:dynamic/<cloud>:<Type>` (the class's
 *   `__pulumiType`, its module and type, `TYPE_TOKENS`), the implementation the class's shim loads
 *   (`module`, a key of `SHIM_KEYS`), and the outputs the class registers unknown;
 * - the plugin face: the token `managed-redis:<cloud>:<Type>` (`PLUGIN_TYPE_TOKENS`), and everything
 *   the schema and the plugin's handlers need beyond the zod input schema: descriptions of the
 *   resource, its inputs and outputs, output types, secrets, replacing inputs, the inputs no cloud
 *   reports (an import cannot read them) and the member settle of shards and replicas.
 *
 * A program loads this file (every class does): it holds values and types only, and loads no
 * implementation. The zod input schema stays behind `inputSchema()`, which requires the
 * implementation module when the plugin asks for it (`tests/provider/index.test.ts` refuses zod while
 * the package root loads).
 *
 * @packageDocumentation
 */
import type { z } from "zod";
import {
  type DynamicTokenOf,
  dynamicToken,
  type PluginTokenOf,
  type PublicTypeName,
  pluginToken,
  RESOURCE_CLOUDS,
  type ResourceTypeName,
} from "../tokens";
import type { ShimModule } from "./shim";

export { PLUGIN_PACKAGE } from "../tokens";

/** An internal child's type name. */
type InternalTypeName = Exclude<ResourceTypeName, PublicTypeName>;

/** A type in the Pulumi package schema (the subset this package uses). */
export interface TypeSpec {
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  items?: TypeSpec;
  additionalProperties?: TypeSpec;
  $ref?: string;
  oneOf?: TypeSpec[];
  description?: string;
  secret?: boolean;
}

/** Any JSON value (`pulumi.json#/Any`). */
export const ANY: TypeSpec = { $ref: "pulumi.json#/Any" };
/** A string. */
export const STRING: TypeSpec = { type: "string" };
/** A number. */
export const NUMBER: TypeSpec = { type: "number" };
/** A boolean. */
export const BOOLEAN: TypeSpec = { type: "boolean" };
/** A list of `items`. */
export const list = (items: TypeSpec): TypeSpec => ({ type: "array", items });
/** `spec` with a description (what the schema, and the SDKs generated from it, show). */
export const described = (spec: TypeSpec, description: string): TypeSpec => ({ ...spec, description });

/** What every declaration has: its names, its tokens' parts and the outputs its class registers. */
interface Common<N extends ResourceTypeName, O extends string> {
  /** The cloud (`RESOURCE_CLOUDS` in `tokens.ts`): the module part of both tokens, the class's `module`. */
  readonly cloud: (typeof RESOURCE_CLOUDS)[N];
  /** The class name: the type part of both tokens, the class's `type`. */
  readonly name: N;
  /** The implementation module under `provider/`, as the registry knows it (a key of `SHIM_KEYS`). */
  readonly module: ShimModule;
  /** The dynamic face's token, `pulumi-nodejs:dynamic/<cloud>:<Type>`: the class's `__pulumiType`. */
  readonly token: DynamicTokenOf<N>;
  /** Output name → type and description: the outputs the provider adds to the inputs. */
  readonly outputs: Readonly<Record<O, TypeSpec>>;
  /** The names of {@link outputs}, in order: what the class registers as unknown (`withOutputs`). */
  readonly outputNames: readonly O[];
}

/**
 * An internal child of a public resource (the settle waits `KakaoMemberSettled`,
 * `KakaoClusterSettled`): a dynamic token and a class, no token on the plugin face.
 */
export interface InternalDeclaration<
  N extends InternalTypeName = InternalTypeName,
  O extends string = string,
> extends Common<N, O> {
  /** Marks the internal children. */
  readonly internal: true;
}

/**
 * The inputs that replace the resource: a list of fields, `"*"`, or a function that reads them
 * (see {@link PublicDeclaration.replaceOnChanges}).
 */
export type Replacing<F extends string> = readonly F[] | "*" | (() => readonly string[]);

/** A public resource, as the plugin face reads it (with no type arguments, the names widened to `string`). */
export interface PublicDeclaration<
  N extends PublicTypeName = PublicTypeName,
  O extends string = string,
  F extends string = string,
> extends Common<N, O> {
  /** Not internal. */
  readonly internal: false;
  /** The plugin face's token, `managed-redis:<cloud>:<Type>`. */
  readonly pluginToken: PluginTokenOf<N>;
  /** The resource's description in the schema. */
  readonly description: string;
  /** The implementation's zod input schema (requires the implementation module, and zod with it). */
  readonly inputSchema: () => z.ZodType;
  /** Input field → its description in the schema: every field of the resource's `Inputs` interface. */
  readonly inputs: Readonly<Record<F, string>>;
  /**
   * Outputs only the plugin face has: the dynamic class derives them from its id (the cluster's
   * `clusterId`) or takes them from its settle child (a member's `status`, `slots`, `nodes`).
   */
  readonly pluginOutputs: Readonly<Record<string, TypeSpec>>;
  /** Top-level fields stored and shown as secrets. */
  readonly secrets: readonly F[];
  /**
   * Input fields whose change replaces the resource: a list, `"*"` (every input but `timeouts`), or
   * a function that reads them from the implementation (called by the plugin face only).
   */
  readonly replaceOnChanges: Replacing<F>;
  /**
   * Inputs the cloud never reports: an import cannot derive them, and an imported resource takes
   * the program's values for them without a change (`plugin/provider.ts`, `IMPORTED`).
   */
  readonly unreported: readonly F[];
  /** A KakaoCloud member whose create also waits until it settled (the dynamic face's child). */
  readonly settles?: "shard" | "replica";
}

/** What {@link declareResource} takes: a public resource, as written once in its `.resource.ts` file. */
export interface ResourceSpec<I, N extends PublicTypeName, O extends string> {
  /** The class name (type part of the tokens; its cloud is in `tokens.ts`). */
  name: N;
  /** The implementation module (`SHIM_KEYS`). */
  module: ShimModule;
  /** The resource's description. */
  description: string;
  /** The zod input schema, required lazily: `() => require("./x").xSchema`. */
  inputSchema: () => z.ZodType;
  /** A description of every input field: TypeScript refuses a field missing or not in `I`. */
  inputs: Record<keyof I & string, string>;
  /** The outputs the provider adds, in the order the class registers them. */
  outputs: Record<O, TypeSpec>;
  /** Outputs only the plugin face registers (see {@link PublicDeclaration.pluginOutputs}). */
  pluginOutputs?: Readonly<Record<string, TypeSpec>>;
  /** Secret top-level fields (default none). */
  secrets?: readonly (keyof I & string)[];
  /** Inputs that replace the resource. */
  replaceOnChanges: Replacing<keyof I & string>;
  /** Inputs the cloud never reports. */
  unreported: readonly (keyof I & string)[];
  /** The member settle of a KakaoCloud shard or replica. */
  settles?: "shard" | "replica";
}

/**
 * Declares a public resource whose plain inputs are `I` (import it with `import type`: the
 * implementation module must not load in a program). Curried so that `I` is given and the names
 * are inferred as literals:
 *
 * @example
 * ```ts
 * export const DCS_INSTANCE_SSL = declareResource<DcsInstanceSSLInputs>()({
 *   name: "DcsInstanceSSL",
 *   module: "huaweicloud/dcs-instance-ssl",
 *   description: "SSL on a Huawei Cloud DCS Redis instance.",
 *   inputSchema: () => require("./dcs-instance-ssl").dcsInstanceSslSchema,
 *   inputs: { instanceId: "The DCS instance id.", ... },
 *   outputs: { domainName: described(STRING, "Domain name used with SSL."), ... },
 *   replaceOnChanges: ["instanceId", "projectId"],
 *   unreported: ["timeouts", "leaveOnDestroy"],
 * });
 * DCS_INSTANCE_SSL.token; // "pulumi-nodejs:dynamic/huaweicloud:DcsInstanceSSL"
 * ```
 */
export function declareResource<I>() {
  return <const N extends PublicTypeName, const O extends string>(
    spec: ResourceSpec<I, N, O>,
  ): PublicDeclaration<N, O, keyof I & string> =>
    Object.freeze({
      internal: false,
      cloud: RESOURCE_CLOUDS[spec.name],
      name: spec.name,
      module: spec.module,
      token: dynamicToken(spec.name),
      pluginToken: pluginToken(spec.name),
      description: spec.description,
      inputSchema: spec.inputSchema,
      inputs: spec.inputs,
      outputs: spec.outputs,
      outputNames: Object.keys(spec.outputs) as O[],
      pluginOutputs: spec.pluginOutputs ?? {},
      secrets: spec.secrets ?? [],
      replaceOnChanges: spec.replaceOnChanges,
      unreported: spec.unreported,
      ...(spec.settles ? { settles: spec.settles } : {}),
    });
}

/** Declares an internal child (a dynamic token and its outputs; no plugin token, no schema). */
export function declareInternal<const N extends InternalTypeName, const O extends string>(spec: {
  name: N;
  module: ShimModule;
  outputs: Record<O, TypeSpec>;
}): InternalDeclaration<N, O> {
  return Object.freeze({
    internal: true,
    cloud: RESOURCE_CLOUDS[spec.name],
    name: spec.name,
    module: spec.module,
    token: dynamicToken(spec.name),
    outputs: spec.outputs,
    outputNames: Object.keys(spec.outputs) as O[],
  });
}
