/**
 * The documented refusals of the Tair actions that depend on what an instance is rather than on
 * what it is doing: its character type, minor version, engine version pattern, lock mode, region,
 * a background task that leaves the status `Normal`. Each code is played with the HTTP status and
 * message of its API document (seeds 000, 001, 002); the instance's seed says which apply.
 *
 * | code | status | answered by |
 * | --- | --- | --- |
 * | `IncorrectCharacterType` | 403 | ModifyInstanceSSL, DescribeInstanceSSL (`characterType` not `normal`) |
 * | `IncorrectEngineVersion` | 403 | ModifyInstanceSSL, DescribeInstanceSSL (`minorVersion: "outdated"`) |
 * | `InvalidRedisVersionPattern` | 400 | DescribeInstanceSSL, ModifyInstanceSSL (an `engineVersion` not `<major>.<minor>`) |
 * | `IncorrectDBInstanceLockMode` | 403 | ModifyInstanceSSL (`lockMode` not `Unlock`) |
 * | `EnabledSSLNotSupport` | 404 | ModifyInstanceSSL Enable (`regionSupportsSsl: false`) |
 * | `IncorrectMinorVersion` | 403 | AllocateDirectConnection (`minorVersion: "outdated"`) |
 * | `TaskHasExist` | 400 | AllocateDirectConnection while a background task runs (`taskForMs`, `startTask`) |
 * | `NetTypeExists` | 400 | AllocateDirectConnection, through `failNext` (another client's allocation not listed yet) |
 */

/** A documented error: HTTP status and message, by code. */
export const DOCUMENTED_ERRORS: Readonly<Record<string, readonly [number, string]>> = {
  IncorrectCharacterType: [403, "Current DB instance CharacterType does not support this operation."],
  IncorrectEngineVersion: [403, "Current engine version does not support operations."],
  InvalidRedisVersionPattern: [400, "Redis db or proxy version does not match specified pattern."],
  IncorrectDBInstanceLockMode: [403, "Current DB instance lock mode does not support this operation."],
  EnabledSSLNotSupport: [404, "Specified region does not support enable ssl."],
  IncorrectMinorVersion: [403, "Current engine minor version does not support operations."],
  TaskHasExist: [400, "The task already exists."],
  NetTypeExists: [400, "Specified net type already existed"],
};

/** What an instance's seed may say about it (all optional: the defaults refuse nothing). */
export interface RefusalSeed {
  /** `normal` (default); any other type (e.g. `proxy`) cannot take SSL actions. */
  characterType?: string;
  /** `latest` (default) or `outdated`: an outdated minor version refuses SSL and direct connections. */
  minorVersion?: "latest" | "outdated";
  /** `Unlock` (default), or a lock such as `LockByExpiration`, `ManualLock`, `LockByDiskQuota`. */
  lockMode?: string;
  /** Whether the instance's region offers SSL encryption (default true). */
  regionSupportsSsl?: boolean;
  /** A background task (a backup, say) runs this long from the start, the status staying `Normal`. */
  taskForMs?: number;
}

/** The refusal-related state of one instance. */
export interface RefusalState {
  characterType: string;
  minorVersion: "latest" | "outdated";
  lockMode: string;
  regionSupportsSsl: boolean;
  /** Epoch milliseconds until which a background task runs. */
  taskUntil: number;
  /** Codes the next calls of an action answer, in order (test hook `failNext`). */
  next: Record<string, string[]>;
}

/** The state of a seed. */
export function refusalState(seed: RefusalSeed, now = Date.now()): RefusalState {
  return {
    characterType: seed.characterType ?? "normal",
    minorVersion: seed.minorVersion ?? "latest",
    lockMode: seed.lockMode ?? "Unlock",
    regionSupportsSsl: seed.regionSupportsSsl ?? true,
    taskUntil: now + (seed.taskForMs ?? 0),
    next: {},
  };
}

/** A refusal: the documented status and message of a code. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
}

function refusal(code: string): Refusal {
  const [status, message] = DOCUMENTED_ERRORS[code];
  return { status, code, message };
}

/** A queued `failNext` code for this action, taken off the queue. */
function queued(state: RefusalState, action: string): Refusal | undefined {
  const code = state.next[action]?.shift();
  return code ? refusal(code) : undefined;
}

/**
 * What an action on this instance is refused with before its own preconditions (status, SSL state)
 * are looked at, or `undefined`. `sslWord` is ModifyInstanceSSL's `SSLEnabled`.
 */
export function refusalOf(
  state: RefusalState,
  engineVersion: string,
  action: string,
  sslWord?: string,
  now = Date.now(),
): Refusal | undefined {
  const next = queued(state, action);
  if (next) return next;
  const ssl = action === "ModifyInstanceSSL" || action === "DescribeInstanceSSL";
  if (ssl) {
    if (state.characterType !== "normal") return refusal("IncorrectCharacterType");
    if (!/^\d+\.\d+$/.test(engineVersion)) return refusal("InvalidRedisVersionPattern");
    if (state.minorVersion === "outdated") return refusal("IncorrectEngineVersion");
  }
  if (action === "ModifyInstanceSSL") {
    if (state.lockMode !== "Unlock") return refusal("IncorrectDBInstanceLockMode");
    if (sslWord === "Enable" && !state.regionSupportsSsl) return refusal("EnabledSSLNotSupport");
  }
  if (action === "AllocateDirectConnection") {
    if (state.minorVersion === "outdated") return refusal("IncorrectMinorVersion");
    if (now < state.taskUntil) return refusal("TaskHasExist");
  }
  return undefined;
}

/** Makes the next `times` calls of `action` on the instance answer the documented `code`. */
export function failNext(state: RefusalState, action: string, code: string, times = 1): void {
  if (!DOCUMENTED_ERRORS[code]) throw new Error(`alicloud emulator: no documented error ${code}`);
  (state.next[action] ??= []).push(...Array<string>(times).fill(code));
}
