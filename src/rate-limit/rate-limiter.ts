/**
 * Rate limits: one small Durable Object per counted key ("sign-in:ip:203.0.113.7",
 * "register:ip:…"), holding a sliding-window log of the last hits. Tool calls are not counted
 * here (see below).
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
 * is paid on sign-in attempts (up to three), requests that store something before sign-in, and
 * registrations, never on discovery or token requests. Tool calls are counted per grant by the
 * grant's own credential store (its own sliding window, src/credentials/credential-store.ts), in
 * the hop that hands out the credential, so a tool call costs no extra hop.
 *
 * A hit that turns out harmless (a successful sign-in) can be given back with `refund`, so only
 * failures use up the budget, while a burst of parallel attempts is still counted up front.
 */
import { DurableObject } from "cloudflare:workers";
import { SlidingWindow, type RateDecision } from "../lib/sliding-window";
import { countRequest } from "../observability/log";

export interface RateLimiterEnv {
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
}

export class RateLimiter extends DurableObject {
  private readonly window = new SlidingWindow(this.ctx.storage, "hits");

  /** Counts `cost` hits if the window has room for all of them; otherwise says how long to wait. */
  hit(limit: number, windowMs: number, cost = 1): Promise<RateDecision> {
    return this.window.hit(limit, windowMs, cost);
  }

  /** Whether one more hit would be allowed, without counting it. */
  check(limit: number, windowMs: number): Promise<RateDecision> {
    return this.window.check(limit, windowMs);
  }

  /** Gives back the most recent hit (a sign-in that succeeded). */
  refund(): Promise<void> {
    return this.window.refund();
  }
}

/** A limit as configured: at most `limit` hits per `windowMs`; `limit` 0 means no limit. */
export interface Limit {
  limit: number;
  windowMs: number;
}

export function limiterFor(env: RateLimiterEnv, key: string) {
  countRequest("limiterCalls");
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
}

/**
 * Counts a hit against each key in order and stops at the first that refuses: a request refused
 * on an earlier key (the address) never counts against a later one (an account), so an address
 * that is already limited cannot go on to lock out other people's accounts.
 */
export async function hitAll(env: RateLimiterEnv, keys: readonly string[], { limit, windowMs }: Limit, cost = 1): Promise<RateDecision> {
  if (limit <= 0) return { allowed: true, retryAfterSeconds: 0 };
  for (const key of keys) {
    const decision = await limiterFor(env, key).hit(limit, windowMs, cost);
    if (!decision.allowed) return decision;
  }
  return { allowed: true, retryAfterSeconds: 0 };
}

/** Gives back one hit on each key (the keys a sign-in attempt was counted on). */
export async function refundAll(env: RateLimiterEnv, keys: readonly string[]): Promise<void> {
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
