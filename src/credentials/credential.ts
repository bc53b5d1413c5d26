/**
 * The Xano credential of one grant, by sign-in method, and the pure policy that decides when it
 * must be refreshed and what an upstream failure means. No I/O here (see refresh.ts for that).
 */
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

export function canRefresh(credential: XanoCredential): boolean {
  if (credential.method === "xano_oauth") return credential.refreshToken !== null;
  return credential.method === "app_auth";
}

/**
 * Does this credential need a refresh before use?
 * `rejectedToken` is the access token Xano just answered 401 to, if any: when the store already
 * holds a different token, another call refreshed meanwhile and no new refresh is needed.
 */
export function needsRefresh(credential: XanoCredential, now: number, rejectedToken?: string): boolean {
  if (rejectedToken !== undefined) return rejectedToken === credential.accessToken;
  return credential.expiresAt !== null && credential.expiresAt - now <= REFRESH_AHEAD_MS;
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

/** What may be shown about a credential: never a token, nor a prefix of one. */
export interface CredentialStatus {
  /** `upstream_none` / `upstream_bearer` / `upstream_oauth` for a grant of an upstream MCP server (src/upstream/). */
  method: SignInMethod | `upstream_${"none" | "bearer" | "oauth"}`;
  instanceHost: string;
  expiresAt: number | null;
  canRefresh: boolean;
  lastRefreshAt: number | null;
  refreshCount: number;
  dead: { reason: string; at: number } | null;
}
