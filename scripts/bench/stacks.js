// Through the real engine: `pulumi preview` and `pulumi up` of a 40-resource stack of this package
// against the same-shaped stack of trivial dynamic resources (side by side, alternating which goes
// first), the dynamic-provider process's peak memory during `up`, and the `__provider` bytes per
// resource in the state.
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

async function timed(stack, args, what, memory) {
  const p = stack.start(args);
  const sampler = memory ? sampleProviderMemory(p.child.pid, 100) : undefined;
  const res = await p.done;
  const mem = sampler?.stop();
  if (res.code !== 0)
    throw new Error(`${what} failed: ${errorLines(res.out).join(" | ") || res.out.slice(-1500)}`);
  return { ms: res.ms, mem };
}

/**
 * Runs `rounds` rounds of: preview (empty stack), up, preview (no changes), export, destroy, for
 * both stacks. `settleMs` is the emulator's settle time during `up` (default 100 ms: the ratio is
 * about the package's own overhead, not the clouds' waits).
 */
async function stacks({ rounds = 3, settleMs = 100, log = () => undefined }) {
  const { startEmulator } = loadEmulator();
  const emu = await startEmulator(seededEmulatorOptions(settleMs));
  const env = emulatorEnv(emu);
  const managed = await newStack(path.join(PROGRAMS, "managed"), env, { label: "bench-managed" });
  const trivial = await newStack(path.join(PROGRAMS, "trivial"), env, { label: "bench-trivial" });
  // One series per figure, for each stack.
  const series = () => ({
    previewEmpty: [],
    up: [],
    previewSame: [],
    destroy: [],
    peakOne: [],
    peakSum: [],
    processes: [],
  });
  const m = series();
  const t = series();
  let providerSizes = {};
  let trivialSizes = {};
  try {
    for (let round = 0; round < rounds; round++) {
      const order =
        round % 2 === 0
          ? [
              ["managed", managed, m],
              ["trivial", trivial, t],
            ]
          : [
              ["trivial", trivial, t],
              ["managed", managed, m],
            ];
      for (const [name, stack, acc] of order)
        acc.previewEmpty.push((await timed(stack, PREVIEW, `${name} preview`)).ms);
      for (const [name, stack, acc] of order) {
        const r = await timed(stack, UP, `${name} up`, true);
        acc.up.push(r.ms);
        acc.peakOne.push(r.mem.peakOneBytes);
        acc.peakSum.push(r.mem.peakSumBytes);
        acc.processes.push(r.mem.processes);
      }
      for (const [name, stack, acc] of order)
        acc.previewSame.push((await timed(stack, PREVIEW, `${name} preview`)).ms);
      if (round === 0) {
        providerSizes = providerBytes((await managed.exportState()).deployment);
        trivialSizes = providerBytes((await trivial.exportState()).deployment);
      }
      for (const [name, stack, acc] of order)
        acc.destroy.push((await timed(stack, DESTROY, `${name} destroy`)).ms);
      const left = Object.entries(emu.counters().live).filter(([k, n]) => n > 0 && !k.endsWith("sslJob"));
      if (left.length > 0)
        throw new Error(`the emulator is not empty after destroy: ${JSON.stringify(left)}`);
      log(
        `  round ${round + 1}/${rounds}: preview ${(m.previewEmpty[round] / 1000).toFixed(1)} s vs ${(t.previewEmpty[round] / 1000).toFixed(1)} s, ` +
          `up ${(m.up[round] / 1000).toFixed(1)} s vs ${(t.up[round] / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    await managed.cleanup();
    await trivial.cleanup();
    await emu.stop();
  }
  const ratio = (a, b) => summary(a.map((x, i) => x / b[i]));
  const sum = (acc) => Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, summary(v)]));
  return {
    rounds,
    settleMs,
    resources: 40,
    managed: sum(m),
    trivial: sum(t),
    ratios: {
      previewEmpty: ratio(m.previewEmpty, t.previewEmpty),
      previewSame: ratio(m.previewSame, t.previewSame),
      up: ratio(m.up, t.up),
      destroy: ratio(m.destroy, t.destroy),
    },
    providerBytes: providerSizes,
    trivialProviderBytes: trivialSizes,
  };
}

module.exports = { stacks, seededEmulatorOptions };
