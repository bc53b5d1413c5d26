/**
 * One person on /admin, and the operator's changes to them.
 *
 *   GET  /admin/person?user=…    who they are; Block, or their block with Unblock (admin-block.ts);
 *                                every app (grant) and personal token, each with Revoke; their
 *                                newest errors. A blocked person holds nothing, yet has this page.
 *   POST /admin/revoke-app       user_id, grant_id: the grant revoked and its credential store
 *                                emptied (disconnect.ts, as /apps does), then recorded
 *   POST /admin/revoke-token     user_id, token_id: the token revoked (credentials/personal-tokens.ts,
 *                                as /apps does), then recorded
 *
 * Revocations name the person and the object; a grant or token id not theirs finds nothing. Each
 * POST is CSRF-checked (csrf.ts) after the door recognised the operator, and answers 303 to the
 * person's page with what happened.
 */
import { cleanClientName } from "../oauth/client-registration";
import { describeAccess } from "../oauth/scopes";
import { credentialStoreFor } from "../credentials/credential-store";
import { isExpired, listPersonalTokens, revokePersonalToken, type PersonalTokenRecord } from "../credentials/personal-tokens";
import { recordOperatorAction } from "../admin/operator-actions";
import { blockOf } from "../admin/blocks";
import { identify, lastActivity } from "../admin/people";
import { recentErrors } from "../admin/usage";
import { html, type SafeHtml } from "../lib/html";
import { appNames } from "./activity-page";
import { adminLayout, checkedForm, personPath, validUserId, type OperatorRequest } from "./admin-layout";
import { blockSection, isOperatorSelf } from "./admin-block";
import { errorList } from "./admin-lists";
import { issueCsrfToken } from "./csrf";
import { allGrants, disconnect, storeIdOf } from "../oauth/disconnect";
import { formatTime } from "./display";
import { page, seeOther } from "./http";

/** The person's apps shown (each costs a Durable Object call for its last use and status). */
const MAX_APPS_SHOWN = 50;
const NEWEST_ERRORS = 10;

// A Map, not an object literal: `?done=constructor` must find nothing.
const NOTICES = new Map<string, string>([
  ["app", "The app was disconnected. Its tokens are refused from now on; it has to ask its person again to come back."],
  ["token", "The personal access token was revoked. It is refused from now on."],
  ["gone", "That app or token was already gone; nothing was changed."],
  ["blocked", "The person was blocked: every app and personal token of theirs ended, and their sign-ins are refused until they are unblocked."],
  ["unblocked", "The person was unblocked: they may sign in again. Nothing they held comes back; they connect again."],
  ["unconfirmed", "Nothing was blocked: tick the box confirming that blocking ends all of their apps and tokens at once."],
  ["not-blocked", "That person was not blocked; nothing was changed."],
]);

interface ShownApp {
  grantId: string;
  name: string;
  access: string;
  instance: string | null;
  approvedAt: number;
  lastUsedAt: number | null;
  dead: string | null;
}

export async function showPerson(op: OperatorRequest): Promise<Response> {
  const { request, env, operator } = op;
  const url = new URL(request.url);
  const userId = url.searchParams.get("user") ?? "";
  const [grants, tokens, block] = validUserId(userId) ? await Promise.all([allGrants(env.OAUTH_PROVIDER, userId), listPersonalTokens(env.OAUTH_KV, userId), blockOf(env.OAUTH_KV, userId)]) : [[], [], null];
  if (grants.length === 0 && tokens.length === 0 && !block) {
    const notice = NOTICES.get(url.searchParams.get("done") ?? "");
    return page(404, adminLayout("Nobody here", operator, html`<h1>Nobody here</h1>${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}<p>This person has no app and no personal token connected (any more). <a href="/admin">Back to everyone</a>.</p>`));
  }
  const apps = await Promise.all(
    grants.slice(0, MAX_APPS_SHOWN).map(async (grant): Promise<ShownApp> => {
      const client = await env.OAUTH_PROVIDER.lookupClient(grant.clientId).catch(() => null);
      const storeId = storeIdOf(grant);
      const store = storeId ? credentialStoreFor(env, storeId) : null;
      const [lastUsedAt, status] = store ? await Promise.all([store.lastUsed(), store.status()]) : [null, null];
      return {
        grantId: grant.id,
        name: cleanClientName(client?.clientName ?? "") || grant.clientId,
        access: describeAccess(grant.scope),
        instance: typeof grant.metadata?.instance === "string" ? grant.metadata.instance : null,
        approvedAt: grant.createdAt * 1000,
        lastUsedAt,
        dead: status === null ? "No credential is stored." : (status.dead?.reason ?? null),
      };
    }),
  );
  apps.sort((a, b) => b.approvedAt - a.approvedAt);
  const identity = await identify(env.OAUTH_KV, userId, [...grants.map((grant) => ({ kind: "app" as const, userId, id: grant.id })), ...tokens.map((token) => ({ kind: "token" as const, userId, id: token.id }))]);
  // A blocked person holds nothing: their block remembers who they were.
  const who = grants.length === 0 && tokens.length === 0 && block ? { ...identity, label: block.email ?? userId, instance: block.instanceHost ?? identity.instance } : identity;
  const [activity, errors] = await Promise.all([lastActivity(env, userId), recentErrors(env, { offset: 0, limit: NEWEST_ERRORS }, userId)]);
  const names = await appNames(env, errors.rows);
  const csrf = issueCsrfToken(request);
  const hidden = html`<input type="hidden" name="csrf_token" value="${csrf.token}"><input type="hidden" name="user_id" value="${userId}">`;
  const notice = NOTICES.get(url.searchParams.get("done") ?? "");
  const last = activity.get(userId);
  const body = html`<h1>${who.label}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
<dl>
${who.name ? html`<dt>Name</dt><dd>${who.name}</dd>` : ""}
<dt>Instance</dt><dd>${who.instance}</dd>
<dt>User id</dt><dd><code>${userId}</code></dd>
<dt>Last activity</dt><dd>${last ? `${formatTime(last.lastAt)} (${last.calls} ${last.calls === 1 ? "call" : "calls"} kept)` : "None recorded"}</dd>
</dl>
<section class="person-actions" aria-labelledby="block-title">
${blockSection(block, hidden, isOperatorSelf(op, userId, [who.label, block?.email]))}
</section>
<h2>Apps (${grants.length})</h2>
${grants.length > MAX_APPS_SHOWN ? html`<p class="warning">Showing the ${MAX_APPS_SHOWN} newest of ${grants.length} apps.</p>` : ""}
${appList(apps, hidden)}
<h2>Personal access tokens (${tokens.length})</h2>
${tokenList(tokens, hidden)}
<h2>Newest errors</h2>
${errorList(errors.rows, new Map([[userId, who.label]]), names)}`;
  return page(200, adminLayout(who.label, operator, body), [csrf.setCookie]);
}

