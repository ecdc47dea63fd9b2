// The Tair resources in two forms (config `form`): `minimal` leaves every optional field out, `full`
// sets them all. Config `changes` (resource name → arguments) applies in-place changes. Each
// resource that has a dependent passes it its `instanceId` output, as a program would.
import * as pulumi from "@pulumi/pulumi";
import { InstanceSSL, TairDirectConnection } from "pulumi-managed-redis";

const config = new pulumi.Config();
const full = config.get("form") === "full";
const changes = config.getObject<Record<string, Record<string, unknown>>>("changes") ?? {};
const timeouts = { create: "2m", update: "2m", delete: "2m" };
const sslOptions = () => (full ? { certificateRotation: "2026-01", leaveOnDestroy: false, timeouts } : {});
const directOptions = (prefix: string) =>
  full ? { connectionStringPrefix: prefix, port: 6380, timeouts, adoptExisting: false } : {};

const tls = new InstanceSSL("tls", {
  instanceId: "r-demo-standard-01",
  enabled: true,
  ...sslOptions(),
  ...changes.tls,
});

// SSL off on a cluster instance, and its dependent: the direct connection that needs SSL off.
const clusterTls = new InstanceSSL("cluster-tls-off", {
  instanceId: "r-demo-cluster-02",
  enabled: false,
  ...sslOptions(),
  ...changes["cluster-tls-off"],
});
new TairDirectConnection("direct-after-tls", {
  instanceId: clusterTls.instanceId,
  ...directOptions("e2eforms02"),
  ...changes["direct-after-tls"],
});

// A direct connection, and its dependent: SSL kept off on that instance.
const direct = new TairDirectConnection("direct", {
  instanceId: "r-demo-cluster-01",
  ...directOptions("e2eforms01"),
  ...changes.direct,
});
new InstanceSSL("tls-off-after-direct", {
  instanceId: direct.instanceId,
  enabled: false,
  ...changes["tls-off-after-direct"],
});

export const sslEnabled = tls.sslEnabled;
export const directEndpoint = direct.connectionString;
