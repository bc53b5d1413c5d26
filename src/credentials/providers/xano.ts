/**
 * The Xano provider: a grant's credential from one of the three Xano sign-in methods
 * (credential.ts). A Metadata API token cannot be refreshed; Xano's OAuth tokens refresh with a
 * rotating refresh token; an app's auth token re-reads `auth/me` for the user's current api_key.
 */
import { readUpstreamJson, xanoFetch } from "../../xano/fetch";
import { tokenNeedsRefresh, type XanoCredential } from "../credential";
import { refreshFailure, refreshTokenGrant, sendRefreshRequest, type Issuer, type RefreshOutcome, type RefreshTransport } from "../refresh";
import { revokeToken } from "../revoke";
import type { CredentialProvider } from "./provider";

export const MASKED_XANO_TOKEN = "[redacted: your Xano token]";
const XANO: Issuer = { name: "Xano", possessive: "Xano's" };
const transport: RefreshTransport = { fetch: xanoFetch, readJson: readUpstreamJson };

export const xanoProvider: CredentialProvider<XanoCredential> = {
  backend: "xano",
  issuer: () => XANO.name,
  describe: (credential) => ({ method: credential.method, instanceHost: new URL(credential.metaApiBase).host }),
  expiresAt: (credential) => credential.expiresAt,
  canRefresh(credential) {
    if (credential.method === "xano_oauth") return credential.refreshToken !== null;
    return credential.method === "app_auth";
  },
  needsRefresh: tokenNeedsRefresh,
  refresh: refreshXano,
  secretsOf(credential) {
    const secrets = [credential.accessToken];
    if (credential.method === "xano_oauth" && credential.refreshToken) secrets.push(credential.refreshToken);
    if (credential.method === "app_auth") secrets.push(credential.authToken);
    return secrets;
  },
  masked: MASKED_XANO_TOKEN,
  async revoke(credential) {
    if (credential.method !== "xano_oauth" || !credential.revocationEndpoint || !credential.refreshToken) return false;
    return revokeToken(xanoFetch, credential.revocationEndpoint, { token: credential.refreshToken, token_type_hint: "refresh_token", client_id: credential.clientId });
  },
  withExpiry: (credential, at) => ({ ...credential, expiresAt: at }),
};

async function refreshXano(credential: XanoCredential, now: number): Promise<RefreshOutcome<XanoCredential>> {
  switch (credential.method) {
    case "metadata_token":
      return { ok: false, kind: "dead", status: 401, message: "Xano rejected the Metadata API token, and such tokens cannot be refreshed", retryAfterSeconds: null };
    case "xano_oauth": {
      if (credential.refreshToken === null) {
        return { ok: false, kind: "dead", status: 401, message: "Xano's access token expired and no refresh token was issued", retryAfterSeconds: null };
      }
      const granted = await refreshTokenGrant(transport, XANO, { tokenEndpoint: credential.tokenEndpoint, refreshToken: credential.refreshToken, params: { client_id: credential.clientId } }, now);
      if (!granted.ok) return granted;
      return { ok: true, credential: { ...credential, ...granted.tokens } };
    }
    case "app_auth": {
      const sent = await sendRefreshRequest(transport, `${credential.authBase}/auth/me`, { headers: { Authorization: `Bearer ${credential.authToken}`, Accept: "application/json" } });
      if (!sent.ok) return refreshFailure(sent, XANO);
      const row = sent.body as Record<string, unknown>;
      if (typeof row?.api_key !== "string" || row.api_key === "") {
        return { ok: false, kind: "dead", status: 200, message: "the Xano user record has no api_key (Metadata API token)", retryAfterSeconds: null };
      }
      // The api_key has no known expiry (as at sign-in): without clearing an earlier expiresAt
      // (debug_expire_oauth_tokens sets one in the past), every later call would refresh again.
      return { ok: true, credential: { ...credential, accessToken: row.api_key, expiresAt: null } };
    }
  }
}
