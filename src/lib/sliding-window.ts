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

export class SlidingWindow {
  /** The hit times inside the window, oldest first. Mirrored in storage so eviction forgets nothing. */
  private log: number[] | null = null;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly key: string,
  ) {}

  /** Counts `cost` hits if the window has room for all of them; otherwise says how long to wait. */
  async hit(limit: number, windowMs: number, cost = 1): Promise<RateDecision> {
    const now = Date.now();
    const log = await this.current(now, windowMs);
    const refused = this.refusal(log, limit, windowMs, cost, now);
    if (refused) return refused;
    for (let i = 0; i < cost; i++) log.push(now);
    await this.storage.put(this.key, log);
    return { allowed: true, retryAfterSeconds: 0, used: log.length };
  }

  /** Whether one more hit would be allowed, without counting it (nothing is written). */
  async check(limit: number, windowMs: number): Promise<RateDecision> {
    const now = Date.now();
    return this.refusal(await this.current(now, windowMs), limit, windowMs, 1, now) ?? { allowed: true, retryAfterSeconds: 0, used: 0 };
  }

  /** Gives back the most recent hit (a sign-in that succeeded). */
  async refund(): Promise<void> {
    const log = this.log ?? (await this.storage.get<number[]>(this.key)) ?? [];
    log.pop();
    this.log = log;
    await this.storage.put(this.key, log);
  }

  private refusal(log: number[], limit: number, windowMs: number, cost: number, now: number): RateDecision | null {
    if (log.length + cost <= limit) return null;
    // The wait until enough old hits have left the window (a cost above the limit never fits).
    const oldestThatMustLeave = log[Math.min(log.length - 1, Math.max(0, log.length + cost - limit - 1))] ?? now;
    const retryAfterSeconds = Math.max(1, Math.ceil((oldestThatMustLeave + windowMs - now) / 1000));
    return { allowed: false, retryAfterSeconds };
  }

  private async current(now: number, windowMs: number): Promise<number[]> {
    const log = this.log ?? (await this.storage.get<number[]>(this.key)) ?? [];
    const fresh = log.filter((at) => at > now - windowMs);
    this.log = fresh;
    return fresh;
  }
}
