/**
 * The door of every upstream MCP server: /servers/{name}/mcp (Streamable HTTP, the same protocol
 * revisions as /mcp), an OAuth-protected API route of the library like /mcp (src/index.ts).
 *
 *   enter   the MCP door's own step (mcp/server.ts): Origin, the caller from the grant, the grant
 *           bound to this server (credentials/grant-binding.ts), the operator's lists
 *   serve   the body (read once, capped), the message on the log line; for tool calls the grant's
 *           rate limit (counted by its credential store, as on /mcp), then a read-only grant
 *           calling a tool the upstream does not mark readOnlyHint → the 403 step-up challenge;
 *           then the proxy (proxy.ts) over the upstream connection (forward.ts)
 *   after   an upstream 401 that one refresh did not cure (forward.ts) ends the grant with the
 *           re-authentication challenge; an upstream that could not even be initialized
 *           (429/5xx/timeout, or an oauth credential whose refresh failed for now) answers a
 *           single tool call with a retryable tool error (recorded in the person's activity like
 *           the proxy's calls), anything else 503 with its Retry-After
 *
 * The rate limit is asked before the upstream's tool list, so a connection over its limit costs
 * the upstream nothing.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createMcpHandler } from "agents/mcp/server";
import { activityRecorder } from "../activity/record";
import { CredentialHandle } from "../credentials/credential-handle";
import { credentialStoreFor, type CredentialStoreEnv } from "../credentials/credential-store";
import type { Config } from "../config";
import type { McpCaller } from "../mcp/context";
import type { McpDoor } from "../mcp/legacy-sse";
import { describeMcpMessage, summariseJsonRpc, type JsonRpcBody } from "../mcp/json-rpc-body";
import { endGrantAndChallenge } from "../mcp/reauthenticate";
import { readMessageText } from "../mcp/request-guards";
import { jsonRpcTooManyRequests } from "../mcp/server";
import { WRITE_TOOL_SCOPES } from "../mcp/tools/scope-policy";
import { insufficientScopeChallenge } from "../oauth/challenges";
import { mayWrite } from "../oauth/scopes";
import { annotateRequest } from "../observability/log";
import { backendOfPath, serverPath } from "../credentials/grant-binding";
import { UpstreamConnection } from "./forward";
import { buildProxyServer, retryable, type ProxyRequest } from "./proxy";
import { findServer, type UpstreamServer } from "./servers";
import { decideCall, type CallDecision } from "./tool-filter";

const TOOL_CALL_WINDOW_MS = 60_000;

const currentUpstreamRequest = new AsyncLocalStorage<ProxyRequest>();

export function createUpstreamDoor(config: Config, door: McpDoor) {
  const publicHost = new URL(config.publicUrl).hostname;
  const handlers = new Map(
    config.upstreamServers.map((server) => [
      server.name,
      createMcpHandler(
        () => {
          const request = currentUpstreamRequest.getStore();
          if (!request) throw new Error("upstream MCP request outside its door");
          return buildProxyServer(request);
        },
        { route: serverPath(server.name), allowedHostnames: [publicHost], allowedOriginHostnames: [publicHost, ...config.allowedOrigins.map((o) => new URL(o).hostname)] },
      ),
    ]),
  );
  return {
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      const name = backendOfPath(new URL(request.url).pathname);
      const server = name ? findServer(config.upstreamServers, name) : null;
      const handler = server ? handlers.get(server.name) : undefined;
      if (!server || !handler) return Response.json({ error: "not_found", error_description: "No MCP server is configured at this address" }, { status: 404 });
      const entered = await door.enter(request, env, ctx);
      if ("refused" in entered) return entered.refused;
      return serve(config, server, handler, request, env, ctx, entered.caller);
    },
  };
}

async function serve(config: Config, server: UpstreamServer, handler: ReturnType<typeof createMcpHandler>, request: Request, env: Env, ctx: ExecutionContext, caller: McpCaller): Promise<Response> {
  const { oauth, auth, props, heldReadOnly } = caller;
  const credentialHandle = CredentialHandle.forUpstream(env as unknown as CredentialStoreEnv, props);
  const upstream = new UpstreamConnection(server, credentialHandle);
  const canWrite = !heldReadOnly && mayWrite(auth.scope, props.access);
  const startedAt = Date.now();
  let body: JsonRpcBody | null = null;
  let text = "";
  if (request.method === "POST") {
    const read = await readMessageText(request);
    if ("response" in read) return read.response;
    text = read.text;
    body = summariseJsonRpc(text);
    request = new Request(request, { body: text });
  }
  annotateRequest(describeMcpMessage(body));
  const ended = () => endUpstreamGrant(env, caller, config.publicUrl, server);
  if (body && body.toolCalls.length > 0) {
    const decision = await credentialHandle.admitToolCalls(body.toolCalls.length, config.rateLimits.toolCallsPerMinute, TOOL_CALL_WINDOW_MS);
    if (!decision.allowed) return jsonRpcTooManyRequests(decision.retryAfterSeconds, body.firstId);
    if (!canWrite) {
      // An upstream that fails here fails again in the proxy, which answers each call with a tool error.
      const tools = await upstream.allTools().catch(() => null);
      if (upstream.rejected) return ended();
      const writes = tools ? body.toolCalls.filter((name) => needsWrite(decideCall(server, tools.find((t) => t.name === name), false))) : [];
      if (writes.length > 0) {
        const why = heldReadOnly ? "this server's operator allows this account read-only access (READ_ONLY_USERS)" : "this connection was approved read-only";
        return insufficientScopeChallenge(config.publicUrl, WRITE_TOOL_SCOPES, `${writes.join(", ")} may change data on ${server.title}; ${why}`);
      }
    }
  }
  const activity = activityRecorder(env, ctx, { userId: props.userId, proof: props.proof, via: "oauth", app: auth.clientId ?? "unknown" });
  const proxied: ProxyRequest = {
    server,
    upstream,
    canWrite,
    secrets: () => credentialHandle.secrets(),
    onToolCalled: (tool, ...rest) => activity.toolCalled(`${server.name}/${tool}`, ...rest),
  };
  const response = await currentUpstreamRequest.run(proxied, () => handler(request, env, ctx));
  if (request.method !== "POST") return response;
  // Wait for the exchange to finish (the upstream is called while the body is produced), so an
  // upstream 401 during it turns the whole response into the re-authentication challenge.
  const answer = await response.arrayBuffer();
  await upstream.close();
  if (upstream.rejected || credentialHandle.dead) return ended();
  if (response.status >= 500 && upstream.unavailable) {
    // One tool call meets it as a retryable tool error, as when the upstream fails later in the call (proxy.ts).
    if (body && body.methods.length === 1 && body.toolCalls.length === 1) {
      const result = retryable(body.toolCalls[0], server, upstream.unavailable);
      // Recorded like every other upstream call (the proxy never saw this one).
      activity.toolCalled(`${server.name}/${body.toolCalls[0]}`, toolArguments(text), result, startedAt, Date.now() - startedAt);
      return Response.json({ jsonrpc: "2.0", id: body.firstId, result }, { headers: { "Cache-Control": "no-store" } });
    }
    return unavailableResponse(upstream.unavailable.retryAfterSeconds, body?.firstId ?? null, server);
  }
  return new Response(answer, response);
}

/** The upstream refused the grant's credential: end the grant (and empty its store), answer 401. */
async function endUpstreamGrant(env: Env, { oauth, auth, props }: McpCaller, publicUrl: string, server: UpstreamServer): Promise<Response> {
  await credentialStoreFor(env as unknown as CredentialStoreEnv, props.storeId).forget();
  return endGrantAndChallenge(oauth, auth, publicUrl, `${server.name} rejected the upstream credential`, `${server.title} no longer accepts the credential of this connection; sign in again`);
}

/** The upstream could not be initialized (429/5xx/timeout): 503 with its Retry-After, as a JSON-RPC error. */
function unavailableResponse(retryAfterSeconds: number | null, id: string | number | null, server: UpstreamServer): Response {
  const headers = new Headers({ "Content-Type": "application/json", "Cache-Control": "no-store" });
  if (retryAfterSeconds !== null) headers.set("Retry-After", String(retryAfterSeconds));
  return new Response(
    JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32003, message: `${server.title} is unavailable right now; try again ${retryAfterSeconds !== null ? `in ${retryAfterSeconds} s` : "shortly"}.`, data: { retryable: true, retryAfterSeconds } } }),
    { status: 503, headers },
  );
}

/** The arguments of the one tools/call a body holds, for the activity (only the ids it names are kept). */
function toolArguments(text: string): unknown {
  try {
    const message = JSON.parse(text) as { params?: { arguments?: unknown } } | Array<{ params?: { arguments?: unknown } }>;
    return (Array.isArray(message) ? message[0] : message)?.params?.arguments;
  } catch {
    return undefined;
  }
}

function needsWrite(decision: CallDecision): boolean {
  return !decision.allowed && decision.reason === "needs_write";
}
