// Through the real engine: `pulumi preview` and `pulumi up` of a 40-resource stack of this package
// against the same-shaped stack of trivial dynamic resources (side by side, alternating which goes
// first), the dynamic-provider process's peak memory during `up`, and the `__provider` bytes per
// resource in the state; the mirror stack (this package's classes on providers that do nothing)
// splits the dynamic face's overhead into what the program registers and what the provider does;
// then the same for the plugin face (the same 40 resources through the
// provider plugin against trivial resources of a provider plugin that does nothing), and the size of
// each resource's state entry in both faces.
"use strict";
const path = require("node:path");
const {
  emulatorEnv,
  errorLines,
  loadEmulator,
  newStack,
  providerBytes,
  sampleProviderMemory,
} = require("./engine");
const { stateSizes } = require("./state-size");
const f = require("./programs/managed/fixtures");
const { summary } = require("./stats");

const PROGRAMS = path.join(__dirname, "programs");

/** Emulator options seeding the instances the managed stack uses. */
function seededEmulatorOptions(settleMs) {
  const tair = [];
  for (let i = 0; i < f.COUNTS.tairDirect; i++) tair.push({ instanceId: f.tairDirect(i), shards: 2 });
  for (let i = 0; i < f.COUNTS.tairSsl; i++) tair.push({ instanceId: f.tairSsl(i), shards: 2 });
  const dcs = [];
  for (let i = 0; i < f.COUNTS.dcs; i++)
    dcs.push({ instanceId: f.dcs(i), name: `bench-dcs-${i}`, engineVersion: "6.0" });
  return {
    kakaocloud: { settleMs: { default: settleMs } },
    alicloud: { settleMs: { default: settleMs }, instances: tair },
    huaweicloud: { settleMs: { default: settleMs }, instances: dcs },
  };
}

const PREVIEW = ["preview", "--non-interactive"];
const UP = ["up", "--yes", "--skip-preview", "--non-interactive"];
const DESTROY = ["destroy", "--yes", "--skip-preview", "--non-interactive"];

async function timed(stack, args, what, marker) {
  const p = stack.start(args);
  const sampler = marker ? sampleProviderMemory(p.child.pid, 100, marker) : undefined;
  const res = await p.done;
  const mem = sampler?.stop();
  if (res.code !== 0)
    throw new Error(`${what} failed: ${errorLines(res.out).join(" | ") || res.out.slice(-1500)}`);
  return { ms: res.ms, mem };
}

/**
 * The stacks, in pairs of one face: this package's 40 resources and the trivial baseline of the
 * same face. `marker` finds the provider processes whose memory is sampled during `up`.
 */
const STACKS = {
  managed: { dir: "managed", marker: "dynamic-provider" },
  trivial: { dir: "trivial", marker: "dynamic-provider" },
  mirror: {
    dir: "mirror",
    marker: "dynamic-provider",
    include: [path.join(PROGRAMS, "managed", "fixtures.js")],
  },
  plugin: {
    dir: "plugin",
    marker: "pulumi-resource-managed-redis",
    include: [path.join(PROGRAMS, "managed", "fixtures.js")],
  },
  trivialPlugin: { dir: "trivial-plugin", marker: "pulumi-resource-bench-trivial" },
};
const PAIRS = [
  ["managed", "mirror", "trivial"],
  ["plugin", "trivialPlugin"],
];

/** One series per figure, for a stack. */
const series = () => ({
  previewEmpty: [],
  up: [],
  previewSame: [],
  destroy: [],
  peakOne: [],
  peakSum: [],
  processes: [],
});

/**
 * One round of a group of stacks (alternating the order: reversed every other round): preview (empty stack), up, preview (no
 * changes), on the first round the state export, then destroy; the emulator must be empty after.
 */
