/**
 * The upstream half of a logout, beside refresh.ts: revoking the Xano credential at Xano itself.
 * Called by POST /logout with the MCP token (front-door/logout.ts), the one path that can unseal
 * the credential.
 */
import { xanoFetch } from "../xano/fetch";
import type { StoredCredential } from "./credential-store";

/** Revokes Xano's refresh token (RFC 7009) where Xano supports it; other methods have nothing to revoke. */
export async function revokeCredentialUpstream(credential: StoredCredential): Promise<boolean> {
  if (!("method" in credential) || credential.method !== "xano_oauth" || !credential.revocationEndpoint || !credential.refreshToken) return false;
  try {
    const response = await xanoFetch(credential.revocationEndpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: credential.refreshToken, token_type_hint: "refresh_token", client_id: credential.clientId }).toString(),
    });
    return response.ok;
  } catch {
    return false;
  }
}
