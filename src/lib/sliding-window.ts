/**
 * A sliding-window log of hits, kept by a Durable Object in its own storage under one key. Used by
 * the RateLimiter objects (sign-in, registration) and by each grant's credential store, which
 * counts that grant's tool calls in the same hop that hands out the credential.
 */
export interface RateDecision {
  allowed: boolean;
  /** When allowed is false: whole seconds until one more hit would be allowed (at least 1). */
  retryAfterSeconds: number;
  /** When allowed: the hits now in the window, this one included (0 for a `check`). */
  used?: number;
}

/**
 * What is stored: the hits in buckets of 1/60 of the window (1 s for a minute), each the time of
 * its latest hit and how many hits it holds. The in-memory log stays exact; storage needs only to
 * survive an eviction, and a whole log rewritten on every hit costs a put the size of the window's
 * traffic (a grant allowed 100 000 calls a minute wrote ~18 000 numbers per call at 300 calls/s).
 * Reloaded, a bucket's hits all count from its latest hit: they leave the window at most one
 * bucket late, never early. A plain array (the format before buckets) is read as the exact log.
 */
type StoredWindow = number[] | { buckets: Array<[latestHit: number, hits: number]> };

const BUCKETS_PER_WINDOW = 60;

export class SlidingWindow {
  /** The hit times inside the window, oldest first. Mirrored in storage (as buckets) so eviction forgets nothing. */
  private log: number[] | null = null;
  private loading: Promise<number[]> | null = null;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly key: string,
  ) {}

  /** Counts `cost` hits if the window has room for all of them; otherwise says how long to wait. */
  async hit(limit: number, windowMs: number, cost = 1): Promise<RateDecision> {
    const log = await this.current(windowMs);
    const now = Date.now();
    const refused = this.refusal(log, limit, windowMs, cost, now);
    if (refused) return refused;
    for (let i = 0; i < cost; i++) log.push(now);
    this.windowMs = windowMs;
    await this.storage.put(this.key, this.stored(log));
    return { allowed: true, retryAfterSeconds: 0, used: log.length };
  }

  /** Whether one more hit would be allowed, without counting it (nothing is written). */
  async check(limit: number, windowMs: number): Promise<RateDecision> {
    const log = await this.current(windowMs);
    const now = Date.now();
    return this.refusal(log, limit, windowMs, 1, now) ?? { allowed: true, retryAfterSeconds: 0, used: 0 };
  }

  /** Gives back the most recent hit (a sign-in that succeeded). */
  async refund(): Promise<void> {
    const log = await this.loaded();
    log.pop();
    await this.storage.put(this.key, this.stored(log));
  }

  /** The window the last hit was counted in (refund() stores with the same buckets). */
  private windowMs = 60_000;

  private stored(log: number[]): StoredWindow {
    const width = Math.max(1, Math.floor(this.windowMs / BUCKETS_PER_WINDOW));
    const buckets: Array<[number, number]> = [];
    let bucket = Number.NaN;
    for (const at of log) {
      const slot = Math.floor(at / width);
      if (slot === bucket) {
        const last = buckets[buckets.length - 1];
        last[0] = at;
        last[1]++;
      } else {
        buckets.push([at, 1]);
        bucket = slot;
      }
    }
    return { buckets };
  }

  private refusal(log: number[], limit: number, windowMs: number, cost: number, now: number): RateDecision | null {
    if (log.length + cost <= limit) return null;
    // The wait until enough old hits have left the window (a cost above the limit never fits).
    const oldestThatMustLeave = log[Math.min(log.length - 1, Math.max(0, log.length + cost - limit - 1))] ?? now;
    const retryAfterSeconds = Math.max(1, Math.ceil((oldestThatMustLeave + windowMs - now) / 1000));
    return { allowed: false, retryAfterSeconds };
  }

  /**
   * The one in-memory log, loaded from storage once however many requests ask at the same time.
   * Every caller gets the same array, and changes it only between this await and its `put`, with
   * no await in between: concurrent hits (twenty sign-ins at once) can never each count on a copy
   * of their own and lose one another's hits.
   */
  private loaded(): Promise<number[]> {
    if (this.log) return Promise.resolve(this.log);
    this.loading ??= this.storage.get<StoredWindow>(this.key).then(
      (stored) => (this.log ??= expand(stored)),
      (error: unknown) => {
        this.loading = null; // a failed read is tried again by the next hit, not remembered
        throw error;
      },
    );
    return this.loading;
  }

  /** The log with the hits that left the window dropped, in place (it is kept oldest first). */
  private async current(windowMs: number): Promise<number[]> {
    const log = await this.loaded();
    const cutoff = Date.now() - windowMs;
    let expired = 0;
    while (expired < log.length && log[expired] <= cutoff) expired++;
    if (expired > 0) log.splice(0, expired);
    return log;
  }
}

function expand(stored: StoredWindow | undefined): number[] {
  if (!stored) return [];
  if (Array.isArray(stored)) return stored;
  return stored.buckets.flatMap(([latestHit, hits]) => Array.from({ length: hits }, () => latestHit));
}
