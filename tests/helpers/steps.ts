/** What a Pulumi operation proposes per resource, read from the engine's events. */
import type { EngineEvent, PreviewOptions, Stack } from "@pulumi/pulumi/automation";

/**
 * Runs a preview and returns its steps by resource name, leaving out `same` steps, the stack and
 * providers: `{}` means the preview proposes nothing.
 */
export async function previewSteps(
  stack: Stack,
  options: PreviewOptions = {},
): Promise<Record<string, string>> {
  const steps: Record<string, string> = {};
  await stack.preview({
    ...options,
    onEvent: (event: EngineEvent) => {
      const m = event.resourcePreEvent?.metadata;
      if (!m || m.op === "same" || m.type === "pulumi:pulumi:Stack" || m.type.startsWith("pulumi:providers:"))
        return;
      steps[m.urn.split("::").pop()!] = m.op;
    },
  });
  return steps;
}

/** The counts of an operation's summary other than `same`. */
export function changesOf(summary: { resourceChanges?: Record<string, number> }): Record<string, number> {
  const { same: _same, ...changes } = summary.resourceChanges ?? {};
  return changes;
}
