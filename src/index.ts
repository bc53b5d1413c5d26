/**
 * The Worker. A request goes:
 *
 *   OAuthProvider (workers-oauth-provider)
 *     ├─ /.well-known/oauth-authorization-server, /.well-known/oauth-protected-resource[/…],
 *     │  /oauth/token, /oauth/register, /oauth/revoke      → answered by the library
 *     ├─ /mcp, /sse (+ /sse/message) with a valid token    → mcp/server.ts (ctx.props = GrantProps)
 *     │  without one                                        → 401 + WWW-Authenticate (resource_metadata)
 *     └─ everything else                                    → front-door/app.ts (/authorize pages, /apps, /)
 *   POST /oauth/register is rate-limited per client IP before the provider sees it (rate-limit/).
 *
 * Configuration is validated once, at start-up: a bad value stops the Worker with a message that
 * names the variable (see config.ts).
 */
import { OAuthProvider } from "@cloudflare/workers-oauth-provider";
import { env } from "cloudflare:workers";
import { loadConfig } from "./config";
import { createFrontDoor } from "./front-door/app";
import { createSseHandler, createStreamableHandler } from "./mcp/server";
import { SUPPORTED_SCOPES } from "./mcp/scopes";
import { countRegistration, oauthTooManyRequests } from "./rate-limit/limits";
import type { RateLimiterEnv } from "./rate-limit/rate-limiter";

export { XanoMcpSseSession } from "./mcp/server";
export { XanoCredentialStore } from "./credentials/credential-store";
export { RateLimiter } from "./rate-limit/rate-limiter";

const loaded = loadConfig(env as unknown as Record<string, unknown>);
if (!loaded.ok) {
  throw new Error(`xano-mcp cannot start: invalid configuration.\n- ${loaded.problems.join("\n- ")}`);
}
const config = loaded.config;

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
  // Both scopes in both documents: the resource's list is what MCP clients ask for first, and we
  // want the consent page to start from read-write, with read-only one click away (src/mcp/scopes.ts).
  scopesSupported: [...SUPPORTED_SCOPES],
  requiredScopes: [...SUPPORTED_SCOPES],
  apiHandlers: {
    "/mcp": createStreamableHandler(config),
    "/sse": createSseHandler(config),
  },
  defaultHandler: createFrontDoor(config),
  authorizeEndpoint: "/authorize",
  tokenEndpoint: "/oauth/token",
  clientRegistrationEndpoint: "/oauth/register",
  accessTokenTTL: config.accessTokenTtlSeconds,
});

/** Registration is rate-limited per client IP before the library sees it (src/rate-limit/limits.ts). */
export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    if (request.method === "POST" && new URL(request.url).pathname === "/oauth/register") {
      const decision = await countRegistration(env as unknown as RateLimiterEnv, request, config.rateLimits);
      if (!decision.allowed) return oauthTooManyRequests(decision.retryAfterSeconds, "client registrations");
    }
    return provider.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
