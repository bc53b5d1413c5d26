/**
 * The isolate's short-lived copy of a grant's credential, so that most tool calls skip the hop to
 * the grant's credential store (credential-store.ts) while the store stays the one place that
 * refreshes and counts.
 *
 * A copy is the store's last answer to this isolate, kept by grant (`storeId`, checked against
 * the grant's `storeKey`), and it is used for a tool call only while all of these hold:
 *   - the store answered this isolate less than HOLD_MS ago;
 *   - the credential is far from expiry (more than REFRESH_AHEAD_MS + HOLD_MS left, or no expiry),
 *     so the store cannot have refreshed it ahead of expiry meanwhile;
 *   - the grant's tool-call window, as last counted by the store plus the calls admitted here
 *     since, has room for these calls and HEADROOM more (closer to the limit, every call asks the
 *     store, which decides exactly).
 * A call admitted from the copy is still counted by the store, in batches: a call admitted when no
 * calls are waiting to be sent starts a wait of COUNT_GATHER_MS, after which one hop counts it and
 * every call admitted meanwhile, and that hop's answer replaces the copy. The hop is sent by the
 * request that started the wait, through its own stub, in its own `waitUntil`; the requests admitting
 * the others only add to the number it will send. No request ever awaits a hop another request
 * started: a Worker may not ("Cannot perform I/O on behalf of a different request"). Calls admitted
 * but not yet counted (waiting or on their way) take room in the window above, and a hop that
 * fails is tried once more, meanwhile no call uses the copy; if that fails too, its calls are
 * logged as not counted.
 *
 * "The store moved on" means it refreshed the credential, found it dead, or forgot it (the grant
 * was revoked). An isolate learns it from the store's next answer to it: the counting hop of the
 * calls admitted from the copy (with the limit off, no such hop: at the latest HOLD_MS after
 * the last answer); at once when Xano rejects the copy's token (the call then asks the store,
 * which hands out the refreshed credential or says it died: credential-handle.ts afterRejected);
 * and before anything else when a call of this isolate makes the store move on (refresh, forced
 * refresh, marked expired). So a refreshed or dead credential is never missed: until the isolate
 * hears, the old token can only be sent to Xano, which answers it as it would any call in flight
 * at that moment (a rejection is then met like every other 401), and no call uses a copy after
 * hearing. tests/credential-lifecycle.test.ts ("the isolate's copy of the credential") checks
 * a refresh and a death elsewhere, that every call admitted from a copy is counted (concurrent
 * ones in fewer hops than calls), and a counting hop that fails.
 */
import { REFRESH_AHEAD_MS, type StoredCredential } from "./credential";
import type { AcquireResult } from "./credential-store";
import { providerFor } from "./providers";
import { log } from "../observability/log";

/** How long a copy is used without hearing from the store. */
export const HOLD_MS = 5_000;
/**
 * How long calls admitted from the copy gather before one hop counts them. Calls that arrive
 * together (a client's parallel calls, a burst) reach one isolate within a few milliseconds of each
 * other, so 10 ms gathers them into one hop, while the store's count, which other isolates go by,
 * runs at most this plus one hop behind, and the first request's `waitUntil` stays open barely
 * longer than its own answer. Sequential calls (each at least a Xano round trip apart) mostly keep a hop each.
 */
export const COUNT_GATHER_MS = 10;
/** Most grants an isolate keeps a copy for (the oldest answer is dropped first). */
const MAX_ENTRIES = 1_000;

interface Entry {
  storeKey: string;
  credential: StoredCredential;
  /** When the store last answered this isolate for this grant. */
  heardAt: number;
  /** The tool calls the store had counted in the window at that answer. */
  inWindow: number;
  /** Calls admitted from the copy that the store has not counted yet (`unsent` included). */
  pending: number;
  /** Of those, the calls no hop has taken yet; while there are any, a hop is scheduled to take them. */
  unsent: number;
}

const entries = new Map<string, Entry>();

/** The calls the window must leave free for a call to be admitted here: a quarter of the limit, at least 8. */
export function headroom(limit: number): number {
  return Math.max(8, Math.ceil(limit / 4));
}

/** Sends `count` admitted calls to the store (counted whatever the limit) and returns its answer. */
export type CountCalls = (count: number) => Promise<AcquireResult>;

export const credentialCache = {
  /**
   * The copy for these calls, or null when they must ask the store. When it answers, the calls
   * are admitted and will be counted by `count`, run through `waitUntil`.
   */
  admit(storeId: string, storeKey: string, calls: number, limit: number, count: CountCalls | null, waitUntil: (work: Promise<unknown>) => void): StoredCredential | null {
    const entry = entries.get(storeId);
    if (!entry || entry.storeKey !== storeKey) return null;
    const now = Date.now();
    if (now - entry.heardAt >= HOLD_MS) return null;
    const expiresAt = providerFor(entry.credential).expiresAt(entry.credential);
    if (expiresAt !== null && expiresAt - now <= REFRESH_AHEAD_MS + HOLD_MS) return null;
    if (limit > 0 && entry.inWindow + entry.pending + calls > limit - headroom(limit)) return null;
    if (count) {
      // No calls unsent: no hop is scheduled to take these, so this request sends it (calls ≥ 1).
      if (entry.unsent === 0) waitUntil(countAdmitted(entry, count));
      entry.pending += calls;
      entry.unsent += calls;
    }
    return entry.credential;
  },

  /** The store answered (a counted admission, a refresh, a rejection): the copy becomes its answer. */
  heard(storeId: string, storeKey: string, result: AcquireResult): void {
    const entry = entries.get(storeId);
    if (!result.ok) {
      // Dead or failing: nothing to copy; later calls ask the store, which says so.
      if (entry) entry.heardAt = 0;
      return;
    }
    if (entry && entry.storeKey === storeKey) {
      entry.credential = result.credential;
      entry.heardAt = Date.now();
      if (result.toolCallsInWindow !== undefined) entry.inWindow = result.toolCallsInWindow;
      return;
    }
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    entries.set(storeId, { storeKey, credential: result.credential, heardAt: Date.now(), inWindow: result.toolCallsInWindow ?? 0, pending: 0, unsent: 0 });
  },

  /** This isolate made the store move on (or will): no call uses the copy until the store answers again. */
  forget(storeId: string): void {
    const entry = entries.get(storeId);
    if (entry) entry.heardAt = 0;
  },

  /** For tests: drop every copy. */
  clear(): void {
    entries.clear();
  },
};

/**
 * Counts the calls admitted from the copy, in one hop COUNT_GATHER_MS after the first of them, from
 * the request that admitted it (see the top of this file). A hop that fails is tried once more, and
 * meanwhile no call uses the copy.
 */
async function countAdmitted(entry: Entry, count: CountCalls): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, COUNT_GATHER_MS));
  const calls = entry.unsent;
  entry.unsent = 0; // calls admitted from now on schedule the next hop
  try {
    // The answer replaces the copy through the handle (credential-handle.ts acquire → heard).
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await count(calls);
        return;
      } catch (error) {
        entry.heardAt = 0;
        if (attempt === 1) log("front_door_error", { reason: `${calls} tool calls not counted: ${(error as Error)?.message ?? error}` });
      }
    }
  } finally {
    entry.pending -= calls;
  }
}
