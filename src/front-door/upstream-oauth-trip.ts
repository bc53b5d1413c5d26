/**
 * The sign-in trip to an upstream MCP server's own authorization server, for a server with
 * `auth: "oauth"` (README "Put any MCP server behind this front door"):
 *
 *   POST /authorize   the person signed in with Xano (who they are) and pressed Allow on the
 *            consent page (front-door/consent.ts): `beginUpstreamSignIn` discovers the upstream's
 *            authorization server and our client id there (upstream/oauth-authorization.ts), then
 *            `sendToUpstream` keeps the trip — the PKCE verifier and what else the code exchange
 *            needs, and the approved MCP authorization request — in OAUTH_KV under the SHA-256 of
 *            the upstream `state`, sealed under a key derived from that state, for ten minutes,
 *            single use, bound to this browser's sign-in session (its binding,
 *            sign-in-session.ts); the browser goes to the upstream's authorization URL.
 *   GET /oauth/upstream-callback   the upstream's redirect back, one for every server:
 *            `handleUpstreamCallback` finds and deletes the trip, checks the same sign-in session is
 *            still active in this browser and the operator's lists still admit the person, then
 *            exchanges the code (completeUpstreamAuthorization) and mints the grant with that
 *            upstream credential only (oauth/grant.ts), redirecting to the MCP client with its code.
 *
 * Failures store nothing: an unknown, used or expired state, another browser, or a failed exchange
 * is a page; the upstream's own `error` (the person declined there) is the OAuth error redirect
 * to the MCP client. Also serves our Client ID Metadata Document (`clientMetadataDocumentResponse`).
 */
import { authorizationErrorRedirect, type AuthRequest } from "@cloudflare/workers-oauth-provider";
import type { Config } from "../config";
import { importKey, seal, unseal } from "../credentials/encryption";
import { sha256, sha256Hex } from "../lib/secrets";
import { log } from "../observability/log";
import { mintGrant } from "../oauth/grant";
import { beginUpstreamAuthorization, completeUpstreamAuthorization, type PendingAuthorization } from "../upstream/oauth-authorization";
import { UpstreamOAuthError } from "../lib/oauth-fetch";
import { clientMetadataDocument, type OurClient } from "../upstream/oauth-registration";
import { findServer, type UpstreamServer } from "../upstream/servers";
import type { FrontDoorEnv } from "./authorize";
import { page, redirect } from "./http";
import { errorPage } from "./pages";
import { identifiedSession, readSignInSession } from "./sign-in-session";
import { admitSignIn } from "./sign-in-refused";

/** The redirect URI every upstream authorization server sends the person back to (register it there). */
export const UPSTREAM_CALLBACK_PATH = "/oauth/upstream-callback";
/** The name upstream authorization servers show for this front door on their consent pages. */
export const UPSTREAM_CLIENT_NAME = "Xano MCP front door";

const TRIP_PREFIX = "upstream-oauth-trip:";
const TRIP_TTL_SECONDS = 10 * 60;

interface UpstreamTrip {
  pending: PendingAuthorization;
  /** The approved MCP authorization request, completed by the callback. */
  authRequest: AuthRequest;
  /** The sign-in session's binding: only the browser (and sign-in) that started the trip finishes it. */
  session: string;
  userId: string;
}

/** Who we are to an upstream authorization server (oauth-registration.ts OurClient). */
export function ourUpstreamClient(config: Config): OurClient {
  return { publicUrl: config.publicUrl, redirectUri: `${config.publicUrl}${UPSTREAM_CALLBACK_PATH}`, clientName: UPSTREAM_CLIENT_NAME };
}

/** GET CLIENT_METADATA_DOCUMENT_PATH: our client id at authorization servers that take a metadata document. */
export function clientMetadataDocumentResponse(config: Config): Response {
  return Response.json(clientMetadataDocument(ourUpstreamClient(config)), { headers: { "Cache-Control": "public, max-age=3600" } });
}

export type BegunUpstreamSignIn = { authorizationUrl: string; pending: PendingAuthorization } | { problem: string };

