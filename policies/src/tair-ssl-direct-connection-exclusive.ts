import type { StackValidationPolicy } from "@pulumi/policy";
import { describeTarget, label, ofType, referenceOf, relate, sslState } from "./resources";
import { Unknowns, plainProps } from "./values";

/**
 * `tair-ssl-direct-connection-exclusive` (mandatory, stack policy): a Tair (ApsaraDB for Redis)
 * instance must not have both an enabled `InstanceSSL` and a `TairDirectConnection`, because
 * `AllocateDirectConnection` requires SSL encryption to be disabled on the instance.
 *
 * The two resources are matched across the whole stack, in any order, by their `instanceId`: equal
 * known values, or ids computed from the same resources (for example both `instance.id` of one
 * `alicloud.kvstore.Instance`, recorded by the engine as property dependencies). When the ids or the
 * SSL switch are not known during preview and the pair cannot be told apart, the policy says so in one
 * advisory message instead of blocking; the check then runs again with the real values at `pulumi up`.
 *
 * @example
 * ```typescript
 * // Refused: both target the same instance.
 * new InstanceSSL("ssl", { instanceId: instance.id, enabled: true });
 * new TairDirectConnection("direct", { instanceId: instance.id });
 * ```
 */
export const tairSslDirectConnectionExclusive: StackValidationPolicy = {
  name: "tair-ssl-direct-connection-exclusive",
  description:
    "A Tair instance cannot have SSL enabled (InstanceSSL) and a direct connection (TairDirectConnection) " +
    "at the same time: AllocateDirectConnection requires SSL encryption to be disabled.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    'Disable SSL on the instance (InstanceSSL enabled: false or "Disable"), or remove the ' +
    "TairDirectConnection and connect through the instance's proxy endpoint.",
  validateStack: (args, reportViolation) => {
    const ssls = ofType(args.resources, "InstanceSSL");
    const directs = ofType(args.resources, "TairDirectConnection");
    if (ssls.length === 0 || directs.length === 0) {
      args.notApplicable("the stack has no InstanceSSL together with a TairDirectConnection");
    }
    const unknowns = new Unknowns();
    for (const direct of directs) {
      const directRef = referenceOf(direct, "instanceId");
      for (const ssl of ssls) {
        const state = sslState(plainProps(ssl.props).enabled);
        if (state === "off") continue;
        const sslRef = referenceOf(ssl, "instanceId");
        const relation = relate(sslRef, directRef);
        if (relation === "different") continue;
        if (relation === "unknown") {
          unknowns.note(
            `The instance ids of ${label(ssl)} and ${label(direct)} are not known yet, so whether they ` +
              "target the same Tair instance cannot be checked during preview.",
          );
          continue;
        }
        const instance = describeTarget(sslRef.value !== undefined ? sslRef : directRef, "Tair instance");
        if (state === "unknown") {
          unknowns.note(
            `The SSL setting (enabled) of ${label(ssl)} is not known yet, so whether it conflicts with ` +
              `${label(direct)} on ${instance} cannot be checked during preview.`,
          );
          continue;
        }
        reportViolation(
          `${label(direct)} allocates a direct connection on ${instance}, where ${label(ssl)} enables SSL. ` +
            "A Tair instance cannot have both: AllocateDirectConnection requires SSL encryption to be disabled. " +
            `Set enabled: false (or "Disable") on ${label(ssl)}, or remove ${label(direct)} and connect ` +
            "through the instance's proxy endpoint.",
          direct.urn,
        );
      }
    }
    unknowns.finish();
  },
};
