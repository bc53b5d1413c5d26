/**
 * The operator's view, /admin: who may enter, and where each request goes.
 *
 *   GET  /admin                    overview: usage charts, people (paged), blocked people with
 *                                  Unblock, newest errors and actions
 *   GET  /admin/person?user=…      one person: identity, Block or Unblock, apps and tokens with Revoke (admin-person.ts)
 *   POST /admin/revoke-app         user_id, grant_id → that grant ended, recorded
 *   POST /admin/revoke-token       user_id, token_id → that personal token ended, recorded
 *   POST /admin/block              user_id, reason, confirm → everything they hold ended, sign-in refused, recorded (admin-block.ts)
 *   POST /admin/unblock            user_id → they may sign in again, recorded
 *   GET  /admin/errors?page=N      failed tool calls, everyone's, newest first (admin-lists.ts)
 *   GET  /admin/actions?page=N     the record of operator actions
 *   GET  /admin/credentials?page=N dead credentials, a bounded window of connections a page
 *
 * Entering: an operator signs in on /apps with "Sign in with Xano" (the /apps sign-in session of
 * sign-in-session.ts) and opens /admin; the session counts when it proved the Xano account and its
 * email is in ADMIN_EMAILS (admin/operators.ts). For every other request — no session, another
 * person's session, a token sign-in of an operator, ADMIN_EMAILS empty — every /admin path, any
 * method, answers the router's own 404 for unknown paths, byte for byte: nothing says it exists.
 * Only then are the operator's requests counted (rate-limit/limits.ts), and POSTs CSRF-checked.
 */
import { operatorEmailsOf, type Config } from "../config";
import { operatorEmail } from "../admin/operators";
import { countOperatorRequest } from "../rate-limit/limits";
import { html } from "../lib/html";
import { tooManyPage } from "./pages";
import { readSignInSession } from "./sign-in-session";
import type { AdminEnv, OperatorRequest } from "./admin-layout";
import { blockAsOperator, unblockAsOperator } from "./admin-block";
import { showOverview } from "./admin-overview";
import { revokeAppAsOperator, revokeTokenAsOperator, showPerson } from "./admin-person";
import { showActions, showDeadCredentials, showErrors } from "./admin-lists";

type AdminRoute = (op: OperatorRequest) => Promise<Response>;

// A Map, not an object literal: "GET /admin/constructor" must find nothing.
const ROUTES = new Map<string, AdminRoute>([
  ["GET /admin", showOverview],
  ["GET /admin/person", showPerson],
  ["POST /admin/revoke-app", revokeAppAsOperator],
  ["POST /admin/revoke-token", revokeTokenAsOperator],
  ["POST /admin/block", blockAsOperator],
  ["POST /admin/unblock", unblockAsOperator],
  ["GET /admin/errors", showErrors],
  ["GET /admin/actions", showActions],
  ["GET /admin/credentials", showDeadCredentials],
]);

/** Every request under /admin. `notFound` is the router's answer to an unknown path. */
export async function handleAdmin(request: Request, env: AdminEnv, config: Config, notFound: () => Response): Promise<Response> {
  const operators = operatorEmailsOf(env);
  // With no operators configured, not even the session is read.
  if (operators.length === 0) return notFound();
  const session = await readSignInSession(env.OAUTH_KV, request);
  const operator = operatorEmail(session, operators);
  if (!session || !operator) return notFound();
  const decision = await countOperatorRequest(env, operator);
  if (!decision.allowed) {
    return tooManyPage(decision.retryAfterSeconds, "Too many requests", "This operator account opened too many pages in the last minute.", html`then <a href="/admin">open the operator's view</a> again.`);
  }
  const route = ROUTES.get(`${request.method === "HEAD" ? "GET" : request.method} ${new URL(request.url).pathname}`);
  return route ? route({ request, env, config, operator, session }) : notFound();
}
