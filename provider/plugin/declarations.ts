/**
 * The plugin face's table: one row per public resource, naming what the provider plugin needs
 * beyond the implementation the dynamic face already uses (`registry.ts`, `at(key)`): its token, its
 * registry module, the input schema (the implementation's own zod schema), the outputs it adds (the
 * `.resource.ts` classes' own lists, typed here), which fields are secret, which replace, and which
 * inputs no cloud reports (so an import cannot derive them).
 *
 * Nothing here loads an implementation until asked: `inputSchema()` requires the module.
 *
 * @packageDocumentation
 */
import type { z } from "zod";
import { TAIR_DIRECT_CONNECTION_OUTPUTS } from "../alicloud/direct-connection.resource";
import { INSTANCE_SSL_OUTPUTS } from "../alicloud/instance-ssl.resource";
import { SHIM_KEYS, type ShimModule } from "../core/shim";
import { DCS_INSTANCE_SSL_OUTPUTS } from "../huaweicloud/dcs-instance-ssl.resource";
import { KAKAO_REDIS_CLUSTER_OUTPUTS } from "../kakaocloud/cluster.resource";
import { KAKAO_REPLICA_OUTPUTS } from "../kakaocloud/replica.resource";
import { KAKAO_MEMBER_SETTLED_OUTPUTS } from "../kakaocloud/settled.resource";
import { KAKAO_SHARD_OUTPUTS } from "../kakaocloud/shard.resource";
import { PLUGIN_TYPE_TOKENS, type PublicTypeName } from "../tokens";

export { PLUGIN_PACKAGE } from "../tokens";

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
const STRING: TypeSpec = { type: "string" };
const NUMBER: TypeSpec = { type: "number" };
const BOOLEAN: TypeSpec = { type: "boolean" };
const list = (items: TypeSpec): TypeSpec => ({ type: "array", items });
const described = (spec: TypeSpec, description: string): TypeSpec => ({ ...spec, description });

/** The public resources (the internal settle children have no token of their own on the plugin face). */
export type PluginTypeName = PublicTypeName;

/** One row of the table. */
export interface PluginResource {
  /** The class name, also the last part of the token. */
  readonly name: PluginTypeName;
  /** `managed-redis:<cloud>:<name>`. */
  readonly token: string;
  /** The implementation module, as the registry knows it (`SHIM_KEYS`). */
  readonly module: ShimModule;
  /** The resource's description in the schema. */
  readonly description: string;
  /** The implementation's zod input schema (loads the implementation module). */
  readonly inputSchema: () => z.ZodType;
  /** Output name → type: the `.resource.ts` class's output list, plus what the plugin face adds. */
  readonly outputs: Readonly<Record<string, TypeSpec>>;
  /** Top-level fields stored and shown as secrets. */
  readonly secrets: readonly string[];
  /** Input fields whose change replaces the resource; `"*"` means every input but `timeouts`. */
  readonly replaceOnChanges: readonly string[] | "*";
  /**
   * Inputs the cloud never reports: an import cannot derive them, and an imported resource takes
   * the program's values for them without a change (`provider.ts`, `IMPORTED`).
   */
  readonly unreported: readonly string[];
  /** A KakaoCloud member whose create also waits until it settled (the dynamic face's child). */
  readonly settles?: "shard" | "replica";
}

/** Types every name of a class's output list (TypeScript refuses a missing or extra one). */
function typed<const L extends readonly string[]>(
  names: L,
  types: Record<L[number], TypeSpec>,
): Record<L[number], TypeSpec> {
  return Object.fromEntries(names.map((n: L[number]) => [n, types[n]])) as Record<L[number], TypeSpec>;
}

const SETTLED_OUTPUTS = typed(KAKAO_MEMBER_SETTLED_OUTPUTS, {
  status: described(STRING, "`Running` once the member settled (its create waits for it)."),
  slots: described(STRING, "The shard's slot range (a shard)."),
  nodes: described(list(ANY), "The shard's nodes, or the replica's one node."),
});

const row = (r: Omit<PluginResource, "token">): PluginResource => ({
  ...r,
  token: PLUGIN_TYPE_TOKENS[r.name],
});

