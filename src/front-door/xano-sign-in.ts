/**
 * "Sign in with Xano", one flow for both pages that offer it. The OAuth client half (discovery,
 * client registration, PKCE, the code exchange) is credentials/sign-in/xano-oauth.ts; this module
 * is the trip through the browser:
 *
 *   /authorize   for Xano's own MCP (/mcp, /sse): the consent is approved first; the library's
 *                beginUpstream then binds Xano's `state` to it and to this browser. Xano's
 *                redirect → code exchange → grant (src/oauth/grant.ts) → the MCP client's redirect URI.
 *   identity     POST /apps/sign-in step=xano-oauth, and POST /authorize step=xano-oauth for an
 *                upstream MCP server (/servers/{name}/mcp): a state of our own, stored in KV under
 *                its hash with where to return, single use, bound to this browser by a `__Host-`
 *                cookie. Xano's redirect → code exchange → the operator's lists → a sign-in session
 *                that keeps no Xano credential (SignInSession.credential, .signedInWith) → back to
 *                /apps, or to the /authorize page the person left (its client's query, so the
 *                pending MCP authorization request survives), which now shows the upstream
 *                server's consent page (its bearer field, or its own sign-in after Allow).
 *
 *   /apps/tokens a personal access token's own trip (personal-token-trip.ts): its fresh
 *                credential goes straight into the token's store.
 *
 *   GET /oauth/xano/callback   Xano's redirect for any of them: a token trip's state is recognised
 *                first (pages-router.ts), then an identity trip's, else it is /authorize's.
 *
 * All go out through `departure` and come back through `exchange`, so Xano being unreachable is
 * logged and answered the same way whichever page started.
 */
import { authorizationErrorRedirect, type AuthRequest } from "@cloudflare/workers-oauth-provider";
import type { Config } from "../config";
import type { SignInResult } from "../credentials/sign-in/result";
import { CALLBACK_PATH, authorizationUrl, clientIdFor, discover, exchangeCode, pkce } from "../credentials/sign-in/xano-oauth";
import { clearHostCookie, hostCookie, readCookie } from "../lib/cookies";
import { constantTimeEqual, randomToken, sha256Hex } from "../lib/secrets";
import type { ToolsetName } from "../mcp/tools/toolsets";
import { log } from "../observability/log";
import { mintGrant } from "../oauth/grant";
import type { FrontDoorEnv } from "./authorize";
import { authorizationFailure } from "./authorization-failure";
import { page, redirect, seeOther } from "./http";
import { errorPage } from "./pages";
import { createSignInSession, identityOnly, sessionFrom, type CredentialSession } from "./sign-in-session";
import { limitStoringRequest } from "./storing-limit";
import { revokeCredentialUpstream } from "../credentials/revoke";
import { admitSignIn } from "./sign-in-refused";

/** What a trip to Xano must remember until Xano sends the person back. */
export interface Departure {
  clientId: string;
  verifier: string;
  /** Xano's authorization URL carrying this trip's PKCE challenge and the given state. */
  authorizationUrl(state: string): string;
}

/** Xano's OAuth server, our client id there and a fresh PKCE pair; null (logged) when Xano cannot be reached. */
export async function departure(kv: KVNamespace, config: Config): Promise<Departure | null> {
  let server, clientId: string;
  try {
    server = await discover(config);
    clientId = await clientIdFor(config, kv, server);
  } catch (error) {
    logUnavailable(error);
    return null;
  }
  const { verifier, challenge } = await pkce();
  return { clientId, verifier, authorizationUrl: (state) => authorizationUrl(server, clientId, callbackUrl(config), state, challenge) };
}

/** The code Xano sent back, exchanged and its person identified; null (logged) when Xano cannot be reached. */
export async function exchange(config: Config, code: string, trip: { clientId: string; verifier: string }): Promise<SignInResult | null> {
  let server;
  try {
    server = await discover(config);
  } catch (error) {
    logUnavailable(error);
    return null;
  }
  return exchangeCode(server, trip.clientId, callbackUrl(config), code, trip.verifier);
}

function callbackUrl(config: Config): string {
  return `${config.publicUrl}${CALLBACK_PATH}`;
}

