/**
 * Rate limits: one small Durable Object per counted key ("sign-in:ip:203.0.113.7",
 * "tool-calls:grant:…"), holding a sliding-window log of the last hits.
 *
 * Why a Durable Object and not the Workers Rate Limiting binding:
 * - Exact and immediate. The binding counts per Cloudflare location and is eventually consistent
 *   ("permissive" by design): a brute-force run spread over several locations, or a burst of
 *   parallel requests, gets more tries than the limit. One object per key sees every hit in order,
 *   so ten parallel wrong passwords cost ten tries, no more.
 * - Configurable at runtime. The binding's limit and period (10 or 60 s only) are fixed in
 *   wrangler.toml; ours come from plain variables (RATE_LIMIT_*), validated in config.ts.
 * - Works the same in `npm run dev` and in the tests (Durable Objects are local in workerd), so
 *   the behaviour the tests check is the behaviour deployed.
 * The price is one Durable Object request per counted event (a few ms in the same location). That
 * is paid on sign-in attempts, registrations and tool calls, never on discovery or token requests.
 *
 * A hit that turns out harmless (a successful sign-in) can be given back with `refund`, so only
 * failures use up the budget, while a burst of parallel attempts is still counted up front.
 */
import { DurableObject } from "cloudflare:workers";

export interface RateDecision {
  allowed: boolean;
  /** When allowed is false: whole seconds until one more hit would be allowed (at least 1). */
  retryAfterSeconds: number;
}

export interface RateLimiterEnv {
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
}

const LOG_KEY = "hits";

export class RateLimiter extends DurableObject {
  /** The hit times inside the window, oldest first. Mirrored in storage so eviction forgets nothing. */
  private log: number[] | null = null;

  /** Counts `cost` hits if the window has room for all of them; otherwise says how long to wait. */
  async hit(limit: number, windowMs: number, cost = 1): Promise<RateDecision> {
    const now = Date.now();
    const log = await this.current(now, windowMs);
    if (log.length + cost > limit) {
      // The wait until enough old hits have left the window (a cost above the limit never fits).
      const oldestThatMustLeave = log[Math.min(log.length - 1, Math.max(0, log.length + cost - limit - 1))] ?? now;
      const retryAfterSeconds = Math.max(1, Math.ceil((oldestThatMustLeave + windowMs - now) / 1000));
      return { allowed: false, retryAfterSeconds };
    }
    for (let i = 0; i < cost; i++) log.push(now);
    await this.ctx.storage.put(LOG_KEY, log);
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** Gives back the most recent hit (a sign-in that succeeded). */
  async refund(): Promise<void> {
    const log = this.log ?? (await this.ctx.storage.get<number[]>(LOG_KEY)) ?? [];
    log.pop();
    this.log = log;
    await this.ctx.storage.put(LOG_KEY, log);
  }

  private async current(now: number, windowMs: number): Promise<number[]> {
    const log = this.log ?? (await this.ctx.storage.get<number[]>(LOG_KEY)) ?? [];
    const fresh = log.filter((at) => at > now - windowMs);
    this.log = fresh;
    return fresh;
  }
}

/** A limit as configured: at most `limit` hits per `windowMs`; `limit` 0 means no limit. */
export interface Limit {
  limit: number;
  windowMs: number;
}

export function limiterFor(env: RateLimiterEnv, key: string) {
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
}

/** Counts a hit against every key; denied if any key is over its limit. Keys are checked in order. */
export async function hitAll(env: RateLimiterEnv, keys: readonly string[], { limit, windowMs }: Limit, cost = 1): Promise<RateDecision> {
  if (limit <= 0) return { allowed: true, retryAfterSeconds: 0 };
  let retryAfterSeconds = 0;
  for (const key of keys) {
    const decision = await limiterFor(env, key).hit(limit, windowMs, cost);
    if (!decision.allowed) retryAfterSeconds = Math.max(retryAfterSeconds, decision.retryAfterSeconds);
  }
  return { allowed: retryAfterSeconds === 0, retryAfterSeconds };
}

export async function refundAll(env: RateLimiterEnv, keys: readonly string[], { limit }: Limit): Promise<void> {
  if (limit <= 0) return;
  await Promise.all(keys.map((key) => limiterFor(env, key).refund()));
}

/**
 * The client's address as Cloudflare reports it (`CF-Connecting-IP`, set by Cloudflare's edge on
 * every request and by `wrangler dev`; a client cannot forge it through Cloudflare). IPv6
 * addresses are counted per /64, the block one subscriber gets, so rotating through one's own
 * addresses does not reset the count. Null when there is no such header, which happens only for
 * requests made inside the test runtime: those are not counted per address (per-account and
 * per-grant limits still apply), so one test file's deliberate failures cannot spill into another's.
 */
export function clientAddress(request: Request): string | null {
  const ip = request.headers.get("CF-Connecting-IP")?.trim();
  if (!ip) return null;
  if (!ip.includes(":")) return ip;
  return `${ipv6Prefix64(ip)}::/64`;
}

function ipv6Prefix64(ip: string): string {
  const [head, tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = ip.includes("::") && tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  const groups = [...left, ...Array(Math.max(0, missing)).fill("0"), ...right];
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":");
}
