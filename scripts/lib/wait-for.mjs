// Waits until a local server answers `url` with anything but a 5xx; throws after `timeoutMs`.
import { setTimeout as sleep } from "node:timers/promises";

export async function waitFor(url, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {}
    await sleep(250);
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000}s (${url})`);
}
