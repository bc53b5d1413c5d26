/**
 * "Sign in with Xano" in the front door (the OAuth client half is credentials/sign-in/xano-oauth.ts).
 *
 *   GET /oauth/xano/callback   Xano's redirect → code exchange → grant
 */
import { authorizationErrorRedirect } from "@cloudflare/workers-oauth-provider";
import type { Config } from "../config";
import { CALLBACK_PATH, discover, exchangeCode } from "../credentials/sign-in/xano-oauth";
import type { ToolsetName } from "../mcp/tools/toolsets";
import { mintGrant } from "../oauth/grant";
import type { FrontDoorEnv } from "./authorize";
import { authorizationFailure } from "./authorization-failure";
import { page, redirect } from "./http";
import { errorPage } from "./pages";
import { sessionFrom } from "./sign-in-session";

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
