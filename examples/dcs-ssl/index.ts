// SSL on a Huawei Cloud DCS Redis 6.0 basic edition instance (single-node, master/standby or Redis
// Cluster). See README.md for the configuration.
//
//   pulumi config set managed-redis:huaweicloudRegion ap-southeast-1
//   pulumi config set managed-redis:huaweicloudProjectId <project id>
//   pulumi config set managed-redis:huaweicloudAccessKey <AK>
//   pulumi config set --secret managed-redis:huaweicloudSecretKey <SK>
//   pulumi config set instanceId <DCS instance id>
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import { DcsInstanceSSL } from "pulumi-managed-redis";

const config = new pulumi.Config();

const ssl = new DcsInstanceSSL("redis-ssl", {
  instanceId: config.require("instanceId"),
  enabled: config.getBoolean("sslEnabled") ?? true,
  // Turning SSL off again on `pulumi destroy` is the default; keep it on with leaveOnDestroy.
  leaveOnDestroy: config.getBoolean("leaveOnDestroy") ?? false,
  // A change runs as a DCS background job; a freshly created instance is busy for a while first.
  timeouts: { create: "30m", update: "30m", delete: "30m" },
});

export const sslEnabled = ssl.enabled;
export const sslDomainName = ssl.domainName;
export const sslPort = ssl.port;
export const sslCertificateExpiresAt = ssl.sslExpiredAt;
