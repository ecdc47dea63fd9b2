/**
 * The engine's side of a dynamic provider, for round-trip tests: every value the provider returns
 * goes through `Struct.fromJavaScript` (as the dynamic-provider host does, which refuses
 * `undefined` with "Unexpected struct type.") and back, and the calls follow the engine's order:
 * check → create → (refresh) read → check → diff, with the state the engine would hold.
 */
import type * as pulumi from "@pulumi/pulumi";

const { Struct } = require("google-protobuf/google/protobuf/struct_pb.js") as {
  Struct: { fromJavaScript(v: unknown): { toJavaScript(): unknown } };
};

/** What the serialized provider looks like in the tests' inputs (the engine copies it into every result). */
export const PROVIDER_TEXT = "exports.handler = shim";

/**
 * A value as the engine stores it: serialized to a protobuf Struct and read back. Throws (as the
 * engine does) when anything inside is `undefined`.
 */
export function throughEngine<T>(value: T): T {
  return Struct.fromJavaScript(value).toJavaScript() as T;
}

type AnyProvider = pulumi.dynamic.ResourceProvider;

/** The engine's state of one resource after an operation. */
export interface EngineState {
  id: string;
  /** The inputs the engine keeps (from check, or the ones a read returned). */
  inputs: Record<string, unknown>;
  /** The outputs (the state the provider's `diff`, `read`, `update` and `delete` receive as `olds`). */
  outputs: Record<string, unknown>;
}

/** `check()` as the engine calls it; fails the test on any failure. Returns the inputs the engine keeps. */
export async function engineCheck(
  provider: AnyProvider,
  olds: Record<string, unknown>,
  program: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const news = throughEngine({ ...program, __provider: PROVIDER_TEXT });
  const res = await provider.check!(olds, news);
  expect(res.failures ?? []).toEqual([]);
  return throughEngine({ ...(res.inputs ?? news), __provider: PROVIDER_TEXT });
}

/** check → create, as `pulumi up` does for a new resource. */
export async function engineCreate(
  provider: AnyProvider,
  program: Record<string, unknown>,
): Promise<EngineState> {
  const inputs = await engineCheck(provider, {}, program);
  const created = await provider.create(inputs);
  return { id: created.id, inputs, outputs: throughEngine({ ...created.outs, __provider: PROVIDER_TEXT }) };
}

/** read, as `pulumi refresh` does; `undefined` when the read reports the resource gone. */
export async function engineRefresh(
  provider: AnyProvider,
  state: EngineState,
): Promise<EngineState | undefined> {
  const read = await provider.read!(state.id, state.outputs);
  if (!read.id) return undefined;
  const outputs = throughEngine({ ...read.props, __provider: PROVIDER_TEXT });
  const inputs = read.inputs ? throughEngine({ ...read.inputs, __provider: PROVIDER_TEXT }) : state.inputs;
  return { id: read.id, inputs, outputs };
}

/** check → diff of the program against a state, as `pulumi preview` does. */
export async function engineDiff(
  provider: AnyProvider,
  state: EngineState,
  program: Record<string, unknown>,
): Promise<pulumi.dynamic.DiffResult> {
  const news = await engineCheck(provider, state.inputs, program);
  return provider.diff!(state.id, state.outputs, news);
}

/** Asserts that a diff proposes nothing: no change and no replacement. */
export function expectNoChange(diff: pulumi.dynamic.DiffResult): void {
  expect({ changes: diff.changes, replaces: diff.replaces ?? [] }).toEqual({ changes: false, replaces: [] });
}
