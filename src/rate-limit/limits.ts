/**
 * What is limited, keyed by what (limits come from config.ts; the counters are rate-limiter.ts's
 * Durable Object, except tool calls, which the credential store counts in its own hop):
 *
 *   sign-in attempts     three counters, checked in this order:
 *                        - the pair (address, account): RATE_LIMIT_SIGN_IN_PER_MINUTE. The tight
 *                          limit on guessing one account from one place. For a Metadata API token,
 *                          which names no account until Xano has checked it, the pair is (address,
 *                          instance host typed): it keeps one address from hammering one instance
 *                          through us, and keying token sign-ins on the instance alone would let
 *                          one attacker lock out everyone on it.
 *                        - the address: RATE_LIMIT_SIGN_IN_PER_ADDRESS_PER_MINUTE (10x by default),
 *                          against spraying many accounts from one place. Generous, so that one
 *                          person's typos never refuse the other people behind the same office or
 *                          VPN address (they are on other pairs).
 *                        - the account (password sign-ins): RATE_LIMIT_SIGN_IN_PER_MINUTE, against
 *                          guessing one account from many places. An address counts against it
 *                          only while its own pair is within the first half of its budget
 *                          (ACCOUNT_SHARE_PER_ADDRESS); later attempts from that address only check
 *                          that the account is not locked. So one address holds at most half of an
 *                          account's budget at any time and can never lock the account by itself:
 *                          a lockout takes at least two addresses. The price: an attacker with many
 *                          addresses gets up to twice the limit of guesses per account per minute
 *                          (each address's first half counts, then the account is full), never more.
 *                        Counted before the attempt (so parallel guesses are counted), given back
 *                        when it succeeds: only failures use up the budget. A counter that refuses
 *                        stops the attempt there, so the ones after it are not touched: an address
 *                        out of budget cannot go on to fill other people's accounts.
 *   storing requests     per address: every request that writes to storage before the person is
 *                        signed in — a consent transaction (an authorization page shown to a
 *                        signed-in browser, "Sign in with Xano"), the sign-in session a successful
 *                        sign-in creates, the state of a Connected apps "Sign in with Xano". KV's
 *                        daily write quota is shared by everyone; this keeps one address's loop
 *                        from spending it.
 *   registrations        POST /oauth/register, per client IP.
 *   tool calls           per grant, each tools/call in a JSON-RPC message or batch.
 *   operator pages       per operator (ADMIN_EMAILS), every /admin request once the operator is
 *                        recognised: OPERATOR_REQUESTS_PER_MINUTE. Not per address before that: a
 *                        429 there would tell a stranger that /admin exists (it answers 404).
 *
 * This module counts and returns decisions; each door renders its own 429 with Retry-After: a page
 * for people (front-door/pages.ts), an OAuth JSON error for registration
 * (oauth/client-registration.ts), a JSON-RPC error for tool calls (mcp/server.ts).
 */
import type { RateLimits } from "../config";
import { sha256Hex } from "../lib/secrets";
import type { RateDecision } from "../lib/sliding-window";
import { clientAddress, hitAll, limiterFor, refundAll, type RateLimiterEnv } from "./rate-limiter";

const MINUTE = 60_000;

/** How much of an account's budget one address may hold: half, so a lockout needs two addresses. */
function accountSharePerAddress(signInPerMinute: number): number {
  return Math.floor(signInPerMinute / 2);
}

/** Which counter refused a sign-in attempt: says what the person is told (pages.ts). */
export type SignInRefusal = "account_from_address" | "instance_from_address" | "address" | "account";

export interface SignInAttempt {
  /** (address, account or instance); null without an address (requests made inside the tests). */
  pairKey: string | null;
  addressKey: string | null;
  /** Password sign-ins only. */
  accountKey: string | null;
  subject: "account" | "instance";
  limits: RateLimits;
}

export type SignInAdmission =
  | { allowed: true; /** The keys this attempt was counted on, to give back if it succeeds. */ counted: string[] }
  | { allowed: false; retryAfterSeconds: number; refusedBy: SignInRefusal };

