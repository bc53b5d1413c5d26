/**
 * The one logger: one line of JSON per event on stdout (`wrangler tail`, Workers Logs, the `[worker]`
 * lines of `npm run dev`).
 *
 * Secrets stay out BY CONSTRUCTION, not by scrubbing: `log()` accepts only the fields declared in
 * `FIELDS` below, each with a kind that says how its value is written. There is no field for a
 * token, a code, a password, a cookie, a header, a request body or a full URL, so no caller can
 * pass one; unknown keys are dropped at run time too (TypeScript can be bypassed). Paths lose any
 * query string or fragment (where OAuth codes and states travel), and free text is cut short and
 * has anything that looks like a token masked, as a second line of defence.
 *
 * Everything logged during one request carries its `requestId` (and the user and client, once
 * known) through an AsyncLocalStorage context opened by request-log.ts. A Durable Object runs
 * outside that context, so callers pass the request id along (see credentials/credential-handle.ts).
 */
import { AsyncLocalStorage } from "node:async_hooks";

export type LogEvent =
  | "request" // one per HTTP request into the Worker (request-log.ts)
  | "xano_call" // an HTTP request to Xano that is news (not 2xx, no answer, after one that was) or made outside a request line (xano/fetch.ts)
  | "credential_refresh" // a refresh attempt by a grant's credential store
  | "credential_dead" // a dead credential ended a grant (mcp/reauthenticate.ts)
  | "oauth_error" // workers-oauth-provider answered an OAuth error (its onError)
  | "purge" // the scheduled clean-up (operations/purge.ts)
  | "health_failed" // a /health check failed
  | "tool_crashed"
  | "activity_failed" // recording a tool call in the person's activity failed (activity/record.ts); the call was not affected
  | "access_refused" // the operator's lists refused a sign-in or ended a grant (front-door/sign-in-refused.ts, mcp/reauthenticate.ts)
  | "person_blocked" // an operator blocked (kind=block) or unblocked (kind=unblock) a person (admin/blocks.ts)
  | "refresh_token_replay" // a superseded refresh token was presented: the grant was revoked (RFC 9700 §4.14.2)
  | "front_door_error";

/** How a field's value is written. */
type Kind =
  | "id" // identifiers we mint or Xano's ids: short strings, no masking needed
  | "path" // a URL path: query and fragment removed
  | "text" // free text (error reasons): cut to 300 chars, token-like runs masked
  | "email" // written only when debug logging is on
  | "number"
  | "boolean";

const FIELDS = {
  requestId: "id",
  method: "id",
  route: "path",
  status: "number",
  durationMs: "number",
  userId: "id",
  email: "email",
  clientId: "id",
  rpc: "id",
  tool: "id",
  signInMethod: "id",
  xanoHost: "id",
  xanoPath: "path",
  xanoStatus: "number",
  outcome: "id",
  kind: "id",
  reason: "text",
  code: "id",
  category: "id",
  refreshCount: "number",
  kvReads: "number",
  kvWrites: "number",
  kvLists: "number",
  storeCalls: "number",
  limiterCalls: "number",
  xanoCalls: "number",
  xanoMs: "number",
  xanoRequests: "path", // a request line's Xano calls, "GET /api:meta/workspace/1/table 200, …" (paths only: no query)
  clientsChecked: "number",
  clientsPurged: "number",
  grantsChecked: "number",
  grantsPurged: "number",
  tokensChecked: "number",
  tokensPurged: "number",
  activityPurged: "number",
  done: "boolean",
  check: "id",
  error: "id",
} as const satisfies Record<string, Kind>;

type ValueOf<K extends Kind> = K extends "number" ? number : K extends "boolean" ? boolean : string;

/** Every field an event may carry, typed. Nothing else can be logged. */
export type LogFields = { [F in keyof typeof FIELDS]?: ValueOf<(typeof FIELDS)[F]> | null };

let debugLogging = false;

/** With debug on (DEBUG_TOOLS=true), lines may carry the person's email; otherwise never. */
export function setDebugLogging(on: boolean): void {
  debugLogging = on;
}

