/**
 * The MCP server a client of /servers/{name}/mcp talks to, built for one request: an SDK v2
 * low-level `Server` (served by the same `createMcpHandler` as /mcp, so the same protocol
 * revisions) whose handlers forward to the upstream (forward.ts):
 *
 *   tools/list                 the upstream's tools the connection may see (tool-filter.ts)
 *   tools/call                 forwarded when the tool is offered; else a TOOL_NOT_AVAILABLE tool error
 *   resources/*, prompts/*     forwarded as they are, when the upstream declares them
 *
 * A 429, 5xx or timeout upstream becomes a retryable tool error (tools/call) or a JSON-RPC error
 * (the others), both carrying `retryAfterSeconds`. A 401 upstream is left to the door, which ends
 * the grant (door.ts). Tool calls are recorded in the person's activity like Xano's.
 */
import { Server } from "@modelcontextprotocol/server";
import { failure } from "../mcp/envelope";
import { observed, type ToolCallObserver } from "../mcp/tools/registry";
import type { ToolResult } from "../mcp/envelope";
import { SERVER_INFO } from "../server-info";
import { maskSecrets } from "../credentials/secret-mask";
import { UpstreamRejectedError, UpstreamUnavailableError, type UpstreamCapabilities, type UpstreamConnection } from "./forward";
import type { UpstreamServer } from "./servers";
import { decideCall, listedTools } from "./tool-filter";

export interface ProxyRequest {
  server: UpstreamServer;
  upstream: UpstreamConnection;
  canWrite: boolean;
  onToolCalled?: ToolCallObserver;
  /** The person's upstream secrets seen in this request, masked out of every answer (credentials/secret-mask.ts). */
  secrets?: () => readonly string[];
}

export async function buildProxyServer({ server, upstream, canWrite, onToolCalled: observer, secrets }: ProxyRequest): Promise<Server> {
  const masked = `[redacted: your token for ${server.title}]`;
  const mask = <T>(value: T): T => maskSecrets(value, secrets?.() ?? [], masked);
  // The upstream's own tool errors carry no code of ours: the activity records them as UPSTREAM_TOOL_ERROR.
  const onToolCalled: ToolCallObserver | undefined =
    observer && ((tool, args, result, ...rest) => observer(tool, args, result.isError && typeof (result.structuredContent?.error as { code?: unknown } | undefined)?.code !== "string" ? UPSTREAM_TOOL_ERROR : result, ...rest));
  const offered = await upstream.initialize();
  const capabilities: UpstreamCapabilities = { tools: {} };
  if (offered.resources) capabilities.resources = {};
  if (offered.prompts) capabilities.prompts = {};
  const proxy = new Server({ name: `${SERVER_INFO.name}/${server.name}`, version: SERVER_INFO.version }, { capabilities });
  const maskError = (error: Error): Error => {
    const { code, data } = error as Error & { code?: unknown; data?: unknown };
    return Object.assign(new Error(mask(error.message)), typeof code === "number" ? { code } : {}, data === undefined ? {} : { data: mask(data) });
  };
  const forwarded = <T>(work: () => Promise<T>): Promise<T> => work().then(mask, (error) => Promise.reject(maskError(asJsonRpcError(upstream.explain(error)))));
  const h = proxy as unknown as { setRequestHandler(method: string, handler: (request: { params?: any }) => Promise<unknown>): void };

  h.setRequestHandler("tools/list", async () => forwarded(async () => ({ tools: listedTools(server, await upstream.allTools(), canWrite) })));
  h.setRequestHandler("tools/call", async (request) => {
    const name = String(request.params?.name ?? "");
    const args = request.params?.arguments ?? {};
    return observed(name, args, async () => mask(await callTool(server, upstream, canWrite, name, args)), onToolCalled);
  });
  if (offered.resources) {
    for (const method of ["resources/list", "resources/templates/list", "resources/read"]) h.setRequestHandler(method, (request) => forwarded(() => upstream.call(method, request.params)));
  }
  if (offered.prompts) {
    for (const method of ["prompts/list", "prompts/get"]) h.setRequestHandler(method, (request) => forwarded(() => upstream.call(method, request.params)));
  }
  return proxy;
}

async function callTool(server: UpstreamServer, upstream: UpstreamConnection, canWrite: boolean, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  try {
    const tool = (await upstream.allTools()).find((t) => t.name === name);
    // The door refused a write on a read-only grant before this ran (403); this is the backstop.
    if (!decideCall(server, tool, canWrite).allowed) {
      return failure(name, { code: "TOOL_NOT_AVAILABLE", message: `The tool ${name} is not available on this connection to ${server.title}.` });
    }
    return (await upstream.call("tools/call", { name, arguments: args })) as ToolResult;
  } catch (error) {
    const explained = upstream.explain(error);
    if (explained instanceof UpstreamRejectedError) throw explained;
    if (explained instanceof UpstreamUnavailableError) return retryable(name, server, explained);
    throw explained;
  }
}

const UPSTREAM_TOOL_ERROR: ToolResult = { isError: true, content: [], structuredContent: { error: { code: "UPSTREAM_TOOL_ERROR" } } };

/** A 429/5xx/timeout upstream, as a tool error the assistant can act on. */
export function retryable(name: string, server: UpstreamServer, error: UpstreamUnavailableError): ToolResult {
  const wait = error.retryAfterSeconds;
  return failure(name, {
    code: error.status === 429 ? "RATE_LIMITED" : "UPSTREAM_UNAVAILABLE",
    message: `${server.title} is unavailable right now (${error.message}). ${wait !== null ? `Try again in ${wait} s.` : "Try again shortly."}`,
    details: { retryable: true, upstreamStatus: error.status, ...(wait !== null ? { retryAfterSeconds: wait } : {}) },
  });
}

/**
 * What a non-tool request answers when the upstream fails: a JSON-RPC error with the same details.
 * The upstream's own JSON-RPC errors (an McpError, with its code and data) go back as they are.
 */
function asJsonRpcError(error: Error): Error {
  if (!(error instanceof UpstreamUnavailableError)) return error;
  return Object.assign(new Error(error.message), { code: UPSTREAM_UNAVAILABLE_RPC_CODE, data: { retryable: true, upstreamStatus: error.status, retryAfterSeconds: error.retryAfterSeconds } });
}

/** Server-defined JSON-RPC error code (-32000…-32099) for an upstream that is unavailable for now. */
const UPSTREAM_UNAVAILABLE_RPC_CODE = -32003;
