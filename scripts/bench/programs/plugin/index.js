// The 40 resources of programs/managed through the plugin face: the same inputs, registered as
// `pulumi.CustomResource`s by token (`managed-redis:<cloud>:<Type>`) with no SDK, the launcher named
// in Pulumi.yaml (`plugins: providers:`). Each resource declares its outputs (the schema's
// properties that are not inputs), as a generated SDK does and as the dynamic classes do.
// `fixtures.js` is copied in from programs/managed by the benchmark driver.
"use strict";
const pulumi = require("@pulumi/pulumi");
const schema = require("pulumi-managed-redis/plugin/schema.json");
const f = require("./fixtures");

/** The plugin face's token of each class (`KakaoShard` → `managed-redis:kakaocloud:KakaoShard`), from the schema. */
const TOKEN = Object.fromEntries(Object.keys(schema.resources).map((t) => [t.split(":").pop(), t]));

function resource(type, name, args) {
  const token = TOKEN[type];
  const spec = schema.resources[token];
  const props = { ...args };
  for (const k of Object.keys(spec.properties)) if (!(k in spec.inputProperties)) props[k] = undefined;
  return new pulumi.CustomResource(token, name, props);
}

exports.replicas = pulumi.all(f.declareStack(pulumi, resource));
