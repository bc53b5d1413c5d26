/**
 * Explicit logout.
 *
 *   POST /logout with `Authorization: Bearer <MCP access token>` (what an MCP client or script sends):
 *     ends that grant — the credential store is emptied, Xano's refresh token is revoked where Xano
 *     supports it (Sign in with Xano; credentials/revoke.ts), the grant is revoked — and clears our cookies.
 *   GET /logout → a page with a Sign out button; POST /logout (form, CSRF-checked) from the browser:
 *     revokes every grant of the signed-in person and ends the sign-in session.
 *
 * Either way, the next MCP call with a revoked grant's token gets a 401 challenge.
 */
import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import type { Config } from "../config";
import { credentialStoreFor, type CredentialStoreEnv } from "../credentials/credential-store";
import { revokeCredentialUpstream } from "../credentials/revoke";
import { checkAccessToken } from "../oauth/access-token";
import { readForm, page } from "./http";
import { clearHostCookie } from "../lib/cookies";
import { bearerToken } from "../lib/bearer";
import { csrfMatches, issueCsrfToken } from "./csrf";
import { disconnect, grantsManagedBy } from "../oauth/disconnect";
import { html } from "../lib/html";
import { errorPage, layout } from "./pages";
import { SESSION_COOKIE, endSignInSession, readSignInSession } from "./sign-in-session";

export interface LogoutEnv extends CredentialStoreEnv {
  OAUTH_KV: KVNamespace;
  OAUTH_PROVIDER: OAuthHelpers;
}

export async function handleLogout(request: Request, env: LogoutEnv, config: Pick<Config, "publicUrl">): Promise<Response> {
  if (request.method === "POST" && bearerToken(request)) return logoutGrant(request, env, config.publicUrl);

  const session = await readSignInSession(env.OAUTH_KV, request);
  if (request.method === "GET") {
    const csrf = issueCsrfToken(request);
    const body = session
      ? html`<h1>Sign out</h1><p>Signed in as <strong>${session.xanoUser.email ?? session.xanoUser.name ?? String(session.xanoUser.id)}</strong>.</p>
<p>Signing out disconnects every app listed on Connected apps (/apps) for this sign-in; each will ask you to sign in again.</p>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="${csrf.token}">
<div class="actions"><button class="secondary danger" type="submit">Sign out and disconnect all apps</button></div></form>`
      : html`<h1>You are signed out</h1><p>No one is signed in on this browser.</p>`;
    return page(200, layout("Sign out", body), [csrf.setCookie]);
  }
  if (request.method !== "POST") return page(405, errorPage("Method not allowed", "Use the Sign out button.", "Open /logout."));

  const form = await readForm(request);
  if (!form || !csrfMatches(request, form)) return page(403, errorPage("Sign-out expired", "This sign-out form expired or came from another site.", "Open /logout and press Sign out again."));
  let revoked = 0;
  if (session) {
    // Every app this sign-in manages, as Connected apps' "Revoke all" does: grants, then their stored credentials.
    const grants = await grantsManagedBy(env.OAUTH_PROVIDER, session);
    await disconnect(env.OAUTH_PROVIDER, env, session.userId, grants);
    revoked = grants.length;
  }
  // Only a session that exists is deleted: a made-up cookie must not cost a KV write (a delete is one).
  const ended = session ? await endSignInSession(env.OAUTH_KV, request) : { setCookie: clearHostCookie(SESSION_COOKIE) };
  return page(200, layout("Signed out", html`<h1>Signed out</h1><p>${revoked} connected app(s) disconnected. You can close this page.</p>`), [ended.setCookie, clearHostCookie("__Host-xano-mcp-csrf")]);
}

/** The token is checked as /status checks it (oauth/access-token.ts): a refusal is the same 401 challenge. */
async function logoutGrant(request: Request, env: LogoutEnv, publicUrl: string): Promise<Response> {
  const checked = await checkAccessToken(request, env.OAUTH_PROVIDER, publicUrl);
  if (!checked.ok) return checked.response;
  const { summary, props } = checked;
  const credential = await credentialStoreFor(env, props.storeId).destroy(props.storeKey);
  const upstreamRevoked = credential ? await revokeCredentialUpstream(credential) : false;
  await env.OAUTH_PROVIDER.revokeGrant(summary.grantId, props.userId);
  const headers = new Headers({ "Cache-Control": "no-store" });
  headers.append("Set-Cookie", clearHostCookie(SESSION_COOKIE));
  return Response.json({ loggedOut: true, xanoTokenRevoked: upstreamRevoked }, { headers });
}
