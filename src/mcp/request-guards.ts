/**
 * Checks at the door of the MCP endpoints, before any transport code runs.
 *
 * Origin (DNS-rebinding protection; MCP transports: "Servers MUST validate the Origin header … If
 * the Origin header is present and invalid, servers MUST respond with HTTP 403"): allowed are no
 * Origin (every non-browser client), this server's own public origin and the browser-based clients
 * listed in ALLOWED_ORIGINS, exactly. createMcpHandler's own check compares host names only (any
 * port, any scheme).
 *
 * Message bodies: read once, at most 4 MiB, on both transports (a legacy SSE message goes through
 * the /mcp door too: see legacy-sse.ts).
 */
import { readBounded } from "../lib/bounded-body";

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

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers: { "Cache-Control": "no-store" } });
}
