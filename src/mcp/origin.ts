/**
 * DNS-rebinding protection for the MCP endpoints (MCP transports: "Servers MUST validate the Origin
 * header … If the Origin header is present and invalid, servers MUST respond with HTTP 403").
 * Allowed: no Origin (every non-browser client) or this server's own public origin. /mcp gets the
 * same check from createMcpHandler (allowedOriginHostnames); McpAgent's /sse has none, hence this.
 */
export function foreignOriginResponse(request: Request, publicUrl: string): Response | null {
  const origin = request.headers.get("Origin");
  if (origin === null || origin === new URL(publicUrl).origin) return null;
  return Response.json(
    { jsonrpc: "2.0", error: { code: -32000, message: "Forbidden: Origin not allowed" }, id: null },
    { status: 403, headers: { "Cache-Control": "no-store" } },
  );
}
