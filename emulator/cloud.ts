/** The contract between the emulator and each emulated cloud. */
import type { MountedCloud, SettleTimes } from "./server";

/** One emulated cloud. */
export interface CloudModule {
  /** The endpoints this cloud serves, each at the root of its own port. */
  mounted: MountedCloud[];
  /** Settle times by operation kind; changeable at run time. */
  settle: SettleTimes;
  /** The cloud's state as plain JSON-able data, for tests and `GET /_emulator/state`. */
  snapshot(): unknown;
  /** How many resources were ever created through the API, by kind. */
  created(): Record<string, number>;
  /** How many resources created through the API still exist, by kind (seeded ones excluded). */
  live(): Record<string, number>;
}
