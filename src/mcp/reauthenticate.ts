/**
 * When a grant's Xano credential is dead: revoke the grant (so the client's refresh token stops
 * working too and it cannot loop), and answer the MCP request with a 401 challenge, which makes
 * MCP clients start a new sign-in. Never a 500, never a loop.
 */
import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { log } from "../observability/log";
import { invalidTokenChallenge } from "../oauth/challenges";
import { grantIdOf } from "../oauth/token-format";

export async function endGrantAndChallenge(
  oauth: OAuthHelpers,
  auth: { token: string; userId?: string },
  publicUrl: string,
  reason: string,
): Promise<Response> {
  const grantId = grantIdOf(auth.token);
  if (grantId && auth.userId) await oauth.revokeGrant(grantId, auth.userId);
  log("credential_dead", { userId: auth.userId ?? null, reason });
  return invalidTokenChallenge(publicUrl, "The Xano sign-in for this connection has ended; sign in again");
}
