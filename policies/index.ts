/**
 * Entry of the `managed-redis` CrossGuard policy pack. Constructing a `PolicyPack` starts the policy
 * server, so this file does nothing else; the policies live in `./src` and can be imported from there.
 */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./src";

new PolicyPack("managed-redis", { policies: allPolicies });
