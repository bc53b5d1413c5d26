/**
 * What every /admin page shares: the operator's request, the page frame, paging, person links, and
 * the checks every POST makes (CSRF, a user id's shape) and where it sends the operator next.
 */
import type { OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import type { Config } from "../config";
import type { ActivityEnv } from "../activity/record";
import type { CredentialStoreEnv } from "../credentials/credential-store";
import type { RateLimiterEnv } from "../rate-limit/rate-limiter";
import { html, type SafeHtml } from "../lib/html";
import { csrfMatches } from "./csrf";
import { page, readForm } from "./http";
import { errorPage, layout } from "./pages";
import type { SignInSession } from "./sign-in-session";

export interface AdminEnv extends ActivityEnv, CredentialStoreEnv, RateLimiterEnv {
  OAUTH_KV: KVNamespace;
  OAUTH_PROVIDER: OAuthHelpers;
}

/** A recognised operator's request. */
export interface OperatorRequest {
  request: Request;
  env: AdminEnv;
  config: Config;
  /** The operator's email, lower case: who the action record names. */
  operator: string;
  session: SignInSession;
}

/** An /admin page: the operator's navigation above `body`. */
export function adminLayout(title: string, operator: string, body: SafeHtml): string {
  return layout(
    title,
    html`<nav class="admin-nav" aria-label="Operator"><a href="/admin">Overview</a> <a href="/admin/errors">Errors</a> <a href="/admin/credentials">Dead credentials</a> <a href="/admin/actions">Operator actions</a> <a href="/apps">Your apps</a></nav>
<p class="hint">Signed in as operator <strong>${operator}</strong>.</p>
${body}`,
  );
}

/** ?page=N, from 1 to 1,000. */
export function pageNumberOf(request: Request): number {
  return Math.min(1_000, Math.max(1, Number.parseInt(new URL(request.url).searchParams.get("page") ?? "1", 10) || 1));
}

/** Newer / Older links for a paged list at `path` (extra query kept). */
export function pager(path: string, pageNumber: number, more: boolean, labels: { newer: string; older: string }, extra: Record<string, string> = {}): SafeHtml {
  const link = (n: number) => {
    const query = new URLSearchParams(extra);
    if (n > 1) query.set("page", String(n));
    const text = query.toString();
    return `${path}${text ? `?${text}` : ""}`;
  };
  return html`<nav class="pager" aria-label="Pages">${pageNumber > 1 ? html`<a href="${link(pageNumber - 1)}" rel="prev">${labels.newer}</a>` : ""}${more ? html`<a href="${link(pageNumber + 1)}" rel="next">${labels.older}</a>` : ""}</nav>`;
}

/** A link to a person's page. */
export function personLink(userId: string, label: string): SafeHtml {
  return html`<a href="/admin/person?${new URLSearchParams({ user: userId }).toString()}">${label}</a>`;
}

/** A POST's form when its CSRF token matches (csrf.ts); otherwise the 403 page that changes nothing. */
export async function checkedForm(request: Request): Promise<FormData | Response> {
  const form = await readForm(request);
  if (form && csrfMatches(request, form)) return form;
  return page(403, errorPage("This form expired", "The form was too old or came from another site, so nothing was changed.", "Open the operator's view at /admin and try again."));
}

/** The person's page, telling what happened (`done`: a notice of admin-person.ts). */
export function personPath(userId: string, done: string): string {
  return `/admin/person?${new URLSearchParams({ user: userId, done }).toString()}`;
}

/** Our user ids (credentials/grant-props.ts userIdFor): no ":" (a KV key separator), bounded. */
export function validUserId(userId: string): boolean {
  return /^[A-Za-z0-9._-]{1,200}$/.test(userId);
}
