/** Double-submit CSRF tokens for our own forms: a random value in a `__Host-` cookie and in the form. */
import { hostCookie, readCookie } from "./cookies";
import { constantTimeEqual, randomToken } from "./secrets";

const CSRF_COOKIE = "__Host-xano-mcp-csrf";
const CSRF_TTL_SECONDS = 30 * 60;

export function issueCsrfToken(): { token: string; setCookie: string } {
  const token = randomToken(24);
  return { token, setCookie: hostCookie(CSRF_COOKIE, token, CSRF_TTL_SECONDS) };
}

export function csrfMatches(request: Request, form: FormData): boolean {
  const cookie = readCookie(request, CSRF_COOKIE);
  const field = String(form.get("csrf_token") ?? "");
  return !!cookie && !!field && constantTimeEqual(cookie, field);
}
