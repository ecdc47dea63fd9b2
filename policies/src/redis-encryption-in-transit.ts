import type { StackValidationPolicy } from "@pulumi/policy";
import { stringListSetting } from "./config";
import { describeTarget, label, ofType, referenceOf, relate, sslState } from "./resources";
import { Unknowns, isUnknown, plainProps } from "./values";

/** The clouds {@link redisEncryptionInTransit} can check, as named in its `clouds` setting. */
export type EncryptionCloud = "kakaocloud" | "alicloud" | "huaweicloud";

/** All clouds, the default of the `clouds` setting. */
export const ENCRYPTION_CLOUDS: readonly EncryptionCloud[] = ["kakaocloud", "alicloud", "huaweicloud"];

/** Configuration of {@link redisEncryptionInTransit}. */
export interface RedisEncryptionInTransitConfig {
  /** Which clouds to check; default all three. */
  clouds?: EncryptionCloud[];
}

/**
 * `redis-encryption-in-transit` (advisory, stack policy): Redis traffic is encrypted.
 *
 * - `KakaoRedisCluster`: `tlsEnabled: true`.
 * - `InstanceSSL` (Tair): `enabled: true` / `"Enable"` — except on a Tair instance that has a
 *   `TairDirectConnection` in the stack, where SSL must be off (see
 *   `tair-ssl-direct-connection-exclusive`), so no violation is reported for it.
 * - `DcsInstanceSSL` (Huawei DCS): `enabled: true`.
 *
 * It is a stack policy because the Tair exception needs the other resources of the stack. Instances
 * without an SSL resource of this package are not judged (their type is not this package's).
 * Configuration: `clouds` (default all: `kakaocloud`, `alicloud`, `huaweicloud`).
 */
export const redisEncryptionInTransit: StackValidationPolicy = {
  name: "redis-encryption-in-transit",
  description:
    "Redis traffic is encrypted: KakaoCloud clusters enable TLS, Tair and DCS instances enable SSL " +
    "(except a Tair instance with a direct connection, which requires SSL off).",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      clouds: {
        type: "array",
        items: { type: "string", enum: [...ENCRYPTION_CLOUDS] },
        uniqueItems: true,
        default: [...ENCRYPTION_CLOUDS],
        description: "The clouds whose Redis resources must encrypt traffic.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const clouds = new Set(
      stringListSetting(args.getConfig<RedisEncryptionInTransitConfig>().clouds, ENCRYPTION_CLOUDS),
    );
    const clusters = clouds.has("kakaocloud") ? ofType(args.resources, "KakaoRedisCluster") : [];
    const tairSsls = clouds.has("alicloud") ? ofType(args.resources, "InstanceSSL") : [];
    const dcsSsls = clouds.has("huaweicloud") ? ofType(args.resources, "DcsInstanceSSL") : [];
    if (clusters.length + tairSsls.length + dcsSsls.length === 0) {
      args.notApplicable("the stack has no KakaoRedisCluster, InstanceSSL or DcsInstanceSSL to check");
    }
    const unknowns = new Unknowns();

    for (const cluster of clusters) {
      const tls = plainProps(cluster.props).tlsEnabled;
      if (isUnknown(tls)) {
        unknowns.note(
          `The tlsEnabled of ${label(cluster)} is not known yet, so it cannot be checked during preview.`,
        );
      } else if (tls !== true) {
        reportViolation(
          `${label(cluster)} does not enable TLS: set tlsEnabled: true so that clients reach Redis over an ` +
            "encrypted connection.",
          cluster.urn,
        );
      }
    }

    const directs = ofType(args.resources, "TairDirectConnection");
    for (const ssl of tairSsls) {
      const state = sslState(plainProps(ssl.props).enabled);
      const ref = referenceOf(ssl, "instanceId");
      if (state === "unknown") {
        unknowns.note(
          `The SSL setting (enabled) of ${label(ssl)} is not known yet, so it cannot be checked during preview.`,
        );
        continue;
      }
      if (state === "on") continue;
      const relations = directs.map((d) => relate(ref, referenceOf(d, "instanceId")));
      if (relations.includes("same")) continue; // a direct connection requires SSL off
      if (relations.includes("unknown")) {
        unknowns.note(
          `Whether the Tair instance of ${label(ssl)} has a TairDirectConnection (which requires SSL off) cannot ` +
            "be told during preview, so its disabled SSL is not judged yet.",
        );
        continue;
      }
      reportViolation(
        `${label(ssl)} leaves SSL disabled on ${describeTarget(ref, "Tair instance")}: set enabled: true ` +
          '(or "Enable"). Only a Tair instance with a direct connection (TairDirectConnection) needs SSL off.',
        ssl.urn,
      );
    }

    for (const ssl of dcsSsls) {
      const state = sslState(plainProps(ssl.props).enabled);
      if (state === "unknown") {
        unknowns.note(
          `The SSL setting (enabled) of ${label(ssl)} is not known yet, so it cannot be checked during preview.`,
        );
      } else if (state === "off") {
        reportViolation(
          `${label(ssl)} leaves SSL disabled on ${describeTarget(referenceOf(ssl, "instanceId"), "DCS instance")}: ` +
            "set enabled: true.",
          ssl.urn,
        );
      }
    }
    unknowns.finish();
  },
};
