// Driven by stack configuration so one program covers create, in-place update, replace, bad input
// and the SSL / direct-connection conflict. Defaults are instances seeded in the emulator.
import * as pulumi from "@pulumi/pulumi";
import { InstanceSSL, TairDirectConnection } from "pulumi-managed-redis";

const config = new pulumi.Config();
const timeouts = { create: "2m", update: "2m", delete: "2m" };

const tls = new InstanceSSL("tls", {
  instanceId: config.get("sslInstanceId") ?? "r-demo-standard-01",
  enabled: config.getBoolean("sslEnabled") ?? true,
  certificateRotation: config.get("certificateRotation") ?? "2026-01",
  timeouts,
});

const direct = new TairDirectConnection("direct", {
  instanceId: config.get("directInstanceId") ?? "r-demo-cluster-01",
  connectionStringPrefix: config.get("directPrefix") ?? "e2edirect01",
  port: config.getNumber("directPort") ?? 6379,
  timeouts,
});

if (config.getBoolean("conflict")) {
  // SSL on the instance that has the direct connection: the provider must refuse it.
  new InstanceSSL(
    "conflicting-tls",
    { instanceId: direct.instanceId, enabled: true, timeouts },
    { dependsOn: [direct] },
  );
}

export const sslEnabled = tls.sslEnabled;
export const sslExpiredTime = tls.sslExpiredTime;
export const directEndpoint = pulumi.interpolate`${direct.connectionString}:${direct.port}`;
export const directIps = direct.ipAddresses;
