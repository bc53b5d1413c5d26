/** What a person does with the MCP URL once the server is deployed: one short recipe per client. */

export function connectInstructions(publicUrl) {
  const mcpUrl = `${publicUrl}/mcp`;
  return `
────────────────────────────────────────────────────────────────────
 Your MCP server URL:  ${mcpUrl}

 Add it to your AI assistant (each one opens the sign-in page the first time):

 Claude (claude.ai or Claude Desktop)
   Settings → Connectors → Add custom connector → paste the URL → Add, then Connect.

 ChatGPT
   Settings → Apps & Connectors → Advanced settings → turn on Developer mode,
   then Create (a connector) → paste the URL, authentication "OAuth".

 Cursor  (~/.cursor/mcp.json, or .cursor/mcp.json in a project)
   { "mcpServers": { "xano": { "url": "${mcpUrl}" } } }

 VS Code  (Command Palette → "MCP: Add Server" → HTTP → paste the URL, or .vscode/mcp.json)
   { "servers": { "xano": { "type": "http", "url": "${mcpUrl}" } } }

 Anthropic API (MCP connector; header "anthropic-beta: mcp-client-2025-04-04")
   "mcp_servers": [{ "type": "url", "url": "${mcpUrl}", "name": "xano",
                     "authorization_token": "<an access token from this server>" }]
   Your app signs in with OAuth itself and passes the access token (for a quick test,
   \`npx @modelcontextprotocol/inspector\` signs in and shows one).

 Any other client: \`npx mcp-remote ${mcpUrl}\`
────────────────────────────────────────────────────────────────────`;
}