/**
 * The counters a sign-in attempt uses. `account` is the email of a password sign-in; `instance`
 * the instance URL typed with a token (null when the method names neither).
 */
export async function signInAttempt(request: Request, limits: RateLimits, who: { account: string } | { instance: string }): Promise<SignInAttempt> {
  const address = clientAddress(request);
  const subject = "account" in who ? "account" : "instance";
  // Hashed: a key names a Durable Object, and what a person types has no length limit.
  const subjectId = await sha256Hex("account" in who ? who.account.trim().toLowerCase() : instanceHost(who.instance));
  return {
    pairKey: address ? `sign-in:pair:${address}:${subject}:${subjectId}` : null,
    addressKey: address ? `sign-in:ip:${address}` : null,
    accountKey: subject === "account" ? `sign-in:account:${subjectId}` : null,
    subject,
    limits,
  };
}

export async function beginSignInAttempt(env: RateLimiterEnv, attempt: SignInAttempt): Promise<SignInAdmission> {
  const { signInPerMinute: tight, signInPerAddressPerMinute: wide } = attempt.limits;
  const counted: string[] = [];
  let pairUsed = 0;
  if (attempt.pairKey && tight > 0) {
    const decision = await limiterFor(env, attempt.pairKey).hit(tight, MINUTE);
    if (!decision.allowed) return refused(decision, attempt.subject === "account" ? "account_from_address" : "instance_from_address");
    counted.push(attempt.pairKey);
    pairUsed = decision.used ?? 0;
  }
  if (attempt.addressKey && wide > 0) {
    const decision = await limiterFor(env, attempt.addressKey).hit(wide, MINUTE);
    if (!decision.allowed) return refused(decision, "address");
    counted.push(attempt.addressKey);
  }
  if (attempt.accountKey && tight > 0) {
    // Without an address there is no pair to share by: every attempt counts (as before pairs existed).
    const counts = !attempt.pairKey || pairUsed <= accountSharePerAddress(tight);
    const limiter = limiterFor(env, attempt.accountKey);
    const decision = counts ? await limiter.hit(tight, MINUTE) : await limiter.check(tight, MINUTE);
    if (!decision.allowed) return refused(decision, "account");
    if (counts) counted.push(attempt.accountKey);
  }
  return { allowed: true, counted };
}

function refused(decision: RateDecision, refusedBy: SignInRefusal): SignInAdmission {
  return { allowed: false, retryAfterSeconds: decision.retryAfterSeconds, refusedBy };
}

/** The attempt succeeded: it does not count against anyone. */
export function forgiveSignInAttempt(env: RateLimiterEnv, admission: Extract<SignInAdmission, { allowed: true }>): Promise<void> {
  return refundAll(env, admission.counted);
}

/** A request about to store something before the person is signed in (see the table above). */
export function countStoringRequest(env: RateLimiterEnv, request: Request, limits: RateLimits): Promise<RateDecision> {
  const address = clientAddress(request);
  return hitAll(env, address ? [`stores:ip:${address}`] : [], { limit: limits.authorizationsPerMinute, windowMs: MINUTE });
}

export function countRegistration(env: RateLimiterEnv, request: Request, limits: RateLimits): Promise<RateDecision> {
  const address = clientAddress(request);
  return hitAll(env, address ? [`register:ip:${address}`] : [], { limit: limits.registrationsPerMinute, windowMs: MINUTE });
}

/** Fixed: an operator clicking through /admin makes a few requests a minute; a loop is cut off. */
export const OPERATOR_REQUESTS_PER_MINUTE = 120;

export async function countOperatorRequest(env: RateLimiterEnv, operatorEmail: string): Promise<RateDecision> {
  return hitAll(env, [`admin:operator:${await sha256Hex(operatorEmail)}`], { limit: OPERATOR_REQUESTS_PER_MINUTE, windowMs: MINUTE });
}

/** The host of a typed instance URL (what identifies the instance), or the text itself if it is no URL. */
function instanceHost(typed: string): string {
  try {
    return new URL(typed.trim()).host.toLowerCase();
  } catch {
    return typed.trim().toLowerCase();
  }
}
