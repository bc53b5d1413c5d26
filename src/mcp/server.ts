/**
 * The two MCP transports, one tool registry.
 *
 * /mcp — Streamable HTTP through `createMcpHandler` (agents/mcp/server) with an SDK v2 McpServer:
 *   stateless, a fresh server per request, no Durable Object; it serves 2025-era clients and the
 *   2026-07-28 stateless protocol, and validates Host and Origin (DNS-rebinding protection).
 *   This is the endpoint every current client should use.
 *
 * /sse — the legacy HTTP+SSE transport, kept because people configured the original server's
 *   `/sse` URL. SSE needs the event stream and the POSTed messages to meet in one place, so it
 *   costs a Durable Object per session (`XanoMcpSseSession`, built on the deprecated, feature-frozen
 *   McpAgent with SDK v1), plus SDK v1 in the bundle. We pay that for compatibility only; the tools
 *   are the same definitions registered on both servers (see tools/registry.ts).
 */
import { McpServer } from "@modelcontextprotocol/server";
import { McpServer as LegacyMcpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { McpAgent } from "agents/mcp";
import { createMcpHandler } from "agents/mcp/server";
import { env as workerEnv } from "cloudflare:workers";
import { registerTools, type ToolHost } from "./tools/registry";
import { toolsFor } from "./tools";
import { requestScope, scopeFor, toolContextFor } from "./context";
import { endGrantAndChallenge } from "./reauthenticate";
import { credentialStoreFor, type CredentialStoreEnv } from "../credentials/credential-lease";
import type { OAuthHelpers, OAuthResourceAuth } from "@cloudflare/workers-oauth-provider";
import { SERVER_INFO } from "../server-info";
import { loadConfig, type Config } from "../config";
import type { GrantProps } from "../credentials/grant-props";
import { annotateRequest } from "../observability/log";
import { describeMcpMessage } from "../observability/request-log";
import { checkedMessagePost, foreignOriginResponse } from "./request-guards";

const INSTRUCTIONS =
  "Tools for a Xano backend: start with xano_list_databases to find workspace ids, then xano_list_tables and " +
  "xano_browse_table_content. Lists are paged: when nextPage is not null, call again with page = nextPage.";

export function createStreamableHandler(config: Config) {
  const publicHost = new URL(config.publicUrl).hostname;
  const handler = createMcpHandler(
    () => {
      const server = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS });
      registerTools(server as unknown as ToolHost, toolsFor(config), () => {
        const scope = requestScope.getStore();
        if (!scope) throw new Error("tool call outside an MCP request scope");
        return toolContextFor(scope, config.xanoAccountUrl);
      });
      return server;
    },
    {
      route: "/mcp",
      allowedHostnames: [publicHost],
      allowedOriginHostnames: [publicHost],
    },
  );
  return {
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      const forbidden = foreignOriginResponse(request, config.publicUrl);
      if (forbidden) return forbidden;
      const { oauth, props, auth } = apiRequest(env, ctx);
      const scope = scopeFor(env, props);
      annotateRequest({ userId: auth.userId, clientId: auth.clientId, email: scope.props.xanoUser.email ?? undefined, ...(await describeMcpMessage(request)) });
      const response = await requestScope.run(scope, () => handler(request, env, ctx));
      if (request.method !== "POST") return response;
      // Wait for the exchange to finish (tools run while the body is produced), so a credential
      // that died during it turns the whole response into the re-authentication challenge.
      const body = await response.arrayBuffer();
      if (scope.lease.dead) return endGrantAndChallenge(oauth, auth, config.publicUrl, scope.lease.dead);
      return new Response(body, response);
    },
  };
}

/** One Durable Object per legacy SSE session; see the comment at the top of this file. */
export class XanoMcpSseSession extends McpAgent<Env, unknown, GrantProps> {
  server = new LegacyMcpServer(SERVER_INFO, { instructions: INSTRUCTIONS });

  async init(): Promise<void> {
    // The Worker refuses to start with a bad configuration, so this load succeeds here.
    const loaded = loadConfig(workerEnv as unknown as Record<string, unknown>);
    if (!loaded.ok) throw new Error(loaded.problems.join("; "));
    const accountUrl = loaded.config.xanoAccountUrl;
    // Props are read at call time, not captured here: they are replaced when the session is resumed.
    registerTools(this.server as unknown as ToolHost, toolsFor(loaded.config), () => toolContextFor(scopeFor(this.env, this.props), accountUrl));
  }
}

/** What workers-oauth-provider adds to a protected request: its helpers, the grant's props, the token. */
function apiRequest(env: Env, ctx: ExecutionContext) {
  const extended = ctx as ExecutionContext & { props: unknown; auth: OAuthResourceAuth };
  return { oauth: (env as Env & { OAUTH_PROVIDER: OAuthHelpers }).OAUTH_PROVIDER, props: extended.props, auth: extended.auth };
}

const serveSse = XanoMcpSseSession.serveSSE("/sse", { binding: "MCP_SSE" });

/**
 * Over SSE, results travel on the event stream, so a credential that dies during a call can only
 * be reported in the tool result; the next request on the session then meets the challenge here.
 */
export function createSseHandler(config: Config) {
  return {
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      const forbidden = foreignOriginResponse(request, config.publicUrl);
      if (forbidden) return forbidden;
      if (request.method === "POST") {
        const checked = await checkedMessagePost(request);
        if ("response" in checked) return checked.response;
        request = checked.request;
      }
      const { oauth, props, auth } = apiRequest(env, ctx);
      const scope = scopeFor(env, props);
      annotateRequest({ userId: auth.userId, clientId: auth.clientId, email: scope.props.xanoUser.email ?? undefined, ...(await describeMcpMessage(request)) });
      const status = await credentialStoreFor(env as unknown as CredentialStoreEnv, scope.props.storeId).status();
      if (!status || status.dead) {
        return endGrantAndChallenge(oauth, auth, config.publicUrl, status?.dead?.reason ?? "no credential stored");
      }
      return serveSse.fetch(request, env, ctx);
    },
  };
}
