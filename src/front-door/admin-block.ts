/**
 * Blocking a person from /admin (admin/blocks.ts does the blocking itself):
 *
 *   POST /admin/block     user_id, reason (optional), confirm=yes: every app (grant) and personal
 *                         token of theirs ended at once, their sign-ins refused until unblocked;
 *                         recorded as block_person
 *   POST /admin/unblock   user_id: the block lifted (nothing they held comes back); recorded as
 *                         unblock_person
 *
 * The person's page shows the Block form (an optional reason, and a checkbox confirming that it
 * ends all their apps and tokens at once, checked again here: no script needed) or, once they are
 * blocked, the block and Unblock. /admin lists everyone blocked, each with Unblock.
 *
 * Refused, with nothing stored: an operator's own account (by the session's user id, or by an
 * email Xano gave for the account that is the operator's), a person this server knows nothing of
 * (no grant, no personal token, no block), and a block whose confirmation is not ticked. Each POST
 * is CSRF-checked after the door recognised the operator, and answers 303 to the person's page.
 */
import { blockOf, blockPerson, unblockPerson, type BlockRecord } from "../admin/blocks";
import { recordOperatorAction } from "../admin/operator-actions";
import { listPersonalTokens } from "../credentials/personal-tokens";
import { html, type SafeHtml } from "../lib/html";
import { adminLayout, checkedForm, personLink, personPath, validUserId, type OperatorRequest } from "./admin-layout";
import { allGrants } from "../oauth/disconnect";
import { formatTime } from "./display";
import { page, seeOther } from "./http";

/** The person page's Block form, or their block with Unblock; `self`: the operator's own account. */
export function blockSection(block: BlockRecord | null, hidden: SafeHtml, self: boolean): SafeHtml {
  if (block) {
    return html`<h2 id="block-title">Blocked</h2>
<dl>
<dt>Since</dt><dd>${formatTime(block.blockedAt)}</dd>
<dt>By</dt><dd>${block.blockedBy}</dd>
<dt>Reason</dt><dd>${block.reason ?? "None given"}</dd>
</dl>
<p>Every sign-in of theirs is refused. Unblocked, they may sign in again; nothing they held comes back.</p>
<form method="post" action="/admin/unblock">${hidden}
<button class="secondary" type="submit">Unblock</button>
</form>`;
  }
  if (self) return html`<h2 id="block-title">Block</h2><p>This is your own account: you cannot block yourself.</p>`;
  return html`<h2 id="block-title">Block this person</h2>
<p>Blocking ends all of their apps and personal tokens at once and refuses every sign-in of theirs (also under the same email on another instance) until they are unblocked.</p>
<form method="post" action="/admin/block">${hidden}
<label for="block-reason">Reason <span class="hint">Optional; operators see it, the person does not.</span></label>
<input type="text" id="block-reason" name="reason" maxlength="500" autocomplete="off">
<div class="choice"><input type="checkbox" id="block-confirm" name="confirm" value="yes" required><label for="block-confirm">I understand this ends all of their apps and tokens at once.</label></div>
<div class="actions"><button class="secondary danger" type="submit">Block</button></div>
</form>`;
}

/** /admin's "Blocked people": who, when, by whom, why, each with Unblock. */
export function blockedPeopleList(records: readonly BlockRecord[], csrfToken: string): SafeHtml {
  if (records.length === 0) return html`<p>Nobody is blocked.</p>`;
  return html`<ul class="apps blocked">${records.map(
    (record, index) => html`<li class="app">
<h3 id="blocked-${index}">${personLink(record.userId, record.email ?? record.userId)}</h3>
<dl>
${record.instanceHost ? html`<dt>Instance</dt><dd>${record.instanceHost}</dd>` : ""}
<dt>Blocked</dt><dd>${formatTime(record.blockedAt)}</dd>
<dt>By</dt><dd>${record.blockedBy}</dd>
<dt>Reason</dt><dd>${record.reason ?? "None given"}</dd>
</dl>
<form method="post" action="/admin/unblock"><input type="hidden" name="csrf_token" value="${csrfToken}"><input type="hidden" name="user_id" value="${record.userId}">
<button class="secondary" type="submit" aria-describedby="blocked-${index}">Unblock</button>
</form>
</li>`,
  )}</ul>`;
}

/** Whether `userId` is the operator's own account: the session's, or one Xano gave the operator's email for. */
export function isOperatorSelf(op: OperatorRequest, userId: string, emails: ReadonlyArray<string | null | undefined>): boolean {
  return userId === op.session.userId || emails.some((email) => email?.trim().toLowerCase() === op.operator);
}

export async function blockAsOperator(op: OperatorRequest): Promise<Response> {
  const form = await checkedForm(op.request);
  if (form instanceof Response) return form;
  const userId = String(form.get("user_id") ?? "");
  if (!validUserId(userId)) return nobodyToBlock(op.operator);
  const [grants, tokens, previous] = await Promise.all([allGrants(op.env.OAUTH_PROVIDER, userId), listPersonalTokens(op.env.OAUTH_KV, userId), blockOf(op.env.OAUTH_KV, userId)]);
  if (grants.length === 0 && tokens.length === 0 && !previous) return nobodyToBlock(op.operator);
  const emails = [...tokens.map((token) => token.xanoUser.email), ...grants.map((grant) => (typeof grant.metadata?.label === "string" ? grant.metadata.label : null)), previous?.email];
  if (isOperatorSelf(op, userId, emails)) {
    return page(400, adminLayout("You cannot block yourself", op.operator, html`<h1>You cannot block yourself</h1><div class="error" role="alert"><p>This is your own account, so nothing was blocked. Another operator can block it.</p></div><p><a href="/admin">Back to everyone</a>.</p>`));
  }
  if (form.get("confirm") !== "yes") return seeOther(personPath(userId, "unconfirmed"), []);
  const reason = String(form.get("reason") ?? "").trim();
  const { record, ended } = await blockPerson(op.env, userId, { by: op.operator, ...(reason ? { reason } : {}) });
  const endedText = `Ended ${ended.grants} ${ended.grants === 1 ? "app" : "apps"} and ${ended.personalTokens} personal ${ended.personalTokens === 1 ? "token" : "tokens"}.`;
  await recordOperatorAction(op.env, { operator: op.operator, action: "block_person", targetUser: userId, targetLabel: record.email ?? userId, target: userId, detail: record.reason ? `Reason: ${record.reason}. ${endedText}` : endedText });
  return seeOther(personPath(userId, "blocked"), []);
}

export async function unblockAsOperator(op: OperatorRequest): Promise<Response> {
  const form = await checkedForm(op.request);
  if (form instanceof Response) return form;
  const userId = String(form.get("user_id") ?? "");
  const removed = validUserId(userId) ? await unblockPerson(op.env, userId, { by: op.operator }) : null;
  if (!removed) return seeOther(personPath(userId, "not-blocked"), []);
  const detail = `Blocked since ${formatTime(removed.blockedAt)} by ${removed.blockedBy}${removed.reason ? `. Reason: ${removed.reason}` : ""}`;
  await recordOperatorAction(op.env, { operator: op.operator, action: "unblock_person", targetUser: userId, targetLabel: removed.email ?? userId, target: userId, detail });
  return seeOther(personPath(userId, "unblocked"), []);
}

function nobodyToBlock(operator: string): Response {
  return page(404, adminLayout("Nobody to block", operator, html`<h1>Nobody to block</h1><div class="error" role="alert"><p>This server holds no app, no personal token and no block for that person, so nothing was blocked.</p></div><p><a href="/admin">Back to everyone</a>.</p>`));
}
