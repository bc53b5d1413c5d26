/**
 * /authorize: the pages between an MCP client's authorization request and a grant.
 *
 *   GET  /authorize?…                   validate the request; sign-in page (consent if already signed in)
 *   POST /authorize?… step=sign-in      Metadata API token or email/password → session → consent page
 *   POST /authorize?… step=xano-oauth   "Sign in with Xano" chosen → consent page first (the library
 *                                        binds the upstream `state` only after consent)
 *   POST /authorize   step=consent      approve → grant (or → Xano for "Sign in with Xano"); deny → error
 *   GET  /oauth/xano/callback           Xano's redirect → code exchange → grant
 *
 * The client's query string rides along in the form's action so each step re-validates it with
 * `parseAuthRequest`; the consent is a single-use handle bound to this browser by a cookie
 * (beginConsent/approveConsent), which is also the consent form's CSRF protection. The sign-in
 * forms carry a double-submit CSRF token.
 */
import { log } from "../observability/log";
import { AuthorizationError, CimdFetchError, authorizationErrorRedirect, type AuthRequest, type OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import type { Config } from "../config";
import { userIdFor, type GrantProps } from "../credentials/grant-props";
import type { XanoCredentialStore } from "../credentials/credential-store";
import type { XanoCredential } from "../credentials/credential";
import { newRawKey } from "../credentials/encryption";
import { credentialStoreFor } from "../credentials/credential-lease";
import { signInWithMetadataToken } from "../credentials/sign-in/metadata-token";
import { signInWithPassword } from "../credentials/sign-in/app-auth";
import { instanceHostPolicy } from "../xano/instance-host";
import { CALLBACK_PATH, authorizationUrl, clientIdFor, discover, exchangeCode, pkce } from "../credentials/sign-in/xano-oauth";
import type { SignInResult } from "../credentials/sign-in/result";
import { csrfMatches, issueCsrfToken } from "./csrf";
import { consentPage, errorPage, signInPage, type SignInForm } from "./pages";
import { constantTimeEqual, randomToken } from "../lib/secrets";
import { PAGE_SECURITY_HEADERS } from "./security-headers";
import { canAuthorize, createSignInSession, readSignInSession, type CredentialSession } from "./sign-in-session";
import { WRITE_SCOPE, defaultAccess, parseAccess, scopesFor } from "../mcp/scopes";
import { beginSignInAttempt, countStoringRequest, forgiveSignInAttempt, signInAttempt } from "../rate-limit/limits";
import type { RateLimiterEnv } from "../rate-limit/rate-limiter";
import { formPageOf, rateLimitedPage, tooManyStoringRequestsPage } from "./pages";
import { consentFingerprint, forgetDecidedConsent, rememberConsent, reusableConsent } from "./consent-reuse";
import { cleanClientName } from "./client-registration";
import { COMMON_PATH, TOOLSETS, parseToolsetChoice, type ToolsetName } from "../mcp/tools/toolsets";
import { toolsFor } from "../mcp/tools";

export interface FrontDoorEnv extends RateLimiterEnv {
  OAUTH_KV: KVNamespace;
  OAUTH_PROVIDER: OAuthHelpers;
  CREDENTIAL_STORE: DurableObjectNamespace<XanoCredentialStore>;
}

export async function handleAuthorize(request: Request, env: FrontDoorEnv, config: Config): Promise<Response> {
  const oauth = env.OAUTH_PROVIDER;
  try {
    if (request.method === "POST") {
      const form = await readForm(request);
      if (!form) return page(400, errorPage("Bad request", "The form could not be read.", "Go back to your app and start connecting again."));
      if (form.get("step") === "consent") {
        // Whatever becomes of this handle now (used, refused, expired), its page is not reused.
        const handle = String(form.get("handle") ?? "");
        return forgetDecidedConsent(request, handle, await decide(request, env, config, form).catch(authorizationFailure));
      }
      const authRequest = await parseWithPkce(oauth, request);
      const action = `/authorize${new URL(request.url).search}`;
      if (!csrfMatches(request, form)) {
        return showSignIn(request, oauth, config, authRequest, action, { error: "Your sign-in form expired or was opened in another browser. Please sign in again." }, 403);
      }
      const step = form.get("step");
      if (step === "xano-oauth" && config.signInMethods.includes("xano_oauth")) return await showConsent(request, env, config, authRequest, { via: "xano_oauth" });
      if (step === "sign-in") return await signIn(request, env, config, authRequest, action, form);
      return page(400, errorPage("Bad request", "The form is missing its step.", "Go back to your app and start connecting again."));
    }
    const authRequest = await parseWithPkce(oauth, request);
    const session = await readSignInSession(env.OAUTH_KV, request);
    if (canAuthorize(session)) return await showConsent(request, env, config, authRequest, { via: "session", session, binding: session.binding });
    return await showSignIn(request, oauth, config, authRequest, `/authorize${new URL(request.url).search}`, {});
  } catch (error) {
    return authorizationFailure(error);
  }
}

/**
 * The library lets a confidential client skip PKCE (OAuth 2.1 permits it); we do not: PKCE is also
 * what stops authorization code injection (RFC 9700 §2.1.1, §4.5), and every MCP client sends it.
 * The request's client and redirect URI are validated by then, so the error goes back to the client.
 */
async function parseWithPkce(oauth: OAuthHelpers, request: Request): Promise<AuthRequest> {
  const authRequest = await oauth.parseAuthRequest(request);
  if (!authRequest.codeChallenge) {
    const { redirectUri, state, issuer } = authRequest;
    throw new AuthorizationError("invalid_request", { description: "code_challenge is required (PKCE with S256)", redirectUri, state, issuer });
  }
  return authRequest;
}

/** Xano sends the person back here after "Sign in with Xano". */
export async function handleXanoCallback(request: Request, env: FrontDoorEnv, config: Config): Promise<Response> {
  const oauth = env.OAUTH_PROVIDER;
  let resumed;
  try {
    resumed = await oauth.finishUpstream<{ verifier: string; clientId: string; toolsets?: ToolsetName[] }>(request);
  } catch (error) {
    return authorizationFailure(error);
  }
  const params = new URL(request.url).searchParams;
  if (params.get("error") || !params.get("code")) {
    return redirect(authorizationErrorRedirect(resumed.request, "access_denied"), resumed.headers);
  }
  const server = await discover(config).catch(() => null);
  if (!server) return xanoUnavailable();
  const result = await exchangeCode(server, resumed.data.clientId, `${config.publicUrl}${CALLBACK_PATH}`, params.get("code")!, resumed.data.verifier);
  if (!result.ok) return page(400, errorPage("Sign-in with Xano did not finish", result.message, "Go back to your app and connect again."));
  const redirectTo = await grant(env, resumed.request, sessionFrom(result), resumed.data.toolsets);
  return redirect(redirectTo, resumed.headers);
}

async function showSignIn(request: Request, oauth: OAuthHelpers, config: Config, authRequest: AuthRequest, action: string, extra: Partial<SignInForm>, status = 200): Promise<Response> {
  const client = await oauth.lookupClient(authRequest.clientId);
  const csrf = issueCsrfToken(request);
  const body = signInPage({ action, csrfToken: csrf.token, clientName: cleanClientName(client?.clientName ?? "") || authRequest.clientId, methods: config.signInMethods, defaultInstanceUrl: config.xanoAuthUrl ? new URL(config.xanoAuthUrl).origin : "", ...extra });
  return page(status, body, [csrf.setCookie]);
}

type ConsentVia = { via: "session"; session: CredentialSession; binding: string } | { via: "xano_oauth" };

/**
 * The consent page. Its consent transaction is a KV write before anyone has approved anything, so
 * it is reused when this browser was just shown the same page (consent-reuse.ts), and otherwise
 * counted per address (src/rate-limit/limits.ts) unless the request was counted already.
 */
async function showConsent(request: Request, env: FrontDoorEnv, config: Config, authRequest: AuthRequest, how: ConsentVia, options: { cookies?: string[]; counted?: boolean } = {}): Promise<Response> {
  const oauth = env.OAUTH_PROVIDER;
  const details = await oauth.describeConsent(authRequest);
  const shownAs = how.via === "session" ? `session:${how.session.userId}:${how.session.signedInAt}` : "xano_oauth";
  const fingerprint = await consentFingerprint(authRequest, shownAs);
  const headers = new Headers(PAGE_SECURITY_HEADERS);
  let handle = reusableConsent(request, fingerprint);
  if (!handle) {
    if (!options.counted) {
      const limited = await limitStoringRequest(request, env, config);
      if (limited) return limited;
    }
    const consent = await oauth.beginConsent(authRequest);
    handle = consent.handle;
    for (const cookie of consent.headers.getSetCookie()) headers.append("Set-Cookie", cookie);
    headers.append("Set-Cookie", rememberConsent(handle, fingerprint));
  }
  const body = consentPage({
    handle,
    details: { ...details, clientName: cleanClientName(details.clientName) || details.clientId },
    access: defaultAccess(authRequest.scope),
    via: how.via,
    sessionBinding: how.via === "session" ? how.binding : null,
    signedInAs: how.via === "session" ? (how.session.xanoUser.email ?? how.session.xanoUser.name ?? String(how.session.xanoUser.id)) : null,
    instanceHost: how.via === "session" ? new URL(how.session.credential.metaApiBase).host : null,
    toolsets: requestedToolsets(request) ?? ticked(config.defaultToolsets),
    commonToolCount: COMMON_TOOL_COUNT,
  });
  for (const cookie of options.cookies ?? []) headers.append("Set-Cookie", cookie);
  return new Response(body, { status: 200, headers });
}

const COMMON_TOOL_COUNT = toolsFor({ debugTools: false }, { toolsets: [COMMON_PATH] }).length;

/** A choice as consent-page checkboxes: "all" ticks every box. */
function ticked(choice: readonly ToolsetName[] | undefined): readonly ToolsetName[] {
  return choice ?? [COMMON_PATH, ...TOOLSETS];
}

/**
 * The toolsets the connection asked for, if its `resource` indicator carries `?toolsets=`. Only a
 * resource the OAuth library accepted gets here (parseAuthRequest ran first): our resource is the
 * bare origin, so that is `<origin>/?toolsets=…`; MCP clients that name `/mcp?toolsets=…` are refused
 * by the library, and the MCP SDK sends the metadata's bare origin, dropping the query. The URL's
 * `?toolsets=` still narrows every request (connection-toolsets.ts).
 */
function requestedToolsets(request: Request): readonly ToolsetName[] | null {
  const resource = new URL(request.url).searchParams.get("resource");
  if (!resource || !URL.canParse(resource)) return null;
  const raw = new URL(resource).searchParams.get("toolsets");
  const parsed = raw === null ? null : parseToolsetChoice(raw);
  return parsed?.ok ? ticked(parsed.choice) : null;
}

/**
 * The toolsets ticked on a posted consent form (none ticked: only the two catalogue tools); null
 * when it names one that does not exist (never guessed).
 */
function chosenToolsets(form: FormData): ToolsetName[] | undefined | null {
  // A page from before the choice existed has no checkboxes: its grant lists the server's default.
  if (form.get("toolsets_offered") !== "1") return undefined;
  const names = form.getAll("toolsets").map(String);
  if (names.length === 0) return [];
  const parsed = parseToolsetChoice(names.join(","));
  return parsed.ok && parsed.choice !== undefined && !names.includes("all") ? [...parsed.choice] : null;
}

/**
 * Counts a request that is about to store something before anyone is signed in, per address
 * (src/rate-limit/limits.ts); the page to answer with when the address is over its budget.
 */
export async function limitStoringRequest(request: Request, env: RateLimiterEnv, config: Config): Promise<Response | null> {
  const decision = await countStoringRequest(env, request, config.rateLimits);
  return decision.allowed ? null : tooManyStoringRequestsPage(decision.retryAfterSeconds, formPageOf(request));
}

async function signIn(request: Request, env: FrontDoorEnv, config: Config, authRequest: AuthRequest, action: string, form: FormData): Promise<Response> {
  const attempted = await attemptSignIn(request, env, config, form);
  if (attempted.limited) return attempted.limited;
  const result = attempted.result;
  const instanceUrl = String(form.get("instance_url") ?? "").trim();
  if (!result.ok) return showSignIn(request, env.OAUTH_PROVIDER, config, authRequest, action, { error: result.message, instanceUrl, email: String(form.get("email") ?? "") }, 400);
  // One count for the session and the consent this request stores.
  const limited = await limitStoringRequest(request, env, config);
  if (limited) return limited;
  const session = sessionFrom(result);
  const { setCookie, binding } = await createSignInSession(env.OAUTH_KV, session);
  return showConsent(request, env, config, authRequest, { via: "session", session, binding }, { cookies: [setCookie], counted: true });
}

/**
 * One sign-in attempt with a token or a password from a posted form, rate-limited per address and
 * account pair, per address and per account (src/rate-limit/limits.ts); shared by /authorize and
 * the connected-apps page.
 */
export async function attemptSignIn(
  request: Request,
  env: RateLimiterEnv,
  config: Config,
  form: FormData,
): Promise<{ limited: Response; result?: undefined } | { limited?: undefined; result: SignInResult }> {
  const method = String(form.get("method") ?? "");
  const instanceUrl = String(form.get("instance_url") ?? "").trim();
  const email = String(form.get("email") ?? "").trim();
  const attempt = await signInAttempt(request, config.rateLimits, method === "app_auth" ? { account: email } : { instance: instanceUrl });
  const admission = await beginSignInAttempt(env, attempt);
  if (!admission.allowed) return { limited: rateLimitedPage(admission.retryAfterSeconds, admission.refusedBy, formPageOf(request)) };
  let result: SignInResult;
  if (method === "metadata_token" && config.signInMethods.includes("metadata_token")) {
    result = await signInWithMetadataToken(instanceUrl, String(form.get("token") ?? "").trim(), instanceHostPolicy(config));
  } else if (method === "app_auth" && config.signInMethods.includes("app_auth") && config.xanoAuthUrl) {
    result = await signInWithPassword(config.xanoAuthUrl, email, String(form.get("password") ?? ""), instanceUrl, instanceHostPolicy(config));
  } else {
    result = { ok: false, message: "That sign-in method is not available on this server." };
  }
  if (result.ok) await forgiveSignInAttempt(env, admission);
  return { result };
}

async function decide(request: Request, env: FrontDoorEnv, config: Config, form: FormData): Promise<Response> {
  const handle = String(form.get("handle") ?? "");
  if (form.get("decision") !== "approve") {
    const denied = await env.OAUTH_PROVIDER.denyConsent(request, handle);
    return redirect(denied.redirectTo, denied.headers);
  }
  // The person's choice on the consent page; anything else posted is refused (never widened).
  const access = parseAccess(form.get("access"));
  if (!access) return page(400, errorPage("Bad request", "The consent form did not say which access to allow.", "Go back to your app and start connecting again."));
  const scope = scopesFor(access);
  const toolsets = chosenToolsets(form);
  if (toolsets === null) return page(400, errorPage("Bad request", "The consent form named a toolset this server does not have.", "Go back to your app and start connecting again."));
  if (form.get("via") === "xano_oauth" && config.signInMethods.includes("xano_oauth")) {
    const approved = await env.OAUTH_PROVIDER.approveConsent(request, handle, { scope });
    let server, clientId;
    try {
      server = await discover(config);
      clientId = await clientIdFor(config, env.OAUTH_KV, server);
    } catch (error) {
      log("front_door_error", { kind: "xano_oauth_unavailable", reason: String((error as Error)?.message ?? error) });
      return xanoUnavailable();
    }
    const { verifier, challenge } = await pkce();
    const upstream = await env.OAUTH_PROVIDER.beginUpstream(approved.request, { data: { verifier, clientId, toolsets }, headers: approved.headers });
    return redirect(authorizationUrl(server, clientId, `${config.publicUrl}${CALLBACK_PATH}`, upstream.state, challenge), upstream.headers);
  }
  const session = await readSignInSession(env.OAUTH_KV, request);
  if (!canAuthorize(session)) return page(401, errorPage("Your sign-in expired", "You were signed out before approving.", "Go back to your app and connect again."));
  // The cookie names the browser's latest sign-in; approve only if that is the one this page showed.
  if (!constantTimeEqual(String(form.get("session") ?? ""), session.binding)) {
    return page(
      409,
      errorPage(
        "You signed in again in another tab",
        "This page was for a different sign-in than the one now active in this browser, so nothing was allowed.",
        "Go back to your app and connect again: the new page shows who you are signed in as.",
      ),
    );
  }
  const approved = await env.OAUTH_PROVIDER.approveConsent(request, handle, { scope });
  return redirect(await grant(env, approved.request, session, toolsets), approved.headers);
}

/** Creates the grant: the credential goes into a new store, sealed under a key only the props hold. */
async function grant(env: FrontDoorEnv, authRequest: AuthRequest, session: CredentialSession, toolsets: ToolsetName[] | undefined): Promise<string> {
  const storeId = randomToken(24);
  const storeKey = newRawKey();
  await credentialStoreFor(env, storeId).initialize(storeKey, session.credential);
  const props: GrantProps = {
    userId: session.userId,
    xanoUser: session.xanoUser,
    method: session.credential.method,
    instanceHost: new URL(session.credential.metaApiBase).host,
    storeId,
    storeKey,
    signedInAt: session.signedInAt,
    access: authRequest.scope.includes(WRITE_SCOPE) ? "read_write" : "read",
    // What the connection lists (connection-toolsets.ts); absent only for a flow begun before this field.
    ...(toolsets ? { toolsets } : {}),
  };
  const { redirectTo } = await env.OAUTH_PROVIDER.completeAuthorization({
    request: authRequest,
    userId: session.userId,
    // storeId names the grant's credential store (not a secret: its contents are sealed under storeKey),
    // so the connected-apps page can show when the grant was last used and empty it on revoke.
    // proof: what the sign-in behind this grant proved, so /apps shows it only to the same credential (disconnect.ts).
    // toolsets: shown on /apps (props are encrypted; the page reads only metadata).
    metadata: { label: session.xanoUser.email ?? String(session.xanoUser.id), instance: props.instanceHost, method: props.method, storeId, proof: session.proof, ...(toolsets ? { toolsets } : {}) },
    scope: authRequest.scope,
    props,
  });
  return redirectTo;
}

function sessionFrom(result: Extract<SignInResult, { ok: true }>): CredentialSession {
  return { userId: userIdFor(result.credential.metaApiBase, result.user.id), xanoUser: result.user, credential: result.credential as XanoCredential, proof: result.proof, signedInAt: Date.now() };
}

/** Xano's OAuth server could not be reached or answered nonsense: say so, and what to do. */
export function xanoUnavailable(): Response {
  return page(
    502,
    errorPage(
      "Xano could not be reached",
      "Signing in with Xano needs Xano's sign-in service, and it did not answer properly just now.",
      "Wait a minute, then go back to your app and connect again. If it keeps happening, check status.xano.com, or use another way to sign in if this server offers one.",
    ),
  );
}

function authorizationFailure(error: unknown): Response {
  if (error instanceof AuthorizationError && error.redirectTo) return Response.redirect(error.redirectTo, 302);
  if (error instanceof AuthorizationError) {
    // Covers a malformed request and a consent page that expired (10 minutes), was already used, or
    // was opened in another browser: the library's description says which.
    return page(400, errorPage("This sign-in request is not valid", error.description, "Go back to your app and start connecting again: it opens a fresh sign-in page. If it keeps happening, remove and re-add the server in your app."));
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

/** A posted form. Its body is already in memory, at most 64 KiB (front-door/request-body.ts). */
export async function readForm(request: Request): Promise<FormData | null> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded") && !type.includes("multipart/form-data")) return null;
  try {
    return await request.formData();
  } catch {
    return null;
  }
}
