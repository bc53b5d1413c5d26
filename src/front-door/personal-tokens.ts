/**
 * Personal access tokens on Connected apps (/apps), for code that cannot do the OAuth dance (the
 * Anthropic Messages API's `mcp_servers`, scripts, CI):
 *
 *   GET  /apps                      the person's tokens (personalTokensSection) and the create form
 *   POST /apps/tokens               name, access, toolsets, lifetime → the token, shown once
 *   POST /apps/tokens/revoke        token_id → that token refused from now on, its credential gone
 *   POST /apps/tokens/reconnect     token_id → the person's fresh credential sealed into the
 *                                   token's store (after "needs a new sign-in"); the token unchanged
 *   GET  /oauth/xano/callback       a token trip's return (finishTokenTrip): the token shown once,
 *                                   or reconnected
 *
 * Every POST is CSRF-checked (csrf.ts) and acts only on the signed-in person's own tokens, and
 * only on those their sign-in may manage (the same rule as apps: disconnect.ts grantsManagedBy).
 * A token copies the sign-in's Xano credential when the sign-in holds one (a Metadata API token
 * or the app's password). A "Sign in with Xano" session keeps none (SignInSession.credential:
 * Xano's refresh tokens rotate, so they cannot be shared), so for it the checked form goes on a
 * trip of its own through Xano (personal-token-trip.ts) and Xano's fresh credential, issued for
 * this token alone, goes straight into the token's store (finishTokenTrip). The token is shown
 * once, in a read-only field (no script: the pages' CSP allows none, so there is no copy button),
 * never stored: only its SHA-256. A person an operator blocked (admin/blocks.ts) gets no new token
 * from a sign-in session or a trip begun before the block; the block left them none to reconnect.
 */
import type { Config } from "../config";
import { credentialStoreFor } from "../credentials/credential-store";
import { revokeCredentialUpstream } from "../credentials/revoke";
import { createPersonalToken, isExpired, type CreateResult, listPersonalTokens, reconnectPersonalToken, revokePersonalToken, type PersonalTokenEnv, type PersonalTokenRecord } from "../credentials/personal-tokens";
import { html, type SafeHtml } from "../lib/html";
import { COMMON_PATH, TOOLSETS, storedToolsetChoice } from "../mcp/tools/toolsets";
import { DEFAULT_PERSONAL_TOKEN_LIFETIME_DAYS, PERSONAL_TOKENS_PER_PERSON, PERSONAL_TOKEN_LIFETIMES_DAYS, PERSONAL_TOKEN_NAME_MAX, cleanTokenName, parseLifetime } from "../credentials/personal-token-format";
import { ACCESS_WORDING, parseAccess } from "../oauth/scopes";
import { COMMON_TOOL_COUNT, chosenToolsets } from "./consent";
import { csrfMatches } from "./csrf";
import { describeToolsets, formatTime } from "./display";
import { page, readForm, seeOther } from "./http";
import { errorPage, layout, toolsetChoices } from "./pages";
import { canAuthorize, readSignInSession, type BoundSignInSession, type SignInSession } from "./sign-in-session";
import { startTokenTrip, takeTokenTrip } from "./personal-token-trip";
import type { RateLimiterEnv } from "../rate-limit/rate-limiter";
import { blockedRefusal } from "./sign-in-refused";

/** What the token pages need: the records and stores, and the storing-request budget a trip to Xano counts against. */
export type TokenPagesEnv = PersonalTokenEnv & RateLimiterEnv;

// A Map, not an object literal: `?token=constructor` must find nothing.
export const TOKEN_NOTICES = new Map<string, string>([
  ["revoked", "The personal access token was revoked. Anything using it is refused from now on."],
  ["reconnected", "The personal access token was reconnected to your new sign-in. It works again, unchanged."],
]);

/**
 * How this sign-in gives a token its credential: a copy of its own, a trip through Xano (a "Sign
 * in with Xano" session, while that method is offered), or not at all.
 */
function credentialSource(session: SignInSession, config: Config): "copy" | "xano" | null {
  if (canAuthorize(session)) return "copy";
  return config.signInMethods.includes("xano_oauth") ? "xano" : null;
}

/** Tokens a sign-in may see and act on: every one of the account's, or those made with the same credential. */
function manages(session: Pick<SignInSession, "proof">, record: PersonalTokenRecord): boolean {
  return session.proof === "account" || (session.proof !== undefined && record.proof === session.proof);
}

