/**
 * The credential of one grant — a Xano one, by sign-in method, or an upstream MCP server's
 * (upstream-credential.ts) — and the pure policy every kind shares: when a token is due for a
 * refresh and what a failed refresh means. What differs per kind lives in its provider
 * (providers/xano.ts, providers/upstream.ts). No I/O here (see refresh.ts for that).
 */
import type { UpstreamAuth, UpstreamCredential } from "./upstream-credential";

export type SignInMethod = "metadata_token" | "xano_oauth" | "app_auth";

interface CredentialBase {
  /** Bearer for the instance Meta API. Secret. */
  accessToken: string;
  /** The instance's Meta API base, e.g. https://x1234-5678-9012.n7.xano.io/api:meta. */
  metaApiBase: string;
  /** When the access token expires (ms since epoch), or null when unknown / never. */
  expiresAt: number | null;
}

/** A Metadata API token pasted by the person. Xano offers no refresh for these. */
export interface MetadataTokenCredential extends CredentialBase {
  method: "metadata_token";
}

/** Tokens from Xano's own OAuth server. The refresh token rotates on every use. */
export interface XanoOAuthCredential extends CredentialBase {
  method: "xano_oauth";
  refreshToken: string | null;
  tokenEndpoint: string;
  revocationEndpoint: string | null;
  clientId: string;
}

/** A Xano app's custom auth group: `auth/me` with the authToken yields the user's Metadata token (`api_key`). */
export interface AppAuthCredential extends CredentialBase {
  method: "app_auth";
  authToken: string;
  /** Base of the app's auth API group, e.g. https://x1234.n7.xano.io/api:auth. */
  authBase: string;
}

export type XanoCredential = MetadataTokenCredential | XanoOAuthCredential | AppAuthCredential;

/** Refresh this long before the recorded expiry, so a call never starts with a token about to die. */
export const REFRESH_AHEAD_MS = 60_000;

/** What a grant's credential store holds: exactly one credential, of either kind. */
export type StoredCredential = XanoCredential | UpstreamCredential;

export function isUpstreamCredential(credential: StoredCredential): credential is UpstreamCredential {
  return (credential as Partial<UpstreamCredential>).kind === "upstream";
}

export function isXanoCredential(credential: StoredCredential): credential is XanoCredential {
  return !isUpstreamCredential(credential);
}

/**
 * Does a token in use need a refresh before use?
 * `rejectedToken` is the access token the upstream just answered 401 to, if any: when the store
 * already holds a different token, another call refreshed meanwhile and no new refresh is needed.
 */
export function tokenNeedsRefresh(token: { accessToken: string; expiresAt: number | null }, now: number, rejectedToken?: string): boolean {
  if (rejectedToken !== undefined) return rejectedToken === token.accessToken;
  return token.expiresAt !== null && token.expiresAt - now <= REFRESH_AHEAD_MS;
}

/**
 * What a failed refresh means. `dead`: the upstream grant is gone, re-authentication is the only
 * way out. `transient`: try again later, keep the credential. `unknown`: the request may have
 * reached Xano and rotated the refresh token; the stored one may be spent, and sending a spent
 * refresh token is never allowed, so this ends like `dead` (documented in DEBUG.md).
 */
export type RefreshFailureKind = "dead" | "transient" | "unknown";

export function classifyRefreshFailure(status: number): RefreshFailureKind {
  if (status === 0) return "unknown";
  if (status === 429 || status >= 500) return "transient";
  return "dead";
}

/** How a grant's credential was obtained: a Xano sign-in method, or an upstream server's auth kind. */
export type CredentialMethod = SignInMethod | `upstream_${UpstreamAuth}`;

/** What may be shown about a credential: never a token, nor a prefix of one. */
export interface CredentialStatus {
  method: CredentialMethod;
  /** The Xano instance's host, or the upstream MCP server's host. */
  instanceHost: string;
  /** For an upstream credential: the server's name in UPSTREAM_MCP_SERVERS (absent for Xano). */
  upstreamServer?: string;
  expiresAt: number | null;
  canRefresh: boolean;
  lastRefreshAt: number | null;
  refreshCount: number;
  dead: { reason: string; at: number } | null;
}
