/**
 * Checks at the door of the MCP endpoints, before any transport code runs.
 *
 * Origin (DNS-rebinding protection; MCP transports: "Servers MUST validate the Origin header … If
 * the Origin header is present and invalid, servers MUST respond with HTTP 403"): allowed are no
 * Origin (every non-browser client), this server's own public origin and the browser-based clients
 * listed in ALLOWED_ORIGINS, exactly. createMcpHandler's own check compares host names only (any
 * port, any scheme) and McpAgent's /sse has none.
 *
 * Message bodies: read once, at most 4 MiB, on both transports. Legacy SSE messages also get the
 * checks McpAgent lacks (a body that is not JSON, or nested too deep, was an uncaught exception: a 500).
 */
import { readBounded } from "../lib/bounded-body";
import type { JsonRpcBody } from "./json-rpc-body";

const JSON_RPC_FORBIDDEN = { jsonrpc: "2.0", error: { code: -32000, message: "Forbidden: Origin not allowed" }, id: null };

export function foreignOriginResponse(request: Request, allowedOrigins: readonly string[]): Response | null {
  const origin = request.headers.get("Origin");
  if (origin === null || allowedOrigins.includes(origin)) return null;
  return Response.json(JSON_RPC_FORBIDDEN, { status: 403, headers: { "Cache-Control": "no-store" } });
}

/** The MCP SDKs' cap on a POSTed message (4 MiB), applied by us to both transports before reading. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * A POSTed message's text, read once and at most MAX_MESSAGE_BYTES, with or without a
 * Content-Length (a chunked body is counted as it arrives and cancelled past the cap); or the
 * 413 answer.
 */
export async function readMessageText(request: Request): Promise<{ text: string } | { response: Response }> {
  let read;
  try {
    read = await readBounded(request, MAX_MESSAGE_BYTES);
  } catch {
    return { response: jsonRpcError(400, -32700, "Parse error: the body could not be read") };
  }
  if (!read.ok) return { response: jsonRpcError(413, -32600, `Request body larger than ${MAX_MESSAGE_BYTES} bytes`) };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(read.bytes) };
  } catch {
    return { response: jsonRpcError(400, -32700, "Parse error: the body is not UTF-8") };
  }
}

/**
 * Legacy SSE only: McpAgent parses a POSTed message without catching, so what it cannot survive
 * is refused here with a 4xx (the /mcp handler answers these itself).
 */
export function legacyMessageProblem(text: string, body: JsonRpcBody): Response | null {
  if (!body.parsed) return jsonRpcError(400, -32700, "Parse error: Invalid JSON");
  // Handing a very deeply nested message to the session object overflows the runtime's stack (a
  // 500); no MCP message needs more than a few dozen levels.
  if (nestingDepth(text) > MAX_NESTING) return jsonRpcError(400, -32600, `Invalid Request: nested deeper than ${MAX_NESTING} levels`);
  return null;
}

const MAX_NESTING = 64;

/** The deepest nesting of objects and arrays in valid JSON text (brackets inside strings ignored). */
function nestingDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") deepest = Math.max(deepest, ++depth);
    else if (c === "}" || c === "]") depth--;
  }
  return deepest;
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers: { "Cache-Control": "no-store" } });
}
