/**
 * /admin's paged lists: every failed tool call (GET /admin/errors), the record of operator actions
 * (GET /admin/actions), and dead credentials (GET /admin/credentials, a bounded window of
 * connections checked per page: admin/dead-credentials.ts). The list renderers are shared with the
 * overview and the person's page.
 */
import { CHECKS_PER_PAGE, scanDeadCredentials } from "../admin/dead-credentials";
import { listOperatorActions, type RecordedOperatorAction } from "../admin/operator-actions";
import { identify, readDirectory } from "../admin/people";
import { recentErrors, type ErrorCall } from "../admin/usage";
import { html, type SafeHtml } from "../lib/html";
import { adminLayout, pageNumberOf, pager, personLink, type OperatorRequest } from "./admin-layout";
import { appNames } from "./activity-page";
import { formatTime } from "./display";
import { page } from "./http";

const PER_PAGE = 50;

export async function showErrors({ request, env, operator }: OperatorRequest): Promise<Response> {
  const pageNumber = pageNumberOf(request);
  const { rows, more } = await recentErrors(env, { offset: (pageNumber - 1) * PER_PAGE, limit: PER_PAGE });
  const [labels, names] = await Promise.all([labelsOf(env.OAUTH_KV, rows.map((row) => row.userId)), appNames(env, rows)]);
  const body = html`<h1>Errors</h1>
<p>Every tool call that failed, everyone's, newest first (kept as long as activity is).</p>
${errorList(rows, labels, names)}
${pager("/admin/errors", pageNumber, more, { newer: "Newer errors", older: "Older errors" })}`;
  return page(200, adminLayout("Errors", operator, body));
}

export async function showActions({ request, env, operator }: OperatorRequest): Promise<Response> {
  const pageNumber = pageNumberOf(request);
  const { rows, more } = await listOperatorActions(env, { offset: (pageNumber - 1) * PER_PAGE, limit: PER_PAGE });
  const body = html`<h1>Operator actions</h1>
<p>What operators changed here, newest first: who, what, whose, when.</p>
${actionList(rows)}
${pager("/admin/actions", pageNumber, more, { newer: "Newer actions", older: "Older actions" })}`;
  return page(200, adminLayout("Operator actions", operator, body));
}

export async function showDeadCredentials({ request, env, operator }: OperatorRequest): Promise<Response> {
  const pageNumber = pageNumberOf(request);
  const scan = await scanDeadCredentials(env, pageNumber);
  const labels = await labelsOf(env.OAUTH_KV, scan.dead.map((connection) => connection.userId));
  const list =
    scan.dead.length === 0
      ? html`<p>None of these is dead.</p>`
      : html`<ul class="apps dead">${scan.dead.map(
          (connection) => html`<li class="app">
<h2>${connection.kind === "app" ? "App" : "Personal token"} of ${personLink(connection.userId, labels.get(connection.userId) ?? connection.userId)}</h2>
<dl>
<dt>Id</dt><dd><code>${connection.id}</code></dd>
<dt>Why</dt><dd>${connection.reason}</dd>
${connection.diedAt ? html`<dt>Since</dt><dd>${formatTime(connection.diedAt)}</dd>` : ""}
</dl>
</li>`,
        )}</ul>`;
  const checked = scan.total === 0 ? html`<p>Nobody has connected yet.</p>` : html`<p>Checked connections ${scan.from + 1} to ${scan.to} of ${scan.total} (${CHECKS_PER_PAGE} a page, each a call to its credential store).</p>`;
  const body = html`<h1>Dead credentials</h1>
<p>Connections whose Xano credential ended (Xano refused its refresh, or it expired and cannot be refreshed). Their apps are answered 401 until their person signs in again; revoke them from the person's page.</p>
${checked}
${list}
${pager("/admin/credentials", pageNumber, scan.to < scan.total, { newer: "Previous connections", older: "Check the next connections" })}`;
  return page(200, adminLayout("Dead credentials", operator, body));
}

/** The people's labels (email or Xano id), by user id, for lists that name them. */
export async function labelsOf(kv: KVNamespace, userIds: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(userIds)];
  if (wanted.length === 0) return new Map();
  const { people } = await readDirectory(kv);
  const labels = await Promise.all(wanted.map(async (userId) => [userId, (await identify(kv, userId, people.get(userId) ?? [])).label] as const));
  return new Map(labels);
}

/** Failed calls; `labels` name people, `names` apps (activity-page.ts appNames). */
export function errorList(rows: readonly ErrorCall[], labels: ReadonlyMap<string, string>, names: ReadonlyMap<string, string>): SafeHtml {
  if (rows.length === 0) return html`<p>No errors recorded.</p>`;
  return html`<ol class="calls errors">${rows.map(
    (row) => html`<li class="call">
<h3>${row.tool}: ${row.outcome}</h3>
<dl>
<dt>When</dt><dd>${formatTime(row.at)}</dd>
<dt>Person</dt><dd>${personLink(row.userId, labels.get(row.userId) ?? row.userId)}</dd>
<dt>App</dt><dd>${names.get(row.app) ?? row.app}</dd>
<dt>Duration</dt><dd>${row.durationMs} ms</dd>
</dl>
</li>`,
  )}</ol>`;
}

const ACTION_WORDS: Record<RecordedOperatorAction["action"], string> = {
  revoke_app: "Revoked an app",
  revoke_token: "Revoked a personal token",
  block_person: "Blocked a person",
  unblock_person: "Unblocked a person",
};

export function actionList(rows: readonly RecordedOperatorAction[]): SafeHtml {
  if (rows.length === 0) return html`<p>No operator actions yet.</p>`;
  return html`<ol class="calls actions-record">${rows.map(
    (row) => html`<li class="call">
<h3>${ACTION_WORDS[row.action] ?? row.action}</h3>
<dl>
<dt>When</dt><dd>${formatTime(row.at)}</dd>
<dt>Operator</dt><dd>${row.operator}</dd>
<dt>Person</dt><dd>${personLink(row.targetUser, row.targetLabel || row.targetUser)}</dd>
<dt>What</dt><dd>${row.detail} (<code>${row.target}</code>)</dd>
</dl>
</li>`,
  )}</ol>`;
}
