/**
 * The upstream half of a logout, beside refresh.ts: revoking the credential where it was issued,
 * as its provider knows how (providers/*.ts). Called by POST /logout with the MCP token
 * (front-door/logout.ts), the one path that can unseal the credential, and by sign-in paths that
 * drop a credential they just obtained.
 */
import type { StoredCredential } from "./credential";
import { providerFor } from "./providers";

/** Revokes the credential upstream where its issuer supports it; false when there was nothing to revoke or it failed. */
export function revokeCredentialUpstream(credential: StoredCredential): Promise<boolean> {
  return providerFor(credential).revoke(credential);
}

/** RFC 7009 token revocation: one POST, true on a 2xx, false on anything else or no answer. */
export async function revokeToken(fetcher: (url: string, init: RequestInit) => Promise<Response>, revocationEndpoint: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<boolean> {
  try {
    const response = await fetcher(revocationEndpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(params).toString(),
    });
    return response.ok;
  } catch {
    return false;
  }
}
