/**
 * The sliding window's storage (src/lib/sliding-window.ts): what a Durable Object keeps so that an
 * eviction forgets no hit, in buckets instead of the whole log. Driven through the class with a
 * Map standing in for Durable Object storage; a second SlidingWindow on the same storage is the
 * object after an eviction.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { SlidingWindow } from "../../src/lib/sliding-window";

function mapStorage() {
  const map = new Map<string, unknown>();
  const storage = {
    get: async (key: string) => structuredClone(map.get(key)),
    put: async (key: string, value: unknown) => void map.set(key, structuredClone(value)),
  };
  return { map, storage: storage as unknown as DurableObjectStorage };
}

const MINUTE = 60_000;

describe("SlidingWindow storage", () => {
  afterEach(() => vi.useRealTimers());

  it("stores at most one bucket per second of a minute's window, however many hits", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { map, storage } = mapStorage();
    const window = new SlidingWindow(storage, "hits");
    for (let i = 0; i < 3000; i++) {
      expect((await window.hit(100_000, MINUTE)).allowed).toBe(true);
      vi.advanceTimersByTime(7); // 3000 hits over 21 s
    }
    const stored = map.get("hits") as { buckets: Array<[number, number]> };
    expect(stored.buckets.length).toBeLessThanOrEqual(22);
    expect(stored.buckets.reduce((sum, [, hits]) => sum + hits, 0)).toBe(3000);
  });

  it("after an eviction, counts every stored hit and lets none leave the window early", async () => {
    vi.useFakeTimers({ now: 5_000_000 });
    const { storage } = mapStorage();
    const before = new SlidingWindow(storage, "hits");
    for (let i = 0; i < 10; i++) {
      await before.hit(10, MINUTE);
      vi.advanceTimersByTime(100);
    }
    expect((await before.hit(10, MINUTE)).allowed).toBe(false);

    const after = new SlidingWindow(storage, "hits"); // the same object, evicted and reloaded
    const refused = await after.hit(10, MINUTE);
    expect(refused.allowed).toBe(false);
    // The exact log would free a slot 60 s after the first hit; the buckets free it no earlier.
    vi.advanceTimersByTime(MINUTE - 1000);
    expect((await after.hit(10, MINUTE)).allowed).toBe(false);
    vi.advanceTimersByTime(2000);
    expect((await after.hit(10, MINUTE)).allowed).toBe(true);
  });

  it("reads a log stored before buckets (a plain array of hit times) as it is", async () => {
    vi.useFakeTimers({ now: 9_000_000 });
    const { map, storage } = mapStorage();
    map.set("hits", [9_000_000 - 30_000, 9_000_000 - 20_000]);
    const window = new SlidingWindow(storage, "hits");
    expect(await window.hit(3, MINUTE)).toMatchObject({ allowed: true, used: 3 });
    expect((await window.hit(3, MINUTE)).allowed).toBe(false);
    vi.advanceTimersByTime(30_001);
    expect(await window.hit(3, MINUTE)).toMatchObject({ allowed: true, used: 3 });
  });

  it("refund gives back the latest hit in storage too", async () => {
    vi.useFakeTimers({ now: 2_000_000 });
    const { storage } = mapStorage();
    const window = new SlidingWindow(storage, "hits");
    await window.hit(2, MINUTE);
    await window.hit(2, MINUTE);
    await window.refund();
    const reloaded = new SlidingWindow(storage, "hits");
    expect(await reloaded.hit(2, MINUTE)).toMatchObject({ allowed: true, used: 2 });
  });
});
