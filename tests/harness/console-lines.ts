/** The Worker's console output during each test (its structured log lines), for tests that read them. */
import { afterEach, beforeEach, vi } from "vitest";

/** Registers hooks that collect, for each test, everything written to the console; `lines` is emptied before each test. */
export function captureWorkerConsole(): { lines: string[] } {
  const captured = { lines: [] as string[] };
  beforeEach(() => {
    captured.lines.length = 0;
    for (const method of ["log", "info", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        captured.lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      });
    }
  });
  afterEach(() => vi.restoreAllMocks());
  return captured;
}
