/**
 * Connected apps: the MCP clients a signed-in person approved, and a way to cut them off.
 *
 *   GET  /apps                  signed in: the list (name, access, approved, last used) with a
 *                               Revoke button per app, Revoke all, and Sign out (→ /logout);
 *                               not signed in: the token and password sign-in forms
 *   POST /apps/sign-in          token or password (rate-limited like /authorize) → session → /apps;
 *                               storing the session or a "Sign in with Xano" state counts against
 *                               the address's storing-request budget (src/rate-limit/limits.ts)
 *   POST /apps/revoke           grant_id → that grant revoked and its credential store emptied
 *   POST /apps/revoke-all       every grant of the person
 *   /apps/tokens…               personal access tokens (personal-tokens.ts)
 *
 * "Signed in" is the sign-in session of sign-in-session.ts: a random id in a `__Host-` cookie
 * (Secure, HttpOnly, SameSite=Lax), the session itself sealed in KV under a key derived from that
 * id, and naming one user. Every list and revocation goes through the library's per-user grant
 * calls with that user's id, so a grant id from someone else's list revokes nothing. Every POST is
 * CSRF-checked (double-submit token, csrf.ts).
 *
 * "Sign in with Xano" works here too: POST /apps/sign-in step=xano-oauth goes through the flow
 * /authorize uses (xano-sign-in.ts). The resulting session knows who the person is but keeps no
 * Xano credential (see SignInSession.credential).
 */
