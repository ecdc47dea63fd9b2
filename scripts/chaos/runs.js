// The two chaos experiments, shared by `npm run chaos` (scripts/chaos/index.js) and the short
// fixed-seed tests (tests/chaos/*.test.ts):
//
// - faultRun: the chaos stack (every resource type) deployed, updated and destroyed through the
//   real engine while the emulator injects a seeded fault mix; checks that every step succeeds
//   (the providers absorbed every fault), that nothing was created twice and nothing is left.
// - interruptionRun: `pulumi up` (create, or update) killed at a seeded random point (every process
//   of it: CLI, language host and providers, as a cancelled CI job), then `pulumi cancel`, `pulumi
//   refresh --clear-pending-creates` and `pulumi up`; checks convergence, duplicates, orphans and
//   ownership (no member claimed twice; a killed run's addition that no state names is counted as
//   unowned: reported by the cluster, never adopted).
//   With `freshRunner`, the recovering commands run with a new, empty PULUMI_HOME (a CI runner that
//   keeps nothing: only the state backend and the cloud survive the killed job).
/* global setTimeout */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { emulatorEnv, errorLines, loadEmulator, newStack } = require("../bench/engine");
const { ownership, plus } = require("./ownership");

const PROGRAM = path.join(__dirname, "program");

/** What the chaos stack creates, in the emulator's `live()` counters, after each step. */
const LIVE_AFTER = {
  create: {
    "kakaocloud:cluster": 1,
    "kakaocloud:shard": 1,
    "kakaocloud:replica": 1,
    "alicloud:directConnection": 1,
    "alicloud:sslEnabled": 1,
    "huaweicloud:sslEnabled": 1,
  },
  update: {
    "kakaocloud:cluster": 1,
    "kakaocloud:shard": 1,
    "kakaocloud:replica": 2,
    "alicloud:directConnection": 1,
    "alicloud:sslEnabled": 1,
    "huaweicloud:sslEnabled": 0,
  },
  // Step 3 reshards the cluster from 2 x 2 to 3 x 3 in place: one shard added through the API (its
  // 3 nodes come with it), one replica added to each of the 2 original shards.
  reshard: {
    "kakaocloud:cluster": 1,
    "kakaocloud:shard": 2,
    "kakaocloud:replica": 3,
    "alicloud:directConnection": 1,
    "alicloud:sslEnabled": 1,
    "huaweicloud:sslEnabled": 1,
  },
};

/** The configuration `step` of each phase of the chaos program. */
const STEP = { update: 2, reshard: 3 };

/** Kinds whose `created()` counter counts resources (a second one is a duplicate). */
const RESOURCE_KINDS = {
  "kakaocloud:cluster": 1,
  "kakaocloud:shard": 1,
  "kakaocloud:replica": 2,
  "alicloud:directConnection": 1,
};

