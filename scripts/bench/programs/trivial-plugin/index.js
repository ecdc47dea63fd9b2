// The plugin face's baseline: the same 40-resource shape as programs/trivial (8 chains of three
// dependent resources, then 16 independent ones), registered as `pulumi.CustomResource`s of a
// provider plugin that does nothing (provider/pulumi-resource-bench-trivial, named in Pulumi.yaml).
"use strict";
const pulumi = require("@pulumi/pulumi");

const trivial = (name, args) =>
  new pulumi.CustomResource("bench-trivial:index:Trivial", name, { ...args, ref: undefined });

const ids = [];
for (let i = 0; i < 8; i++) {
  const cluster = trivial(`cache-${i}`, { name: `cache-${i}` });
  const shard = trivial(`shard-${i}`, { name: `shard-${i}`, parent: cluster.ref });
  const replica = trivial(`replica-${i}`, { name: `replica-${i}`, parent: shard.ref });
  ids.push(replica.ref);
}
for (let i = 0; i < 16; i++) trivial(`flat-${i}`, { name: `flat-${i}` });
exports.replicas = pulumi.all(ids);
