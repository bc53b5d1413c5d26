/**
 * Reusing a consent transaction instead of storing a new one.
 *
 * Every consent page needs a consent transaction (workers-oauth-provider's beginConsent), and each
 * one is a KV write. A person who reloads the consent page, or presses "Sign in with Xano" twice,
 * would store one per press; so the browser keeps, in a `__Host-` cookie, the handle of the last
 * consent it was shown and a fingerprint of what that page was for: the authorization request
 * (client, redirect URI, scopes, state, PKCE challenge, resource) and who it showed as signed in.
 * The same browser asking for the same page again gets the same handle and nothing is written.
 *
 * Why a cookie and not storage: looking the handle up anywhere else would be a write to save. The
 * handle is no more exposed there than in the consent page that carries it (same browser, HttpOnly,
 * Secure, SameSite=Lax), and it is useless without the library's own binding cookie for it.
 *
 * The cookie lives shorter than the transaction (10 minutes in the library), so a reused page
 * always leaves the person a few minutes to decide; and any decision on that handle (allow, deny,
 * or a refusal) forgets it, so a used handle is never shown again.
 */
import type { AuthRequest } from "@cloudflare/workers-oauth-provider";
import { clearHostCookie, hostCookie, readCookie } from "../lib/cookies";
import { constantTimeEqual, sha256Hex } from "../lib/secrets";

const COOKIE = "__Host-xano-mcp-consent";
/** workers-oauth-provider keeps a consent transaction this long (TRANSACTION_TTL_SECONDS). */
const CONSENT_TTL_SECONDS = 600;
/** Time a reused page leaves the person to read and decide. */
const TIME_TO_DECIDE_SECONDS = 180;
/** What the library's handles look like: 32 random bytes, base64url. */
const HANDLE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** What a consent page is for: the request, and the signed-in person it names (if any). */
export function consentFingerprint(authRequest: AuthRequest, shownAs: string): Promise<string> {
  return sha256Hex(JSON.stringify([shownAs, authRequest]));
}

/** The handle of this browser's consent for the same page, while it has time left; else null. */
export function reusableConsent(request: Request, fingerprint: string): string | null {
  const [handle, remembered] = (readCookie(request, COOKIE) ?? "").split(".");
  if (!handle || !remembered || !HANDLE_SHAPE.test(handle)) return null;
  return constantTimeEqual(remembered, fingerprint) ? handle : null;
}

/** The Set-Cookie that remembers a consent just begun. */
export function rememberConsent(handle: string, fingerprint: string): string {
  return hostCookie(COOKIE, `${handle}.${fingerprint}`, CONSENT_TTL_SECONDS - TIME_TO_DECIDE_SECONDS);
}

/** After a decision on `handle`: the answer, made to forget it if it is the remembered one. */
export function forgetDecidedConsent(request: Request, handle: string, response: Response): Response {
  const remembered = (readCookie(request, COOKIE) ?? "").split(".")[0];
  if (!remembered || remembered !== handle) return response;
  const copy = new Response(response.body, response); // a redirect's headers are immutable
  copy.headers.append("Set-Cookie", clearHostCookie(COOKIE));
  return copy;
}