function logUnavailable(error: unknown): void {
  log("front_door_error", { kind: "xano_oauth_unavailable", reason: String((error as Error)?.message ?? error) });
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

/** GET /oauth/xano/callback: Xano's redirect back, for a sign-in started on /apps or an MCP authorization. */
export async function handleXanoCallback(request: Request, env: FrontDoorEnv, config: Config): Promise<Response> {
  return (await returnToIdentity(request, env, config)) ?? returnToAuthorize(request, env, config);
}

// ---- /authorize --------------------------------------------------------------------------------

interface AuthorizeTrip {
  verifier: string;
  clientId: string;
  toolsets?: ToolsetName[];
}

/** The consent was approved with "Sign in with Xano": to Xano, the state bound by the library. */
export async function sendToXanoAfterConsent(env: FrontDoorEnv, config: Config, approved: { request: AuthRequest; headers: Headers }, toolsets: ToolsetName[] | undefined): Promise<Response> {
  const trip = await departure(env.OAUTH_KV, config);
  if (!trip) return xanoUnavailable();
  const data: AuthorizeTrip = { verifier: trip.verifier, clientId: trip.clientId, toolsets };
  const upstream = await env.OAUTH_PROVIDER.beginUpstream(approved.request, { data, headers: approved.headers });
  return redirect(trip.authorizationUrl(upstream.state), upstream.headers);
}

async function returnToAuthorize(request: Request, env: FrontDoorEnv, config: Config): Promise<Response> {
  let resumed;
  try {
    resumed = await env.OAUTH_PROVIDER.finishUpstream<AuthorizeTrip>(request);
  } catch (error) {
    return authorizationFailure(error);
  }
  const params = new URL(request.url).searchParams;
  const code = params.get("code");
  if (params.get("error") || !code) {
    return redirect(authorizationErrorRedirect(resumed.request, "access_denied"), resumed.headers);
  }
  const result = await exchange(config, code, resumed.data);
  if (!result) return xanoUnavailable();
  if (!result.ok) return page(400, errorPage("Sign-in with Xano did not finish", result.message, "Go back to your app and connect again."));
  // Only now does anyone know who signed in: the operator's lists and blocks decide before the grant exists.
  const session = sessionFrom(result);
  const admitted = await admitSignIn(env, session);
  if ("refused" in admitted) return refuseXanoSignIn(session, admitted.refused);
  const redirectTo = await mintGrant(env, resumed.request, session, resumed.data.toolsets, admitted.access);
  return redirect(redirectTo, resumed.headers);
}

// ---- identity only: /apps, and an upstream MCP server's /authorize ----------------------------

const APPS_COOKIE = "__Host-xano-mcp-apps-sign-in";
const APPS_PREFIX = "apps-xano-sign-in:";
const APPS_TTL_SECONDS = 10 * 60;

/** Where an identity sign-in returns: /apps, or the /authorize page (its client's query) of an upstream server's connection. */
export type IdentityReturn = "/apps" | `/authorize?${string}`;

interface AppsTrip {
  verifier: string;
  clientId: string;
  /** SHA-256 of the browser cookie's value. */
  browser: string;
  /** Absent on trips from before upstream servers: /apps. */
  returnTo?: IdentityReturn;
}

/**
 * To Xano, with a state of our own, for a sign-in session that keeps no Xano credential: POST
 * /apps/sign-in step=xano-oauth, and POST /authorize step=xano-oauth for an upstream MCP server
 * (whose consent must come after the person is known: it asks for that server's credential).
 */
export async function sendToXanoForIdentity(request: Request, env: FrontDoorEnv, config: Config, returnTo: IdentityReturn): Promise<Response> {
  // Its state is stored before anyone is signed in: counted per address like /authorize's.
  const limited = await limitStoringRequest(request, env, config);
  if (limited) return limited;
  const trip = await departure(env.OAUTH_KV, config);
  if (!trip) return xanoUnavailable();
  const state = randomToken(32);
  const browser = randomToken(32);
  const pending: AppsTrip = { verifier: trip.verifier, clientId: trip.clientId, browser: await sha256Hex(browser), returnTo };
  await env.OAUTH_KV.put(APPS_PREFIX + (await sha256Hex(state)), JSON.stringify(pending), { expirationTtl: APPS_TTL_SECONDS });
  return seeOther(trip.authorizationUrl(state), [hostCookie(APPS_COOKIE, browser, APPS_TTL_SECONDS)]);
}

/**
 * Xano's redirect back, when it answers an identity sign-in (sendToXanoForIdentity); null when the
 * state is not one of ours (then it belongs to a Xano MCP authorization).
 */
async function returnToIdentity(request: Request, env: FrontDoorEnv, config: Config): Promise<Response | null> {
  const params = new URL(request.url).searchParams;
  const state = params.get("state");
  if (!state) return null;
  const key = APPS_PREFIX + (await sha256Hex(state));
  const stored = await env.OAUTH_KV.get(key);
  if (!stored) return null;
  await env.OAUTH_KV.delete(key); // single use, whatever happens next
  const pending = JSON.parse(stored) as AppsTrip;
  const returnTo = pending.returnTo ?? "/apps";
  const again = returnTo === "/apps" ? "Open Connected apps at /apps and sign in again." : "Go back to your app and connect again.";
  const clear = clearHostCookie(APPS_COOKIE);
  const browser = readCookie(request, APPS_COOKIE);
  if (!browser || !constantTimeEqual(await sha256Hex(browser), pending.browser)) {
    return page(400, errorPage("This sign-in belongs to another browser", "It was started in a different browser, or its cookie was blocked, so it was not used.", `${again.replace(/\.$/, "")} in this browser.`), [clear]);
  }
  const code = params.get("code");
  if (params.get("error") || !code) return page(400, errorPage("Sign-in with Xano was cancelled", "Xano did not sign you in.", again), [clear]);
  const result = await exchange(config, code, pending);
  if (!result) return xanoUnavailable();
  if (!result.ok) return page(400, errorPage("Sign-in with Xano did not finish", result.message, again), [clear]);
  const session = sessionFrom(result);
  const admitted = await admitSignIn(env, session);
  if ("refused" in admitted) {
    const refused = await refuseXanoSignIn(session, admitted.refused);
    refused.headers.append("Set-Cookie", clear);
    return refused;
  }
  // Identity only: the Xano tokens just issued are not kept (see SignInSession.credential).
  const { setCookie } = await createSignInSession(env.OAUTH_KV, identityOnly(session));
  return seeOther(returnTo, [setCookie, clear]);
}

/**
 * A person the operator's lists or blocks refuse after Xano signed them in: the tokens Xano just
 * issued are revoked at Xano (nothing here keeps them), and the refusal page says why.
 */
async function refuseXanoSignIn(session: CredentialSession, refused: Response): Promise<Response> {
  await revokeCredentialUpstream(session.credential);
  return refused;
}
