/**
 * The Worker. A request goes:
 *
 *   OAuthProvider (workers-oauth-provider)
 *     ├─ /.well-known/oauth-authorization-server, /.well-known/oauth-protected-resource[/…],
 *     │  /oauth/token, /oauth/register, /oauth/revoke      → answered by the library
 *     ├─ /mcp, /sse (+ /sse/message) with a valid token    → mcp/server.ts (ctx.props = GrantProps)
 *     ├─ /servers/{name}/mcp with a valid token            → upstream/door.ts (UPSTREAM_MCP_SERVERS),
 *     │                                                       a grant bound to that server only
 *     │  or a personal access token (resolveExternalToken: credentials/personal-tokens.ts, grant-like props)
 *     │  without one                                        → 401 + WWW-Authenticate (resource_metadata),
 *     │                                                       with a JSON body saying so (mcp/missing-token.ts)
 *     └─ everything else                                    → front-door/pages-router.ts (/authorize pages, /apps, /)
 *   POST /oauth/register is rate-limited per client IP, capped at 16 KiB and its client_name
 *   cleaned before the provider sees it (oauth/client-registration.ts).
 *
 * Configuration is validated once, at start-up: a bad value stops the Worker with a message that
 * names the variable (see config.ts).
 */
import { ExternalTokenError, OAuthProvider, getOAuthApi, type OAuthProviderOptions } from "@cloudflare/workers-oauth-provider";
import { env } from "cloudflare:workers";
import { loadConfig } from "./config";
import { createPagesRouter } from "./front-door/pages-router";
import { onPublicOrigin } from "./front-door/public-origin";
import { issuedRefreshTokensIn, noteOAuthError, tokenRequestOf, withRefreshReplayDetection } from "./oauth/refresh-replay";
import { withBoundedBody } from "./front-door/request-body";
import { createMcpDoor, createSseHandler, createStreamableHandler } from "./mcp/server";
import { annotateRequest, setDebugLogging } from "./observability/log";
import { logOAuthError, withRequestLog } from "./observability/request-log";
import { purgeExpired } from "./operations/purge";
import { SUPPORTED_SCOPES } from "./oauth/scopes";
import { purgeOldActivity } from "./activity/retention";
import { explainMissingToken } from "./mcp/missing-token";
import { REGISTRATION_PATH, guardRegistration } from "./oauth/client-registration";
import { toolsetsThroughSignIn } from "./front-door/toolsets-through-sign-in";
import { resolvePersonalToken } from "./credentials/personal-tokens";
import type { RateLimiterEnv } from "./rate-limit/rate-limiter";
import { createUpstreamDoor } from "./upstream/door";
import { upstreamDiscovery } from "./upstream/discovery";
import { SERVERS_PREFIX } from "./credentials/grant-binding";

export { LegacySseSession } from "./mcp/legacy-sse";
export { XanoCredentialStore } from "./credentials/credential-store";
export { RateLimiter } from "./rate-limit/rate-limiter";

const loaded = loadConfig(env as unknown as Record<string, unknown>);
if (!loaded.ok) {
  throw new Error(`xano-mcp cannot start: invalid configuration.\n- ${loaded.problems.join("\n- ")}`);
}
const config = loaded.config;
setDebugLogging(config.debugTools);

const CLIENT_REGISTRATION_TTL_SECONDS = 30 * 24 * 60 * 60;

const TOKEN_PATH = "/oauth/token";
/** The routes of `apiHandlers` below: they read (and cap) their own bodies, in mcp/request-guards.ts. */
const MCP_PATHS = ["/mcp", "/sse"];
/** Routes that read (and cap) their own bodies: the MCP endpoints and /servers/{name}/mcp (upstream/door.ts). */
const OWN_BODY_PATHS = [...MCP_PATHS, SERVERS_PREFIX];

const mcpDoor = createMcpDoor(config);
const AUTHORIZE_PATH = "/authorize";
const carryToolsets = toolsetsThroughSignIn({ publicUrl: config.publicUrl, authorizePath: AUTHORIZE_PATH, tokenPath: TOKEN_PATH, mcpPaths: MCP_PATHS });
const discoverUpstream = upstreamDiscovery({ publicUrl: config.publicUrl, servers: config.upstreamServers, authorizePath: AUTHORIZE_PATH, tokenPath: TOKEN_PATH });