/** The "Personal access tokens" part of the Connected apps page. */
export async function personalTokensSection(env: PersonalTokenEnv, session: SignInSession, config: Config, csrfToken: string): Promise<SafeHtml> {
  const csrf = html`<input type="hidden" name="csrf_token" value="${csrfToken}">`;
  const now = Date.now();
  const records = (await listPersonalTokens(env.OAUTH_KV, session.userId)).filter((record) => manages(session, record));
  const rows = await Promise.all(
    records.map(async (record) => {
      const store = credentialStoreFor(env, record.storeId);
      const [status, lastUsedAt] = await Promise.all([store.status(), store.lastUsed()]);
      return { record, dead: !status || status.dead !== null, lastUsedAt };
    }),
  );
  const source = credentialSource(session, config);
  const list =
    rows.length === 0
      ? html`<p>You have no personal access tokens.</p>`
      : html`<ul class="apps">${rows.map(({ record, dead, lastUsedAt }, index) => {
          const expired = isExpired(record.expiresAt, now);
          return html`<li class="app">
<h3 id="token-${index}">${record.name}</h3>
<dl>
<dt>Access</dt><dd>${ACCESS_WORDING[record.access].summary}</dd>
<dt>Tools</dt><dd>${describeToolsets(storedToolsetChoice(record.toolsets), config.defaultToolsets)}</dd>
<dt>Created</dt><dd>${formatTime(record.createdAt)}</dd>
<dt>Expires</dt><dd>${record.expiresAt === null ? "Never" : `${expired ? "Expired " : ""}${formatTime(record.expiresAt)}`}</dd>
<dt>Last used</dt><dd>${lastUsedAt ? formatTime(lastUsedAt) : "Not yet"}</dd>
${!expired && dead ? html`<dt>State</dt><dd><strong>Needs a new sign-in</strong>: its Xano sign-in ended.</dd>` : ""}
</dl>
${
  !expired && dead
    ? source
      ? html`<form method="post" action="/apps/tokens/reconnect">${csrf}<input type="hidden" name="token_id" value="${record.id}">
<button class="primary" type="submit" aria-describedby="token-${index}">${source === "copy" ? "Reconnect with this sign-in" : "Reconnect through Xano"}</button>
</form>`
      : html`<p class="hint">To reconnect it, sign out and sign in here with a Metadata API token or your password.</p>`
    : ""
}
<form method="post" action="/apps/tokens/revoke">${csrf}<input type="hidden" name="token_id" value="${record.id}">
<button class="secondary danger" type="submit" aria-describedby="token-${index}">Revoke</button>
</form>
</li>`;
        })}</ul>`;
  return html`<h2 id="personal-tokens">Personal access tokens</h2>
<p>For code that cannot sign in through a browser, such as the Anthropic Messages API or a script: a token sent as <code>Authorization: Bearer …</code> to this server's /mcp. It acts as you, with the access and tools you choose. At most ${PERSONAL_TOKENS_PER_PERSON} per person.</p>
${list}
${source ? createForm(config, csrf, source) : html`<p class="hint">To create a token, sign out and sign in here with a Metadata API token or your password: a token keeps a copy of that sign-in.</p>`}`;
}

function createForm(config: Config, csrf: SafeHtml, source: "copy" | "xano"): SafeHtml {
  const lifetimes = [...PERSONAL_TOKEN_LIFETIMES_DAYS.map((days) => ({ value: String(days), label: `${days} days` })), ...(config.personalTokensAllowNoExpiry ? [{ value: "never", label: "Never expires" }] : [])];
  const option = (o: { value: string; label: string }) => html`<option value="${o.value}"${o.value === String(DEFAULT_PERSONAL_TOKEN_LIFETIME_DAYS) ? html` selected` : ""}>${o.label}</option>`;
  return html`<form method="post" action="/apps/tokens">${csrf}
<h3>Create a token</h3>
<label for="token_name">Token name<span class="hint">What it is for, e.g. "Nightly report script".</span></label>
<input type="text" id="token_name" name="name" required maxlength="${PERSONAL_TOKEN_NAME_MAX}">
<fieldset class="choices">
<legend>What may it do?</legend>
<div class="choice">
<input type="radio" id="token_access_read" name="access" value="read" checked>
<label for="token_access_read">${ACCESS_WORDING.read.choice}<span class="hint">${ACCESS_WORDING.read.explanation}</span></label>
</div>
<div class="choice">
<input type="radio" id="token_access_read_write" name="access" value="read_write">
<label for="token_access_read_write">${ACCESS_WORDING.read_write.choice}<span class="hint">${ACCESS_WORDING.read_write.explanation}</span></label>
</div>
</fieldset>
${toolsetChoices(config.defaultToolsets ?? [COMMON_PATH, ...TOOLSETS], COMMON_TOOL_COUNT)}
<label for="token_lifetime">Expires after</label>
<select id="token_lifetime" name="lifetime">${lifetimes.map(option)}</select>
${source === "xano" ? html`<p class="hint">Xano asks you to sign in once more: the token gets a Xano sign-in of its own. Sign in with the same account and pick the same instance.</p>` : ""}
<div class="actions"><button class="primary" type="submit">${source === "copy" ? "Create token" : "Continue to Xano to create the token"}</button></div>
</form>`;
}

