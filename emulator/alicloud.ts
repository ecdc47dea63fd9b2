// Placeholder: replaced by the alicloud emulator.
import type { CloudModule } from "./cloud";
import { Router, SettleTimes } from "./server";

/** Options of the alicloud emulator. */
export interface AlicloudEmulatorOptions {
  settleMs?: Record<string, number>;
}

/** Creates the alicloud emulator. */
export function createAlicloud(options: AlicloudEmulatorOptions = {}): CloudModule {
  return {
    mounted: { prefix: "/alicloud", name: "alicloud", router: new Router(), notFound: () => ({ status: 404, body: {} }) },
    settle: new SettleTimes({ default: 1000 }, options.settleMs),
    snapshot: () => ({}),
    created: () => ({}),
    live: () => ({}),
  };
}
