// The DCS resource in two forms (config `form`): `minimal` leaves every optional field out, `full`
// sets them all. Config `changes` (resource name → arguments) applies in-place changes. The
// dependent, SSL on a second instance of the same project, takes the first one's `projectId` output.
import * as pulumi from "@pulumi/pulumi";
import { DcsInstanceSSL } from "pulumi-managed-redis";

const config = new pulumi.Config();
const full = config.get("form") === "full";
const changes = config.getObject<Record<string, Record<string, unknown>>>("changes") ?? {};
const timeouts = { create: "2m", update: "2m", delete: "2m" };

const ssl = new DcsInstanceSSL("dcs-ssl", {
  instanceId: "5560df16-cebf-4473-95c4-d1b573c16e79",
  enabled: true,
  ...(full ? { projectId: "demo-project", leaveOnDestroy: false, timeouts } : {}),
  ...changes["dcs-ssl"],
});

// SSL off on an instance that never had it (the SSL query answers 204).
new DcsInstanceSSL("dcs-ssl-same-project", {
  projectId: ssl.projectId,
  instanceId: config.require("secondInstanceId"),
  enabled: false,
  ...changes["dcs-ssl-same-project"],
});

export const sslEnabled = ssl.enabled;
export const sslDomainName = ssl.domainName;