async function pairRound(emu, pair, round, ctx) {
  const names = round % 2 === 0 ? pair : [...pair].reverse();
  const order = names.map((n) => [n, ctx.stacks[n], ctx.acc[n]]);
  for (const [name, stack, acc] of order)
    acc.previewEmpty.push((await timed(stack, PREVIEW, `${name} preview`)).ms);
  for (const [name, stack, acc] of order) {
    const r = await timed(stack, UP, `${name} up`, STACKS[name].marker);
    acc.up.push(r.ms);
    acc.peakOne.push(r.mem.peakOneBytes);
    acc.peakSum.push(r.mem.peakSumBytes);
    acc.processes.push(r.mem.processes);
  }
  for (const [name, stack, acc] of order)
    acc.previewSame.push((await timed(stack, PREVIEW, `${name} preview`)).ms);
  if (round === 0) {
    for (const [name, stack] of order) ctx.exports[name] = (await stack.exportState()).deployment;
  }
  for (const [name, stack, acc] of order)
    acc.destroy.push((await timed(stack, DESTROY, `${name} destroy`)).ms);
  const left = Object.entries(emu.counters().live).filter(([k, n]) => n > 0 && !k.endsWith("sslJob"));
  if (left.length > 0) throw new Error(`the emulator is not empty after destroy: ${JSON.stringify(left)}`);
}

/**
 * Runs `rounds` rounds of: preview (empty stack), up, preview (no changes), export, destroy, for
 * each pair of stacks (the dynamic face and its trivial baseline, then the plugin face and its
 * trivial baseline). `settleMs` is the emulator's settle time during `up` (default 100 ms: the
 * ratio is about the package's own overhead, not the clouds' waits).
 */
async function stacks({ rounds = 3, settleMs = 100, log = () => undefined }) {
  const { startEmulator } = loadEmulator();
  const emu = await startEmulator(seededEmulatorOptions(settleMs));
  const env = emulatorEnv(emu);
  const ctx = { stacks: {}, acc: {}, exports: {} };
  try {
    for (const [name, s] of Object.entries(STACKS)) {
      ctx.stacks[name] = await newStack(path.join(PROGRAMS, s.dir), env, {
        label: `bench-${s.dir}`,
        include: s.include,
      });
      ctx.acc[name] = series();
    }
    const { managed: m, trivial: t, mirror: mi, plugin: p, trivialPlugin: tp } = ctx.acc;
    const s = (x) => (x / 1000).toFixed(1);
    for (let round = 0; round < rounds; round++) {
      for (const pair of PAIRS) await pairRound(emu, pair, round, ctx);
      log(
        `  round ${round + 1}/${rounds}: preview ${s(m.previewEmpty[round])} s vs ${s(t.previewEmpty[round])} s, ` +
          `up ${s(m.up[round])} s vs ${s(t.up[round])} s (mirror: preview ${s(mi.previewSame[round])} s); plugin face: preview ${s(p.previewEmpty[round])} s ` +
          `vs ${s(tp.previewEmpty[round])} s, up ${s(p.up[round])} s vs ${s(tp.up[round])} s`,
      );
    }
  } finally {
    for (const stack of Object.values(ctx.stacks)) await stack.cleanup();
    await emu.stop();
  }
  const { managed: m, trivial: t, mirror: mi, plugin: p, trivialPlugin: tp } = ctx.acc;
  const ratio = (a, b) => summary(a.map((x, i) => x / b[i]));
  const ratios = (a, b) => ({
    previewEmpty: ratio(a.previewEmpty, b.previewEmpty),
    previewSame: ratio(a.previewSame, b.previewSame),
    up: ratio(a.up, b.up),
    destroy: ratio(a.destroy, b.destroy),
  });
  const sum = (acc) => Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, summary(v)]));
  return {
    rounds,
    settleMs,
    resources: 40,
    managed: sum(m),
    trivial: sum(t),
    ratios: ratios(m, t),
    mirror: sum(mi),
    /** The package's own provider work: this package ÷ its registrations on providers that do nothing. */
    ownRatios: ratios(m, mi),
    /** What the program registers: the same registrations on providers that do nothing ÷ the trivial stack. */
    shapeRatios: ratios(mi, t),
    providerBytes: providerBytes(ctx.exports.managed),
    trivialProviderBytes: providerBytes(ctx.exports.trivial),
    plugin: sum(p),
    trivialPlugin: sum(tp),
    pluginRatios: ratios(p, tp),
    /** The plugin face against the dynamic face, per round (both against the same emulator). */
    faceRatios: ratios(p, m),
    stateBytes: Object.fromEntries(Object.entries(ctx.exports).map(([n, d]) => [n, stateSizes(d)])),
  };
}

module.exports = { stacks, seededEmulatorOptions };
