/**
 * Refresh-token replay detection (RFC 9700 §4.14.2): "If a refresh token is compromised and
 * subsequently used by both the attacker and the legitimate client, one of them will present an
 * invalidated refresh token, which will inform the authorization server of the breach. The
 * authorization server cannot determine which party submitted the invalid refresh token, but it
 * will revoke the active refresh token."
 *
 * workers-oauth-provider rotates refresh tokens and keeps the previous one valid until its
 * successor is used (so a client can retry after a lost response), but it does not revoke anything
 * when a superseded token shows up. So a thief who uses a stolen token first keeps the grant, and
 * the client is merely told `invalid_grant`. This closes that: when the token endpoint refuses a
 * refresh token of an existing grant because it is neither the current nor the previous one (the
 * library's `refresh_token_mismatch`), the whole grant is revoked, so both parties must sign in
 * again and the thief's tokens die.
 *
 * Trade-off, written down: KV is eventually consistent across locations (up to ~60 s). A client
 * that refreshes, then refreshes again within that window at another Cloudflare location, could
 * be read as a replay and be asked to sign in again. Only holders of a token of the grant know
 * its `userId:grantId`, so nobody else can trigger a revocation.
 *
 * The library reports the reason only to its `onError` hook, which has no request; an
 * AsyncLocalStorage carries it from the hook back to the token request that caused it.
 */
import { log } from "../observability/log";
import { AsyncLocalStorage } from "node:async_hooks";

interface TokenRequestNotes {
  reason?: string;
}

const notes = new AsyncLocalStorage<TokenRequestNotes>();

/** For OAuthProvider's `onError`: notes why the library refused, then logs it as the default hook would. */
export function noteOAuthError(error: { status: number; code: string; description: string; internal: { reason: string } }): void {
  const current = notes.getStore();
  if (current) current.reason = error.internal.reason;
}

/**
 * Runs a request through the provider; if it was a refresh that presented a superseded token of a
 * live grant, revokes that grant. The response (`invalid_grant`) is passed on unchanged.
 */
export async function withRefreshReplayDetection(
  request: Request,
  tokenPath: string,
  handle: (request: Request) => Promise<Response>,
  revokeGrant: (grantId: string, userId: string) => Promise<void>,
): Promise<Response> {
  const presented = request.method === "POST" && new URL(request.url).pathname === tokenPath ? await refreshTokenOf(request.clone()) : null;
  if (!presented) return handle(request);
  const noted: TokenRequestNotes = {};
  const response = await notes.run(noted, () => handle(request));
  if (noted.reason === "refresh_token_mismatch") {
    const [userId, grantId] = presented.split(":");
    await revokeGrant(grantId, userId);
    log("refresh_token_replay", { userId, outcome: "grant_revoked" });
  }
  return response;
}

async function refreshTokenOf(request: Request): Promise<string | null> {
  if (!(request.headers.get("Content-Type") ?? "").includes("application/x-www-form-urlencoded")) return null;
  try {
    const form = new URLSearchParams(await request.text());
    const token = form.get("refresh_token");
    return form.get("grant_type") === "refresh_token" && token && token.split(":").length === 3 ? token : null;
  } catch {
    return null;
  }
}
