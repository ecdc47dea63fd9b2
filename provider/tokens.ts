/**
 * The type tokens of the package, derived from the resources' declarations (`core/declaration.ts`,
 * one per `.resource.ts` file): nothing here is written a second time. Policies and the plugin face
 * read them from here.
 *
 * @packageDocumentation
 */
import { TAIR_DIRECT_CONNECTION } from "./alicloud/direct-connection.resource";
import { INSTANCE_SSL } from "./alicloud/instance-ssl.resource";
import type { PublicDeclaration } from "./core/declaration";
import { DCS_INSTANCE_SSL } from "./huaweicloud/dcs-instance-ssl.resource";
import { KAKAO_CLUSTER_SETTLED } from "./kakaocloud/cluster-settled.resource";
import { KAKAO_REDIS_CLUSTER } from "./kakaocloud/cluster.resource";
import { KAKAO_REPLICA } from "./kakaocloud/replica.resource";
import { KAKAO_MEMBER_SETTLED } from "./kakaocloud/settled.resource";
import { KAKAO_SHARD } from "./kakaocloud/shard.resource";

export { PLUGIN_PACKAGE } from "./core/declaration";

/**
 * Every declared resource: the six public ones and the two internal children
 * (`KakaoMemberSettled`, the wait of a new shard or replica; `KakaoClusterSettled`, the wait of a new
 * cluster), which have a dynamic token and no plugin token.
 */
export const DECLARATIONS = [
  KAKAO_REDIS_CLUSTER,
  KAKAO_SHARD,
  KAKAO_REPLICA,
  KAKAO_MEMBER_SETTLED,
  KAKAO_CLUSTER_SETTLED,
  TAIR_DIRECT_CONNECTION,
  INSTANCE_SSL,
  DCS_INSTANCE_SSL,
] as const;

type Declared = (typeof DECLARATIONS)[number];

/** A resource type of this package. */
export type ResourceTypeName = Declared["name"];

/** The public declarations (both faces). */
type Public = Extract<Declared, { internal: false }>;

/** A public resource type of this package (both faces). */
export type PublicTypeName = Public["name"];

/** The six public resources' declarations, in the order of {@link DECLARATIONS}: the plugin face serves them. */
export const PUBLIC_DECLARATIONS = DECLARATIONS.filter(
  (d): d is Public => !d.internal,
) as readonly Public[] as readonly PublicDeclaration[];

/**
 * The type token of every resource in this package: `pulumi-nodejs:dynamic/<cloud>:<Type>`.
 * Each resource class carries the same token as its static `__pulumiType`; policies match on it.
 * Existing stacks hold these values: a declaration's cloud and name never change.
 */
export const TYPE_TOKENS = Object.fromEntries(DECLARATIONS.map((d) => [d.name, d.token])) as {
  readonly [D in Declared as D["name"]]: D["token"];
};

/**
 * The type token of each public resource on the provider plugin face, `managed-redis:<cloud>:<Type>`:
 * the dynamic token's module and type under the plugin's package
 * (`pulumi-nodejs:dynamic/alicloud:InstanceSSL` → `managed-redis:alicloud:InstanceSSL`). The plugin
 * (`plugin/declarations.ts`) and the policy pack both read it from here.
 */
export const PLUGIN_TYPE_TOKENS = Object.fromEntries(
  PUBLIC_DECLARATIONS.map((d) => [d.name, d.pluginToken]),
) as { readonly [D in Public as D["name"]]: D["pluginToken"] };
