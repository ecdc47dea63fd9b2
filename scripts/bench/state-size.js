// The size of each resource's entry in an exported checkpoint (`pulumi stack export`), for the
// state-size figures of `npm run bench`: a pure function of the exported deployment, so that the
// dynamic face (whose entries carry `__provider`) and the plugin face can be compared type by type.
"use strict";
const { Buffer } = require("node:buffer");

/** A type token's last segment: `pulumi-nodejs:dynamic/kakaocloud:KakaoShard` and `managed-redis:kakaocloud:KakaoShard` both give `KakaoShard`. */
function shortType(token) {
  return token.slice(token.lastIndexOf(":") + 1);
}

/** Bytes of one state entry: its compact JSON (`JSON.stringify`) in UTF-8. */
function entryBytes(entry) {
  return Buffer.byteLength(JSON.stringify(entry));
}

/**
 * Sizes of the resources' state entries in an exported deployment (`deployment` of `pulumi stack
 * export`), in bytes of compact JSON. The engine's own entries (`pulumi:pulumi:Stack`, the
 * `pulumi:providers:*` providers) are counted apart. Returns, per short type name, the number of
 * entries and their smallest, largest and total bytes, and over all resources: how many entries,
 * their total bytes, the bytes of the engine's entries and of the whole deployment.
 */
function stateSizes(deployment) {
  const types = {};
  let resources = 0;
  let resourceBytes = 0;
  let engineBytes = 0;
  for (const entry of deployment.resources ?? []) {
    const n = entryBytes(entry);
    if (typeof entry.type !== "string" || entry.type.startsWith("pulumi:")) {
      engineBytes += n;
      continue;
    }
    const t = (types[shortType(entry.type)] ??= { token: entry.type, count: 0, min: n, max: n, total: 0 });
    t.count += 1;
    t.min = Math.min(t.min, n);
    t.max = Math.max(t.max, n);
    t.total += n;
    resources += 1;
    resourceBytes += n;
  }
  return { types, resources, resourceBytes, engineBytes, deploymentBytes: entryBytes(deployment) };
}

module.exports = { stateSizes, entryBytes, shortType };
