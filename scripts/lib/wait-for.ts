/**
 * Waits until a local server answers `url` with anything but a 5xx. Gives up after `timeoutMs`, or
 * at once when `exited()` says the process that should serve it is gone; the error then carries
 * that process's output (`output()`), so a failed start explains itself.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface WaitForOptions {
  /** What is starting, for the message: "fake-xano", "the Worker". */
  what: string;
  timeoutMs?: number;
  /** The exit code of the process that should answer, once it has exited; otherwise null. */
  exited?: () => number | null;
  output?: () => string;
}

export async function waitFor(url: string, { what, timeoutMs = 60_000, exited = () => null, output = () => "" }: WaitForOptions): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const log = () => (output() ? `:\n${output()}` : "");
  while (Date.now() < deadline) {
    const code = exited();
    if (code !== null) throw new Error(`${what} exited with code ${code} before answering ${url}${log()}`);
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.status < 500) return;
    } catch {}
    await sleep(200);
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000}s (${url})${log()}`);
}
