// One resource type's detection lag and API calls, measured in a process of its own (its own
// emulator, its own environment) by calling the provider implementation directly, as the engine
// would. Started by scripts/bench/lag.js with a JSON spec as its only argument; prints one JSON
// object per measurement on stdout.
//
// Detection lag = the moment the provider returns - the moment the emulator settled the operation.
// The settle moment is exact: the emulator settles an operation `settleMs` after it accepted the
// mutation, and an observer hook timestamps every request as the emulator receives it.
/* global setTimeout */
"use strict";
const path = require("node:path");
const { emulatorEnv, loadEmulator, root } = require("./engine");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** What each resource type needs: the provider module, setup, inputs, and its operations. */
const TYPES = {
  KakaoRedisCluster: {
    module: "kakaocloud/cluster",
    cloud: "kakaocloud",
    ops: {
      create: { settleKind: "createCluster", op: "createCluster" },
      update: { settleKind: "updateCluster", op: "updateCluster" },
      delete: { settleKind: "deleteCluster", op: "deleteCluster" },
    },
    inputs: async (_ctx, run) => clusterInputs(`bench-cluster-${run}`),
    updated: (inputs) => ({ ...inputs, description: "bench, second" }),
    // Step two, the KakaoClusterSettled child the class creates after the cluster: its create
    // answers with the cluster's id at once, the child waits for it to be Running.
    settledModule: "kakaocloud/cluster-settled",
    settled: (outs, inputs) => ({ clusterId: outs.clusterId, port: inputs.port }),
  },
  KakaoShard: {
    module: "kakaocloud/shard",
    cloud: "kakaocloud",
    ops: {
      create: { settleKind: "addShard", op: "addShard" },
      delete: { settleKind: "deleteShard", op: "deleteShard" },
    },
    inputs: async (ctx) => ({
      clusterId: await ctx.cluster(),
      nodeCount: 2,
      subnetAssignments: { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
    }),
    // Step two, the KakaoMemberSettled child the class creates after the shard: the slot migration.
    settled: (outs) => ({ kind: "shard", clusterId: outs.clusterId, shardId: outs.shardId }),
  },
  KakaoReplica: {
    module: "kakaocloud/replica",
    cloud: "kakaocloud",
    ops: {
      create: { settleKind: "addReplica", op: "addReplica" },
      delete: { settleKind: "deleteReplica", op: "deleteNode" },
    },
    inputs: async (ctx) => ({ clusterId: await ctx.cluster(), shardId: "001", subnetId: "subnet-b" }),
    settled: (outs) => ({
      kind: "replica",
      clusterId: outs.clusterId,
      shardId: outs.shardId,
      nodeId: outs.nodeId,
    }),
  },
  TairDirectConnection: {
    module: "alicloud/direct-connection",
    cloud: "alicloud",
    ops: {
      create: { settleKind: "allocateDirect", op: "AllocateDirectConnection" },
      delete: { settleKind: "releaseDirect", op: "ReleaseDirectConnection" },
    },
    inputs: async () => ({
      instanceId: "r-demo-cluster-01",
      connectionStringPrefix: "benchdirect01",
      port: 6379,
    }),
  },
  InstanceSSL: {
    module: "alicloud/instance-ssl",
    cloud: "alicloud",
    ops: {
      create: { settleKind: "modifySSL", op: "ModifyInstanceSSL" },
      update: { settleKind: "modifySSL", op: "ModifyInstanceSSL" },
      delete: { settleKind: "modifySSL", op: "ModifyInstanceSSL" },
    },
    inputs: async () => ({ instanceId: "r-demo-cluster-02", enabled: true, certificateRotation: "r1" }),
    updated: (inputs) => ({ ...inputs, certificateRotation: "r2" }),
  },
  DcsInstanceSSL: {
    module: "huaweicloud/dcs-instance-ssl",
    cloud: "huaweicloud",
    ops: {
      create: { settleKind: "sslJob", op: "setSsl" },
      update: { settleKind: "sslJob", op: "setSsl" },
      delete: { settleKind: "sslJob", op: "setSsl" },
    },
    inputs: async () => ({ instanceId: "5560df16-cebf-4473-95c4-d1b573c16e79", enabled: true }),
    updated: (inputs) => ({ ...inputs, enabled: false }),
  },
};

function clusterInputs(name) {
  return {
    name,
    description: "bench",
    version: "7.2.6",
    port: 6379,
    shardCount: 2,
    nodeCountPerShard: 2,
    flavorId: "3830ebad-ea2f-4822-8a7d-9e301c86a58d",
    parameterGroupId: "pg-bench",
    subnets: [{ id: "subnet-a" }, { id: "subnet-b" }],
    subnetAssignments: [
      { primary: { id: "subnet-a" }, replicas: [{ id: "subnet-b" }] },
      { primary: { id: "subnet-b" }, replicas: [{ id: "subnet-a" }] },
    ],
    securityGroups: [{ id: "sg-bench" }],
    user: { name: "app", password: "bench-encrypted-password" },
    tlsEnabled: true,
  };
}

/** Requests the emulator received from index `from` on, with the observer's timestamps. */
function slice(emu, stamps, from) {
  return emu.requests.slice(from).map((r, i) => ({ ...r, t: stamps[from + i] }));
}

/**
 * One measured operation: sets the settle time of its kind, runs `fn`, and derives the lag and the
 * calls from the request log. `op` names the mutation whose acceptance starts the settle time.
 */
async function measure(ctx, { type, opName, spec, settleMs, run, fn }) {
  const { emu, stamps, module } = ctx;
  module.settle.set(spec.settleKind, settleMs);
  const from = emu.requests.length;
  const started = Date.now();
  const value = await fn();
  const returned = Date.now();
  const reqs = slice(emu, stamps, from);
  const accepted = reqs.filter((r) => r.op === spec.op && r.status >= 200 && r.status < 300);
  if (accepted.length !== 1) {
    throw new Error(`${type} ${opName}: expected one accepted ${spec.op}, saw ${accepted.length}`);
  }
  const mutation = accepted[0];
  const settledAt = mutation.t + settleMs;
  const isMutation = (r) => r.mutating && r.op !== "issueToken";
  const reads = reqs.filter((r) => !isMutation(r));
  const polls = reads.filter((r) => r.t >= mutation.t);
  module.settle.set(spec.settleKind, ctx.setupSettleMs);
  return {
    value,
    row: {
      type,
      op: opName,
      settleMs,
      run,
      lagMs: returned - settledAt,
      totalMs: returned - started,
      mutations: reqs.filter(isMutation).length,
      reads: reads.length,
      polls: polls.length,
      // A fixed 10-second schedule looks at 10 s, 20 s, ... until it sees the change settled.
      fixed10sPolls: Math.max(1, Math.ceil(settleMs / 10_000)),
    },
  };
}

async function main() {
  const spec = JSON.parse(process.argv[2]);
  const def = TYPES[spec.type];
  if (!def) throw new Error(`unknown type ${spec.type}; known: ${Object.keys(TYPES).join(", ")}`);
  const { startEmulator } = loadEmulator();
  const stamps = [];
  const setupSettleMs = 50;
  const emu = await startEmulator({
    kakaocloud: { settleMs: { default: setupSettleMs } },
    alicloud: { settleMs: { default: setupSettleMs } },
    huaweicloud: { settleMs: { default: setupSettleMs } },
    // An observer, not a fault: it timestamps each request as the emulator receives it.
    faults: () => {
      stamps.push(Date.now());
      return undefined;
    },
  });
  Object.assign(process.env, emulatorEnv(emu));
  if (spec.pollScale) process.env.PULUMI_MANAGED_REDIS_POLL_SCALE = String(spec.pollScale);
  else delete process.env.PULUMI_MANAGED_REDIS_POLL_SCALE;
  // The providers print progress lines on stderr; keep stdout for the results.
  const implementation = (module) => require(path.join(root, "lib", "provider", `${module}.js`)).provider;
  const provider = implementation(def.module);
  // As the engine runs them: a type's create, then (the KakaoCloud types) its settled child's.
  const createAsTheEngineDoes = async (type, inputs) => {
    const created = await implementation(type.module).create(inputs);
    if (type.settled) {
      const child = implementation(type.settledModule ?? "kakaocloud/settled");
      await child.create(type.settled(created.outs, inputs));
    }
    return created;
  };
  let clusterId;
  const ctx = {
    emu,
    stamps,
    setupSettleMs,
    module: emu.clouds[def.cloud],
    async cluster() {
      if (!clusterId) {
        const res = await createAsTheEngineDoes(TYPES.KakaoRedisCluster, clusterInputs("bench-host-cluster"));
        clusterId = res.id;
      }
      return clusterId;
    },
  };
  const ops = spec.ops ?? ["create", "delete"];
  for (let run = 0; run < (spec.runs ?? 1); run++) {
    for (const settleMs of spec.settles) {
      const raw = await def.inputs(ctx, run);
      const checked = await provider.check({}, raw);
      if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
      let inputs = checked.inputs;
      const created = await measure(ctx, {
        type: spec.type,
        opName: "create",
        spec: def.ops.create,
        settleMs,
        run,
        fn: () => createAsTheEngineDoes(def, inputs),
      });
      if (ops.includes("create")) emit({ ...created.row, ...spec.tag });
      let { id, outs } = created.value;
      if (ops.includes("update") && def.updated) {
        const news = (await provider.check(inputs, def.updated(inputs))).inputs;
        const updated = await measure(ctx, {
          type: spec.type,
          opName: "update",
          spec: def.ops.update,
          settleMs,
          run,
          fn: () => provider.update(id, outs, news),
        });
        emit({ ...updated.row, ...spec.tag });
        outs = updated.value.outs;
        inputs = news;
      }
      // Delete of a resource whose update turned SSL off has nothing to do: measure it only when it acts.
      if (ops.includes("delete") && !(spec.type === "DcsInstanceSSL" && outs.enabled === false)) {
        const deleted = await measure(ctx, {
          type: spec.type,
          opName: "delete",
          spec: def.ops.delete,
          settleMs,
          run,
          fn: () => provider.delete(id, outs),
        });
        emit({ ...deleted.row, ...spec.tag });
      } else {
        await provider.delete(id, outs);
      }
      await sleep(20);
    }
  }
  const live = Object.entries(emu.counters().live).filter(([k, n]) => n > 0 && !k.endsWith("sslJob"));
  const expectedLive = clusterId ? 1 : 0; // the host cluster of shard and replica measurements
  if (live.reduce((a, [, n]) => a + n, 0) !== expectedLive) {
    throw new Error(`the emulator is not clean after the measurements: ${JSON.stringify(live)}`);
  }
  await emu.stop();
}

function emit(row) {
  process.stdout.write(JSON.stringify(row) + "\n");
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`lag-worker ${process.argv[2]}: ${err.stack ?? err}\n`);
    process.exit(1);
  },
);
