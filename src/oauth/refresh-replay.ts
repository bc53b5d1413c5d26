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
 * Two refreshes that race with one token are not a theft. The library lets both through (it
 * keeps no lock), each gets a new token of the same generation, and only the last written stays
 * current: the other client's next refresh is refused as a mismatch. Revoking then would end the
 * grant of an honest client that merely retried. So each remembered token carries its generation
 * (0 at code exchange, one more than the presented token's at each refresh), each grant its newest
 * generation, and a refused token revokes the grant only when it is older than the previous
 * generation (which the library still accepts once, as a retry grace): that token was superseded
 * twice, so someone kept using a token the client had already replaced. A refused token of the
 * current or previous generation just gets `invalid_grant`. The price: a thief who uses a stolen
 * token exactly once, in the window where it is still the previous one, is not detected by its
 * victim's next refresh (the victim is asked to sign in again, and the thief's grant lives on until
 * the thief presents an older token or the grant expires).
 *
 * Trade-off, written down: KV is eventually consistent across locations (up to ~60 s). A client
 * that refreshes, then refreshes again within that window at another Cloudflare location, could
 * be read as a replay and be asked to sign in again.
 *
 * The library reports the reason only to its `onError` hook, which has no request; an
 * AsyncLocalStorage carries it from the hook back to the token request that caused it.
 */
import { log } from "../observability/log";
import { sha256Hex } from "../lib/secrets";
import { AsyncLocalStorage } from "node:async_hooks";
import { grantKeyOf, isTokenShaped, parseToken, type TokenParts } from "./token-format";

interface TokenRequestNotes {
  reason?: string;
}

const notes = new AsyncLocalStorage<TokenRequestNotes>();

/** For OAuthProvider's `onError`: notes why the library refused, for the token request that caused it (logging is request-log.ts's `logOAuthError`). */
export function noteOAuthError(error: { status: number; code: string; description: string; internal: { reason: string } }): void {
  const current = notes.getStore();
  if (current) current.reason = error.internal.reason;
}

/** Where issued refresh tokens are remembered (by hash only, with their generation): KV in the Worker. */
export interface IssuedRefreshTokens {
  /** Remembers a token of `grant` issued at `generation`, and that generation as the grant's newest. */
  remember(token: string, grant: string, generation: number): Promise<void>;
  /** The generation this server issued the token at, or null when it never issued it. */
  generationOf(token: string): Promise<number | null>;
  /** The newest generation issued for `grant` ("userId:grantId"), or null when none is recorded. */
  newestGeneration(grant: string): Promise<number | null>;
}

/** Remembered for as long as a client may plausibly still hold a superseded token. */
const REMEMBER_SECONDS = 30 * 24 * 60 * 60;

export function issuedRefreshTokensIn(kv: KVNamespace): IssuedRefreshTokens {
  const tokenKey = async (token: string) => `refresh-issued:${await sha256Hex(token)}`;
  const grantKey = (grant: string) => `refresh-generation:${grant}`;
  return {
    async remember(token, grant, generation) {
      await kv.put(await tokenKey(token), String(generation), { expirationTtl: REMEMBER_SECONDS });
      await kv.put(grantKey(grant), String(generation), { expirationTtl: REMEMBER_SECONDS });
    },
    async generationOf(token) {
      // Tokens remembered before generations existed hold "1"; they count as generation 0.
      const stored = await kv.get(await tokenKey(token));
      return stored === null ? null : generationIn(stored) ?? 0;
    },
    async newestGeneration(grant) {
      const stored = await kv.get(grantKey(grant));
      return stored === null ? null : generationIn(stored);
    },
  };
}

function generationIn(stored: string): number | null {
  return /^\d{1,9}$/.test(stored) ? Number(stored) : null;
}

/**
 * Is a refused refresh token (issued at `presented`) a replay, given the grant's newest generation?
 * Only a token older than the previous generation is; without a recorded newest generation (grants
 * from before generations were kept) a refused token this server issued still counts as one.
 */
export function isReplayedGeneration(presented: number, newest: number | null): boolean {
  return newest === null || presented < newest - 1;
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
  const presented = form.grantType === "refresh_token" ? refreshTokenOf(form.refreshToken) : null;
  if (response.ok) {
    const newToken = await refreshTokenIn(response.clone());
    // The library accepted `presented`, so it is current or previous: the new token is one newer.
    const generation = presented ? ((await issued.generationOf(presented.token)) ?? 0) + 1 : 0;
    if (newToken) await issued.remember(newToken.token, grantKeyOf(newToken), generation);
  }
  if (presented && noted.reason === "refresh_token_mismatch") {
    const generation = await issued.generationOf(presented.token);
    const { userId, grantId } = presented;
    if (generation !== null && isReplayedGeneration(generation, await issued.newestGeneration(grantKeyOf(presented)))) {
      await revokeGrant(grantId, userId);
      log("refresh_token_replay", { userId, outcome: "grant_revoked" });
    } else if (generation !== null) {
      log("refresh_token_replay", { userId, outcome: "superseded_sibling_refused" });
    }
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

/** A refresh token with the grant it names, when it has this server's token shape (oauth/token-format.ts). */
type RefreshToken = TokenParts & { token: string };

function refreshTokenOf(token: unknown): RefreshToken | null {
  const parts = typeof token === "string" ? parseToken(token) : null;
  return parts ? { ...parts, token: token as string } : null;
}

async function refreshTokenIn(response: Response): Promise<RefreshToken | null> {
  try {
    const body = (await response.json()) as { refresh_token?: unknown };
    return refreshTokenOf(body.refresh_token);
  } catch {
    return null;
  }
}
