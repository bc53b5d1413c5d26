/**
 * When a grant's Xano credential is dead: revoke the grant (so the client's refresh token stops
 * working too and it cannot loop), and answer the MCP request with a 401 challenge, which makes
 * MCP clients start a new sign-in. Never a 500, never a loop.
 */
import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { log } from "../observability/log";

/** workers-oauth-provider's token format is `userId:grantId:secret` (userIds contain no `:`). */
export function grantIdOf(accessToken: string): string | null {
  const parts = accessToken.split(":");
  return parts.length === 3 && parts[1] ? parts[1] : null;
}

export async function endGrantAndChallenge(
  oauth: OAuthHelpers,
  auth: { token: string; userId?: string },
  publicUrl: string,
  reason: string,
): Promise<Response> {
  const grantId = grantIdOf(auth.token);
  if (grantId && auth.userId) await oauth.revokeGrant(grantId, auth.userId);
  log("credential_dead", { userId: auth.userId ?? null, reason });
  const description = "The Xano sign-in for this connection has ended; sign in again";
  return new Response(JSON.stringify({ error: "invalid_token", error_description: description }), {
    status: 401,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      "WWW-Authenticate": `Bearer realm="OAuth", error="invalid_token", error_description="${description}", resource_metadata="${publicUrl}/.well-known/oauth-protected-resource"`,
    },
  });
}
