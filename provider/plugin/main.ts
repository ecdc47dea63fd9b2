/**
 * The provider plugin's entry point, started by `bin/pulumi-resource-managed-redis`: serves
 * {@link pluginProvider} with `main()` of `@pulumi/pulumi/provider` (it prints the port the engine
 * connects to), after {@link installRequestContext} (customTimeouts, old inputs, configuration).
 *
 * @packageDocumentation
 */
import { main } from "@pulumi/pulumi/provider";
import { packageVersion } from "./version";
import { pluginProvider } from "./provider";
import { installRequestContext } from "./request-context";

installRequestContext();
void main(pluginProvider(packageVersion()), process.argv.slice(2));
