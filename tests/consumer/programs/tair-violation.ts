// Breaks the mandatory tair-ssl-direct-connection-exclusive policy: an enabled InstanceSSL and a
// TairDirectConnection on the same Tair instance. Only ever previewed (with the policy pack).
import { InstanceSSL, TairDirectConnection } from "pulumi-managed-redis";

const instanceId = "r-demo-cluster-01";
new InstanceSSL("tls", { instanceId, enabled: true });
new TairDirectConnection("direct", { instanceId, connectionStringPrefix: "consumer01" });