/** The six resources of the plugin face. */
export const PLUGIN_RESOURCES: readonly PluginResource[] = [
  row({
    name: "KakaoRedisCluster",
    module: "kakaocloud/cluster",
    description: "A KakaoCloud Redis cluster (cluster mode enabled). Its id is the cluster id.",
    inputSchema: () => require("../kakaocloud/cluster-inputs").clusterSchema,
    outputs: {
      clusterId: described(STRING, "The cluster id (the resource id)."),
      ...typed(KAKAO_REDIS_CLUSTER_OUTPUTS, {
        status: described(STRING, "The cluster's status."),
        shards: described(list(ANY), "The cluster's own shards with their slots and nodes."),
        foreignMembers: described(ANY, "Shards and nodes of the cluster that `shards` does not name."),
        nodeEndpoints: described(list(ANY), "Every node as {host, port, role, shardId, nodeId}."),
        seedEndpoints: described(list(STRING), "`host:port` of every node, primaries first."),
      }),
    },
    secrets: ["user"],
    replaceOnChanges: clusterReplaces(),
    unreported: ["user", "timeouts", "adopt"],
  }),
  row({
    name: "KakaoShard",
    module: "kakaocloud/shard",
    description:
      "One more shard in a KakaoCloud Redis cluster; its create waits until the slot migration settled. " +
      "Its id is `<clusterId>/<shardId>`.",
    inputSchema: () => require("../kakaocloud/shard").shardSchema,
    outputs: {
      ...typed(KAKAO_SHARD_OUTPUTS, {
        shardId: described(STRING, "The shard id within the cluster."),
        name: described(STRING, "The shard's name."),
      }),
      ...SETTLED_OUTPUTS,
    },
    secrets: [],
    replaceOnChanges: "*",
    unreported: ["timeouts"],
    settles: "shard",
  }),
  row({
    name: "KakaoReplica",
    module: "kakaocloud/replica",
    description:
      "One more replica node in a shard of a KakaoCloud Redis cluster; its create waits until it settled. " +
      "Its id is `<clusterId>/<shardId>/<nodeId>`.",
    inputSchema: () => require("../kakaocloud/replica").replicaSchema,
    outputs: {
      ...typed(KAKAO_REPLICA_OUTPUTS, {
        nodeId: described(STRING, "The node id."),
        name: described(STRING, "The node's name."),
      }),
      ...SETTLED_OUTPUTS,
    },
    secrets: [],
    replaceOnChanges: "*",
    unreported: ["timeouts"],
    settles: "replica",
  }),
  row({
    name: "TairDirectConnection",
    module: "alicloud/direct-connection",
    description:
      "The direct connection endpoint of an Alibaba Cloud Tair cluster instance. Its id is the instance id.",
    inputSchema: () => require("../alicloud/direct-connection").tairDirectConnectionSchema,
    outputs: typed(TAIR_DIRECT_CONNECTION_OUTPUTS, {
      connectionString: described(STRING, "Full direct endpoint."),
      ipAddresses: described(list(STRING), "Addresses behind the endpoint (one per shard primary)."),
      vpcId: described(STRING, "VPC of the endpoint."),
      vSwitchId: described(STRING, "vSwitch of the endpoint."),
    }),
    secrets: [],
    replaceOnChanges: ["instanceId", "connectionStringPrefix", "port"],
    unreported: ["timeouts", "adoptExisting"],
  }),
  row({
    name: "InstanceSSL",
    module: "alicloud/instance-ssl",
    description: "SSL on an Alibaba Cloud Tair (Redis) instance. Its id is the instance id.",
    inputSchema: () => require("../alicloud/instance-ssl").instanceSslSchema,
    outputs: typed(INSTANCE_SSL_OUTPUTS, {
      sslEnabled: described(BOOLEAN, "Whether SSL is on, as the cloud reports it."),
      certCommonName: described(STRING, "The certificate's common name."),
      sslExpiredTime: described(STRING, "When the certificate expires."),
      certDownloadUrl: described(STRING, "Where to download the CA certificate."),
    }),
    secrets: [],
    replaceOnChanges: ["instanceId"],
    unreported: ["timeouts", "leaveOnDestroy", "certificateRotation"],
  }),
  row({
    name: "DcsInstanceSSL",
    module: "huaweicloud/dcs-instance-ssl",
    description: "SSL on a Huawei Cloud DCS Redis instance. Its id is `<projectId>/<instanceId>`.",
    inputSchema: () => require("../huaweicloud/dcs-instance-ssl").dcsInstanceSslSchema,
    outputs: typed(DCS_INSTANCE_SSL_OUTPUTS, {
      domainName: described(STRING, "Domain name used with SSL."),
      ip: described(STRING, "IPv4 address used with SSL."),
      port: described(NUMBER, "Port used with SSL."),
      sslExpiredAt: described(STRING, "When the SSL certificate expires (UTC)."),
      sslValidated: described(BOOLEAN, "Whether the SSL certificate is valid."),
    }),
    secrets: [],
    replaceOnChanges: ["instanceId", "projectId"],
    unreported: ["timeouts", "leaveOnDestroy"],
  }),
];

/** The cluster's replacing fields, from the rules its `diff` uses (`CLUSTER_FIELDS`). */
function clusterReplaces(): readonly string[] {
  const { CLUSTER_FIELDS } =
    require("../kakaocloud/cluster-inputs") as typeof import("../kakaocloud/cluster-inputs");
  return Object.entries(CLUSTER_FIELDS)
    .filter(([, rule]) => !rule.inPlace)
    .map(([key]) => key);
}

/** The row of a token, or `undefined`. */
export function resourceOf(token: string): PluginResource | undefined {
  return PLUGIN_RESOURCES.find((r) => r.token === token);
}

/** The registry key of a module (what `registry.at` takes). */
export function registryKey(module: ShimModule): string {
  return SHIM_KEYS[module];
}
