/**
 * What `installRequestContext()` (provider/plugin/request-context.ts) does to the gRPC server of
 * `@pulumi/pulumi/provider`: the ResourceProvider service's Create / Update / Delete see their
 * request's customTimeouts and old inputs, an import's Read without properties gets an empty map,
 * Configure hands the variables to the stack settings, and every other service or method is the
 * server's own. The server here is the real `@grpc/grpc-js` class the plugin wraps, in an isolated
 * module registry, with the `addService` it delegates to replaced by a recorder.
 */
import * as path from "node:path";

type Handler = (call: { request: Record<string, unknown> }, callback: unknown) => unknown;
type Impl = Record<string, Handler>;

const PROVIDER_SERVICE = { create: { path: "/pulumirpc.ResourceProvider/Create" } };

/** Installs the context (twice: it must wrap once) and returns what the server was given. */
function install(): {
  addService(service: object, impl: Impl): Impl;
  ctx: typeof import("../../../provider/plugin/request-context");
  config: typeof import("../../../provider/core/config");
} {
  let result: ReturnType<typeof install> | undefined;
  jest.isolateModules(() => {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as {
      Server: new () => { addService(service: object, impl: object): void };
    };
    const given: Impl[] = [];
    // The server's own addService, as the wrapper sees it: records the implementation it is given.
    grpc.Server.prototype.addService = (_service: object, impl: object) => {
      given.push(impl as Impl);
    };
    const ctx = require("../../../provider/plugin/request-context");
    const config = require("../../../provider/core/config");
    ctx.installRequestContext();
    ctx.installRequestContext();
    const server = new grpc.Server();
    result = {
      addService: (service, impl) => {
        server.addService(service, impl);
        return given[given.length - 1];
      },
      ctx,
      config,
    };
  });
  return result!;
}

/** A service implementation whose handlers record `this`, their arguments and the request context. */
function recordingImpl(ctx: typeof import("../../../provider/plugin/request-context")) {
  const seen: { method: string; self: unknown; call: unknown; callback: unknown; extras: unknown }[] = [];
  const impl: Impl = {};
  for (const method of ["create", "update", "delete", "read", "configure", "check", "diff"]) {
    impl[method] = function (this: unknown, call, callback) {
      seen.push({ method, self: this, call, callback, extras: ctx.currentRequest() });
      return `${method} answered`;
    };
  }
  return { impl, seen };
}

const struct = (value: Record<string, unknown>) => ({ toJavaScript: () => value });

describe("installRequestContext", () => {
  it("serves Create, Update and Delete inside their request's timeout and old inputs", () => {
    const { addService, ctx } = install();
    const { impl, seen } = recordingImpl(ctx);
    const wrapped = addService(PROVIDER_SERVICE, impl);
    // Wrapped once, although installed twice: the wrapper's prototype is the server's object.
    expect(Object.getPrototypeOf(wrapped)).toBe(impl);
    const callback = () => undefined;
    for (const method of ["create", "update", "delete"]) {
      const call = { request: { getTimeout: () => 45, getOldInputs: () => struct({ port: 6379 }) } };
      expect(wrapped[method](call, callback)).toBe(`${method} answered`);
      expect(seen.pop()).toEqual({
        method,
        self: impl,
        call,
        callback,
        extras: { timeoutSeconds: 45, oldInputs: { port: 6379 } },
      });
    }
    expect(ctx.currentRequest()).toEqual({}); // outside a request
  });

  it("leaves every other method of the provider, and every other service, as the server's own", () => {
    const { addService, ctx } = install();
    const { impl } = recordingImpl(ctx);
    const wrapped = addService(PROVIDER_SERVICE, impl);
    expect(wrapped.check).toBe(impl.check);
    expect(wrapped.diff).toBe(impl.diff);
    const other = recordingImpl(ctx).impl;
    expect(addService({ create: { path: "/pulumirpc.LanguageRuntime/Create" } }, other)).toBe(other);
    expect(addService({}, other)).toBe(other);
  });

  it("gives an import's Read without properties an empty map, and keeps properties that came", () => {
    const { addService, ctx } = install();
    const { impl, seen } = recordingImpl(ctx);
    const wrapped = addService(PROVIDER_SERVICE, impl);
    let properties: { toJavaScript(): unknown } | undefined;
    const request = {
      getProperties: () => properties,
      setProperties: (value: { toJavaScript(): unknown }) => {
        properties = value;
      },
    };
    const callback = () => undefined;
    expect(wrapped.read({ request }, callback)).toBe("read answered");
    expect(properties?.toJavaScript()).toEqual({});
    expect(seen.pop()).toMatchObject({ method: "read", self: impl, callback });

    const sent = struct({ instanceId: "i-1" });
    properties = sent;
    wrapped.read({ request }, callback);
    expect(properties).toBe(sent);
  });

  it("hands Configure's variables to the managed-redis:* settings before the server's Configure", () => {
    const { addService, ctx, config } = install();
    const { impl } = recordingImpl(ctx);
    let seenByServer: unknown;
    impl.configure = function (this: unknown, call) {
      seenByServer = { self: this, call, region: config.setting("huaweicloudRegion", []) };
      return "configure answered";
    };
    const wrapped = addService(PROVIDER_SERVICE, impl);
    const variables = new Map([["managed-redis:config:huaweicloudRegion", "ap-southeast-1"]]);
    const call = { request: { getVariablesMap: () => variables } };
    expect(config.setting("huaweicloudRegion", [])).toBeUndefined();
    expect(wrapped.configure(call, undefined)).toBe("configure answered");
    expect(seenByServer).toEqual({ self: impl, call, region: "ap-southeast-1" });
  });
});

describe("a request without the optional fields", () => {
  it("has no extras and no configuration; a configured key is required without error", () => {
    const { extrasOf, configOf } = require("../../../provider/plugin/request-context");
    expect(extrasOf({})).toEqual({});
    expect(extrasOf({ getOldInputs: () => undefined })).toEqual({});
    expect(configOf({}).get("managed-redis:kakaoRegion")).toBeUndefined();
    const config = configOf({
      getVariablesMap: () => new Map([["managed-redis:kakaoRegion", "kr-central-2"]]),
    });
    expect(config.require("managed-redis:kakaoRegion")).toBe("kr-central-2");
    expect(() => config.require("managed-redis:kakaoZone")).toThrow(
      expect.objectContaining({ code: "InvalidConfig" }),
    );
  });
});
