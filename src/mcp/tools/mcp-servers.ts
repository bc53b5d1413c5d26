/** MCP servers built in Xano (which expose AI tools to assistants), and their triggers. */
import { operationTool } from "./operation-tool";
import { scriptObjectTools } from "./script-objects";

const mcp = { toolset: "mcp_servers" as const, area: "MCP servers" };

export const MCP_SERVER_TOOLS = [
  ...scriptObjectTools({ ...mcp, base: "mcp_server", one: "mcp_server", many: "mcp_servers", noun: "MCP server", keyword: "mcp_server", about: "servers that expose AI tools over MCP" }),
  ...scriptObjectTools({ ...mcp, base: "mcp_server.trigger", one: "mcp_server_trigger", many: "mcp_server_triggers", noun: "MCP server trigger", keyword: "mcp_server_trigger", about: "logic run on an MCP server's events" }),
  operationTool({
    ...mcp, name: "xano_get_mcp_server_documentation", title: "Get Xano's MCP server documentation", kind: "read", operation: "mcp_server.documentation.get", noun: "documentation",
    large: {},
    description: "Reads the documentation Xano serves about building MCP servers in Xano (type picks the part; default start). Large answers come in parts.",
  }),
];