function appList(apps: readonly ShownApp[], hidden: SafeHtml): SafeHtml {
  if (apps.length === 0) return html`<p>No apps connected.</p>`;
  return html`<ul class="apps">${apps.map(
    (app, index) => html`<li class="app">
<h3 id="app-${index}">${app.name}</h3>
<dl>
<dt>Access</dt><dd>${app.access}</dd>
${app.instance ? html`<dt>Instance</dt><dd>${app.instance}</dd>` : ""}
<dt>Approved</dt><dd>${formatTime(app.approvedAt)}</dd>
<dt>Last used</dt><dd>${app.lastUsedAt ? formatTime(app.lastUsedAt) : "Not yet"}</dd>
<dt>Credential</dt><dd>${app.dead ? `Dead: ${app.dead}` : "Live"}</dd>
</dl>
<form method="post" action="/admin/revoke-app">${hidden}<input type="hidden" name="grant_id" value="${app.grantId}">
<button class="secondary danger" type="submit" aria-describedby="app-${index}">Revoke</button>
</form>
</li>`,
  )}</ul>`;
}

function tokenList(tokens: readonly PersonalTokenRecord[], hidden: SafeHtml): SafeHtml {
  if (tokens.length === 0) return html`<p>No personal access tokens.</p>`;
  const now = Date.now();
  return html`<ul class="apps">${tokens.map(
    (token, index) => html`<li class="app">
<h3 id="token-${index}">${token.name}</h3>
<dl>
<dt>Access</dt><dd>${token.access === "read_write" ? "Read and write" : "Read only"}</dd>
<dt>Created</dt><dd>${formatTime(token.createdAt)}</dd>
<dt>Expires</dt><dd>${token.expiresAt === null ? "Never" : `${formatTime(token.expiresAt)}${isExpired(token.expiresAt, now) ? " (expired)" : ""}`}</dd>
</dl>
<form method="post" action="/admin/revoke-token">${hidden}<input type="hidden" name="token_id" value="${token.id}">
<button class="secondary danger" type="submit" aria-describedby="token-${index}">Revoke</button>
</form>
</li>`,
  )}</ul>`;
}

export async function revokeAppAsOperator(op: OperatorRequest): Promise<Response> {
  const form = await checkedForm(op.request);
  if (form instanceof Response) return form;
  const userId = String(form.get("user_id") ?? "");
  const grantId = String(form.get("grant_id") ?? "");
  const grant = validUserId(userId) ? (await allGrants(op.env.OAUTH_PROVIDER, userId)).find((g) => g.id === grantId) : undefined;
  if (!grant) return seeOther(personPath(userId, "gone"), []);
  const client = await op.env.OAUTH_PROVIDER.lookupClient(grant.clientId).catch(() => null);
  const label = typeof grant.metadata?.label === "string" ? grant.metadata.label : userId;
  await disconnect(op.env.OAUTH_PROVIDER, op.env, userId, [grant]);
  await recordOperatorAction(op.env, { operator: op.operator, action: "revoke_app", targetUser: userId, targetLabel: label, target: grant.id, detail: cleanClientName(client?.clientName ?? "") || grant.clientId });
  return seeOther(personPath(userId, "app"), []);
}

export async function revokeTokenAsOperator(op: OperatorRequest): Promise<Response> {
  const form = await checkedForm(op.request);
  if (form instanceof Response) return form;
  const userId = String(form.get("user_id") ?? "");
  const tokenId = String(form.get("token_id") ?? "");
  const token = validUserId(userId) ? (await listPersonalTokens(op.env.OAUTH_KV, userId)).find((t) => t.id === tokenId) : undefined;
  if (!token || !(await revokePersonalToken(op.env, userId, tokenId))) return seeOther(personPath(userId, "gone"), []);
  await recordOperatorAction(op.env, { operator: op.operator, action: "revoke_token", targetUser: userId, targetLabel: token.xanoUser.email ?? String(token.xanoUser.id), target: tokenId, detail: token.name });
  return seeOther(personPath(userId, "token"), []);
}
