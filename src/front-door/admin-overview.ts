/**
 * GET /admin: usage over time (calls per day, error rate, calls by tool; last 14 days), the people
 * who have connected (25 a page, the most recently active first), everyone blocked (all of them:
 * blocks are few; each with Unblock, admin-block.ts), and the newest errors and operator actions
 * with links to their full, paged lists.
 */
import { callsByToolChart, callsPerDayChart, dayCounts, errorRateChart } from "../activity/chart";
import { blockedPeople } from "../admin/blocks";
import { listOperatorActions } from "../admin/operator-actions";
import { listPeople, type Person } from "../admin/people";
import { callsByTool, dailyCountsForAll, recentErrors } from "../admin/usage";
import { html, type SafeHtml } from "../lib/html";
import { adminLayout, pageNumberOf, pager, personLink, type OperatorRequest } from "./admin-layout";
import { blockedPeopleList } from "./admin-block";
import { actionList, errorList, labelsOf } from "./admin-lists";
import { issueCsrfToken } from "./csrf";
import { appNames } from "./activity-page";
import { formatTime } from "./display";
import { page } from "./http";

const PEOPLE_PER_PAGE = 25;
const CHART_DAYS = 14;
const TOP_TOOLS = 10;
const NEWEST = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

export async function showOverview({ request, env, operator }: OperatorRequest): Promise<Response> {
  const pageNumber = pageNumberOf(request);
  const now = Date.now();
  const since = now - (CHART_DAYS - 1) * DAY_MS - (now % DAY_MS);
  const [people, daily, tools, errors, actions, blocked] = await Promise.all([
    listPeople(env, { offset: (pageNumber - 1) * PEOPLE_PER_PAGE, limit: PEOPLE_PER_PAGE }),
    dailyCountsForAll(env, since),
    callsByTool(env, since, TOP_TOOLS),
    recentErrors(env, { offset: 0, limit: NEWEST }),
    listOperatorActions(env, { offset: 0, limit: NEWEST }),
    blockedPeople(env.OAUTH_KV),
  ]);
  const csrf = issueCsrfToken(request);
  const counts = dayCounts(daily, now, CHART_DAYS);
  const [labels, names] = await Promise.all([labelsOf(env.OAUTH_KV, errors.rows.map((row) => row.userId)), appNames(env, errors.rows)]);
  const body = html`<h1>Operator's view</h1>
<h2>Usage, last ${CHART_DAYS} days</h2>
<h3>Calls per day</h3>
${callsPerDayChart(counts, "calls-per-day")}
<h3>Error rate</h3>
${errorRateChart(counts, "error-rate")}
<h3>Calls by tool</h3>
${callsByToolChart(tools, "calls-by-tool")}
<h2 id="people">People (${people.total})</h2>
${people.truncated ? html`<p class="warning">There are more connections than one page load reads; some people may be missing here.</p>` : ""}
${peopleList(people.people)}
${pager("/admin", pageNumber, pageNumber * PEOPLE_PER_PAGE < people.total, { newer: "Previous people", older: "More people" })}
<h2 id="blocked">Blocked people (${blocked.length})</h2>
${blockedPeopleList(blocked, csrf.token)}
<h2>Newest errors</h2>
${errorList(errors.rows, labels, names)}
<p><a href="/admin/errors">Every error</a></p>
<h2>Newest operator actions</h2>
${actionList(actions.rows)}
<p><a href="/admin/actions">Every operator action</a></p>
<p><a href="/admin/credentials">Check for dead credentials</a></p>`;
  return page(200, adminLayout("Operator's view", operator, body), [csrf.setCookie]);
}

function peopleList(people: readonly Person[]): SafeHtml {
  if (people.length === 0) return html`<p>Nobody has connected yet.</p>`;
  return html`<ul class="apps people">${people.map(
    (person) => html`<li class="app person">
<h3>${personLink(person.userId, person.label)}</h3>
<dl>
${person.name ? html`<dt>Name</dt><dd>${person.name}</dd>` : ""}
<dt>Instance</dt><dd>${person.instance}</dd>
<dt>Apps</dt><dd>${person.apps}</dd>
<dt>Tokens</dt><dd>${person.tokens}</dd>
<dt>Last activity</dt><dd>${person.lastActiveAt ? formatTime(person.lastActiveAt) : "None recorded"}</dd>
</dl>
</li>`,
  )}</ul>`;
}