/** Discovery and our client id at the server's authorization server, before anything is approved; a problem to show on the consent page otherwise. */
export async function beginUpstreamSignIn(config: Config, server: UpstreamServer): Promise<BegunUpstreamSignIn> {
  try {
    const configuredClient = server.clientId ? { clientId: server.clientId, clientSecret: server.clientSecret } : null;
    const { authorizationUrl, pending } = await beginUpstreamAuthorization({ server: server.name, url: server.url }, ourUpstreamClient(config), { configuredClient });
    return { authorizationUrl, pending };
  } catch (error) {
    if (!(error instanceof UpstreamOAuthError)) throw error;
    log("front_door_error", { kind: "upstream_oauth_begin_failed", code: error.code, reason: `${server.name}: ${error.message}` });
    return { problem: `${server.title}'s sign-in could not be started (${error.message}). Try again in a moment, or tell this server's operator.` };
  }
}

/** The consent was approved: keep the trip, and send the browser to the upstream's authorization server. */
export async function sendToUpstream(env: FrontDoorEnv, begun: { authorizationUrl: string; pending: PendingAuthorization }, approved: { request: AuthRequest; headers: Headers }, session: { binding: string; userId: string }): Promise<Response> {
  const state = begun.pending.state;
  const trip: UpstreamTrip = { pending: begun.pending, authRequest: approved.request, session: session.binding, userId: session.userId };
  await env.OAUTH_KV.put(TRIP_PREFIX + (await sha256Hex(state)), await seal(await tripKey(state), trip), { expirationTtl: TRIP_TTL_SECONDS });
  return redirect(begun.authorizationUrl, approved.headers);
}

/** GET /oauth/upstream-callback: the upstream authorization server's redirect back. */
export async function handleUpstreamCallback(request: Request, env: FrontDoorEnv, config: Config): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const state = params.get("state");
  const key = state ? TRIP_PREFIX + (await sha256Hex(state)) : null;
  const stored = key ? await env.OAUTH_KV.get(key) : null;
  if (!state || !key || !stored) return notValid();
  await env.OAUTH_KV.delete(key); // single use, whatever happens next
  const trip = await unseal<UpstreamTrip>(await tripKey(state), stored);
  const server = trip ? findServer(config.upstreamServers, trip.pending.server) : null;
  if (!trip || !server || server.auth !== "oauth") return notValid();
  const session = identifiedSession(await readSignInSession(env.OAUTH_KV, request));
  if (!session || session.binding !== trip.session || session.userId !== trip.userId) {
    return page(
      400,
      errorPage(
        "This sign-in belongs to another browser",
        `The sign-in to ${server.title} was started in a different browser, or your sign-in here ended meanwhile, so nothing was connected.`,
        "Go back to your app and connect again from this browser.",
      ),
    );
  }
  // The person declined (or the upstream refused) at the upstream: the MCP client hears access_denied.
  if (params.get("error") !== null) {
    log("front_door_error", { kind: "upstream_oauth_denied", code: params.get("error")!.slice(0, 64), reason: `${server.name} did not sign the person in` });
    return redirect(authorizationErrorRedirect(trip.authRequest, "access_denied", `${server.title} did not sign you in`), new Headers());
  }
  // A person removed from the lists (or blocked) meanwhile gets no code exchanged and no grant.
  const admitted = await admitSignIn(env, session);
  if ("refused" in admitted) return admitted.refused;
  let credential;
  try {
    credential = await completeUpstreamAuthorization(trip.pending, params);
  } catch (error) {
    if (!(error instanceof UpstreamOAuthError)) throw error;
    log("front_door_error", { kind: "upstream_oauth_exchange_failed", code: error.code, reason: `${server.name}: ${error.message}` });
    return page(502, errorPage(`Signing in to ${server.title} did not finish`, `${error.message}.`, "Go back to your app and connect again. If it keeps happening, tell this server's operator (see DEBUG.md)."));
  }
  return redirect(await mintGrant(env, trip.authRequest, session, undefined, admitted.access, credential), new Headers());
}

function notValid(): Response {
  return page(400, errorPage("This sign-in link is not valid", "It expired (after ten minutes), was already used, or did not come from a sign-in started here, so nothing was connected.", "Go back to your app and connect again."));
}

async function tripKey(state: string): Promise<CryptoKey> {
  return importKey(await sha256(`xano-mcp upstream oauth trip key\0${state}`));
}
