/** Name and version reported to MCP clients and on /health. */
export const SERVER_INFO = { name: "xano-mcp", version: "0.1.0" } as const;
