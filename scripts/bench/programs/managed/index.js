// 40 resources of this package: 8 KakaoCloud clusters, each with an extra shard and an extra
// replica in it (24), 6 Tair direct connections, 4 Tair SSL settings and 6 DCS SSL settings
// (fixtures.js, `declareStack`), as the dynamic resource classes.
"use strict";
const pulumi = require("@pulumi/pulumi");
const classes = require("pulumi-managed-redis");
const f = require("./fixtures");

exports.replicas = pulumi.all(f.declareStack(pulumi, (type, name, args) => new classes[type](name, args)));
