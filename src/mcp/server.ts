/**
 * The MCP door: one handler for every MCP message, on both transports.
 *
 * /mcp — Streamable HTTP through `createMcpHandler` (agents/mcp/server) with an SDK v2 McpServer:
 *   stateless, a fresh server per request, no Durable Object; it serves 2025-era clients and the
 *   2026-07-28 stateless protocol, and validates Host and Origin (DNS-rebinding protection).
 *   This is the endpoint every current client should use.
 *
 * /sse — the legacy HTTP+SSE transport, kept because people configured the original server's
 *   `/sse` URL. Each POSTed message is run through this same door with the posting request's own
 *   grant; only the event stream lives in a small Durable Object (legacy-sse.ts).
 */
import { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { createMcpHandler } from "agents/mcp/server";
import { observed, registerTools, type ToolCallObserver, type ToolHost } from "./tools/registry";
import { activityRecorder } from "../activity/record";
import { findTool, toolsFor } from "./tools";
import { grantToolsets, notAvailable, urlToolsets } from "./connection-toolsets";
import { requestScope, scopeFor, toolContextFor, type McpRequestScope } from "./context";
import { endGrantAndChallenge } from "./reauthenticate";
import { credentialStoreFor, type CredentialLease, type CredentialStoreEnv } from "../credentials/credential-lease";
import { createLegacySseHandler, type McpDoor } from "./legacy-sse";
import { insufficientScope, type OAuthHelpers, type OAuthResourceAuth } from "@cloudflare/workers-oauth-provider";
import { READ_WRITE_SCOPES, mayWrite, writeToolsCalled } from "./scopes";
import { onlyToolCalls, summariseJsonRpc, type JsonRpcBody } from "./json-rpc-body";
import { SERVER_INFO } from "../server-info";
import { SERVER_INSTRUCTIONS } from "./instructions";
import { accessPolicyOf, type Config } from "../config";
import { checkAccessPolicy } from "../access/policy";
import { accessEndedResponse } from "../access/refusal";
import { annotateRequest } from "../observability/log";
import { describeMcpMessage } from "../observability/request-log";
import { foreignOriginResponse, readMessageText } from "./request-guards";


export function createStreamableHandler(config: Config): McpDoor {
  const publicHost = new URL(config.publicUrl).hostname;
  const handler = createMcpHandler(
    () => {
      const server = new McpServer(SERVER_INFO, { instructions: SERVER_INSTRUCTIONS });
      // A read-only grant is not shown the tools it may not call (and guardToolCalls refuses them);
      // a connection lists only its toolsets (connection-toolsets.ts).
      const { canWrite = false, calledTools, toolsets, narrowedBy } = requestScope.getStore() ?? {};
      const allowed = toolsFor(config, { toolsets, narrowedBy, canWrite });
      const registered = calledTools ? allowed.filter((tool) => calledTools.includes(tool.name)) : allowed;
      registerTools(server as unknown as ToolHost, registered, () => {
        const scope = requestScope.getStore();
        if (!scope) throw new Error("tool call outside an MCP request scope");
        return toolContextFor(scope, config.xanoAccountUrl);
      }, recordInActivity);
      // A call of a catalogue tool outside the connection's toolsets gets the envelope saying where
      // it is and how to enable it, not the SDK's bare "tool not found". Registered only when the
      // request holds nothing but tool calls, so no tools/list can ever show it.
      for (const name of new Set(calledTools ?? [])) {
        const tool = findTool(name);
        if (!tool || registered.some((listed) => listed.name === name)) continue;
        (server as unknown as ToolHost).registerTool(name, { description: tool.description, inputSchema: z.looseObject({}) }, async (args) => observed(name, args, async () => notAvailable(tool, toolsets), recordInActivity));
      }
      return server;
    },
    {
      route: "/mcp",
      allowedHostnames: [publicHost],
      allowedOriginHostnames: [publicHost, ...config.allowedOrigins.map((o) => new URL(o).hostname)],
    },
  );
  return {
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      const forbidden = foreignOriginResponse(request, originsAllowed(config));
      if (forbidden) return forbidden;
      const { oauth, props, auth } = apiRequest(env, ctx);
      const granted = scopeFor(env, props);
      // The operator's lists, asked again on every request: a grant outlives a change of them.
      const policy = accessPolicyOf(env);
      const access = checkAccessPolicy(granted.props, policy);
      if (!access.allowed) return accessEndedResponse(oauth, auth, config.publicUrl, access, policy);
      const requested = urlToolsets(new URL(request.url));
      if (!requested.ok) return requested.response;
      const scope: McpRequestScope = {
        ...granted,
        canWrite: !access.readOnly && mayWrite(auth.scope, granted.props.access),
        toolsets: grantToolsets(granted.props, config),
        narrowedBy: requested.narrowedBy,
        activity: activityRecorder(env, ctx, { userId: granted.props.userId, proof: granted.props.proof, via: "oauth", app: auth.clientId ?? "unknown" }),
      };
      let body: JsonRpcBody | null = null;
      if (request.method === "POST") {
        const read = await readMessageText(request);
        if ("response" in read) return read.response;
        body = summariseJsonRpc(read.text);
        request = new Request(request, { body: read.text });
      }
      annotateRequest({ userId: auth.userId, clientId: auth.clientId, email: scope.props.xanoUser.email ?? undefined, ...describeMcpMessage(body) });
      if (body) {
        const refused = await guardToolCalls(config, scope.lease, auth, scope.canWrite ?? false, body, access.readOnly);
        if (refused) return refused;
        scope.calledTools = onlyToolCalls(body);
      }
      const response = await requestScope.run(scope, () => handler(request, env, ctx));
      if (request.method !== "POST") return response;
      // Wait for the exchange to finish (tools run while the body is produced), so a credential
      // that died during it turns the whole response into the re-authentication challenge.
      const answer = await response.arrayBuffer();
      if (scope.lease.dead) return endGrantAndChallenge(oauth, auth, config.publicUrl, scope.lease.dead);
      return new Response(answer, response);
    },
  };
}

