// The baseline: the same 40-resource shape as the managed stack (8 chains of three dependent
// resources, then 16 independent ones), made of dynamic resources whose provider does nothing.
"use strict";
const pulumi = require("@pulumi/pulumi");

const nothing = {
  async create(inputs) {
    return { id: `t-${inputs.name}`, outs: { ...inputs, ref: `ref-${inputs.name}` } };
  },
};

class Trivial extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(nothing, name, { ...args, ref: undefined }, opts, "bench", "Trivial");
  }
}

const ids = [];
for (let i = 0; i < 8; i++) {
  const cluster = new Trivial(`cache-${i}`, { name: `cache-${i}` });
  const shard = new Trivial(`shard-${i}`, { name: `shard-${i}`, parent: cluster.ref });
  const replica = new Trivial(`replica-${i}`, { name: `replica-${i}`, parent: shard.ref });
  ids.push(replica.ref);
}
for (let i = 0; i < 16; i++) new Trivial(`flat-${i}`, { name: `flat-${i}` });
exports.replicas = pulumi.all(ids);
