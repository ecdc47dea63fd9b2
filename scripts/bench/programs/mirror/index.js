// The decomposition stack of `npm run bench`: this package's resource classes, declared exactly as
// the managed stack declares them (fixtures.js, `declareStack`), so the same resources register the
// same properties with the same parents, children and dependencies, but each class's provider does
// nothing (it answers create with its inputs and a made-up id of the right shape).
//
// managed ÷ mirror is the cost of the package's own provider work (its check and diff, the modules
// the provider process loads, the waits of `up`); mirror ÷ trivial is the cost of what the program
// registers (the settled children, the outputs each class declares).
"use strict";
const path = require("node:path");
const pulumi = require("@pulumi/pulumi");
const f = require("./fixtures");

// Every class asks the shim module for its provider when it is constructed (`shimProvider(module)`),
// so replacing that export swaps the provider and nothing else. One provider object per module, as
// the shim does: Pulumi serializes each provider object once.
const shim = require(path.join(path.dirname(require.resolve("pulumi-managed-redis")), "core", "shim.js"));
const providers = new Map();
shim.shimProvider = (modulePath) => {
  if (!providers.has(modulePath)) providers.set(modulePath, nothingFor(modulePath));
  return providers.get(modulePath);
};

/** A provider that does nothing, for the implementation module `modulePath`. */
function nothingFor(modulePath) {
  return {
    async create(inputs) {
      const r = () => Math.random().toString(36).slice(2, 8);
      const members = { status: "Running", shards: [], foreignMembers: { shardIds: [], nodeIds: [] } };
      const endpoints = { nodeEndpoints: [], seedEndpoints: [] };
      switch (modulePath) {
        case "kakaocloud/cluster":
          return { id: `c-${r()}`, outs: { ...inputs, ...members, ...endpoints } };
        case "kakaocloud/cluster-settled":
          return { id: String(inputs.clusterId), outs: { ...inputs, ...members, ...endpoints } };
        case "kakaocloud/shard":
          return { id: `${inputs.clusterId}/s-${r()}`, outs: { ...inputs, name: "shard" } };
        case "kakaocloud/replica":
          return { id: `${inputs.clusterId}/${inputs.shardId}/n-${r()}`, outs: { ...inputs, name: "node" } };
        case "kakaocloud/settled":
          return { id: `settled-${r()}`, outs: { ...inputs, status: "Running", slots: "0-1", nodes: [] } };
        default:
          return { id: String(inputs.instanceId), outs: { ...inputs } };
      }
    },
  };
}

const classes = require("pulumi-managed-redis");
exports.replicas = pulumi.all(f.declareStack(pulumi, (type, name, args) => new classes[type](name, args)));
