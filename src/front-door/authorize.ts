/**
 * /authorize: the sign-in and consent pages between an MCP client and a grant.
 *
 *   GET  /authorize?…             validate the client's request; show sign-in (or consent if signed in)
 *   POST /authorize?… step=sign-in check the Xano token against the instance's auth/me; show consent
 *   POST /authorize?… step=consent approve → completeAuthorization → 302 to the client; deny → 302 error
 *
 * The client's query string rides along in the form's action so every step re-validates it with
 * `parseAuthRequest`; the consent itself is a single-use handle bound to this browser by a cookie
 * (workers-oauth-provider's beginConsent/approveConsent), which is also the consent form's CSRF
 * protection. The sign-in form has its own double-submit CSRF token.
 */
import { AuthorizationError, CimdFetchError, type AuthRequest, type OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import { userIdFor, type GrantProps } from "../credentials/grant-props";
import { XanoMetaClient } from "../xano/client";
import { XanoApiError } from "../xano/errors";
import { instanceMetaApiBase } from "../xano/upstream-url";
import { hostCookie, readCookie } from "./cookies";
import { consentPage, errorPage, signInPage } from "./pages";
import { constantTimeEqual, randomToken } from "./secrets";
import { PAGE_SECURITY_HEADERS } from "./security-headers";
import { createSignInSession, readSignInSession, type SignInSession } from "./sign-in-session";

const CSRF_COOKIE = "__Host-xano-mcp-csrf";
const CSRF_TTL_SECONDS = 30 * 60;

export interface AuthorizeEnv {
  OAUTH_KV: KVNamespace;
  OAUTH_PROVIDER: OAuthHelpers;
}

export async function handleAuthorize(request: Request, env: AuthorizeEnv): Promise<Response> {
  const oauth = env.OAUTH_PROVIDER;
  let authRequest: AuthRequest;
  try {
    authRequest = await oauth.parseAuthRequest(request);
  } catch (error) {
    return authorizationFailure(error);
  }
  const action = `/authorize${new URL(request.url).search}`;

  try {
    if (request.method === "GET") {
      const session = await readSignInSession(env.OAUTH_KV, request);
      if (session) return await showConsent(oauth, authRequest, action, session, []);
      return await showSignIn(oauth, authRequest, action, {});
    }
    if (request.method !== "POST") return page(405, errorPage("Method not allowed", "This page only accepts GET and POST.", "Go back to your app and start again."));

    const form = await readForm(request);
    if (!form) return page(400, errorPage("Bad request", "The form could not be read.", "Go back to your app and start signing in again."));
    const step = form.get("step");
    if (step === "sign-in") return await signIn(request, env, oauth, authRequest, action, form);
    if (step === "consent") return await decide(request, env, oauth, form);
    return page(400, errorPage("Bad request", "The form is missing its step.", "Go back to your app and start signing in again."));
  } catch (error) {
    return authorizationFailure(error);
  }
}

async function showSignIn(oauth: OAuthHelpers, authRequest: AuthRequest, action: string, extra: { error?: string; instanceUrl?: string }, status = 200): Promise<Response> {
  const client = await oauth.lookupClient(authRequest.clientId);
  const csrfToken = randomToken(24);
  const body = signInPage({ action, csrfToken, clientName: client?.clientName ?? authRequest.clientId, ...extra });
  return page(status, body, [hostCookie(CSRF_COOKIE, csrfToken, CSRF_TTL_SECONDS)]);
}

async function showConsent(oauth: OAuthHelpers, authRequest: AuthRequest, action: string, session: SignInSession, cookies: string[]): Promise<Response> {
  const details = await oauth.describeConsent(authRequest);
  const consent = await oauth.beginConsent(authRequest);
  const body = consentPage({
    action,
    handle: consent.handle,
    details,
    signedInAs: session.xanoUser.email ?? session.xanoUser.name ?? String(session.xanoUser.id),
    instanceHost: new URL(session.credential.metaApiBase).host,
  });
  const headers = new Headers(PAGE_SECURITY_HEADERS);
  for (const cookie of consent.headers.getSetCookie()) headers.append("Set-Cookie", cookie);
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(body, { status: 200, headers });
}

async function signIn(request: Request, env: AuthorizeEnv, oauth: OAuthHelpers, authRequest: AuthRequest, action: string, form: FormData): Promise<Response> {
  const csrfCookie = readCookie(request, CSRF_COOKIE);
  const csrfField = String(form.get("csrf_token") ?? "");
  if (!csrfCookie || !csrfField || !constantTimeEqual(csrfCookie, csrfField)) {
    return showSignIn(oauth, authRequest, action, { error: "Your sign-in form expired or was opened in another browser. Please sign in again." }, 403);
  }
  const instanceUrl = String(form.get("instance_url") ?? "").trim();
  const token = String(form.get("token") ?? "").trim();
  const retry = (error: string) => showSignIn(oauth, authRequest, action, { error, instanceUrl }, 400);

  const instance = instanceMetaApiBase(instanceUrl);
  if (!instance.ok) return retry(`The instance URL is not valid: ${instance.reason}.`);
  if (token === "") return retry("Paste your Metadata API token.");
  if (token.length > 4096 || /\s/.test(token)) return retry("That does not look like a Metadata API token. Copy it again from Xano.");

  const host = new URL(instance.base).host;
  let me;
  try {
    me = await new XanoMetaClient(instance.base, token).me();
  } catch (error) {
    if (!(error instanceof XanoApiError)) throw error;
    return retry(signInErrorMessage(error, host));
  }
  if (me === null || typeof me !== "object" || (typeof me.id !== "number" && typeof me.id !== "string")) {
    return retry(`${host} answered, but not like a Xano instance. Check the instance URL.`);
  }

  const session: SignInSession = {
    userId: userIdFor(instance.base, me.id),
    xanoUser: { id: me.id, name: me.name ?? null, email: me.email ?? null },
    credential: { method: "metadata_token", token, metaApiBase: instance.base },
    signedInAt: Date.now(),
  };
  const { setCookie } = await createSignInSession(env.OAUTH_KV, session);
  return showConsent(oauth, authRequest, action, session, [setCookie]);
}

async function decide(request: Request, env: AuthorizeEnv, oauth: OAuthHelpers, form: FormData): Promise<Response> {
  const handle = String(form.get("handle") ?? "");
  if (form.get("decision") !== "approve") {
    const denied = await oauth.denyConsent(request, handle);
    return redirect(denied.redirectTo, denied.headers);
  }
  const session = await readSignInSession(env.OAUTH_KV, request);
  if (!session) {
    return page(401, errorPage("Your sign-in expired", "You were signed out before approving.", "Go back to your app and connect again."));
  }
  const approved = await oauth.approveConsent(request, handle);
  const props: GrantProps = { ...session };
  const { redirectTo } = await oauth.completeAuthorization({
    request: approved.request,
    userId: session.userId,
    metadata: { label: session.xanoUser.email ?? String(session.xanoUser.id), instance: new URL(session.credential.metaApiBase).host },
    scope: approved.request.scope,
    props,
  });
  return redirect(redirectTo, approved.headers);
}

function signInErrorMessage(error: XanoApiError, host: string): string {
  if (error.status === 0) return `Could not reach ${host}. Check the instance URL and try again.`;
  if (error.status === 401 || error.status === 403) {
    return `Xano did not accept this token for ${host}. Check that you copied the whole token, that it was created on this instance, and that it has not expired or been revoked.`;
  }
  if (error.status === 404) return `${host} has no Xano Metadata API at /api:meta. Check the instance URL.`;
  if (error.status === 429) return "Xano is rate-limiting sign-in checks. Wait a minute and try again.";
  return `Xano answered with an error (HTTP ${error.status}) while checking the token. Try again in a moment.`;
}

function authorizationFailure(error: unknown): Response {
  if (error instanceof AuthorizationError && error.redirectTo) return Response.redirect(error.redirectTo, 302);
  if (error instanceof AuthorizationError) {
    return page(400, errorPage("This sign-in request is not valid", error.description, "Go back to your app and start connecting again. If it keeps happening, remove and re-add the server in your app."));
  }
  if (error instanceof CimdFetchError) {
    return page(400, errorPage("This app could not be verified", "Its client metadata document could not be fetched.", "Try again later, or contact the app's publisher."));
  }
  throw error;
}

function redirect(location: string, extra: Headers): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
  for (const cookie of extra.getSetCookie()) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: 302, headers });
}

export function page(status: number, body: string, cookies: string[] = []): Response {
  const headers = new Headers(PAGE_SECURITY_HEADERS);
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(body, { status, headers });
}

async function readForm(request: Request): Promise<FormData | null> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded") && !type.includes("multipart/form-data")) return null;
  try {
    return await request.formData();
  } catch {
    return null;
  }
}
