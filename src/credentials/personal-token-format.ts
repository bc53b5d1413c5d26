/**
 * Personal access tokens: their shape and lifetimes, pure (the records are in
 * credentials/personal-tokens.ts, the pages in front-door/personal-tokens.ts).
 *
 *   xmcp_pat_<43 base64url characters: 32 random bytes>
 *
 * The fixed prefix lets secret scanners recognise a leaked one. Tokens of the library's shape
 * (userId:grantId:secret, oauth/token-format.ts) never contain `:` here, so the library passes
 * only ours, and other unknown bearers, to our resolver.
 */
import { randomToken } from "../lib/secrets";

export const PERSONAL_TOKEN_PREFIX = "xmcp_pat_";
const SHAPE = /^xmcp_pat_[A-Za-z0-9_-]{43}$/;

export function mintPersonalToken(): string {
  return PERSONAL_TOKEN_PREFIX + randomToken(32);
}

export function isPersonalTokenShaped(token: string): boolean {
  return SHAPE.test(token);
}

/** The lifetimes offered, in days; "never" only where the operator allows it. */
export const PERSONAL_TOKEN_LIFETIMES_DAYS = [7, 30, 90, 365] as const;
export const DEFAULT_PERSONAL_TOKEN_LIFETIME_DAYS = 90;
/** How many tokens one person may hold (expired ones not counted). */
export const PERSONAL_TOKENS_PER_PERSON = 20;
export const PERSONAL_TOKEN_NAME_MAX = 60;

/** The lifetime posted by the form, in days (null: never expires); undefined when not offered. */
export function parseLifetime(value: unknown, allowNoExpiry: boolean): number | null | undefined {
  if (value === "never") return allowNoExpiry ? null : undefined;
  const days = Number(value);
  return (PERSONAL_TOKEN_LIFETIMES_DAYS as readonly number[]).includes(days) ? days : undefined;
}

/** A name as given: trimmed, control characters removed, at most PERSONAL_TOKEN_NAME_MAX characters; "" when none. */
export function cleanTokenName(value: unknown): string {
  return String(value ?? "")
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .trim()
    .slice(0, PERSONAL_TOKEN_NAME_MAX);
}