/** How many of each a run of a phase may create: more is a duplicate. */
const CREATED_MAX = {
  create: RESOURCE_KINDS,
  update: RESOURCE_KINDS,
  reshard: { ...RESOURCE_KINDS, "kakaocloud:shard": 2, "kakaocloud:replica": 3 },
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Seeded generator (the emulator's), for kill points. */
function rng(seed) {
  return loadEmulator().seededRandom(seed);
}

/** Differences between the emulator's live counters and what is expected (empty when equal). */
function liveMismatch(emu, expected) {
  const live = emu.counters().live;
  const out = {};
  for (const [k, v] of Object.entries(live)) {
    const want = expected[k] ?? 0;
    if (k === "huaweicloud:sslJob") continue; // jobs still running are not resources
    if (v !== want) out[k] = { live: v, expected: want };
  }
  return out;
}

/**
 * Resources created more often than the stack declares them. `unowned` (by kind) are additions of a
 * killed run that no state names and that the cluster reports (see {@link ownership}): counted
 * apart, not as duplicates.
 */
function duplicates(emu, kinds = RESOURCE_KINDS, unowned = {}) {
  const created = emu.counters().created;
  const out = {};
  for (const [k, max] of Object.entries(kinds)) {
    const extra = (created[k] ?? 0) - max - (unowned[k] ?? 0);
    if (extra > 0) out[k] = extra;
  }
  return out;
}

const sum = (o) => Object.values(o).reduce((a, b) => a + (typeof b === "number" ? b : 1), 0);

async function startChaosEmulator(settleMs, faults, kakaoSettle = {}) {
  const { startEmulator } = loadEmulator();
  return startEmulator({
    kakaocloud: { settleMs: { default: settleMs, ...kakaoSettle } },
    alicloud: { settleMs: { default: settleMs } },
    huaweicloud: { settleMs: { default: settleMs } },
    faults,
  });
}

function stackEnv(emu, pollScale) {
  return { ...emulatorEnv(emu), PULUMI_MANAGED_REDIS_POLL_SCALE: String(pollScale) };
}

/** A stack of the chaos program, in its temporary folder (removed by `cleanup()`). */
async function chaosStack(emu, pollScale, label) {
  return newStack(PROGRAM, stackEnv(emu, pollScale), { label });
}

const UP = ["up", "--yes", "--skip-preview", "--non-interactive"];
const DESTROY = ["destroy", "--yes", "--skip-preview", "--non-interactive"];

/**
 * Deploys, updates and destroys the chaos stack under a seeded fault mix.
 *
 * Options: `seed`, `rate` (fault probability per request), `settleMs` (emulator settle times,
 * default 300), `pollScale` (default 0.2), `log(line)`.
 */
async function faultRun(opts) {
  const { seed, rate } = opts;
  const log = opts.log ?? (() => undefined);
  const { faultMix } = loadEmulator();
  const faults = faultMix({ seed, rate, retryAfterSeconds: 1, delayMs: [50, 800] });
  const emu = await startChaosEmulator(opts.settleMs ?? 300, faults);
  const stack = await chaosStack(emu, opts.pollScale ?? 0.2, `chaos-${seed}`);
  const result = {
    seed,
    rate,
    steps: [],
    converged: true,
    unabsorbed: [],
    faultsInjected: 0,
    faultsAbsorbed: 0,
    faultsByLabel: {},
    faultsOnMutations: 0,
    duplicates: {},
    leftovers: {},
    requests: 0,
  };
  const step = async (name, args, expected) => {
    const before = faults.total();
    const res = await stack.run(args, { timeoutMs: 10 * 60_000 });
    const injected = faults.total() - before;
    const entry = { name, ok: res.code === 0, ms: res.ms, faults: injected };
    if (res.code === 0) result.faultsAbsorbed += injected;
    else {
      entry.errors = errorLines(res.out);
      result.unabsorbed.push({ step: name, errors: entry.errors });
      log(`  seed ${seed} ${name}: FAILED under faults: ${entry.errors.join(" | ")}`);
      // Does it converge when run again (as a user would), faults still on?
      const again = await stack.run(args, { timeoutMs: 10 * 60_000 });
      entry.rerunOk = again.code === 0;
      if (again.code !== 0) {
        result.converged = false;
        entry.rerunErrors = errorLines(again.out);
      }
    }
    if (expected) {
      const mismatch = liveMismatch(emu, expected);
      if (Object.keys(mismatch).length > 0) {
        entry.mismatch = mismatch;
        result.converged = false;
      }
    }
    result.steps.push(entry);
    log(
      `  seed ${seed} ${name}: ${entry.ok ? "ok" : "FAILED"} in ${(res.ms / 1000).toFixed(1)}s, ${injected} faults`,
    );
  };
  try {
    await step("create", UP, LIVE_AFTER.create);
    await stack.config("step", 2);
    await step("update", UP, LIVE_AFTER.update);
    await step("destroy", DESTROY, {});
    result.duplicates = duplicates(emu);
    result.leftovers = liveMismatch(emu, {});
  } finally {
    faults.enabled = false;
    result.faultsInjected = faults.total();
    result.faultsByLabel = faults.injected();
    result.faultsOnMutations = faults.events.filter((e) => e.mutating).length;
    result.requests = emu.requests.length;
    result.created = emu.counters().created;
    await stack.cleanup();
    await emu.stop();
  }
  return result;
}

/** Waits until `pred()` holds (polling every 50 ms) or `ms` passes; returns whether it held. */
async function until(pred, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await sleep(50);
  }
  return pred();
}

/** The mutations of each phase: a kill point is "d ms after one of them reached the emulator". */
const KILL_OPS = {
  create: [
    "createCluster",
    "addShard",
    "addReplica",
    "AllocateDirectConnection",
    "ModifyInstanceSSL",
    "setSsl",
  ],
  update: ["updateCluster", "addReplica", "ModifyInstanceSSL", "setSsl"],
  reshard: ["addReplica", "addShard"],
};

/**
 * The fresh-runner series: kill points during the additions of a shard or replica (`KakaoShard`,
 * `KakaoReplica`, while the cluster is created) and during a resharding update.
 */
const FRESH_KILL_OPS = { create: ["addShard", "addReplica"], reshard: ["addReplica", "addShard"] };

/** A fresh-runner kill point: after which addition, and how long after it (0 to `maxDelayMs`). */
function freshKillPoint(seed, phase, maxDelayMs = 4000) {
  const random = rng(seed);
  const ops = FRESH_KILL_OPS[phase];
  const after = ops[Math.min(ops.length - 1, Math.floor(random() * ops.length))];
  return { after, delayMs: Math.round(random() * maxDelayMs) };
}

/** The kill point of a seed: after which mutation (or `start`), and how long after it. */
function killPoint(seed, phase, maxDelayMs = 2500) {
  const random = rng(seed);
  const choices = ["start", ...KILL_OPS[phase]];
  const after = choices[Math.min(choices.length - 1, Math.floor(random() * choices.length))];
  // From the start, the engine needs a few seconds before the first call: aim at 2 to 10 s.
  const delayMs = after === "start" ? 2000 + Math.round(random() * 8000) : Math.round(random() * maxDelayMs);
  return { after, delayMs };
}

/**
 * Kills `pulumi up` at a seeded random point of the create (`phase: "create"`) or update
 * (`phase: "update"`) and checks that cancel + refresh + up converge with no duplicate and no
 * orphan, then that destroy leaves nothing.
 *
 * The kill point is "d ms after the first request of one mutation of that phase reached the
 * emulator" (or d ms after the start), the mutation and d drawn from the seed: a kill right after a
 * request was sent, in the wait that follows it, or once it settled.
 */
async function interruptionRun(opts) {
  const { seed, phase } = opts;
  const log = opts.log ?? (() => undefined);
  const fresh = Boolean(opts.freshRunner);
  const point =
    opts.killPoint ??
    (fresh ? freshKillPoint(seed, phase, opts.maxDelayMs) : killPoint(seed, phase, opts.maxDelayMs));
  const emu = await startChaosEmulator(opts.settleMs ?? 1500, undefined, opts.kakaoSettle);
  const stack = await chaosStack(emu, opts.pollScale ?? 0.2, `kill-${seed}`);
  const result = { seed, phase, freshRunner: fresh, killPoint: point, steps: [], converged: false };
  const record = (name, res) => {
    const e = { name, code: res.code, ms: res.ms };
    if (res.code !== 0 && res.signal !== "SIGKILL") e.errors = errorLines(res.out);
    if (process.env.CHAOS_DEBUG) log(`----- ${name}\n${res.out}`);
    result.steps.push(e);
    return e;
  };
  try {
    if (phase !== "create") {
      const first = await stack.run(UP);
      record("up (before)", first);
      if (first.code !== 0) throw new Error(`the first up failed: ${errorLines(first.out).join(" | ")}`);
      await stack.config("step", STEP[phase]);
    }
    const from = emu.requests.length;
    const p = stack.start(UP);
    const seen = () => point.after === "start" || emu.requests.slice(from).some((r) => r.op === point.after);
    let killedAt = "finished before the kill point";
    const reached = await Promise.race([
      until(seen, 5 * 60_000).then((ok) => ok && "reached"),
      p.done.then(() => "exited"),
    ]);
    if (reached === "reached") {
      await Promise.race([sleep(point.delayMs), p.done]);
      killedAt = `${point.delayMs} ms after ${point.after === "start" ? "the start" : point.after}`;
      p.kill();
    }
    const killed = await p.done;
    result.killedDuring = killed.signal === "SIGKILL" ? killedAt : "not killed (finished first)";
    record("up (killed)", killed);
    if (fresh) {
      // The next job runs on a runner that keeps nothing: a new, empty PULUMI_HOME.
      stack.env.PULUMI_HOME = path.join(stack.base, "fresh-runner-home");
      fs.mkdirSync(stack.env.PULUMI_HOME, { recursive: true });
      // A new PULUMI_HOME has no stack selected: the job selects it, as a CI job does.
      record("stack select", await stack.run(["stack", "select", stack.name, "--non-interactive"]));
    }
    // The state may still be locked by the killed run, and hold pending creates.
    record("cancel", await stack.run(["cancel", "--yes", "--non-interactive", "--stack", stack.name]));
    // `--clear-pending-creates` drops creates the killed run had started: on the next create a
    // cluster is found again by its unique name; a shard or replica is in the state from the moment
    // its id was known (its wait is a separate step); an addition of a resharding update killed
    // before it returned stays in the cluster unowned (never adopted: the README's killed-run window),
    // and the recovering update adds the cluster's own member again.
    const refresh = record(
      "refresh",
      await stack.run(["refresh", "--yes", "--skip-preview", "--non-interactive", "--clear-pending-creates"]),
    );
    const recover = await stack.run(UP);
    const up = record("up (recover)", recover);
    // What the recovering run adopted from the killed one (the providers' progress lines).
    const adopted = recover.out.split("\n").filter((l) => /\[pulumi-managed-redis\] .*adopting/.test(l));
    result.adopted = [...new Set(adopted.map((l) => l.replace(/^.*\[pulumi-managed-redis\] /, "").trim()))];
    // Who owns what now: the killed run's additions no state names are unowned (reported in the
    // cluster's foreignMembers); no member may be claimed twice.
    const { unowned, claimedTwice } = ownership(await stack.exportState());
    result.unowned = Object.fromEntries(Object.entries(unowned).filter(([, v]) => v > 0));
    result.claimedTwice = claimedTwice;
    // Nothing deleted that no step asked to delete: what lives is what the stack declares plus the
    // unowned additions.
    const expected = plus(LIVE_AFTER[phase], unowned);
    result.afterRecovery = liveMismatch(emu, expected);
    result.duplicates = duplicates(emu, CREATED_MAX[phase], unowned);
    result.converged =
      refresh.code === 0 &&
      up.code === 0 &&
      Object.keys(result.afterRecovery).length === 0 &&
      claimedTwice.length === 0;
    const destroy = record("destroy", await stack.run(DESTROY));
    result.leftovers = liveMismatch(emu, {});
    if (destroy.code !== 0) result.converged = false;
    result.created = emu.counters().created;
    log(
      `  kill ${phase} seed ${seed}: ${result.killedDuring}; ` +
        `${result.converged ? "converged" : "DID NOT CONVERGE"}, duplicates ${sum(result.duplicates)}, ` +
        `unowned ${sum(result.unowned)}, claimed twice ${claimedTwice.length}, leftovers ${sum(result.leftovers)}`,
    );
  } catch (err) {
    result.error = String(err?.message ?? err);
    log(`  kill ${phase} seed ${seed}: ERROR ${result.error}`);
  } finally {
    await stack.cleanup();
    await emu.stop();
  }
  return result;
}

module.exports = {
  faultRun,
  interruptionRun,
  ownership,
  killPoint,
  freshKillPoint,
  KILL_OPS,
  FRESH_KILL_OPS,
  LIVE_AFTER,
  RESOURCE_KINDS,
  sum,
};
