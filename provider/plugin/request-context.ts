/**
 * What the engine sends that `@pulumi/pulumi/provider`'s server drops, made available to the plugin.
 *
 * The Node provider server (3.248 to 3.276 at least) calls `create(urn, inputs)`,
 * `update(id, urn, olds, news)` and `delete(id, urn, props)` without the request's `timeout` (the
 * resource's `customTimeouts`, in seconds) or `old_inputs`, and its `Configure` ignores the provider
 * configuration (pulumi/pulumi#10915). Before the server starts, {@link installRequestContext} wraps
 * the `addService` of the gRPC server it uses: for the `ResourceProvider` service, `Create`,
 * `Update` and `Delete` run inside an `AsyncLocalStorage` context holding those fields
 * ({@link currentRequest}), and `Configure` hands the configuration variables to `setStackConfig`
 * (so `managed-redis:*` stack settings reach `setting()`, as `configure()` does on the dynamic face).
 * Every other method is the server's own.
 *
 * @packageDocumentation
 */
import { AsyncLocalStorage } from "node:async_hooks";
import * as path from "node:path";
import { setStackConfig } from "../core/config";
import { ConfigError } from "../core/errors";

/** What one Create / Update / Delete request carried beyond the properties. */
export interface RequestExtras {
  /** `customTimeouts` of the operation, in seconds; absent or 0 when none was set. */
  timeoutSeconds?: number;
  /** The inputs last recorded in the state (Update, Delete), as plain JavaScript (secrets wrapped). */
  oldInputs?: Record<string, unknown>;
}

const storage = new AsyncLocalStorage<RequestExtras>();

/** The extras of the request being served, or an empty object outside of one (a unit test). */
export function currentRequest(): RequestExtras {
  return storage.getStore() ?? {};
}

/** Runs `fn` as if serving a request with `extras` (for tests and for the wrapper below). */
export function withRequest<T>(extras: RequestExtras, fn: () => T): T {
  return storage.run(extras, fn);
}

/** A protobuf message as far as this file reads it. */
interface Message {
  getTimeout?: () => number;
  getOldInputs?: () => { toJavaScript(): Record<string, unknown> } | undefined;
  getVariablesMap?: () => { entries(): Iterable<[string, string]> } | undefined;
  getProperties?: () => unknown;
}

/** A directory to resolve the server's own dependencies from (`@grpc/grpc-js`, `google-protobuf`). */
function pulumiDir(): string {
  return path.dirname(require.resolve("@pulumi/pulumi"));
}

/** An empty `google.protobuf.Struct` of the protobuf library the server uses. */
function emptyStruct(): unknown {
  const struct = require(
    require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir()] }),
  ) as {
    Struct: new () => unknown;
  };
  return new struct.Struct();
}

type Handler = (call: { request: Message }, callback: unknown) => unknown;

/** Reads the extras of a request message. */
export function extrasOf(request: Message): RequestExtras {
  const timeout = request.getTimeout?.();
  const oldInputs = request.getOldInputs?.()?.toJavaScript();
  return {
    ...(timeout ? { timeoutSeconds: timeout } : {}),
    ...(oldInputs && Object.keys(oldInputs).length > 0 ? { oldInputs } : {}),
  };
}

/**
 * The configuration of a `Configure` request as `setStackConfig` takes it. The engine names each
 * variable `<package>:config:<key>` (older engines) or `<package>:<key>`; `get` takes
 * `managed-redis:<key>`.
 */
export function configOf(request: Message): {
  get(key: string): string | undefined;
  require(key: string): string;
} {
  const values = new Map<string, string>();
  for (const [name, value] of request.getVariablesMap?.()?.entries() ?? []) {
    values.set(name.replace(/^([^:]+):config:/, "$1:"), value);
  }
  const get = (key: string) => values.get(key);
  return {
    get,
    require: (key: string) => {
      const value = get(key);
      if (value === undefined)
        throw new ConfigError("InvalidConfig", `missing required configuration ${key}`);
      return value;
    },
  };
}

/** Wraps the server's implementation object of the `ResourceProvider` service. */
function wrapImplementation(impl: Record<string, Handler>): Record<string, Handler> {
  const wrapped = Object.create(impl) as Record<string, Handler>;
  for (const method of ["create", "update", "delete"]) {
    wrapped[method] = (call, callback) =>
      storage.run(extrasOf(call.request), () => impl[method].call(impl, call, callback));
  }
  // An import's Read carries no properties (the 3.248 engine sends none), and the server calls
  // `getProperties().toJavaScript()`: give it an empty map instead.
  wrapped.read = (call, callback) => {
    const request = call.request as Message & { setProperties?(value: unknown): void };
    if (!request.getProperties?.() && request.setProperties) request.setProperties(emptyStruct());
    return impl.read.call(impl, call, callback);
  };
  wrapped.configure = (call, callback) => {
    setStackConfig(configOf(call.request));
    return impl.configure.call(impl, call, callback);
  };
  return wrapped;
}

let installed = false;

/**
 * Makes the gRPC server of `@pulumi/pulumi/provider` serve the `ResourceProvider` service through
 * {@link wrapImplementation}. Call once, before `main()`.
 */
export function installRequestContext(): void {
  if (installed) return;
  installed = true;
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir()] })) as {
    Server: { prototype: { addService(service: object, impl: object): void } };
  };
  const original = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service: object, impl: object) {
    const create = (service as { create?: { path?: string } }).create;
    const isProvider = create?.path === "/pulumirpc.ResourceProvider/Create";
    return original.call(
      this,
      service,
      isProvider ? wrapImplementation(impl as Record<string, Handler>) : impl,
    );
  };
}
