/**
 * The `DcsInstanceSSL` class under Pulumi's mocks: the type token it registers (the same as its
 * static `__pulumiType`), the small shim provider of its implementation, the inputs it passes and
 * the outputs it exposes.
 */
import * as pulumi from "@pulumi/pulumi";

const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return {
        id: `demo-project/${String(args.inputs.instanceId)}`,
        state: { ...args.inputs, domainName: "redis-1.dcs.example.com:6379", port: 6379, sslValidated: true },
      };
    },
    call: () => ({}),
  },
  "dcs-ssl",
  "test",
  false,
);

// Loaded after setMocks, as Pulumi's mocks require.
const { DcsInstanceSSL } =
  require("../../../provider/huaweicloud/dcs-instance-ssl.resource") as typeof import("../../../provider/huaweicloud/dcs-instance-ssl.resource");

const known = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
const INSTANCE = "5560df16-cebf-4473-95c4-d1b573c16e79";

it("registers its type token, the shim of its implementation and its inputs, and exposes the outputs", async () => {
  const ssl = new DcsInstanceSSL("redis-ssl", {
    instanceId: INSTANCE,
    enabled: true,
    timeouts: { create: "30m" },
  });
  expect(await known(ssl.id)).toBe(`demo-project/${INSTANCE}`);
  expect(await known(ssl.instanceId)).toBe(INSTANCE);
  expect(await known(ssl.enabled)).toBe(true);
  expect(await known(ssl.domainName)).toBe("redis-1.dcs.example.com:6379");
  expect(await known(ssl.port)).toBe(6379);
  expect(await known(ssl.sslValidated)).toBe(true);

  expect(registered.map((r) => [r.type, r.name])).toEqual([
    ["pulumi-nodejs:dynamic/huaweicloud:DcsInstanceSSL", "redis-ssl"],
  ]);
  expect(DcsInstanceSSL.__pulumiType).toBe(registered[0].type);
  const { __provider, ...inputs } = registered[0].inputs;
  expect(inputs).toEqual({ instanceId: INSTANCE, enabled: true, timeouts: { create: "30m" } });
  const providerText = String(__provider);
  expect(providerText).toContain(`require.resolve("pulumi-managed-redis/r"`);
  expect(providerText).toContain('key: "hd"');
});
