/**
 * /authorize: the pages between an MCP client's authorization request and a grant.
 *
 *   GET  /authorize?…                   validate the request; sign-in page (consent if already signed in)
 *   POST /authorize?… step=sign-in      Metadata API token or email/password → session → consent page
 *   POST /authorize?… step=xano-oauth   "Sign in with Xano" chosen → consent page first (the library
 *                                        binds the upstream `state` only after consent); for an
 *                                        upstream MCP server → Xano first, back to GET /authorize?…
 *                                        signed in (identity only) → its consent page
 *   POST /authorize   step=consent      approve → grant (or → Xano for "Sign in with Xano"); deny → error
 *   GET  /oauth/xano/callback           Xano's redirect → code exchange → grant (xano-sign-in.ts)
 *
 * This module is the step machine and the sign-in step; the consent page and its decision are
 * consent.ts, minting the grant is src/oauth/grant.ts, PKCE is required by src/oauth/pkce-policy.ts.
 *
 * The client's query string rides along in the form's action so each step re-validates it with
 * `parseAuthRequest`; the consent is a single-use handle bound to this browser by a cookie
 * (beginConsent/approveConsent), which is also the consent form's CSRF protection. The sign-in
 * forms carry a double-submit CSRF token.
 */
import type { AuthRequest, OAuthHelpers } from "@cloudflare/workers-oauth-provider";
import type { Config } from "../config";
import type { XanoCredentialStore } from "../credentials/credential-store";
import type { RateLimiterEnv } from "../rate-limit/rate-limiter";
import { parseWithPkce } from "../oauth/pkce-policy";
import { authorizationFailure } from "./authorization-failure";
import { cleanClientName } from "../oauth/client-registration";
import { decide, showConsent } from "./consent";
import { forgetDecidedConsent } from "./consent-reuse";
import { csrfMatches, issueCsrfToken } from "./csrf";
import { page, readForm } from "./http";
import { errorPage, signInPage, type SignInForm } from "./pages";
import { attemptSignIn } from "./sign-in-attempt";
import { createSignInSession, readSignInSession, sessionThatConnects } from "./sign-in-session";
import { sendToXanoForIdentity, type IdentityReturn } from "./xano-sign-in";
import { limitStoringRequest } from "./storing-limit";
import { requestedServer } from "../upstream/consent";

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
      if (step === "xano-oauth" && config.signInMethods.includes("xano_oauth")) {
        // An upstream server's consent asks for its credential, so Xano says who this is first (xano-sign-in.ts).
        if (requestedServer(request, config.upstreamServers)) return await sendToXanoForIdentity(request, env, config, action as IdentityReturn);
        return await showConsent(request, env, config, authRequest, { via: "xano_oauth" });
      }
      if (step === "sign-in") return await signIn(request, env, config, authRequest, action, form);
      return page(400, errorPage("Bad request", "The form is missing its step.", "Go back to your app and start connecting again."));
    }
    const authRequest = await parseWithPkce(oauth, request);
    const session = await readSignInSession(env.OAUTH_KV, request);
    const signedIn = sessionThatConnects(session, requestedServer(request, config.upstreamServers) !== null);
    if (signedIn) return await showConsent(request, env, config, authRequest, { via: "session", session: signedIn, binding: signedIn.binding });
    return await showSignIn(request, oauth, config, authRequest, `/authorize${new URL(request.url).search}`, {});
  } catch (error) {
    return authorizationFailure(error);
  }
}

async function showSignIn(request: Request, oauth: OAuthHelpers, config: Config, authRequest: AuthRequest, action: string, extra: Partial<SignInForm>, status = 200): Promise<Response> {
  const client = await oauth.lookupClient(authRequest.clientId);
  const csrf = issueCsrfToken(request);
  const server = requestedServer(request, config.upstreamServers);
  const body = signInPage({ action, csrfToken: csrf.token, clientName: cleanClientName(client?.clientName ?? "") || authRequest.clientId, methods: config.signInMethods, defaultInstanceUrl: config.xanoAuthUrl ? new URL(config.xanoAuthUrl).origin : "", ...(server ? { serverTitle: server.title } : {}), ...extra });
  return page(status, body, [csrf.setCookie]);
}

async function signIn(request: Request, env: FrontDoorEnv, config: Config, authRequest: AuthRequest, action: string, form: FormData): Promise<Response> {
  const attempted = await attemptSignIn(request, env, config, form);
  if ("answer" in attempted) return attempted.answer;
  const instanceUrl = String(form.get("instance_url") ?? "").trim();
  if ("failure" in attempted) return showSignIn(request, env.OAUTH_PROVIDER, config, authRequest, action, { error: attempted.failure, instanceUrl, email: String(form.get("email") ?? "") }, 400);
  // One count for the session and the consent this request stores.
  const limited = await limitStoringRequest(request, env, config);
  if (limited) return limited;
  const { session, access } = attempted;
  const { setCookie, binding } = await createSignInSession(env.OAUTH_KV, session);
  return showConsent(request, env, config, authRequest, { via: "session", session, binding }, { cookies: [setCookie], counted: true, admitted: access });
}