const oauthOptions: OAuthProviderOptions<Env> = {
  // The bare origin is the resource (RFC 8707 audience): every protected route must sit under it,
  // and both /mcp and /sse are protected. Its metadata lives at the root well-known URL, which the
  // 401 challenge names; the path-suffixed URLs (…/oauth-protected-resource/mcp) answer 404, because
  // RFC 9728 §3.3 requires a document there to name the resource `<origin>/mcp`, which is not ours.
  // Clients fall back to the root document.
  resourceMetadata: {
    resource: config.publicUrl,
    authorization_servers: [config.publicUrl],
    bearer_methods_supported: ["header"],
    resource_name: "Xano MCP server",
  },
  // Both scopes in both documents: the resource's list is what MCP clients ask for first, and we
  // want the consent page to start from read-write, with read-only one click away (src/oauth/scopes.ts).
  scopesSupported: [...SUPPORTED_SCOPES],
  requiredScopes: [...SUPPORTED_SCOPES],
  apiHandlers: {
    "/mcp": createStreamableHandler(mcpDoor),
    "/sse": createSseHandler(config, mcpDoor),
    // Every upstream MCP server of UPSTREAM_MCP_SERVERS, at /servers/{name}/mcp (an unknown name: 404 once signed in).
    ...(config.upstreamServers.length > 0 ? { [SERVERS_PREFIX]: createUpstreamDoor(config, mcpDoor) } : {}),
  },
  // Personal access tokens (created on /apps; credentials/personal-tokens.ts): a bearer the library
  // does not know comes here. Its props look like a grant's, so /mcp and /sse serve it the same way;
  // it is bound to this server as its audience.
  resolveExternalToken: async ({ token, env }) => {
    const props = await resolvePersonalToken(env.OAUTH_KV, token);
    if (props === "expired") throw new ExternalTokenError("invalid_token", { description: "The personal access token expired", statusCode: 401 });
    return props ? { props, audience: config.publicUrl } : null;
  },
  defaultHandler: createPagesRouter(config),
  authorizeEndpoint: AUTHORIZE_PATH,
  tokenEndpoint: TOKEN_PATH,
  clientRegistrationEndpoint: REGISTRATION_PATH,
  accessTokenTTL: config.accessTokenTtlSeconds,
  // Client ID Metadata Documents beside dynamic registration (MCP 2025-11-25 and later prefer them).
  // The library fetches the document itself (https only, 5 KB, 10 s, no secrets in it) and relies
  // on the global_fetch_strictly_public flag (wrangler.toml) for SSRF safety: should the flag be
  // missing, CIMD stays off and a URL client_id is just an unknown client, never a 500.
  clientIdMetadataDocumentEnabled: strictlyPublicFetch(),
  // Desktop clients (Cursor's cursor://…, RFC 8252 §7.1 `com.example.app:/cb`) redirect to a
  // private-use scheme. PKCE (S256, required of every client by /authorize) protects those redirects.
  allowPrivateUseRedirectUris: true,
  // Dynamically registered clients expire after 30 days unless they keep using their client_id
  // (a successful token request past half the lifetime renews it); KV expires the record, and
  // the scheduled purge sweeps what is left. Claude registers on every connect, so this matters.
  clientRegistrationTTL: CLIENT_REGISTRATION_TTL_SECONDS,
  // Also feeds refresh-token replay detection (oauth/refresh-replay.ts).
  onError: (error) => {
    logOAuthError(error);
    noteOAuthError(error);
  },
};
const provider = new OAuthProvider<Env>(oauthOptions);

// Every request gets a request id and one `request` log line (observability/request-log.ts); is
// held to PUBLIC_URL's origin (front-door/public-origin.ts); its body, outside the MCP endpoints,
// is read once within 64 KiB (front-door/request-body.ts); a `?toolsets=` on the server URL is
// carried through sign-in (front-door/toolsets-through-sign-in.ts); a token request then goes
// through refresh-token replay detection (oauth/refresh-replay.ts); then the provider. The cron
// trigger in wrangler.toml runs the clean-up of expired registrations and grants, and of old activity.
export default {
  fetch: withRequestLog<Env>({
    fetch: (request, env, ctx) =>
      onPublicOrigin(request, config.publicUrl, (canonical) =>
        withBoundedBody(canonical, OWN_BODY_PATHS, (passed, body) =>
          discoverUpstream(passed, body, (found, foundBody) => carryToolsets(found, foundBody, (carried, carriedBody) => route(carried, carriedBody, env, ctx))),
        ),
      ),
  }),
  scheduled: async (_controller, env) => {
    await purgeExpired(provider, env);
    await purgeOldActivity(env, config.activityRetentionDays);
  },
} satisfies ExportedHandler<Env>;

async function route(request: Request, body: Uint8Array | null, env: Env, ctx: ExecutionContext): Promise<Response> {
  const toProvider = (passed: Request) => guardRegistration(passed, env as unknown as RateLimiterEnv, config, (guarded) => provider.fetch(guarded, env, ctx).then(explainMissingToken));
  if (request.method !== "POST" || new URL(request.url).pathname !== TOKEN_PATH) return toProvider(request);
  // The token request's fields, from the bytes already read: its client for the log line, and
  // what the replay detector needs. The library parses the same bytes again for itself.
  const tokenRequest = tokenRequestOf(request, body);
  annotateRequest({ clientId: tokenRequest?.clientId ?? undefined });
  return withRefreshReplayDetection(
    request,
    tokenRequest,
    toProvider,
    (grantId, userId) => getOAuthApi(oauthOptions, env).revokeGrant(grantId, userId),
    issuedRefreshTokensIn(env.OAUTH_KV),
  );
}

function strictlyPublicFetch(): boolean {
  const runtime = globalThis as { Cloudflare?: { compatibilityFlags?: Record<string, boolean> } };
  return runtime.Cloudflare?.compatibilityFlags?.global_fetch_strictly_public === true;
}
