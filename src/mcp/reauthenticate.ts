/**
 * When a grant's Xano credential is dead: revoke the grant (so the client's refresh token stops
 * working too and it cannot loop), and answer the MCP request with a 401 challenge, which makes
 * MCP clients start a new sign-in. Never a 500, never a loop. The same for a grant whose person or
 * instance the operator's lists (access/policy.ts) no longer allow.
 */
import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { log } from "../observability/log";
import { invalidTokenChallenge } from "../oauth/challenges";
import { grantIdOf } from "../oauth/token-format";
import { whomToAsk, type AccessDecision, type AccessPolicy } from "../access/policy";

export async function endGrantAndChallenge(
  oauth: OAuthHelpers,
  auth: { token: string; userId?: string },
  publicUrl: string,
  reason: string,
  description = "The Xano sign-in for this connection has ended; sign in again",
): Promise<Response> {
  const grantId = grantIdOf(auth.token);
  if (grantId && auth.userId) await oauth.revokeGrant(grantId, auth.userId);
  log("credential_dead", { userId: auth.userId ?? null, reason });
  return invalidTokenChallenge(publicUrl, description);
}

/** A grant whose person or instance is no longer allowed: revoke it, answer 401 with our challenge. */
export async function accessEndedResponse(
  oauth: OAuthHelpers,
  auth: { token: string; userId?: string },
  publicUrl: string,
  decision: Extract<AccessDecision, { allowed: false }>,
  policy: AccessPolicy,
): Promise<Response> {
  const grantId = grantIdOf(auth.token);
  if (grantId && auth.userId) await oauth.revokeGrant(grantId, auth.userId);
  log("access_refused", { kind: "mcp", reason: decision.reason, userId: auth.userId ?? null });
  const subject = decision.reason === "user" ? "this account" : `the instance ${decision.who}`;
  // Plain text only (OPERATOR_CONTACT has no quotes or backslashes: config.ts), so it fits a quoted-string.
  return invalidTokenChallenge(publicUrl, `This server's operator no longer allows ${subject} to use it. ${whomToAsk(policy)} if you need access`);
}
