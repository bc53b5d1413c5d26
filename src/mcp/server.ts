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
 *
 * Every request on either transport meets the same two steps, each one function:
 *   enter   Origin (request-guards.ts), then the caller from the grant the library validated,
 *           noted on the request's log line, then the operator's lists (src/access/policy.ts),
 *           asked again on every request because a grant outlives a change of them
 *   serve   `?toolsets=`, the body (read once, capped: request-guards.ts), the message on the log
 *           line, the scope check and the tool-call rate limit (guardToolCalls), the tools, and
 *           the re-authentication challenge when the credential died meanwhile
 * /mcp runs both; /sse runs `enter` once per request and `serve` for each message it passes on.
 */
import { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { createMcpHandler } from "agents/mcp/server";
import { observed, registerTools, type ToolCallObserver, type ToolHost } from "./tools/registry";
import { activityRecorder } from "../activity/record";
import { findTool, toolsFor } from "./tools";
import { grantToolsets, notAvailable, urlToolsets } from "./connection-toolsets";
import { callerOf, currentMcpRequest, toolContextFor, type McpCaller, type McpRequestContext } from "./context";
import { accessEndedResponse, endGrantAndChallenge } from "./reauthenticate";
import { CredentialHandle } from "../credentials/credential-handle";
import { credentialStoreFor, type CredentialStoreEnv } from "../credentials/credential-store";
import { createLegacySseHandler, type McpDoor } from "./legacy-sse";
import { mayWrite } from "../oauth/scopes";
import { insufficientScopeChallenge, invalidTokenChallenge } from "../oauth/challenges";
import { WRITE_TOOL_SCOPES, writeToolsCalled } from "./tools/scope-policy";
import { describeMcpMessage, onlyToolCalls, summariseJsonRpc, type JsonRpcBody } from "./json-rpc-body";
import { SERVER_INFO } from "../server-info";
import { SERVER_INSTRUCTIONS } from "./instructions";
import { accessPolicyOf, type Config } from "../config";
import { checkAccessPolicy } from "../access/policy";
import { annotateRequest, markPhase } from "../observability/log";
import { foreignOriginResponse, readMessageText } from "./request-guards";
import { backendOfPath, grantServes } from "../credentials/grant-binding";

/** The door both transports go through (see the top of this file). */
export function createMcpDoor(config: Config): McpDoor {
  const handler = createStreamableTransport(config);
  const allowedOrigins = [new URL(config.publicUrl).origin, ...config.allowedOrigins];
  return {
    async enter(request, env, ctx) {
      markPhase("auth");
      const forbidden = foreignOriginResponse(request, allowedOrigins);
      if (forbidden) return { refused: forbidden };
      const { oauth, auth, props } = callerOf(env, ctx);
      // A grant serves one backend: Xano here, or one upstream server at /servers/{name}/mcp (credentials/grant-binding.ts).
      if (!grantServes(props, backendOfPath(new URL(request.url).pathname))) return { refused: invalidTokenChallenge(config.publicUrl, "This access token was issued for another server behind this front door") };
      annotateRequest({ userId: auth.userId, clientId: auth.clientId, email: props.xanoUser.email ?? undefined });
      const policy = accessPolicyOf(env);
      const access = checkAccessPolicy(props, policy);
      if (!access.allowed) return { refused: await accessEndedResponse(oauth, auth, config.publicUrl, access, policy) };
      return { caller: { oauth, auth, props, heldReadOnly: access.readOnly } };
    },

    async serve(request, env, ctx, { oauth, auth, props, heldReadOnly }) {
      const requested = urlToolsets(new URL(request.url));
      if (!requested.ok) return requested.response;
      const context: McpRequestContext = {
        props,
        credentialHandle: CredentialHandle.for(env as unknown as CredentialStoreEnv, props, (work) => ctx.waitUntil(work)),
        canWrite: !heldReadOnly && mayWrite(auth.scope, props.access),
        toolsets: grantToolsets(props, config),
        narrowedBy: requested.narrowedBy,
        activity: activityRecorder(env, ctx, {
          userId: props.userId,
          proof: props.proof,
          ...(props.personalTokenId ? { via: "token", app: props.personalTokenName ?? props.personalTokenId } : { via: "oauth", app: auth.clientId ?? "unknown" }),
        }),
      };
      let body: JsonRpcBody | null = null;
      if (request.method === "POST") {
        const read = await readMessageText(request);
        if ("response" in read) return read.response;
        body = summariseJsonRpc(read.text);
        // JSON the SDK gets parsed (below); anything else it reads again, to answer the parse error itself.
        if (!body.parsed) request = new Request(request, { body: read.text });
        markPhase("body");
      }
      annotateRequest(describeMcpMessage(body));
      if (body) {
        const refused = await guardToolCalls(config, context, body, heldReadOnly);
        if (refused) return refused;
        context.calledTools = onlyToolCalls(body);
        markPhase("guard");
      }
      // Parsed once, here: the handler neither clones nor reads the body again. (Its other entry,
      // with ctx, only adds the SDK's authInfo, which nothing of ours reads: tools get the caller
      // from currentMcpRequest.)
      const response = await currentMcpRequest.run(context, () => (body?.parsed ? handler.fetch(request, { parsedBody: body.value }) : handler(request, env, ctx)));
      if (request.method !== "POST") return response;
      // Wait for the exchange to finish (tools run while the body is produced), so a credential
      // that died during it turns the whole response into the re-authentication challenge.
      markPhase("sdk");
      const answer = await response.arrayBuffer();
      markPhase("buffer");
      if (context.credentialHandle.dead) return endGrantAndChallenge(oauth, auth, config.publicUrl, context.credentialHandle.dead);
      return new Response(answer, response);
    },
  };
}

/** /mcp: the door's two steps, one after the other. */
export function createStreamableHandler(door: McpDoor) {
  return {
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      const entered = await door.enter(request, env, ctx);
      return "refused" in entered ? entered.refused : door.serve(request, env, ctx, entered.caller);
    },
  };
}

