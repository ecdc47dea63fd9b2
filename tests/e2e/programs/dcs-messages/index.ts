// One DcsInstanceSSL with extra inputs from the stack configuration, as a JavaScript program
// (no types to catch a misspelt key) could pass them.
import * as pulumi from "@pulumi/pulumi";
import { DcsInstanceSSL, type DcsInstanceSSLArgs } from "pulumi-managed-redis";

const config = new pulumi.Config();
const extra = config.getObject<Record<string, unknown>>("extraInputs") ?? {};
const args = { instanceId: "5560df16-cebf-4473-95c4-d1b573c16e79", enabled: true, ...extra };
export const enabled = new DcsInstanceSSL("dcs-ssl", args as DcsInstanceSSLArgs).enabled;
