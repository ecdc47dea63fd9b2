// Driven by stack configuration so one program covers create, in-place update, replace and bad input.
import * as pulumi from "@pulumi/pulumi";
import { DcsInstanceSSL } from "pulumi-managed-redis";

const config = new pulumi.Config();
const ssl = new DcsInstanceSSL("dcs-ssl", {
  // Default: the emulator's seeded Redis 6.0 basic edition instance.
  instanceId: config.get("instanceId") ?? "5560df16-cebf-4473-95c4-d1b573c16e79",
  enabled: config.getBoolean("enabled") ?? true,
  timeouts: { create: "2m", update: "2m", delete: "2m" },
});
export const sslEnabled = ssl.enabled;
export const sslDomainName = ssl.domainName;
