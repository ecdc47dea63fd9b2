import * as pulumi from "@pulumi/pulumi";
import { TairDirectConnection } from "../../../provider/alicloud/direct-connection.resource";
import { InstanceSSL } from "../../../provider/alicloud/instance-ssl.resource";

const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        const outputs =
          args.type === "pulumi-nodejs:dynamic/alicloud:InstanceSSL"
            ? {
                ...args.inputs,
                enabled: true,
                sslEnabled: true,
                certDownloadUrl: "https://ca.example/chain.zip",
              }
            : {
                ...args.inputs,
                port: 6379,
                connectionString: "demodirect01.redis.rds.aliyuncs.com",
                ipAddresses: ["10.0.1.11"],
                vpcId: "vpc-demo-01",
                vSwitchId: "vsw-demo-01",
              };
        return { id: String(args.inputs.instanceId), state: outputs };
      },
      call: () => ({}),
    },
    "tair-ssl",
    "test",
    false,
  );
});

const valueOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("resource classes", () => {
  it("register their type tokens, a small shim provider, and expose the outputs", async () => {
    const ssl = new InstanceSSL("tls", { instanceId: "r-demo-standard-01", enabled: "Enable" });
    const direct = new TairDirectConnection("direct", {
      instanceId: ssl.instanceId,
      connectionStringPrefix: "demodirect01",
    });
    expect(pulumi.Output.isInstance(ssl.sslEnabled)).toBe(true);
    expect(await valueOf(ssl.sslEnabled)).toBe(true);
    expect(await valueOf(ssl.certDownloadUrl)).toBe("https://ca.example/chain.zip");
    expect(await valueOf(direct.connectionString)).toBe("demodirect01.redis.rds.aliyuncs.com");
    expect(await valueOf(direct.ipAddresses)).toEqual(["10.0.1.11"]);
    expect(await valueOf(direct.instanceId)).toBe("r-demo-standard-01");
    expect(await valueOf(direct.vpcId)).toBe("vpc-demo-01");
    expect(await valueOf(direct.vSwitchId)).toBe("vsw-demo-01");
    expect(registered.map((r) => [r.type, r.name])).toEqual([
      ["pulumi-nodejs:dynamic/alicloud:InstanceSSL", "tls"],
      ["pulumi-nodejs:dynamic/alicloud:TairDirectConnection", "direct"],
    ]);
    const providerText = String(registered[0].inputs.__provider);
    expect(providerText).toContain(`require.resolve("pulumi-managed-redis/r"`);
    expect(providerText).toContain('key: "as"');
    expect(Buffer.byteLength(providerText)).toBeLessThanOrEqual(2400);
    expect(String(registered[1].inputs.__provider)).toContain('key: "ad"');
  });
});

describe("the build of the resource classes", () => {
  it("declares no class fields that would hide the outputs after super() (target ES2022)", () => {
    const ts = require("typescript") as typeof import("typescript");
    const path = require("node:path") as typeof import("node:path");
    const fs = require("node:fs") as typeof import("node:fs");
    const root = path.resolve(__dirname, "../../..");
    const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    for (const file of ["provider/alicloud/instance-ssl.ts", "provider/alicloud/direct-connection.ts"]) {
      const js = ts.transpileModule(fs.readFileSync(path.join(root, file), "utf8"), {
        compilerOptions: options,
      }).outputText;
      const body = js.slice(js.lastIndexOf("class "));
      expect([file, body.match(/^\s+(?:[A-Za-z]+);$/gm) ?? []]).toEqual([file, []]);
    }
  });
});
