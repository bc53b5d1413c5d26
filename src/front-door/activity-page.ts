/**
 * Activity: the tool calls a signed-in person's apps made (src/activity/), on /apps.
 *
 *   GET /apps/activity        newest first, 50 a page (Newer / Older links), filtered by app, tool
 *                             and outcome (a GET form), with a chart of calls per day (last 14 days)
 *   GET /apps/activity.csv    the same filters, every kept call, as a CSV download
 *   GET /apps/activity.json   the same, as JSON
 *
 * Who sees what is decided in activity-store.ts: the session's own user id, and the same sign-in
 * proof rule as the connections on /apps. Not signed in: to /apps, which offers the sign-in.
 */
import type { Config } from "../config";
import { activityChoices, dailyCounts, listActivity, type ActivityFilters, type ActivityRow, type ActivityViewer } from "../activity/activity-store";
import { callsPerDayChart, dayCounts } from "../activity/chart";
import { attachment, toCsv, toJson, type ExportedCall } from "../activity/export";
import type { ActivityEnv } from "../activity/record";
import { cleanClientName } from "../oauth/client-registration";
import { html, type SafeHtml } from "../lib/html";
import type { AppsEnv } from "./apps";
import { page, seeOther } from "./http";
import { layout } from "./pages";
import { readSignInSession, type SignInSession } from "./sign-in-session";

export type ActivityPageEnv = AppsEnv & ActivityEnv;

const PAGE_SIZE = 50;
const MAX_PAGE = 1_000;
const EXPORT_LIMIT = 10_000;
const CHART_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

