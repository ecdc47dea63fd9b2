/**
 * The plugin's Pulumi package schema, generated from the implementations' zod schemas
 * (`z.toJSONSchema`, the input side: properties, types, required inputs) and the resources'
 * declarations (`core/declaration.ts`, read through `declarations.ts`: the resource's, each input's
 * and each output's description, output types, secrets, `replaceOnChanges`): nothing is written a
 * second time. Nested objects become named types (`managed-redis:<cloud>:<Resource><Field>`), one
 * per distinct shape in a module.
 *
 * @packageDocumentation
 */
import { z } from "zod";
import { ANY, PLUGIN_PACKAGE, PLUGIN_RESOURCES, type PluginResource, type TypeSpec } from "./declarations";

/** A property in the schema. */
type PropertySpec = TypeSpec & { replaceOnChanges?: boolean; default?: unknown };

/** An object type of the schema (`types`), or a resource (`resources`). */
interface ObjectSpec {
  type?: "object";
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

/** A resource in the schema. */
interface ResourceSpec extends ObjectSpec {
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
}

/** The package schema (the parts this package fills). */
export interface PackageSchema {
  name: string;
  version: string;
  displayName: string;
  description: string;
  config: { variables: Record<string, PropertySpec> };
  meta: { moduleFormat: string };
  language: Record<string, unknown>;
  types: Record<string, ObjectSpec>;
  resources: Record<string, ResourceSpec>;
}

/** A JSON Schema node, as `z.toJSONSchema` writes it. */
interface Json {
  type?: string | string[];
  properties?: Record<string, Json>;
  required?: string[];
  items?: Json;
  additionalProperties?: Json | boolean;
  anyOf?: Json[];
  oneOf?: Json[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  default?: unknown;
}

const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Converts JSON Schema nodes into Pulumi types, registering object types as it goes. */
class TypeWriter {
  /** Shape (JSON) → token, so a shape used twice in a module is one type. */
  private readonly byShape = new Map<string, string>();

  constructor(
    readonly types: Record<string, ObjectSpec>,
    private readonly module: string,
  ) {}

  /** The writer of `module`'s types (one per module, so a shape shared by two resources is one type). */
  static of(writers: Map<string, TypeWriter>, types: Record<string, ObjectSpec>, module: string): TypeWriter {
    let writer = writers.get(module);
    if (!writer) {
      writer = new TypeWriter(types, module);
      writers.set(module, writer);
    }
    return writer;
  }

  /** The Pulumi type of `node`; `name` names an object type if one is needed. */
  convert(node: Json, name: string): TypeSpec {
    const withDoc = (spec: TypeSpec): TypeSpec =>
      node.description ? { ...spec, description: node.description } : spec;
    const alternatives = node.anyOf ?? node.oneOf;
    if (alternatives) {
      const members = alternatives.map((n, i) => this.convert(n, i === 0 ? name : `${name}${i}`));
      const distinct = [...new Map(members.map((m) => [JSON.stringify(m), m])).values()];
      return withDoc(distinct.length === 1 ? distinct[0] : { oneOf: distinct });
    }
    const type = Array.isArray(node.type) ? node.type.find((t) => t !== "null") : node.type;
    if (node.enum || node.const !== undefined) {
      const values = node.enum ?? [node.const];
      const kinds = new Set(values.map((v) => typeof v));
      if (kinds.size === 1 && kinds.has("string")) return withDoc({ type: "string" });
      if (kinds.size === 1 && kinds.has("boolean")) return withDoc({ type: "boolean" });
      if (kinds.size === 1 && kinds.has("number")) return withDoc({ type: "number" });
    }
    switch (type) {
      case "string":
      case "boolean":
      case "number":
      case "integer":
        return withDoc({ type });
      case "array":
        return withDoc({ type: "array", items: node.items ? this.convert(node.items, name) : ANY });
      case "object":
        if (node.properties) return withDoc({ $ref: `#/types/${this.objectType(node, name)}` });
        return withDoc({
          type: "object",
          additionalProperties:
            typeof node.additionalProperties === "object"
              ? this.convert(node.additionalProperties, name)
              : ANY,
        });
      default:
        return withDoc(ANY);
    }
  }

