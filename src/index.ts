/**
 * The Worker. A request goes:
 *
 *   OAuthProvider (workers-oauth-provider)
 *     ├─ /.well-known/oauth-authorization-server, /.well-known/oauth-protected-resource[/…],
 *     │  /oauth/token, /oauth/register, /oauth/revoke      → answered by the library
 *     ├─ /mcp, /sse (+ /sse/message) with a valid token    → mcp/server.ts (ctx.props = GrantProps)
 *     │  without one                                        → 401 + WWW-Authenticate (resource_metadata)
 *     └─ everything else                                    → front-door/app.ts (/authorize pages, /)
 *
 * Configuration is validated once, at start-up: a bad value stops the Worker with a message that
 * names the variable (see config.ts).
 */
import { OAuthProvider } from "@cloudflare/workers-oauth-provider";
import { env } from "cloudflare:workers";
import { loadConfig } from "./config";
import { createFrontDoor } from "./front-door/app";
import { createSseHandler, createStreamableHandler } from "./mcp/server";
import { setDebugLogging } from "./observability/log";
import { logOAuthError, withRequestLog } from "./observability/request-log";
import { purgeExpired } from "./operations/purge";

export { XanoMcpSseSession } from "./mcp/server";
export { XanoCredentialStore } from "./credentials/credential-store";

const loaded = loadConfig(env as unknown as Record<string, unknown>);
if (!loaded.ok) {
  throw new Error(`xano-mcp cannot start: invalid configuration.\n- ${loaded.problems.join("\n- ")}`);
}
const config = loaded.config;
setDebugLogging(config.debugTools);

const provider = new OAuthProvider<Env>({
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
  apiHandlers: {
    "/mcp": createStreamableHandler(config),
    "/sse": createSseHandler(config),
  },
  defaultHandler: createFrontDoor(config),
  authorizeEndpoint: "/authorize",
  tokenEndpoint: "/oauth/token",
  clientRegistrationEndpoint: "/oauth/register",
  accessTokenTTL: config.accessTokenTtlSeconds,
  onError: logOAuthError,
});

// Every request gets a request id and one `request` log line (observability/request-log.ts); the
// cron trigger in wrangler.toml runs the clean-up of expired registrations and grants.
export default {
  fetch: withRequestLog(provider),
  scheduled: (_controller, env) => purgeExpired(provider, env).then(() => undefined),
} satisfies ExportedHandler<Env>;