/** Every tool call of an MCP request, on either transport, is recorded in the person's activity here. */
const recordInActivity: ToolCallObserver = (...call) => requestScope.getStore()?.activity?.toolCalled(...call);

/** What workers-oauth-provider adds to a protected request: its helpers, the grant's props, the token. */
function apiRequest(env: Env, ctx: ExecutionContext) {
  const extended = ctx as ExecutionContext & { props: unknown; auth: OAuthResourceAuth };
  return { oauth: (env as Env & { OAUTH_PROVIDER: OAuthHelpers }).OAUTH_PROVIDER, props: extended.props, auth: extended.auth };
}

/**
 * Before a JSON-RPC body reaches either MCP server: a write tool called with a read-only token gets
 * the 403 step-up challenge (MCP 2025-11-25 "Scope challenge handling"), naming every scope the
 * call needs; then every tools/call counts against the grant's rate limit (429 when over).
 */
async function guardToolCalls(config: Config, lease: CredentialLease, auth: OAuthResourceAuth, canWrite: boolean, body: JsonRpcBody, heldReadOnly: boolean): Promise<Response | null> {
  const calls = body.toolCalls;
  if (calls.length === 0) return null;
  if (!canWrite) {
    const writes = writeToolsCalled(body, toolsFor(config));
    if (writes.length > 0) {
      const why = heldReadOnly ? "this server's operator allows this account read-only access (READ_ONLY_USERS)" : "this connection was approved read-only";
      return insufficientScope(auth, [...READ_WRITE_SCOPES], `${writes.join(", ")} changes data; ${why}`);
    }
  }
  // Counted by the grant's credential store, in the hop that also fetches the calls' credential.
  const decision = await lease.admitToolCalls(calls.length, config.rateLimits.toolCallsPerMinute, TOOL_CALL_WINDOW_MS);
  return decision.allowed ? null : jsonRpcTooManyRequests(decision.retryAfterSeconds, body.firstId);
}

const TOOL_CALL_WINDOW_MS = 60_000;

/**
 * 429 for the MCP endpoints: a JSON-RPC error answering the first request of the body (id null if
 * it cannot be read), so a client that shows JSON-RPC errors shows ours.
 */
function jsonRpcTooManyRequests(retryAfterSeconds: number, firstId: string | number | null): Response {
  return new Response(
    JSON.stringify({
      jsonrpc: "2.0",
      id: firstId,
      error: { code: -32029, message: `Too many tool calls on this connection. Try again in ${retryAfterSeconds} s.`, data: { retryAfterSeconds } },
    }),
    { status: 429, headers: { "Content-Type": "application/json", "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}

/**
 * /sse: the legacy HTTP+SSE transport over the same door (legacy-sse.ts). Opening a stream first
 * checks the grant's credential, so a dead one meets the re-authentication challenge at once.
 */
export function createSseHandler(config: Config, door: McpDoor) {
  const legacy = createLegacySseHandler(door, async (env, ctx) => {
    const { oauth, props, auth } = apiRequest(env, ctx);
    const scope = scopeFor(env, props);
    annotateRequest({ userId: auth.userId, clientId: auth.clientId, email: scope.props.xanoUser.email ?? undefined });
    const policy = accessPolicyOf(env);
    const access = checkAccessPolicy(scope.props, policy);
    if (!access.allowed) return accessEndedResponse(oauth, auth, config.publicUrl, access, policy);
    const status = await credentialStoreFor(env as unknown as CredentialStoreEnv, scope.props.storeId).status();
    if (!status || status.dead) return endGrantAndChallenge(oauth, auth, config.publicUrl, status?.dead?.reason ?? "no credential stored");
    return null;
  });
  return {
    fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      // Before anything else, as on /mcp: a foreign Origin learns nothing, not even whether a session exists.
      const forbidden = foreignOriginResponse(request, originsAllowed(config));
      if (forbidden) return Promise.resolve(forbidden);
      return legacy.fetch(request, env, ctx);
    },
  };
}

/** The Origins a browser may call the MCP endpoints from: ours and ALLOWED_ORIGINS. */
function originsAllowed(config: Config): string[] {
  return [new URL(config.publicUrl).origin, ...config.allowedOrigins];
}