export async function showActivity(request: Request, env: ActivityPageEnv, config: Config): Promise<Response> {
  const session = await readSignInSession(env.OAUTH_KV, request);
  if (!session) return seeOther("/apps", []);
  const url = new URL(request.url);
  const filters = filtersOf(url);
  const pageNumber = Math.min(MAX_PAGE, Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  const viewer = viewerOf(session);
  const now = Date.now();
  const [listed, choices, counts] = await Promise.all([
    listActivity(env.ACTIVITY_DB, viewer, filters, { offset: (pageNumber - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
    activityChoices(env.ACTIVITY_DB, viewer),
    dailyCounts(env.ACTIVITY_DB, viewer, filters, now - (CHART_DAYS - 1) * DAY_MS - (now % DAY_MS)),
  ]);
  const names = await appNames(env, [...choices.apps, ...listed.rows]);
  return page(200, activityPage({ session, filters, pageNumber, rows: listed.rows, more: listed.more, choices, names, chart: callsPerDayChart(dayCounts(counts, now, CHART_DAYS)), retentionDays: config.activityRetentionDays }));
}

export async function exportActivity(request: Request, env: ActivityPageEnv, format: "csv" | "json"): Promise<Response> {
  const session = await readSignInSession(env.OAUTH_KV, request);
  if (!session) return seeOther("/apps", []);
  const { rows } = await listActivity(env.ACTIVITY_DB, viewerOf(session), filtersOf(new URL(request.url)), { offset: 0, limit: EXPORT_LIMIT });
  const names = await appNames(env, rows);
  const calls: ExportedCall[] = rows.map((row) => ({
    at: new Date(row.at).toISOString(),
    app: row.app,
    app_name: names.get(row.app) ?? row.app,
    via: row.via,
    tool: row.tool,
    objects: row.objects,
    outcome: row.outcome,
    duration_ms: row.durationMs,
  }));
  return format === "csv" ? attachment(toCsv(calls), "text/csv; charset=utf-8", "activity.csv") : attachment(toJson(calls), "application/json; charset=utf-8", "activity.json");
}

function viewerOf(session: SignInSession): ActivityViewer {
  return { userId: session.userId, ...(session.proof ? { proof: session.proof } : {}) };
}

function filtersOf(url: URL): ActivityFilters {
  const read = (name: string) => {
    const value = (url.searchParams.get(name) ?? "").trim();
    return value !== "" && value.length <= 200 ? value : undefined;
  };
  return { app: read("app"), tool: read("tool"), outcome: read("outcome") };
}

/** The query string of these filters (and page), for links that keep them. */
function queryOf(filters: ActivityFilters, pageNumber?: number): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  if (pageNumber && pageNumber > 1) query.set("page", String(pageNumber));
  const text = query.toString();
  return text ? `?${text}` : "";
}

/** Each OAuth app's registered name (cleaned), by client id; other bearers are named by `app` itself. Also /admin's. */
export async function appNames(env: ActivityPageEnv, apps: ReadonlyArray<{ via: string; app: string }>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const clientIds = [...new Set(apps.filter((a) => a.via === "oauth").map((a) => a.app))];
  await Promise.all(
    clientIds.map(async (clientId) => {
      const client = await env.OAUTH_PROVIDER.lookupClient(clientId).catch(() => null);
      names.set(clientId, cleanClientName(client?.clientName ?? "") || clientId);
    }),
  );
  return names;
}

interface ActivityView {
  session: SignInSession;
  filters: ActivityFilters;
  pageNumber: number;
  rows: ActivityRow[];
  more: boolean;
  choices: { apps: Array<{ via: string; app: string }>; tools: string[]; outcomes: string[] };
  names: Map<string, string>;
  chart: SafeHtml;
  retentionDays: number;
}

function activityPage(view: ActivityView): string {
  const { filters, pageNumber, rows, names } = view;
  const who = view.session.xanoUser.email ?? view.session.xanoUser.name ?? String(view.session.xanoUser.id);
  const option = (value: string, label: string, chosen: string | undefined) => html`<option value="${value}"${chosen === value ? html` selected` : ""}>${label}</option>`;
  const filtered = Boolean(filters.app || filters.tool || filters.outcome);
  const list: SafeHtml =
    rows.length === 0
      ? html`<p>${filtered ? "No calls match these filters." : "No tool calls yet. Calls your apps make appear here."}</p>`
      : html`<ol class="calls">${rows.map(
          (row) => html`<li class="call">
<h3>${row.tool}</h3>
<dl>
<dt>When</dt><dd>${formatTime(row.at)}</dd>
<dt>App</dt><dd>${names.get(row.app) ?? row.app}</dd>
<dt>Outcome</dt><dd>${row.outcome === "ok" ? "OK" : row.outcome}</dd>
<dt>Objects</dt><dd>${describeObjects(row.objects)}</dd>
<dt>Duration</dt><dd>${row.durationMs} ms</dd>
</dl>
</li>`,
        )}</ol>`;
  const pager = html`<nav class="pager" aria-label="Pages">${pageNumber > 1 ? html`<a href="/apps/activity${queryOf(filters, pageNumber - 1)}" rel="prev">Newer calls</a>` : ""}${view.more ? html`<a href="/apps/activity${queryOf(filters, pageNumber + 1)}" rel="next">Older calls</a>` : ""}</nav>`;
  return layout(
    "Activity",
    html`<h1>Activity</h1>
<p>Signed in as <strong>${who}</strong>. Every tool call your connected apps made in the last ${view.retentionDays} days, newest first. Only which tool, which Xano ids it named and how it went are kept, never what was sent or answered.</p>
<p><a href="/apps">Back to connected apps</a></p>
<h2>Calls per day</h2>
${view.chart}
<h2>Calls</h2>
<form method="get" action="/apps/activity" class="filters">
<label for="filter-app">App</label>
<select id="filter-app" name="app">${option("", "Every app", filters.app)}${view.choices.apps.map((a) => option(a.app, names.get(a.app) ?? a.app, filters.app))}</select>
<label for="filter-tool">Tool</label>
<select id="filter-tool" name="tool">${option("", "Every tool", filters.tool)}${view.choices.tools.map((t) => option(t, t, filters.tool))}</select>
<label for="filter-outcome">Outcome</label>
<select id="filter-outcome" name="outcome">${option("", "Every outcome", filters.outcome)}${view.choices.outcomes.map((o) => option(o, o === "ok" ? "OK" : o, filters.outcome))}</select>
<div class="actions"><button class="primary" type="submit">Show</button></div>
</form>
<p class="downloads">Download ${filtered ? "these calls" : "every call"}: <a href="/apps/activity.csv${queryOf(filters)}" download>CSV</a> · <a href="/apps/activity.json${queryOf(filters)}" download>JSON</a></p>
${list}
${pager}`,
  );
}

/** "workspace_id 1, table_id 101, record_ids 1, 2" or "None". */
function describeObjects(objects: Record<string, unknown>): string {
  const parts = Object.entries(objects).map(([name, value]) => `${name} ${Array.isArray(value) ? value.join(", ") : String(value)}`);
  return parts.length > 0 ? parts.join("; ") : "None";
}

/** "2026-11-23 03:10:05 UTC": unambiguous without script or the viewer's time zone. */
function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
