/**
 * The `InstanceSSL` class under Pulumi's mocks: the type token it registers (the same as its static
 * `__pulumiType`), the shim provider of its implementation, the inputs it passes and the outputs it
 * declares (sslEnabled, certCommonName, sslExpiredTime, certDownloadUrl).
 */
import * as pulumi from "@pulumi/pulumi";

const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return {
        id: String(args.inputs.instanceId),
        state: {
          ...args.inputs,
          sslEnabled: true,
          certCommonName: "r-bp1.redis.rds.aliyuncs.com",
          sslExpiredTime: "2027-01-01T00:00:00Z",
          certDownloadUrl: "https://example.com/ca.zip",
        },
      };
    },
    call: () => ({}),
  },
  "tair-ssl",
  "test",
  false,
);

// Loaded after setMocks, as Pulumi's mocks require.
const { InstanceSSL } =
  require("../../../provider/alicloud/instance-ssl.resource") as typeof import("../../../provider/alicloud/instance-ssl.resource");

const known = <T>(o: pulumi.Output<T> | undefined) =>
  new Promise<T>((resolve, reject) => (o ? o.apply(resolve) : reject(new Error("no such output"))));
const INSTANCE = "r-bp1zxszhcgatnx0001";

it("registers its type token, the shim of its implementation and its inputs, and exposes the outputs", async () => {
  const ssl = new InstanceSSL("tair-ssl", {
    instanceId: INSTANCE,
    enabled: true,
    certificateRotation: "2026-01",
  });
  expect(await known(ssl.id)).toBe(INSTANCE);
  expect(await known(ssl.instanceId)).toBe(INSTANCE);
  expect(await known(ssl.enabled)).toBe(true);
  expect(await known(ssl.certificateRotation)).toBe("2026-01");
  expect(await known(ssl.sslEnabled)).toBe(true);
  expect(await known(ssl.certCommonName)).toBe("r-bp1.redis.rds.aliyuncs.com");
  expect(await known(ssl.sslExpiredTime)).toBe("2027-01-01T00:00:00Z");
  expect(await known(ssl.certDownloadUrl)).toBe("https://example.com/ca.zip");

  expect(registered.map((r) => [r.type, r.name])).toEqual([
    ["pulumi-nodejs:dynamic/alicloud:InstanceSSL", "tair-ssl"],
  ]);
  expect(InstanceSSL.__pulumiType).toBe(registered[0].type);
  const { __provider, ...inputs } = registered[0].inputs;
  expect(inputs).toEqual({ instanceId: INSTANCE, enabled: true, certificateRotation: "2026-01" });
  expect(Object.keys(inputs)).not.toContain("");
  expect(String(__provider)).toContain(`require.resolve("pulumi-managed-redis/r"`);
});