/**
 * /sse: the legacy HTTP+SSE transport over the same door (legacy-sse.ts). Opening a stream first
 * checks the grant's credential, so a dead one meets the re-authentication challenge at once.
 */
export function createSseHandler(config: Config, door: McpDoor) {
  return createLegacySseHandler(door, async (env: Env, { oauth, auth, props }: McpCaller) => {
    const status = await credentialStoreFor(env as unknown as CredentialStoreEnv, props.storeId).status();
    if (!status || status.dead) return endGrantAndChallenge(oauth, auth, config.publicUrl, status?.dead?.reason ?? "no credential stored");
    return null;
  });
}

/** The SDK's Streamable HTTP handler, with a fresh McpServer per request built for that request's context. */
function createStreamableTransport(config: Config) {
  const publicHost = new URL(config.publicUrl).hostname;
  return createMcpHandler(
    () => {
      markPhase("transport");
      const server = new McpServer(SERVER_INFO, { instructions: SERVER_INSTRUCTIONS });
      // A read-only grant is not shown the tools it may not call (and guardToolCalls refuses them);
      // a connection lists only its toolsets (connection-toolsets.ts).
      const { canWrite = false, calledTools, toolsets, narrowedBy } = currentMcpRequest.getStore() ?? {};
      const allowed = toolsFor(config, { toolsets, narrowedBy, canWrite });
      const registered = calledTools ? allowed.filter((tool) => calledTools.includes(tool.name)) : allowed;
      registerTools(server as unknown as ToolHost, registered, () => {
        const context = currentMcpRequest.getStore();
        if (!context) throw new Error("tool call outside an MCP request");
        return toolContextFor(context, config.xanoAccountUrl);
      }, recordInActivity);
      // A call of a catalogue tool outside the connection's toolsets gets the envelope saying where
      // it is and how to enable it, not the SDK's bare "tool not found". Registered only when the
      // request holds nothing but tool calls, so no tools/list can ever show it.
      for (const name of new Set(calledTools ?? [])) {
        const tool = findTool(name);
        if (!tool || registered.some((listed) => listed.name === name)) continue;
        (server as unknown as ToolHost).registerTool(name, { description: tool.description, inputSchema: z.looseObject({}) }, async (args) => observed(name, args, async () => notAvailable(tool, toolsets), recordInActivity));
      }
      markPhase("server");
      return server;
    },
    {
      route: "/mcp",
      allowedHostnames: [publicHost],
      allowedOriginHostnames: [publicHost, ...config.allowedOrigins.map((o) => new URL(o).hostname)],
    },
  );
}

/** Every tool call of an MCP request, on either transport, is recorded in the person's activity here. */
const recordInActivity: ToolCallObserver = (...call) => currentMcpRequest.getStore()?.activity?.toolCalled(...call);

/**
 * Before a JSON-RPC body reaches the MCP server: a write tool called with a read-only token gets
 * the 403 step-up challenge (MCP 2025-11-25 "Scope challenge handling"), naming every scope the
 * call needs; then every tools/call counts against the grant's rate limit (429 when over).
 */
async function guardToolCalls(config: Config, context: McpRequestContext, body: JsonRpcBody, heldReadOnly: boolean): Promise<Response | null> {
  const calls = body.toolCalls;
  if (calls.length === 0) return null;
  if (!context.canWrite) {
    const writes = writeToolsCalled(body, toolsFor(config));
    if (writes.length > 0) {
      const why = heldReadOnly ? "this server's operator allows this account read-only access (READ_ONLY_USERS)" : "this connection was approved read-only";
      return insufficientScopeChallenge(config.publicUrl, WRITE_TOOL_SCOPES, `${writes.join(", ")} changes data; ${why}`);
    }
  }
  // Counted by the grant's credential store, in the hop that also fetches the calls' credential.
  const decision = await context.credentialHandle.admitToolCalls(calls.length, config.rateLimits.toolCallsPerMinute, TOOL_CALL_WINDOW_MS);
  return decision.allowed ? null : jsonRpcTooManyRequests(decision.retryAfterSeconds, body.firstId);
}

const TOOL_CALL_WINDOW_MS = 60_000;

/**
 * 429 for the MCP endpoints: a JSON-RPC error answering the first request of the body (id null if
 * it cannot be read), so a client that shows JSON-RPC errors shows ours.
 */
export function jsonRpcTooManyRequests(retryAfterSeconds: number, firstId: string | number | null): Response {
  return new Response(
    JSON.stringify({
      jsonrpc: "2.0",
      id: firstId,
      error: { code: -32029, message: `Too many tool calls on this connection. Try again in ${retryAfterSeconds} s.`, data: { retryAfterSeconds } },
    }),
    { status: 429, headers: { "Content-Type": "application/json", "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}

