/**
 * The OAuth library answers an MCP request that carries no bearer token with a 401 and its
 * challenge but an empty body, which a person trying the endpoint with curl cannot read. This adds
 * a short JSON body naming the problem; status and headers (the WWW-Authenticate challenge that
 * MCP clients act on) are kept exactly as the library set them.
 */
export function explainMissingToken(response: Response): Response {
  if (response.status !== 401 || response.body !== null) return response;
  const headers = new Headers(response.headers);
  headers.set("Content-Type", "application/json");
  const body = {
    error: "unauthorized",
    error_description:
      "This MCP endpoint needs an OAuth access token (Authorization: Bearer …). An MCP client gets one by itself: it follows the WWW-Authenticate header's resource_metadata to sign in.",
  };
  return new Response(JSON.stringify(body), { status: 401, headers });
}
