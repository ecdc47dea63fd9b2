import { redisEncryptionInTransit as policy } from "../../policies/src/redis-encryption-in-transit";
import {
  TAIR_ID,
  UNKNOWN,
  clusterProps,
  dcsSslProps,
  directConnectionProps,
  instanceSslProps,
  messages,
  runStack,
  stackArgs,
  stackResource,
  urnOf,
} from "./util";

const happy = () => [
  stackResource("KakaoRedisCluster", "cache", clusterProps()),
  stackResource("InstanceSSL", "tair-ssl", instanceSslProps()),
  stackResource("DcsInstanceSSL", "dcs-ssl", dcsSslProps()),
];

describe("redis-encryption-in-transit", () => {
  it("is advisory, with the clouds to check configurable", () => {
    expect(policy.enforcementLevel).toBe("advisory");
    expect(policy.configSchema?.properties.clouds).toMatchObject({
      type: "array",
      default: ["kakaocloud", "alicloud", "huaweicloud"],
    });
  });

  it("passes TLS on the cluster and SSL on the Tair and DCS instances", async () => {
    expect(await runStack(policy, stackArgs(happy()))).toEqual({ violations: [], previewNotes: [] });
  });

  it("flags a KakaoRedisCluster without TLS", async () => {
    for (const tlsEnabled of [false, undefined]) {
      const out = await runStack(
        policy,
        stackArgs([stackResource("KakaoRedisCluster", "cache", clusterProps({ tlsEnabled }))]),
      );
      expect(out.violations).toEqual([
        {
          message:
            'KakaoRedisCluster "cache" does not enable TLS: set tlsEnabled: true so that clients reach Redis over an ' +
            "encrypted connection.",
          urn: urnOf("KakaoRedisCluster", "cache"),
        },
      ]);
    }
  });

  it("flags an InstanceSSL that disables SSL on a Tair instance without a direct connection", async () => {
    const out = await runStack(
      policy,
      stackArgs([stackResource("InstanceSSL", "tair-ssl", instanceSslProps({ enabled: "Disable" }))]),
    );
    expect(messages(out)).toEqual([
      `InstanceSSL "tair-ssl" leaves SSL disabled on Tair instance "${TAIR_ID}": set enabled: true (or "Enable"). ` +
        "Only a Tair instance with a direct connection (TairDirectConnection) needs SSL off.",
    ]);
  });

  it("does not flag disabled SSL on a Tair instance that has a direct connection", async () => {
    const instance = stackResource("alicloud:kvstore/instance:Instance", "tair", {});
    const out = await runStack(
      policy,
      stackArgs([
        instance,
        stackResource("InstanceSSL", "tair-ssl", instanceSslProps({ instanceId: UNKNOWN, enabled: false }), {
          propertyDependencies: { instanceId: [instance] },
        }),
        stackResource("TairDirectConnection", "direct", directConnectionProps({ instanceId: UNKNOWN }), {
          propertyDependencies: { instanceId: [instance] },
        }),
      ]),
    );
    expect(out).toEqual({ violations: [], previewNotes: [] });
  });

  it("still flags disabled SSL when the direct connection is on another instance", async () => {
    const out = await runStack(
      policy,
      stackArgs([
        stackResource("InstanceSSL", "tair-ssl", instanceSslProps({ enabled: false })),
        stackResource(
          "TairDirectConnection",
          "direct",
          directConnectionProps({ instanceId: "r-bp1other0000002" }),
        ),
      ]),
    );
    expect(messages(out)).toEqual([
      expect.stringContaining(`InstanceSSL "tair-ssl" leaves SSL disabled on Tair instance "${TAIR_ID}"`),
    ]);
  });

  it("flags a DcsInstanceSSL that disables SSL", async () => {
    const out = await runStack(
      policy,
      stackArgs([stackResource("DcsInstanceSSL", "dcs-ssl", dcsSslProps({ enabled: false }))]),
    );
    expect(out.violations).toEqual([
      {
        message:
          'DcsInstanceSSL "dcs-ssl" leaves SSL disabled on DCS instance "3e3e3e3e-0000-4000-8000-000000000001": ' +
          "set enabled: true.",
        urn: urnOf("DcsInstanceSSL", "dcs-ssl"),
      },
    ]);
  });

  it("checks only the configured clouds", async () => {
    const resources = [
      stackResource("KakaoRedisCluster", "cache", clusterProps({ tlsEnabled: false })),
      stackResource("InstanceSSL", "tair-ssl", instanceSslProps({ enabled: false })),
      stackResource("DcsInstanceSSL", "dcs-ssl", dcsSslProps({ enabled: false })),
    ];
    const out = await runStack(policy, stackArgs(resources, { clouds: ["huaweicloud"] }));
    expect(messages(out)).toEqual([expect.stringMatching(/^DcsInstanceSSL "dcs-ssl"/)]);
    const none = await runStack(policy, stackArgs(resources.slice(0, 2), { clouds: ["huaweicloud"] }));
    expect(none.notApplicable).toBeDefined();
  });

  it("says what it cannot check during preview", async () => {
    const out = await runStack(
      policy,
      stackArgs([
        stackResource("KakaoRedisCluster", "cache", clusterProps({ tlsEnabled: UNKNOWN })),
        stackResource("InstanceSSL", "tair-ssl", instanceSslProps({ enabled: false, instanceId: UNKNOWN })),
        stackResource("TairDirectConnection", "direct", directConnectionProps()),
        stackResource("DcsInstanceSSL", "dcs-ssl", dcsSslProps({ enabled: UNKNOWN })),
      ]),
    );
    expect(out.violations).toEqual([]);
    expect(out.previewNotes).toEqual([
      'The tlsEnabled of KakaoRedisCluster "cache" is not known yet, so it cannot be checked during preview.',
      'Whether the Tair instance of InstanceSSL "tair-ssl" has a TairDirectConnection (which requires SSL off) ' +
        "cannot be told during preview, so its disabled SSL is not judged yet.",
      'The SSL setting (enabled) of DcsInstanceSSL "dcs-ssl" is not known yet, so it cannot be checked during preview.',
    ]);
  });
});
