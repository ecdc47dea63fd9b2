// Placeholder: replaced by the huaweicloud emulator.
import type { CloudModule } from "./cloud";
import { Router, SettleTimes } from "./server";

/** Options of the huaweicloud emulator. */
export interface HuaweicloudEmulatorOptions {
  settleMs?: Record<string, number>;
}

/** Creates the huaweicloud emulator. */
export function createHuaweicloud(options: HuaweicloudEmulatorOptions = {}): CloudModule {
  return {
    mounted: { prefix: "/huaweicloud", name: "huaweicloud", router: new Router(), notFound: () => ({ status: 404, body: {} }) },
    settle: new SettleTimes({ default: 1000 }, options.settleMs),
    snapshot: () => ({}),
    created: () => ({}),
    live: () => ({}),
  };
}
