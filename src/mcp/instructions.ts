/**
 * The server instructions MCP clients show the model. src/mcp/server.ts gives them to the McpServer
 * it builds for each request, on both transports. The result shapes they describe are envelope.ts's.
 */
export const SERVER_INSTRUCTIONS =
  "Tools for one Xano instance's backend. Find ids first: xano_list_databases (workspaces), then xano_list_tables, " +
  "xano_get_table_schema, xano_list_api_groups, xano_list_functions. Lists are paged: when nextPage is not null, call again with page = nextPage; " +
  "large answers come in parts: call again with offset = nextOffset. " +
  "Logic (functions, endpoints, tasks, triggers, middleware, agents, AI tools, MCP servers) is written in XanoScript: call " +
  "xano_get_xanoscript_reference first, read the current code with include_xanoscript=true before changing it, and when Xano refuses a " +
  "script (error XANOSCRIPT_INVALID) fix the line it names and send it again. " +
  "Every Xano operation is reachable: if no listed tool fits, find it with xano_find_operations and run it with xano_call_operation. " +
  "Tools marked destructive (delete, truncate, replace, import, run) cannot be undone: confirm with the person first. Every result is " +
  "{ success: true, operation, message, data } or { success: false, operation, error: { code, message, details } }, whose error says what to do next.";
