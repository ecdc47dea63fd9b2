/** What the provider writes to stderr (its progress lines), captured in unit tests. */

const PREFIX = "[pulumi-managed-redis] ";

/** Captures everything written to stderr until `restore`; `lines()` is the text so far. */
export function captureStderr(): { lines: () => string; restore: () => void } {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return { lines: () => chunks.join(""), restore: () => spy.mockRestore() };
}

/**
 * The provider's progress lines (without their prefix) written during each test of the enclosing file
 * or `describe` block; the array is emptied before each test.
 */
export function progressLines(): string[] {
  const lines: string[] = [];
  let spy: jest.SpyInstance | undefined;
  beforeEach(() => {
    lines.length = 0;
    spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      const text = String(chunk);
      if (text.startsWith(PREFIX)) lines.push(text.slice(PREFIX.length).trimEnd());
      return true;
    });
  });
  afterEach(() => spy?.mockRestore());
  return lines;
}
