/**
 * The upstream provider: a grant's credential for an upstream MCP server (upstream-credential.ts).
 * `none` holds nothing; `bearer` is a token the person pasted, never refreshed, dead once the
 * server rejects it; `oauth` holds tokens from the server's own authorization server, refreshed
 * with the refresh_token grant (rotating, `resource` sent again) through lib/oauth-fetch.ts.
 */
import { basicClientAuthorization, oauthFetch, readOAuthJson } from "../../lib/oauth-fetch";
import { tokenNeedsRefresh } from "../credential";
import { refreshTokenGrant, type Issuer, type RefreshOutcome, type RefreshTransport } from "../refresh";
import { revokeToken } from "../revoke";
import type { UpstreamCredential, UpstreamOAuthCredential } from "../upstream-credential";
import type { CredentialProvider } from "./provider";

const transport: RefreshTransport = { fetch: (url, init) => oauthFetch(url, init), readJson: readOAuthJson };

function authorizationServerOf(credential: UpstreamCredential): Issuer {
  const name = `the authorization server of "${credential.server}"`;
  return { name, possessive: `${name}'s` };
}

/** Client authentication for a token or revocation request: the secret in a Basic header, else client_id in the body. */
export function clientAuthentication(credential: Pick<UpstreamOAuthCredential, "clientId" | "clientSecret">): { params: Record<string, string>; headers: Record<string, string> } {
  if (credential.clientSecret) return { params: {}, headers: { Authorization: basicClientAuthorization(credential.clientId, credential.clientSecret) } };
  return { params: { client_id: credential.clientId }, headers: {} };
}

export const upstreamProvider: CredentialProvider<UpstreamCredential> = {
  backend: "upstream",
  issuer: (credential) => `the MCP server "${credential.server}"`,
  describe: (credential) => ({ method: `upstream_${credential.auth}`, instanceHost: new URL(credential.url).host, upstreamServer: credential.server }),
  expiresAt: (credential) => (credential.auth === "oauth" ? credential.expiresAt : null),
  canRefresh: (credential) => credential.auth === "oauth" && credential.refreshToken !== null,
  needsRefresh(credential, now, rejectedToken) {
    switch (credential.auth) {
      case "none":
        return false; // nothing to refresh: the front door alone decides who calls the server
      case "bearer":
        return rejectedToken !== undefined && rejectedToken === credential.token;
      case "oauth":
        return tokenNeedsRefresh(credential, now, rejectedToken);
    }
  },
  refresh: refreshUpstream,
  secretsOf(credential) {
    if (credential.auth === "bearer") return [credential.token];
    if (credential.auth === "none") return [];
    return [credential.accessToken, credential.refreshToken, credential.clientSecret].filter((secret): secret is string => secret !== null);
  },
  masked: "[redacted: your token]",
  async revoke(credential) {
    if (credential.auth !== "oauth" || !credential.revocationEndpoint) return false;
    const { params, headers } = clientAuthentication(credential);
    const [token, hint] = credential.refreshToken ? [credential.refreshToken, "refresh_token"] : [credential.accessToken, "access_token"];
    return revokeToken(oauthFetch, credential.revocationEndpoint, { token, token_type_hint: hint, ...params }, headers);
  },
  withExpiry: (credential, at) => (credential.auth === "oauth" ? { ...credential, expiresAt: at } : null),
};

async function refreshUpstream(credential: UpstreamCredential, now: number): Promise<RefreshOutcome<UpstreamCredential>> {
  const issuer = authorizationServerOf(credential);
  if (credential.auth !== "oauth") {
    return { ok: false, kind: "dead", status: 401, message: `the MCP server "${credential.server}" rejected the ${credential.auth} credential, and it cannot be refreshed`, retryAfterSeconds: null };
  }
  if (credential.refreshToken === null) {
    return { ok: false, kind: "dead", status: 401, message: `${issuer.possessive} access token expired and no refresh token was issued`, retryAfterSeconds: null };
  }
  const { params, headers } = clientAuthentication(credential);
  // RFC 8707: the same resource as at authorization, so the new access token is for the same server.
  const granted = await refreshTokenGrant(transport, issuer, { tokenEndpoint: credential.tokenEndpoint, refreshToken: credential.refreshToken, params: { ...params, resource: credential.resource }, headers }, now);
  if (!granted.ok) return granted;
  return { ok: true, credential: { ...credential, ...granted.tokens } };
}
