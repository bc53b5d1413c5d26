/**
 * The consent step of /authorize: its page (which client, which host, which access, which
 * toolsets) and the decision posted from it. Approving mints the grant (src/oauth/grant.ts) or, for
 * "Sign in with Xano", first sends the person to Xano (xano-sign-in.ts), or, for an upstream MCP
 * server with its own OAuth, to its authorization server (upstream-oauth-trip.ts); denying sends
 * the client its access_denied.
 *
 * The consent is a single-use handle bound to this browser by a cookie (the library's
 * beginConsent/approveConsent), which is also the consent form's CSRF protection.
 */
import type { AuthRequest } from "@cloudflare/workers-oauth-provider";
import type { Config } from "../config";
import { constantTimeEqual } from "../lib/secrets";
import { defaultAccess, parseAccess, scopesFor } from "../oauth/scopes";
import { COMMON_PATH, TOOLSETS, parseToolsetChoice, type ToolsetName } from "../mcp/tools/toolsets";
import { toolsFor } from "../mcp/tools";
import { mintGrant } from "../oauth/grant";
import type { FrontDoorEnv } from "./authorize";
import { cleanClientName } from "../oauth/client-registration";
import { consentFingerprint, rememberConsent, reusableConsent } from "./consent-reuse";
import { page, redirect } from "./http";
import { consentPage, errorPage } from "./pages";
import { PAGE_SECURITY_HEADERS } from "./security-headers";
import { canAuthorize, readSignInSession, sessionThatConnects, type IdentifiedSignIn } from "./sign-in-session";
import { limitStoringRequest } from "./storing-limit";
import { sendToXanoAfterConsent } from "./xano-sign-in";
import type { AccessDecision } from "../access/policy";
import { admitSignIn } from "./sign-in-refused";
import { parseWithPkce } from "../oauth/pkce-policy";
import { postedServer, requestedServer, upstreamConsentView, upstreamCredentialFrom } from "../upstream/consent";
import type { UpstreamCredential } from "../credentials/upstream-credential";
import { beginUpstreamSignIn, sendToUpstream } from "./upstream-oauth-trip";

type AllowedAccess = Extract<AccessDecision, { allowed: true }>;
/** A session shown a Xano consent holds a credential (canAuthorize); an upstream server's needs only who signed in (identifiedSession). */
type ConsentVia = { via: "session"; session: IdentifiedSignIn; binding: string } | { via: "xano_oauth" };

/**
 * The consent page. Its consent transaction is a KV write before anyone has approved anything, so
 * it is reused when this browser was just shown the same page (consent-reuse.ts), and otherwise
 * counted per address (src/rate-limit/limits.ts) unless the request was counted already.
 * `admitted`: the decision the sign-in in this same request already got (sign-in-attempt.ts).
 */
export async function showConsent(request: Request, env: FrontDoorEnv, config: Config, authRequest: AuthRequest, how: ConsentVia, options: { cookies?: string[]; counted?: boolean; admitted?: AllowedAccess; error?: string } = {}): Promise<Response> {
  const oauth = env.OAUTH_PROVIDER;
  // An upstream MCP server's connection (src/upstream/consent.ts) is granted from a sign-in session
  // only: its consent asks for that server's credential, so who signed in (also with Xano) comes first.
  const server = requestedServer(request, config.upstreamServers);
  if (server && how.via === "xano_oauth") return page(400, notForUpstream());
  // Who is signed in is known here only for a session; "Sign in with Xano" is checked on its return.
  const allowed = how.via === "session" ? (options.admitted ? { access: options.admitted } : await admitSignIn(env, how.session)) : null;
  if (allowed && "refused" in allowed) return allowed.refused;
  const readOnlyOnly = allowed?.access.readOnly ?? false;
  const details = await oauth.describeConsent(authRequest);
  const shownAs = (how.via === "session" ? `session:${how.session.userId}:${how.session.signedInAt}` : "xano_oauth") + (server ? ` server:${server.name}` : "");
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
    access: readOnlyOnly ? "read" : defaultAccess(authRequest.scope),
    readOnlyOnly,
    via: how.via,
    sessionBinding: how.via === "session" ? how.binding : null,
    signedInAs: how.via === "session" ? (how.session.xanoUser.email ?? how.session.xanoUser.name ?? String(how.session.xanoUser.id)) : null,
    instanceHost: how.via === "session" ? new URL(how.session.credential.metaApiBase).host : null,
    toolsets: requestedToolsets(request) ?? ticked(config.defaultToolsets),
    commonToolCount: COMMON_TOOL_COUNT,
    ...(server ? { upstream: upstreamConsentView(server), action: `/authorize${new URL(request.url).search}` } : {}),
    error: options.error,
  });
  for (const cookie of options.cookies ?? []) headers.append("Set-Cookie", cookie);
  return new Response(body, { status: 200, headers });
}

export const COMMON_TOOL_COUNT = toolsFor({ debugTools: false }, { toolsets: [COMMON_PATH] }).length;