/** POST /apps/tokens: the new token, shown once with examples; for a "Sign in with Xano" session, first the trip to Xano. */
export async function createTokenFromApps(request: Request, env: TokenPagesEnv, config: Config): Promise<Response> {
  const checked = await checkedForm(request, env);
  if ("refused" in checked) return checked.refused;
  const { form, session } = checked;
  // A sign-in session outlives a block by up to half an hour: it makes nothing new.
  const blocked = await blockedRefusal(env, session);
  if (blocked) return blocked;
  const source = credentialSource(session, config);
  if (!source) return page(409, errorPage("This sign-in cannot make tokens", "A token keeps a copy of your Xano sign-in, and this sign-in kept none.", "Sign out, then sign in on Connected apps with a Metadata API token or your password."));
  const name = cleanTokenName(form.get("name"));
  const access = parseAccess(form.get("access"));
  const toolsets = chosenToolsets(form);
  const lifetimeDays = parseLifetime(form.get("lifetime"), config.personalTokensAllowNoExpiry);
  if (!name || !access || !toolsets || lifetimeDays === undefined) {
    return page(400, errorPage("The token was not created", "The form needs a name, an access, known toolsets and one of the offered lifetimes.", "Open Connected apps at /apps and fill in the form again."));
  }
  const wanted = { name, access, toolsets, lifetimeDays };
  if (canAuthorize(session)) return created(config, await createPersonalToken(env, session, wanted));
  // A "Sign in with Xano" session: the cap is checked before the trip too, so nobody signs in for nothing.
  const live = (await listPersonalTokens(env.OAUTH_KV, session.userId)).filter((record) => !isExpired(record.expiresAt, Date.now()));
  if (live.length >= PERSONAL_TOKENS_PER_PERSON) return tooManyTokens();
  return startTokenTrip(request, env, config, session, { create: wanted });
}

function created(config: Config, result: CreateResult): Response {
  if (!result.ok) return tooManyTokens();
  return page(200, tokenShownOnce(config, result.token, result.record));
}

function tooManyTokens(): Response {
  return page(409, errorPage("Too many tokens", `You already have ${PERSONAL_TOKENS_PER_PERSON} personal access tokens, the most one person may hold.`, "Revoke one you no longer use on Connected apps (/apps), then create the new one."));
}

/**
 * Xano's redirect back from a token trip (personal-token-trip.ts): the new token shown once, or the
 * token reconnected; null when the state is not a token trip's (the other trips' then).
 */
export async function finishTokenTrip(request: Request, env: PersonalTokenEnv, config: Config): Promise<Response | null> {
  const taken = await takeTokenTrip(request, env, config);
  if (!taken || "refused" in taken) return taken ? taken.refused : null;
  const { choice, owner } = taken;
  const blocked = await blockedRefusal(env, owner);
  if (blocked) {
    await revokeCredentialUpstream(owner.credential);
    return blocked;
  }
  if ("create" in choice) {
    const result = await createPersonalToken(env, owner, choice.create);
    if (!result.ok) await revokeCredentialUpstream(owner.credential);
    return created(config, result);
  }
  const record = (await listPersonalTokens(env.OAUTH_KV, owner.userId)).find((r) => r.id === choice.reconnect);
  const done = record && !isExpired(record.expiresAt, Date.now()) && (await reconnectPersonalToken(env, owner, record.id));
  if (!done) {
    await revokeCredentialUpstream(owner.credential);
    return noSuchToken();
  }
  return seeOther("/apps?token=reconnected#personal-tokens", []);
}

