/**
 * What a person outside the operator's lists (policy.ts) meets: at sign-in, a page that says why
 * and whom to ask; on an MCP request with a grant made before they were removed, the grant is
 * revoked (so its refresh token stops too and the client cannot loop) and the answer is a 401
 * challenge that sends the client to sign in again, where the page explains.
 */
import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { page } from "../front-door/http";
import { errorPage } from "../front-door/pages";
import { grantIdOf } from "../mcp/reauthenticate";
import { log } from "../observability/log";
import type { AccessDecision, AccessPolicy } from "./policy";

type Refused = Extract<AccessDecision, { allowed: false }>;

function whomToAsk(policy: AccessPolicy): string {
  return policy.operatorContact ? `Ask ${policy.operatorContact}` : "Ask the person who runs this server";
}

function why(decision: Refused): string {
  return decision.reason === "user"
    ? `This server's operator lets only certain people use it, and ${decision.who} is not one of them.`
    : `This server's operator lets only certain Xano instances be used through it, and ${decision.who} is not one of them.`;
}

/** 403 page for a sign-in the lists refuse. Nothing about the person was stored. */
export function signInRefusedPage(decision: Refused, policy: AccessPolicy): Response {
  log("access_refused", { kind: "sign_in", reason: decision.reason });
  return page(403, errorPage("You are not allowed to use this server", why(decision), `${whomToAsk(policy)} if you need access. Nothing was saved, and no app was connected.`));
}

/** A grant whose person or instance is no longer allowed: revoke it, answer 401 with our challenge. */
export async function accessEndedResponse(oauth: OAuthHelpers, auth: { token: string; userId?: string }, publicUrl: string, decision: Refused, policy: AccessPolicy): Promise<Response> {
  const grantId = grantIdOf(auth.token);
  if (grantId && auth.userId) await oauth.revokeGrant(grantId, auth.userId);
  log("access_refused", { kind: "mcp", reason: decision.reason, userId: auth.userId ?? null });
  const subject = decision.reason === "user" ? "this account" : `the instance ${decision.who}`;
  // Plain text only (OPERATOR_CONTACT has no quotes or backslashes: config.ts), so it fits a quoted-string.
  const description = `This server's operator no longer allows ${subject} to use it. ${whomToAsk(policy)} if you need access`;
  return new Response(JSON.stringify({ error: "invalid_token", error_description: description }), {
    status: 401,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      "WWW-Authenticate": `Bearer realm="OAuth", error="invalid_token", error_description="${description}", resource_metadata="${publicUrl}/.well-known/oauth-protected-resource"`,
    },
  });
}
