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
import type { PublicDeclaration } from "../core/declaration";
import { SHIM_KEYS, type ShimModule } from "../core/shim";
import { PUBLIC_DECLARATIONS, type PublicTypeName } from "../tokens";

export { ANY, type TypeSpec } from "../core/declaration";
export { PLUGIN_PACKAGE } from "../tokens";

/** The public resources (the internal settle children have no token of their own on the plugin face). */
export type PluginTypeName = PublicTypeName;

/** A resource the plugin serves: its declaration. */
export type PluginResource = PublicDeclaration;

/** The six resources of the plugin face. */
export const PLUGIN_RESOURCES: readonly PluginResource[] = PUBLIC_DECLARATIONS;

/** The resource of a plugin token (`managed-redis:<cloud>:<Type>`), or `undefined`. */
export function resourceOf(token: string): PluginResource | undefined {
  return PLUGIN_RESOURCES.find((r) => r.pluginToken === token);
}

/** The registry key of a module (what `registry.at` takes). */
export function registryKey(module: ShimModule): string {
  return SHIM_KEYS[module];
}
