/**
 * The engine-test harness of scripts/bench/engine.js (stacks of a program driven through the real
 * Pulumi CLI against the emulator), typed once for the TypeScript engine tests.
 */
import type { Emulator } from "../../emulator";

/** What one CLI command left. */
export interface RunResult {
  code: number;
  signal?: string;
  out: string;
  stdout: string;
}

/** A stack of a program in its own backend and PULUMI_HOME. */
export interface EngineStack {
  base: string;
  env: Record<string, string>;
  name: string;
  run(args: string[]): Promise<RunResult>;
  start(args: string[]): { done: Promise<RunResult>; kill(): void };
  config(key: string, value: string | number | boolean): Promise<void>;
  cleanup(): Promise<void>;
}

/** scripts/bench/engine.js, typed. */
export const engine = require("../../scripts/bench/engine.js") as {
  newStack(dir: string, env: Record<string, string>, opts: { label: string }): Promise<EngineStack>;
  loadEmulator(): { startEmulator(o: object): Promise<Emulator> };
  emulatorEnv(emu: Emulator): Record<string, string>;
};

/** `pulumi up` without a prompt or a preview. */
export const UP = ["up", "--yes", "--skip-preview", "--non-interactive"];
