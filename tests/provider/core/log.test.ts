/** Tests of the provider's log lines: prefix, redaction, and debug lines only when asked for. */
import { logDebug, logProgress } from "../../../provider/core/log";

const saved = process.env.PULUMI_MANAGED_REDIS_DEBUG;
let lines: string[];

beforeEach(() => {
  lines = [];
  jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  delete process.env.PULUMI_MANAGED_REDIS_DEBUG;
});
afterEach(() => {
  jest.restoreAllMocks();
  if (saved === undefined) delete process.env.PULUMI_MANAGED_REDIS_DEBUG;
  else process.env.PULUMI_MANAGED_REDIS_DEBUG = saved;
});

describe("logProgress", () => {
  test("writes one prefixed, redacted line to stderr", () => {
    logProgress('waiting for c-1 (body {"password":"Hunter2!pw"})');
    expect(lines).toEqual(['[pulumi-managed-redis] waiting for c-1 (body {"password":***})\n']);
  });
});

describe("logDebug", () => {
  test("writes nothing unless PULUMI_MANAGED_REDIS_DEBUG is 1", () => {
    logDebug("hidden");
    process.env.PULUMI_MANAGED_REDIS_DEBUG = "0";
    logDebug("hidden");
    process.env.PULUMI_MANAGED_REDIS_DEBUG = "true";
    logDebug("hidden");
    expect(lines).toEqual([]);
  });

  test("with PULUMI_MANAGED_REDIS_DEBUG=1 writes one prefixed, redacted line", () => {
    process.env.PULUMI_MANAGED_REDIS_DEBUG = "1";
    logDebug("GET /v1/x?Signature=abc123&a=1 retrying");
    expect(lines).toEqual(["[pulumi-managed-redis:debug] GET /v1/x?Signature=***&a=1 retrying\n"]);
  });
});
