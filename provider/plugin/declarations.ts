/**
 * The plugin face's resources: the six public declarations (`core/declaration.ts`, one in each
 * `.resource.ts` file, beside the class the dynamic face uses). There is no second table: the
 * tokens, the registry module, the input schema (the implementation's own zod schema), the
 * descriptions, the output types, the secrets, the replacing inputs and the inputs no cloud reports
 * are all read from the declaration.
 *
 * Nothing here loads an implementation until asked: `inputSchema()` requires the module.
 *
 * @packageDocumentation
 */
import { TAIR_DIRECT_CONNECTION } from "../alicloud/direct-connection.resource";
import { INSTANCE_SSL } from "../alicloud/instance-ssl.resource";
import type { PublicDeclaration } from "../core/declaration";
import { SHIM_KEYS, type ShimModule } from "../core/shim";
import { DCS_INSTANCE_SSL } from "../huaweicloud/dcs-instance-ssl.resource";
import { KAKAO_REDIS_CLUSTER } from "../kakaocloud/cluster.resource";
import { KAKAO_REPLICA } from "../kakaocloud/replica.resource";
import { KAKAO_SHARD } from "../kakaocloud/shard.resource";
import type { PublicTypeName } from "../tokens";

export { ANY, type TypeSpec } from "../core/declaration";
export { PLUGIN_PACKAGE } from "../tokens";

/** The public resources (the internal settle children have no token of their own on the plugin face). */
export type PluginTypeName = PublicTypeName;

/** A resource the plugin serves: its declaration. */
export type PluginResource = PublicDeclaration;

/**
 * The six resources of the plugin face, one declaration each (TypeScript refuses a public type
 * missing from the list: `tests/provider/core/declaration.test.ts` also checks it at run time).
 */
const DECLARED = [
  KAKAO_REDIS_CLUSTER,
  KAKAO_SHARD,
  KAKAO_REPLICA,
  TAIR_DIRECT_CONNECTION,
  INSTANCE_SSL,
  DCS_INSTANCE_SSL,
] as const;
/** `true` only when every public type of `tokens.ts` has its declaration in the list. */
type EveryTypeListed = [Exclude<PublicTypeName, (typeof DECLARED)[number]["name"]>] extends [never]
  ? true
  : false;
const everyTypeListed: EveryTypeListed = true;
void everyTypeListed;
export const PLUGIN_RESOURCES: readonly PluginResource[] = DECLARED as readonly PublicDeclaration[];

/** The resource of a plugin token (`managed-redis:<cloud>:<Type>`), or `undefined`. */
export function resourceOf(token: string): PluginResource | undefined {
  return PLUGIN_RESOURCES.find((r) => r.pluginToken === token);
}

/** The registry key of a module (what `registry.at` takes). */
export function registryKey(module: ShimModule): string {
  return SHIM_KEYS[module];
}