import type { GrantSummary, OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import type { Config } from "../config";
import { credentialStoreFor, type CredentialStoreEnv } from "../credentials/credential-store";
import { describeAccess } from "../oauth/scopes";
import { storedToolsetChoice } from "../mcp/tools/toolsets";
import { describeToolsets, formatTime } from "./display";
import { TOKEN_NOTICES, personalTokensSection } from "./personal-tokens";
import type { RateLimiterEnv } from "../rate-limit/rate-limiter";
import { attemptSignIn } from "./sign-in-attempt";
import { limitStoringRequest } from "./storing-limit";
import { page, readForm, seeOther } from "./http";
import { sendToXanoForIdentity } from "./xano-sign-in";
import { cleanClientName } from "../oauth/client-registration";
import { csrfMatches, issueCsrfToken } from "./csrf";
import { disconnect, grantsManagedBy, storeIdOf } from "../oauth/disconnect";
import { html, type SafeHtml } from "../lib/html";
import { errorPage, layout, signInSections } from "./pages";
import { createSignInSession, readSignInSession, type SignInSession } from "./sign-in-session";

export interface AppsEnv extends CredentialStoreEnv, RateLimiterEnv {
  OAUTH_KV: KVNamespace;
  OAUTH_PROVIDER: OAuthHelpers;
}

// A Map, not an object literal: `?revoked=constructor` must find nothing, not Object's constructor.
const NOTICES = new Map<string, string>([
  ["one", "The app was disconnected. It will have to ask you again before it can use your Xano backend."],
  ["all", "Every app was disconnected."],
]);

export async function showApps(request: Request, env: AppsEnv, config: Config): Promise<Response> {
  const session = await readSignInSession(env.OAUTH_KV, request);
  if (!session) return showSignIn(request, config, {});
  const csrf = issueCsrfToken(request);
  const apps = await describeApps(env, session, config);
  const query = new URL(request.url).searchParams;
  const notice = NOTICES.get(query.get("revoked") ?? "") ?? TOKEN_NOTICES.get(query.get("token") ?? "");
  const tokens = await personalTokensSection(env, session, config, csrf.token);
  return page(200, appsPage(session, apps, csrf.token, notice, tokens), [csrf.setCookie]);
}

export async function signInToApps(request: Request, env: AppsEnv, config: Config): Promise<Response> {
  const form = await readForm(request);
  if (!form || !csrfMatches(request, form)) return showSignIn(request, config, { error: "The sign-in form expired or was opened in another browser. Please sign in again." }, 403);
  if (form.get("step") === "xano-oauth" && config.signInMethods.includes("xano_oauth")) return sendToXanoForIdentity(request, env, config, "/apps");
  const attempted = await attemptSignIn(request, env, config, form);
  if ("answer" in attempted) return attempted.answer;
  if ("failure" in attempted) {
    return showSignIn(request, config, { error: attempted.failure, instanceUrl: String(form.get("instance_url") ?? ""), email: String(form.get("email") ?? "") }, 400);
  }
  const limited = await limitStoringRequest(request, env, config);
  if (limited) return limited;
  const { setCookie } = await createSignInSession(env.OAUTH_KV, attempted.session);
  return seeOther("/apps", [setCookie]);
}

export async function revokeApps(request: Request, env: AppsEnv, which: "one" | "all"): Promise<Response> {
  const form = await readForm(request);
  if (!form || !csrfMatches(request, form)) {
    return page(403, errorPage("This form expired", "The form was too old or came from another site, so nothing was changed.", "Open Connected apps at /apps and try again."));
  }
  const session = await readSignInSession(env.OAUTH_KV, request);
  if (!session) return page(401, errorPage("You are signed out", "Your sign-in on this page ended, so nothing was changed.", "Open Connected apps at /apps and sign in again."));
  const grants = await grantsManagedBy(env.OAUTH_PROVIDER, session);
  const grantId = String(form.get("grant_id") ?? "");
  const targets = which === "all" ? grants : grants.filter((grant) => grant.id === grantId);
  await disconnect(env.OAUTH_PROVIDER, env, session.userId, targets);
  return seeOther(`/apps?revoked=${which}`, []);
}

interface ConnectedApp {
  grantId: string;
  name: string;
  access: string;
  /** The toolsets it lists, for people. */
  tools: string;
  approvedAt: number;
  lastUsedAt: number | null;
  instance: string | null;
  /** The upstream MCP server it uses (UPSTREAM_MCP_SERVERS; src/upstream/), or null for Xano itself. */
  server: string | null;
}

async function describeApps(env: AppsEnv, session: SignInSession, config: Config): Promise<ConnectedApp[]> {
  const grants = await grantsManagedBy(env.OAUTH_PROVIDER, session);
  const apps = await Promise.all(
    grants.map(async (grant): Promise<ConnectedApp> => {
      const client = await env.OAUTH_PROVIDER.lookupClient(grant.clientId).catch(() => null);
      const storeId = storeIdOf(grant);
      return {
        grantId: grant.id,
        name: cleanClientName(client?.clientName ?? "") || grant.clientId,
        access: describeAccess(grant.scope),
        tools: describeToolsets(storedToolsetChoice(grant.metadata?.toolsets), config.defaultToolsets),
        approvedAt: grant.createdAt * 1000,
        lastUsedAt: storeId ? await credentialStoreFor(env, storeId).lastUsed() : null,
        instance: typeof grant.metadata?.instance === "string" ? grant.metadata.instance : null,
        server: typeof grant.metadata?.server === "string" ? serverLabel(config, grant.metadata.server) : null,
      };
    }),
  );
  return apps.sort((a, b) => b.approvedAt - a.approvedAt);
}

function showSignIn(request: Request, config: Config, extra: { error?: string; instanceUrl?: string; email?: string }, status = 200): Response {
  const csrf = issueCsrfToken(request);
  const methods = config.signInMethods;
  const sections = signInSections({ action: "/apps/sign-in", csrfToken: csrf.token, methods, defaultInstanceUrl: config.xanoAuthUrl ? new URL(config.xanoAuthUrl).origin : "", ...extra });
  const body = layout(
    "Connected apps",
    html`<h1>Sign in to see your connected apps</h1>
<p>Sign in the way you did when you connected an app, and you will see every app you allowed to use your Xano backend.</p>
${extra.error ? html`<div class="error" role="alert"><p>${extra.error}</p></div>` : ""}
${sections}`,
  );
  return page(status, body, [csrf.setCookie]);
}

function appsPage(session: SignInSession, apps: ConnectedApp[], csrfToken: string, notice: string | undefined, tokens: SafeHtml): string {
  const csrf = html`<input type="hidden" name="csrf_token" value="${csrfToken}">`;
  const who = session.xanoUser.email ?? session.xanoUser.name ?? String(session.xanoUser.id);
  const list: SafeHtml =
    apps.length === 0
      ? html`<p>No apps are connected. Apps appear here after you allow them on the consent page.</p>`
      : html`<ul class="apps">${apps.map(
          (app, index) => html`<li class="app">
<h2 id="app-${index}">${app.name}</h2>
<dl>
<dt>Access</dt><dd>${app.access}</dd>
<dt>Server</dt><dd>${app.server ?? "Xano (/mcp)"}</dd>
${app.server ? "" : html`<dt>Tools</dt><dd>${app.tools}</dd>`}
${app.instance ? html`<dt>${app.server ? "Signed in on" : "Instance"}</dt><dd>${app.instance}</dd>` : ""}
<dt>Approved</dt><dd>${formatTime(app.approvedAt)}</dd>
<dt>Last used</dt><dd>${app.lastUsedAt ? formatTime(app.lastUsedAt) : "Not yet"}</dd>
</dl>
<form method="post" action="/apps/revoke">${csrf}<input type="hidden" name="grant_id" value="${app.grantId}">
<button class="secondary danger" type="submit" aria-describedby="app-${index}">Revoke</button>
</form>
</li>`,
        )}</ul>
<form method="post" action="/apps/revoke-all">${csrf}
<div class="actions"><button class="secondary danger" type="submit">Revoke all</button></div>
</form>`;
  return layout(
    "Connected apps",
    html`<h1>Connected apps</h1>
<p>Signed in as <strong>${who}</strong>. These apps may use your Xano backend. Revoking one signs it out at once; it has to ask you again to come back.</p>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
<p><a href="/apps/activity">See what your apps did (Activity)</a></p>
${list}
${tokens}
<form method="post" action="/logout">${csrf}
<div class="actions"><button class="secondary danger" type="submit">Sign out and disconnect all apps</button></div>
<p class="hint">Every app listed here is signed out with you and has to ask you again to come back. To keep them, just close this page. Personal access tokens keep working until they expire or you revoke them.</p>
</form>`,
  );
}

/** An upstream server as people know it: its title and address (a server since removed from the configuration: its name). */
function serverLabel(config: Config, name: string): string {
  const server = config.upstreamServers.find((s) => s.name === name);
  return server ? `${server.title} (/servers/${name}/mcp)` : `${name} (no longer configured)`;
}
