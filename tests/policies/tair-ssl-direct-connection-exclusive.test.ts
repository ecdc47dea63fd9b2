import { tairSslDirectConnectionExclusive as policy } from "../../policies/src/tair-ssl-direct-connection-exclusive";
import {
  TAIR_ID,
  UNKNOWN,
  directConnectionProps,
  instanceSslProps,
  messages,
  runStack,
  stackArgs,
  stackResource,
  urnOf,
} from "./util";

const CONFLICT_TAIL =
  "A Tair instance cannot have both: AllocateDirectConnection requires SSL encryption to be disabled. " +
  'Set enabled: false (or "Disable") on InstanceSSL "ssl", or remove TairDirectConnection "direct" and ' +
  "connect through the instance's proxy endpoint.";

const literalConflict =
  `TairDirectConnection "direct" allocates a direct connection on Tair instance "${TAIR_ID}", where ` +
  `InstanceSSL "ssl" enables SSL. ${CONFLICT_TAIL}`;

/** A Tair instance from another provider, whose id is unknown until it is created. */
function tairInstance(name = "cache") {
  return stackResource("alicloud:kvstore/instance:Instance", name, {
    instanceClass: "redis.shard.small.2.ce",
  });
}

describe("tair-ssl-direct-connection-exclusive", () => {
  it("is mandatory", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it("passes when SSL is disabled on the instance that has a direct connection", async () => {
    for (const enabled of [false, "Disable"]) {
      const out = await runStack(
        policy,
        stackArgs([
          stackResource("InstanceSSL", "ssl", instanceSslProps({ enabled })),
          stackResource("TairDirectConnection", "direct", directConnectionProps()),
        ]),
      );
      expect(out).toEqual({ violations: [], previewNotes: [] });
    }
  });

  it("passes when SSL and the direct connection are on different instances", async () => {
    const out = await runStack(
      policy,
      stackArgs([
        stackResource("InstanceSSL", "ssl", instanceSslProps()),
        stackResource(
          "TairDirectConnection",
          "direct",
          directConnectionProps({ instanceId: "r-bp1other0000002" }),
        ),
      ]),
    );
    expect(out).toEqual({ violations: [], previewNotes: [] });
  });

  it("refuses enabled SSL and a direct connection on the same literal instance id", async () => {
    const out = await runStack(
      policy,
      stackArgs([
        stackResource("InstanceSSL", "ssl", instanceSslProps()),
        stackResource("TairDirectConnection", "direct", directConnectionProps()),
      ]),
    );
    expect(out.violations).toEqual([
      { message: literalConflict, urn: urnOf("TairDirectConnection", "direct") },
    ]);
  });

  it("refuses them whichever order they appear in", async () => {
    const out = await runStack(
      policy,
      stackArgs([
        stackResource("TairDirectConnection", "direct", directConnectionProps()),
        stackResource("InstanceSSL", "ssl", instanceSslProps({ enabled: "Enable" })),
      ]),
    );
    expect(messages(out)).toEqual([literalConflict]);
  });

  it("refuses them when both take the instance id from the same resource (unknown at preview)", async () => {
    const instance = tairInstance();
    const out = await runStack(
      policy,
      stackArgs([
        instance,
        stackResource("InstanceSSL", "ssl", instanceSslProps({ instanceId: UNKNOWN }), {
          propertyDependencies: { instanceId: [instance] },
        }),
        stackResource("TairDirectConnection", "direct", directConnectionProps({ instanceId: UNKNOWN }), {
          propertyDependencies: { instanceId: [instance] },
        }),
      ]),
    );
    expect(messages(out)).toEqual([
      'TairDirectConnection "direct" allocates a direct connection on the Tair instance whose id comes from ' +
        'alicloud:kvstore/instance:Instance "cache", where InstanceSSL "ssl" enables SSL. ' +
        CONFLICT_TAIL,
    ]);
    expect(out.previewNotes).toEqual([]);
  });

  it("refuses them when one id is known and the other comes from the same resource", async () => {
    const instance = tairInstance();
    const out = await runStack(
      policy,
      stackArgs([
        stackResource("InstanceSSL", "ssl", instanceSslProps(), {
          propertyDependencies: { instanceId: [instance] },
        }),
        stackResource("TairDirectConnection", "direct", directConnectionProps({ instanceId: UNKNOWN }), {
          propertyDependencies: { instanceId: [instance] },
        }),
        instance,
      ]),
    );
    expect(messages(out)).toEqual([literalConflict]);
  });

  it("passes when the unknown ids come from different instances", async () => {
    const a = tairInstance("cache-a");
    const b = tairInstance("cache-b");
    const out = await runStack(
      policy,
      stackArgs([
        a,
        b,
        stackResource("InstanceSSL", "ssl", instanceSslProps({ instanceId: UNKNOWN }), {
          propertyDependencies: { instanceId: [a] },
        }),
        stackResource("TairDirectConnection", "direct", directConnectionProps({ instanceId: UNKNOWN }), {
          propertyDependencies: { instanceId: [b] },
        }),
      ]),
    );
    expect(out).toEqual({ violations: [], previewNotes: [] });
  });

  it("says it cannot check during preview when the ids are unknown and unrelated to any resource", async () => {
    const out = await runStack(
      policy,
      stackArgs([
        stackResource("InstanceSSL", "ssl", instanceSslProps({ instanceId: UNKNOWN })),
        stackResource("TairDirectConnection", "direct", directConnectionProps()),
      ]),
    );
    expect(out.violations).toEqual([]);
    expect(out.previewNotes).toEqual([
      'The instance ids of InstanceSSL "ssl" and TairDirectConnection "direct" are not known yet, so whether ' +
        "they target the same Tair instance cannot be checked during preview.",
    ]);
  });

  it("says it cannot check during preview when the SSL switch of the same instance is unknown", async () => {
    const out = await runStack(
      policy,
      stackArgs([
        stackResource("InstanceSSL", "ssl", instanceSslProps({ enabled: UNKNOWN })),
        stackResource("TairDirectConnection", "direct", directConnectionProps()),
      ]),
    );
    expect(out.violations).toEqual([]);
    expect(out.previewNotes).toEqual([
      'The SSL setting (enabled) of InstanceSSL "ssl" is not known yet, so whether it conflicts with ' +
        `TairDirectConnection "direct" on Tair instance "${TAIR_ID}" cannot be checked during preview.`,
    ]);
  });

  it("reports the conflicts it can decide and notes the ones it cannot", async () => {
    const out = await runStack(
      policy,
      stackArgs([
        stackResource("InstanceSSL", "ssl", instanceSslProps()),
        stackResource("InstanceSSL", "other", instanceSslProps({ instanceId: UNKNOWN })),
        stackResource("TairDirectConnection", "direct", directConnectionProps()),
      ]),
    );
    expect(messages(out)).toEqual([literalConflict]);
    expect(out.previewNotes).toHaveLength(1);
    expect(out.previewNotes[0]).toContain('InstanceSSL "other"');
  });

  it("is not applicable without both resource kinds, and ignores look-alikes of other types", async () => {
    const onlySsl = await runStack(
      policy,
      stackArgs([stackResource("InstanceSSL", "ssl", instanceSslProps())]),
    );
    expect(onlySsl.notApplicable).toBe("the stack has no InstanceSSL together with a TairDirectConnection");
    const lookAlike = await runStack(
      policy,
      stackArgs([
        stackResource("pulumi-nodejs:dynamic:Resource", "ssl", instanceSslProps()),
        stackResource("TairDirectConnection", "direct", directConnectionProps()),
      ]),
    );
    expect(lookAlike.violations).toEqual([]);
    expect(lookAlike.notApplicable).toBeDefined();
  });
});
