// After: pulumi import managed-redis:huaweicloud:DcsInstanceSSL ssl <projectId>/<instanceId> --yes --generate-code=false
import { huaweicloud } from "pulumi-managed-redis/plugin";

new huaweicloud.DcsInstanceSSL(
  "ssl",
  { instanceId: "5560df16-cebf-4473-95c4-d1b573c16e79", enabled: true },
  { protect: true }, // pulumi import records the resource as protected
);