  private objectType(node: Json, name: string): string {
    const properties = Object.fromEntries(
      Object.entries(node.properties ?? {}).map(([key, sub]) => [
        key,
        this.convert(sub, `${name}${upper(key)}`),
      ]),
    );
    const spec: ObjectSpec = { type: "object", properties };
    if (node.required?.length) spec.required = [...node.required].sort();
    const shape = JSON.stringify(spec);
    const known = this.byShape.get(shape);
    if (known) return known;
    const token = `${PLUGIN_PACKAGE}:${this.module}:${name}`;
    this.types[token] = node.description ? { ...spec, description: node.description } : spec;
    this.byShape.set(shape, token);
    return token;
  }
}

/** The JSON Schema of a resource's inputs (the input side: before transforms and defaults). */
export function inputJsonSchema(resource: PluginResource): Json {
  return z.toJSONSchema(resource.inputSchema(), { io: "input", unrepresentable: "any" }) as Json;
}

/**
 * The input fields that replace the resource: `"*"` means every input but `timeouts`; a function
 * reads them from the implementation (the cluster's `CLUSTER_FIELDS`).
 */
export function replacingInputs(resource: PluginResource, inputNames: readonly string[]): string[] {
  const declared = resource.replaceOnChanges;
  if (declared === "*") return inputNames.filter((n) => n !== "timeouts");
  const names: readonly string[] = typeof declared === "function" ? declared() : declared;
  return inputNames.filter((n) => names.includes(n));
}

function resourceSpec(resource: PluginResource, writer: TypeWriter): ResourceSpec {
  const json = inputJsonSchema(resource);
  const inputNames = Object.keys(json.properties ?? {});
  const replacing = new Set(replacingInputs(resource, inputNames));
  const secret = new Set(resource.secrets);
  const inputProperties: Record<string, PropertySpec> = {};
  for (const [key, node] of Object.entries(json.properties ?? {})) {
    const spec: PropertySpec = { ...writer.convert(node, `${resource.name}${upper(key)}`) };
    const description = Object.hasOwn(resource.inputs, key) ? resource.inputs[key] : undefined;
    if (description) spec.description = description;
    if (replacing.has(key)) spec.replaceOnChanges = true;
    if (secret.has(key)) spec.secret = true;
    inputProperties[key] = spec;
  }
  const properties: Record<string, PropertySpec> = {};
  for (const [key, spec] of Object.entries(inputProperties)) {
    const { replaceOnChanges: _r, ...output } = spec;
    properties[key] = output;
  }
  for (const [key, spec] of Object.entries({ ...resource.outputs, ...resource.pluginOutputs })) {
    properties[key] = secret.has(key) ? { ...spec, secret: true } : { ...spec };
  }
  const requiredInputs = [...(json.required ?? [])].sort();
  return {
    description: resource.description,
    properties,
    required: requiredInputs,
    inputProperties,
    requiredInputs,
  };
}

/** Builds the package schema for `version`. */
export function packageSchema(version: string): PackageSchema {
  const types: Record<string, ObjectSpec> = {};
  const resources: Record<string, ResourceSpec> = {};
  const writers = new Map<string, TypeWriter>();
  for (const resource of PLUGIN_RESOURCES) {
    const writer = TypeWriter.of(writers, types, resource.cloud);
    resources[resource.pluginToken] = resourceSpec(resource, writer);
  }
  return {
    name: PLUGIN_PACKAGE,
    version,
    displayName: "Managed Redis (KakaoCloud, Alibaba Cloud Tair, Huawei Cloud DCS)",
    description:
      "The provider plugin face of pulumi-managed-redis: KakaoCloud Redis clusters, shards and replicas, " +
      "Alibaba Cloud Tair direct connections and SSL, Huawei Cloud DCS SSL. Credentials and endpoints come " +
      "from the environment (or the managed-redis:* stack configuration), never from resource inputs.",
    config: { variables: {} },
    meta: { moduleFormat: "(.*)" },
    language: {},
    types,
    resources,
  };
}