/** POST /apps/tokens/revoke. */
export async function revokeTokenFromApps(request: Request, env: PersonalTokenEnv): Promise<Response> {
  const checked = await checkedForm(request, env);
  if ("refused" in checked) return checked.refused;
  const { form, session } = checked;
  const id = String(form.get("token_id") ?? "");
  const record = (await listPersonalTokens(env.OAUTH_KV, session.userId)).find((r) => r.id === id);
  if (record && manages(session, record)) await revokePersonalToken(env, session.userId, id);
  return seeOther("/apps?token=revoked#personal-tokens", []);
}

/** POST /apps/tokens/reconnect: a fresh credential for the token, copied, or through Xano. */
export async function reconnectTokenFromApps(request: Request, env: TokenPagesEnv, config: Config): Promise<Response> {
  const checked = await checkedForm(request, env);
  if ("refused" in checked) return checked.refused;
  const { form, session } = checked;
  const source = credentialSource(session, config);
  if (!source) return page(409, errorPage("This sign-in cannot reconnect tokens", "Reconnecting gives the token a copy of your Xano sign-in, and this sign-in kept none.", "Sign out, then sign in on Connected apps with a Metadata API token or your password."));
  const id = String(form.get("token_id") ?? "");
  const record = (await listPersonalTokens(env.OAUTH_KV, session.userId)).find((r) => r.id === id);
  if (!record || !manages(session, record) || isExpired(record.expiresAt, Date.now())) return noSuchToken();
  if (!canAuthorize(session)) return startTokenTrip(request, env, config, session, { reconnect: record.id });
  if (!(await reconnectPersonalToken(env, session, id))) return noSuchToken();
  return seeOther("/apps?token=reconnected#personal-tokens", []);
}

function noSuchToken(): Response {
  return page(404, errorPage("No such token", "That token is not yours, expired, or was revoked.", "Open Connected apps at /apps to see your tokens."));
}

async function checkedForm(request: Request, env: PersonalTokenEnv): Promise<{ form: FormData; session: BoundSignInSession } | { refused: Response }> {
  const form = await readForm(request);
  if (!form || !csrfMatches(request, form)) {
    return { refused: page(403, errorPage("This form expired", "The form was too old or came from another site, so nothing was changed.", "Open Connected apps at /apps and try again.")) };
  }
  const session = await readSignInSession(env.OAUTH_KV, request);
  if (!session) return { refused: page(401, errorPage("You are signed out", "Your sign-in on this page ended, so nothing was changed.", "Open Connected apps at /apps and sign in again.")) };
  return { form, session };
}

function tokenShownOnce(config: Config, token: string, record: PersonalTokenRecord): string {
  const mcpUrl = `${config.publicUrl}/mcp`;
  const messagesApi = JSON.stringify({ type: "url", url: mcpUrl, name: "xano", authorization_token: token });
  const curl = `curl -sS ${mcpUrl} -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" -H "Accept: application/json, text/event-stream" -H "MCP-Protocol-Version: 2025-06-18" -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'`;
  return layout(
    "Your new token",
    html`<h1>Your new personal access token</h1>
<p class="warning"><strong>Copy it now.</strong> This is the only time it is shown; the server keeps only a fingerprint of it. Whoever has it can use your Xano backend as you${record.access === "read" ? ", read only" : ""}, until ${record.expiresAt === null ? "you revoke it" : formatTime(record.expiresAt)}.</p>
<label for="personal-token">${record.name}</label>
<input type="text" id="personal-token" name="personal_token" value="${token}" readonly autocomplete="off" spellcheck="false">
<h2>Anthropic Messages API</h2>
<p>An entry of <code>mcp_servers</code> (with the <code>mcp-client</code> beta):</p>
<label for="example-messages-api">mcp_servers entry</label>
<textarea id="example-messages-api" readonly rows="4" cols="60" spellcheck="false">${messagesApi}</textarea>
<h2>curl</h2>
<label for="example-curl">List the tools</label>
<textarea id="example-curl" readonly rows="5" cols="60" spellcheck="false">${curl}</textarea>
<p class="footer-link"><a href="/apps#personal-tokens">Back to Connected apps</a></p>`,
  );
}
