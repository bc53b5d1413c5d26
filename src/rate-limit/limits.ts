/**
 * What is limited, keyed by what (limits come from config.ts; the counter is rate-limiter.ts):
 *
 *   sign-in attempts     per client IP, and per account (the email of a password sign-in).
 *                        Counted before the attempt (so parallel guesses are counted), given back
 *                        when it succeeds: only failures use up the budget. The two keys are
 *                        separate counters, so an attacker who exhausts their IP and the account
 *                        they target never locks out a different account. A Metadata API token
 *                        names no account until Xano has checked it (and guessing one is
 *                        hopeless), so token sign-ins are limited per IP only: keying them on the
 *                        instance would let one attacker lock out everyone on it.
 *   registrations        POST /oauth/register, per client IP.
 *   tool calls           per grant, each tools/call in a JSON-RPC message or batch.
 *
 * A limited request gets 429 with Retry-After: a page for people (front-door/pages.ts) and a JSON
 * error for APIs (below).
 */
import type { RateLimits } from "../config";
import { clientAddress, hitAll, refundAll, type Limit, type RateDecision, type RateLimiterEnv } from "./rate-limiter";

const MINUTE = 60_000;

export interface SignInAttempt {
  keys: string[];
  limit: Limit;
}

/** The counters a sign-in attempt uses: the IP always, the account when the method names one. */
export function signInAttempt(request: Request, limits: RateLimits, account: string | null): SignInAttempt {
  const address = clientAddress(request);
  const keys = address ? [`sign-in:ip:${address}`] : [];
  if (account) keys.push(`sign-in:account:${account.trim().toLowerCase()}`);
  return { keys, limit: { limit: limits.signInPerMinute, windowMs: MINUTE } };
}

export function beginSignInAttempt(env: RateLimiterEnv, attempt: SignInAttempt): Promise<RateDecision> {
  return hitAll(env, attempt.keys, attempt.limit);
}

/** The attempt succeeded: it does not count against anyone. */
export function forgiveSignInAttempt(env: RateLimiterEnv, attempt: SignInAttempt): Promise<void> {
  return refundAll(env, attempt.keys, attempt.limit);
}

export function countRegistration(env: RateLimiterEnv, request: Request, limits: RateLimits): Promise<RateDecision> {
  const address = clientAddress(request);
  return hitAll(env, address ? [`register:ip:${address}`] : [], { limit: limits.registrationsPerMinute, windowMs: MINUTE });
}

/** 429 for an OAuth endpoint (RFC 6749 style error body). */
export function oauthTooManyRequests(retryAfterSeconds: number, what: string): Response {
  return Response.json(
    { error: "too_many_requests", error_description: `Too many ${what} from this address. Try again in ${retryAfterSeconds} s.` },
    // Browser-based clients register too (the library answers /oauth/register with CORS): let them read this.
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Retry-After" } },
  );
}

/**
 * 429 for the MCP endpoints: a JSON-RPC error answering the first request of the body (id null if
 * it cannot be read), so a client that shows JSON-RPC errors shows ours.
 */
export function jsonRpcTooManyRequests(retryAfterSeconds: number, firstId: string | number | null): Response {
  return new Response(
    JSON.stringify({
      jsonrpc: "2.0",
      id: firstId,
      error: { code: -32029, message: `Too many tool calls on this connection. Try again in ${retryAfterSeconds} s.`, data: { retryAfterSeconds } },
    }),
    { status: 429, headers: { "Content-Type": "application/json", "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}
