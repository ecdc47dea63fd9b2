// Alibaba Cloud Tair (ApsaraDB for Redis): TLS on one instance, and a direct connection on a
// cluster instance. A direct connection requires SSL to be off on its instance, so that instance
// gets an explicit `InstanceSSL` with `enabled: false` and the direct connection depends on it.
//
//   pulumi config set managed-redis:alicloudAccessKeyId <AccessKey id>
//   pulumi config set --secret managed-redis:alicloudAccessKeySecret <AccessKey secret>
//   pulumi config set managed-redis:alicloudRegion cn-hangzhou
//   pulumi config set sslInstanceId r-xxxxxxxx        # any Tair instance
//   pulumi config set clusterInstanceId r-yyyyyyyy    # a cluster instance in a VPC, Redis 4.0/5.0
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import { InstanceSSL, TairDirectConnection } from "pulumi-managed-redis";

const config = new pulumi.Config();

// TLS on, with a certificate renewal whenever `certificateRotation` changes.
const ssl = new InstanceSSL("sessions-tls", {
  instanceId: config.get("sslInstanceId") ?? "r-demo-standard-01",
  enabled: true,
  certificateRotation: config.get("certificateRotation") ?? "2026-01",
  timeouts: { create: "40m", update: "40m" },
});

// The cluster instance keeps SSL off (and leaves it as it is on destroy) ...
const clusterSsl = new InstanceSSL("cluster-no-tls", {
  instanceId: config.get("clusterInstanceId") ?? "r-demo-cluster-01",
  enabled: false,
  leaveOnDestroy: true,
});

// ... so that it can have a direct connection: clients talk to the shards as to a native Redis Cluster.
const direct = new TairDirectConnection(
  "cluster-direct",
  {
    instanceId: clusterSsl.instanceId,
    connectionStringPrefix: config.get("directPrefix") ?? "demodirect01",
    port: config.getNumber("directPort") ?? 6379,
  },
  { dependsOn: [clusterSsl] },
);

export const caCertificateUrl = ssl.certDownloadUrl;
export const certificateExpires = ssl.sslExpiredTime;
export const directEndpoint = pulumi.interpolate`${direct.connectionString}:${direct.port}`;
export const directNodes = direct.ipAddresses;
