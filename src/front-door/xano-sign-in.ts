/**
 * "Sign in with Xano" in the front door (the OAuth client half is credentials/sign-in/xano-oauth.ts).
 *
 *   GET /oauth/xano/callback   Xano's redirect → code exchange → grant
 */
import { authorizationErrorRedirect } from "@cloudflare/workers-oauth-provider";
import type { Config } from "../config";
import { userIdFor } from "../credentials/grant-props";
import { CALLBACK_PATH, authorizationUrl, clientIdFor, discover, exchangeCode, pkce } from "../credentials/sign-in/xano-oauth";
import { clearHostCookie, hostCookie, readCookie } from "../lib/cookies";
import { constantTimeEqual, randomToken, sha256Hex } from "../lib/secrets";
import type { ToolsetName } from "../mcp/tools/toolsets";
import { mintGrant } from "../oauth/grant";
import type { AppsEnv } from "./apps";
import type { FrontDoorEnv } from "./authorize";
import { authorizationFailure } from "./authorization-failure";
import { page, redirect, seeOther } from "./http";
import { errorPage } from "./pages";
import { createSignInSession, sessionFrom } from "./sign-in-session";
import { limitStoringRequest } from "./storing-limit";

const XANO_SIGN_IN_COOKIE = "__Host-xano-mcp-apps-sign-in";
const XANO_SIGN_IN_PREFIX = "apps-xano-sign-in:";
const XANO_SIGN_IN_TTL_SECONDS = 10 * 60;

interface PendingXanoSignIn {
  verifier: string;
  clientId: string;
  /** SHA-256 of the browser cookie's value. */
  browser: string;
}

export async function startXanoSignIn(request: Request, env: AppsEnv, config: Config): Promise<Response> {
  // Its state is stored before anyone is signed in: counted per address like /authorize's.
  const limited = await limitStoringRequest(request, env, config);
  if (limited) return limited;
  let server, clientId;
  try {
    server = await discover(config);
    clientId = await clientIdFor(config, env.OAUTH_KV, server);
  } catch {
    return xanoUnavailable();
  }
  const { verifier, challenge } = await pkce();
  const state = randomToken(32);
  const browser = randomToken(32);
  const pending: PendingXanoSignIn = { verifier, clientId, browser: await sha256Hex(browser) };
  await env.OAUTH_KV.put(XANO_SIGN_IN_PREFIX + (await sha256Hex(state)), JSON.stringify(pending), { expirationTtl: XANO_SIGN_IN_TTL_SECONDS });
  return seeOther(authorizationUrl(server, clientId, `${config.publicUrl}${CALLBACK_PATH}`, state, challenge), [hostCookie(XANO_SIGN_IN_COOKIE, browser, XANO_SIGN_IN_TTL_SECONDS)]);
}

/**
 * Xano's redirect back, when it answers a sign-in started on this page; null when the state is
 * not one of ours (then it belongs to an MCP authorization, handled in authorize.ts).
 */
export async function finishXanoSignIn(request: Request, env: AppsEnv, config: Config): Promise<Response | null> {
  const params = new URL(request.url).searchParams;
  const state = params.get("state");
  if (!state) return null;
  const key = XANO_SIGN_IN_PREFIX + (await sha256Hex(state));
  const stored = await env.OAUTH_KV.get(key);
  if (!stored) return null;
  await env.OAUTH_KV.delete(key); // single use, whatever happens next
  const pending = JSON.parse(stored) as PendingXanoSignIn;
  const clear = clearHostCookie(XANO_SIGN_IN_COOKIE);
  const browser = readCookie(request, XANO_SIGN_IN_COOKIE);
  if (!browser || !constantTimeEqual(await sha256Hex(browser), pending.browser)) {
    return page(400, errorPage("This sign-in belongs to another browser", "It was started in a different browser, or its cookie was blocked, so it was not used.", "Open Connected apps at /apps in this browser and sign in again."), [clear]);
  }
  const code = params.get("code");
  if (params.get("error") || !code) return page(400, errorPage("Sign-in with Xano was cancelled", "Xano did not sign you in.", "Open Connected apps at /apps and sign in again."), [clear]);
  const server = await discover(config).catch(() => null);
  if (!server) return xanoUnavailable();
  const result = await exchangeCode(server, pending.clientId, `${config.publicUrl}${CALLBACK_PATH}`, code, pending.verifier);
  if (!result.ok) return page(400, errorPage("Sign-in with Xano did not finish", result.message, "Open Connected apps at /apps and sign in again."), [clear]);
  // Identity only: the Xano tokens just issued are not kept (see SignInSession.credential).
  const { setCookie } = await createSignInSession(env.OAUTH_KV, { userId: userIdFor(result.credential.metaApiBase, result.user.id), xanoUser: result.user, credential: null, proof: result.proof, signedInAt: Date.now() });
  return seeOther("/apps", [setCookie, clear]);
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
  const redirectTo = await mintGrant(env, resumed.request, sessionFrom(result), resumed.data.toolsets);
  return redirect(redirectTo, resumed.headers);
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