/** A choice as consent-page checkboxes: "all" ticks every box. */
function ticked(choice: readonly ToolsetName[] | undefined): readonly ToolsetName[] {
  return choice ?? [COMMON_PATH, ...TOOLSETS];
}

/**
 * The toolsets the connection asked for, if its `resource` indicator carries `?toolsets=`. Only a
 * resource the OAuth library accepted gets here (parseAuthRequest ran first): `<origin>/?toolsets=…`,
 * which is what clients send after our challenge and metadata (toolsets-through-sign-in.ts, which
 * also rewrites a `resource` naming `/mcp?toolsets=…` to it). The URL's `?toolsets=` still narrows
 * every request (connection-toolsets.ts).
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
export function chosenToolsets(form: FormData): ToolsetName[] | undefined | null {
  // A page from before the choice existed has no checkboxes: its grant lists the server's default.
  if (form.get("toolsets_offered") !== "1") return undefined;
  const names = form.getAll("toolsets").map(String);
  if (names.length === 0) return [];
  const parsed = parseToolsetChoice(names.join(","));
  return parsed.ok && parsed.choice !== undefined && !names.includes("all") ? [...parsed.choice] : null;
}

/** The posted consent form: deny, or approve with the access and toolsets chosen. */
export async function decide(request: Request, env: FrontDoorEnv, config: Config, form: FormData): Promise<Response> {
  const handle = String(form.get("handle") ?? "");
  if (form.get("decision") !== "approve") {
    const denied = await env.OAUTH_PROVIDER.denyConsent(request, handle);
    return redirect(denied.redirectTo, denied.headers);
  }
  // The person's choice on the consent page; anything else posted is refused (never widened).
  const chosen = parseAccess(form.get("access"));
  if (!chosen) return page(400, errorPage("Bad request", "The consent form did not say which access to allow.", "Go back to your app and start connecting again."));
  const toolsets = chosenToolsets(form);
  if (toolsets === null) return page(400, errorPage("Bad request", "The consent form named a toolset this server does not have.", "Go back to your app and start connecting again."));
  const server = postedServer(form, config.upstreamServers);
  if (server === "unknown") return page(400, errorPage("Bad request", "The consent form named a server this front door does not serve.", "Go back to your app and start connecting again."));
  if (server && form.get("via") === "xano_oauth") return page(400, notForUpstream());
  if (form.get("via") === "xano_oauth" && config.signInMethods.includes("xano_oauth")) {
    // Xano has not said who this is yet: the lists are asked on its return (xano-sign-in.ts).
    const approved = await env.OAUTH_PROVIDER.approveConsent(request, handle, { scope: scopesFor(chosen) });
    return sendToXanoAfterConsent(env, config, approved, toolsets);
  }
  const read = await readSignInSession(env.OAUTH_KV, request);
  const session = sessionThatConnects(read, server !== null);
  if (!session) return page(401, errorPage("Your sign-in expired", "You were signed out before approving.", "Go back to your app and connect again."));
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
  // A session started before its person was removed from the lists or blocked is refused here too.
  const allowed = await admitSignIn(env, session);
  if ("refused" in allowed) return allowed.refused;
  // A refusal by the upstream (a token it does not accept, a sign-in it cannot start) shows the page again, same handle.
  const showAgain = async (problem: string) => {
    const authRequest = await parseWithPkce(env.OAUTH_PROVIDER, request);
    const shown = await showConsent(request, env, config, authRequest, { via: "session", session, binding: session.binding }, { counted: true, admitted: allowed.access, error: problem });
    return new Response(shown.body, { status: 400, headers: shown.headers });
  };
  const scope = scopesFor(allowed.access.readOnly ? "read" : chosen);
  if (server?.auth === "oauth") {
    // The upstream's own sign-in (upstream-oauth-trip.ts): discovered before anything is approved.
    const begun = await beginUpstreamSignIn(config, server);
    if ("problem" in begun) return showAgain(begun.problem);
    return sendToUpstream(env, begun, await env.OAUTH_PROVIDER.approveConsent(request, handle, { scope }), session);
  }
  let upstream: UpstreamCredential | undefined;
  if (server) {
    // Checked against the upstream before anything is approved.
    const checked = await upstreamCredentialFrom(server, form);
    if ("problem" in checked) return showAgain(checked.problem);
    upstream = checked.credential;
  }
  const approved = await env.OAUTH_PROVIDER.approveConsent(request, handle, { scope });
  if (server && upstream) return redirect(await mintGrant(env, approved.request, session, undefined, allowed.access, upstream), approved.headers);
  if (!canAuthorize(read)) throw new Error("a Xano grant from a session without its credential");
  return redirect(await mintGrant(env, approved.request, read, toolsets, allowed.access), approved.headers);
}

/**
 * A consent page for an upstream server that says "Sign in with Xano" follows Allow: no such page is
 * shown (for an upstream server Xano signs the person in before its consent page), so it is stale or forged.
 */
function notForUpstream(): string {
  return errorPage("Bad request", "This consent page is not one this server shows for that MCP server, so nothing was allowed.", "Go back to your app and connect again.");
}
