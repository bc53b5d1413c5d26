/** Double-submit CSRF tokens for our own forms: a random value in a `__Host-` cookie and in the form. */
import { hostCookie, readCookie } from "../lib/cookies";
import { constantTimeEqual, randomToken } from "../lib/secrets";

const CSRF_COOKIE = "__Host-xano-mcp-csrf";
const CSRF_TTL_SECONDS = 30 * 60;

/**
 * The browser's CSRF token, minted once and reused by every form it is shown (the cookie's life
 * renewed), so a second page opened in another tab does not invalidate the form in the first.
 * It is bound to nothing else; what it proves is only that the POST came from a page we served.
 */
export function issueCsrfToken(request: Request): { token: string; setCookie: string } {
  const existing = readCookie(request, CSRF_COOKIE);
  const token = existing && TOKEN_SHAPE.test(existing) ? existing : randomToken(24);
  return { token, setCookie: hostCookie(CSRF_COOKIE, token, CSRF_TTL_SECONDS) };
}

/** What randomToken(24) produces: 32 base64url characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32}$/;

export function csrfMatches(request: Request, form: FormData): boolean {
  const cookie = readCookie(request, CSRF_COOKIE);
  const field = String(form.get("csrf_token") ?? "");
  return !!cookie && !!field && constantTimeEqual(cookie, field);
}
