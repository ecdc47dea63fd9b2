// pulumi import managed-redis:huaweicloud:DcsInstanceSSL ssl <projectId>/<instanceId> --yes (import line changed)
import * as pulumi from "@pulumi/pulumi";
import * as managed_redis from "pulumi-managed-redis/plugin";

const ssl = new managed_redis.huaweicloud.DcsInstanceSSL("ssl", {
    enabled: true,
    instanceId: "5560df16-cebf-4473-95c4-d1b573c16e79",
    leaveOnDestroy: false,
}, {
    protect: true,
});