/** What every line logged during one request shares, and that request's cost counters. */
export interface RequestContext {
  requestId: string;
  userId?: string;
  clientId?: string;
  email?: string;
  rpc?: string;
  tool?: string;
  /** storeCalls: credential-store requests; limiterCalls: RateLimiter requests (sign-in, registration). */
  counters: { kvReads: number; kvWrites: number; kvLists: number; storeCalls: number; limiterCalls: number; xanoCalls: number };
  /**
   * Set by request-log.ts, whose `request` line writes it: every Xano call of the request (method,
   * path, status) and their summed time. Absent in a context a Durable Object opens, which has no
   * request line: its Xano calls write their own `xano_call` lines. `news` turns true at the first
   * call that was not a 2xx answer; from then on each call also gets its own line.
   */
  xano?: { ms: number; requests: string[]; news: boolean };
  /** With debug logging on: the phases the request went through, each with the time it ended (markPhase). */
  phases?: Array<[name: string, endedAt: number]>;
}

const context = new AsyncLocalStorage<RequestContext>();

export function newRequestContext(requestId: string): RequestContext {
  return { requestId, counters: { kvReads: 0, kvWrites: 0, kvLists: 0, storeCalls: 0, limiterCalls: 0, xanoCalls: 0 } };
}

export function withRequestContext<T>(ctx: RequestContext, work: () => T): T {
  return context.run(ctx, work);
}

/** The request being served, if any (undefined inside a Durable Object). */
export function currentRequest(): RequestContext | undefined {
  return context.getStore();
}

/** Adds who the request acts for (known only after the token is validated). */
export function annotateRequest(fields: Partial<Pick<RequestContext, "userId" | "clientId" | "email" | "rpc" | "tool">>): void {
  const ctx = context.getStore();
  if (ctx) Object.assign(ctx, fields);
}

/**
 * Notes that the request finished a phase (`auth`, `body`, `guard`, `tool`, …), for the
 * `Server-Timing` header request-log.ts adds with debug logging on (`npm run bench` reads it).
 * Worker clocks advance only on I/O, so a phase's time is the I/O it waited for plus any CPU time
 * before that I/O; the bench's CPU profile covers the rest.
 */
export function markPhase(name: string): void {
  if (!debugLogging) return;
  const ctx = context.getStore();
  if (ctx) (ctx.phases ??= []).push([name, performance.now()]);
}

/** The phases as a Server-Timing header value (`auth;dur=1.2, body;dur=0.1, …`), or null. */
export function serverTiming(ctx: RequestContext, started: number): string | null {
  if (!ctx.phases?.length) return null;
  let previous = started;
  const parts = ctx.phases.map(([name, at]) => {
    const part = `${name};dur=${Math.round((at - previous) * 100) / 100}`;
    previous = at;
    return part;
  });
  return [...parts, `total;dur=${Math.round((performance.now() - started) * 100) / 100}`].join(", ");
}

export function countRequest(counter: keyof RequestContext["counters"], by = 1): void {
  const ctx = context.getStore();
  if (ctx) ctx.counters[counter] += by;
}

// Long runs of token alphabet (JWTs, hex/base64url secrets, our own `user:grant:secret` tokens).
const TOKEN_LIKE = /[A-Za-z0-9_\-.~+/=:]{32,}/g;

function write(kind: Kind, value: unknown): unknown {
  if (value === null) return null;
  switch (kind) {
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? Math.round(value * 10) / 10 : undefined;
    case "boolean":
      return typeof value === "boolean" ? value : undefined;
    case "email":
      return debugLogging && typeof value === "string" ? value.slice(0, 200) : undefined;
    case "path":
      return typeof value === "string" ? value.split(/[?#]/, 1)[0].slice(0, 200) : undefined;
    case "text":
      return typeof value === "string" ? value.slice(0, 300).replace(TOKEN_LIKE, "[redacted]") : undefined;
    case "id":
      return typeof value === "string" ? value.slice(0, 200) : typeof value === "number" ? String(value) : undefined;
  }
}

/** The line `log()` writes, without writing it (tests and DEBUG.md examples use it). */
export function formatLogLine(event: LogEvent, fields: LogFields = {}): string {
  const ctx = context.getStore();
  const line: Record<string, unknown> = { event, at: new Date().toISOString() };
  if (ctx) line.requestId = ctx.requestId;
  for (const [name, value] of Object.entries(fields)) {
    const kind = (FIELDS as Record<string, Kind>)[name];
    if (!kind || value === undefined) continue;
    const written = write(kind, value);
    if (written !== undefined) line[name] = written;
  }
  return JSON.stringify(line);
}

export function log(event: LogEvent, fields: LogFields = {}): void {
  console.log(formatLogLine(event, fields));
}
