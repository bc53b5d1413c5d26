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
 * Only a token this server really issued counts as a replay. A refresh token is
 * `userId:grantId:secret`, and the first two parts are no secret (every access token starts with
 * them, /status shows them), so "the library refused a token naming this grant" alone would let
 * anyone end anyone's grant with a made-up token. Every refresh token the token endpoint issues is
 * therefore remembered by its SHA-256 (one KV write per issuance, on the token endpoint only), and
 * a refused token revokes its grant only when it is one of them.
 *
 * Trade-off, written down: KV is eventually consistent across locations (up to ~60 s). A client
 * that refreshes, then refreshes again within that window at another Cloudflare location, could
 * be read as a replay and be asked to sign in again.
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

/** Where issued refresh tokens are remembered (by hash only): KV in the Worker. */
export interface IssuedRefreshTokens {
  remember(token: string): Promise<void>;
  wasIssued(token: string): Promise<boolean>;
}

/** Remembered for as long as a client may plausibly still hold a superseded token. */
const REMEMBER_SECONDS = 30 * 24 * 60 * 60;

export function issuedRefreshTokensIn(kv: KVNamespace): IssuedRefreshTokens {
  const key = async (token: string) => `refresh-issued:${await sha256Hex(token)}`;
  return {
    async remember(token) {
      await kv.put(await key(token), "1", { expirationTtl: REMEMBER_SECONDS });
    },
    async wasIssued(token) {
      return (await kv.get(await key(token))) !== null;
    },
  };
}

/**
 * Runs a token request through the provider, remembers any refresh token it issues, and if it was
 * a refresh that presented a superseded token this server issued, revokes that grant. The
 * response (`invalid_grant` in that case) is passed on unchanged. `form` is the token request as
 * `tokenRequestOf` read it (null for any other request), from the same bytes the library reads.
 */
export async function withRefreshReplayDetection(
  request: Request,
  form: TokenRequest | null,
  handle: (request: Request) => Promise<Response>,
  revokeGrant: (grantId: string, userId: string) => Promise<void>,
  issued: IssuedRefreshTokens,
): Promise<Response> {
  if (!form || (form.grantType !== "refresh_token" && form.grantType !== "authorization_code")) return handle(request);
  const noted: TokenRequestNotes = {};
  const response = await notes.run(noted, () => handle(request));
  if (response.ok) {
    const newToken = await refreshTokenIn(response.clone());
    if (newToken) await issued.remember(newToken);
  }
  const presented = form.grantType === "refresh_token" ? form.refreshToken : null;
  if (presented && noted.reason === "refresh_token_mismatch" && (await issued.wasIssued(presented))) {
    const [userId, grantId] = presented.split(":");
    await revokeGrant(grantId, userId);
    log("refresh_token_replay", { userId, outcome: "grant_revoked" });
  }
  return response;
}

export interface TokenRequest {
  grantType: string | null;
  /** The presented refresh token, when it has this server's shape. */
  refreshToken: string | null;
  clientId: string | null;
}

/** The fields of a token request's form body (already read, within its cap: front-door/request-body.ts). */
export function tokenRequestOf(request: Request, body: Uint8Array | null): TokenRequest | null {
  if (body === null || !(request.headers.get("Content-Type") ?? "").includes("application/x-www-form-urlencoded")) return null;
  const form = new URLSearchParams(new TextDecoder().decode(body));
  const token = form.get("refresh_token");
  return { grantType: form.get("grant_type"), refreshToken: isTokenShaped(token) ? token : null, clientId: form.get("client_id") };
}

async function refreshTokenIn(response: Response): Promise<string | null> {
  try {
    const body = (await response.json()) as { refresh_token?: unknown };
    return typeof body.refresh_token === "string" && isTokenShaped(body.refresh_token) ? body.refresh_token : null;
  } catch {
    return null;
  }
}

function isTokenShaped(token: string | null): token is string {
  return typeof token === "string" && token.split(":").length === 3;
}

async function sha256Hex(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
