/** The tool catalogue, grouped by Xano area. Both MCP endpoints serve exactly this list. */
import { listInstances, whoami } from "./account";
import { browseTableContent } from "./content";
import type { ToolDefinition } from "./registry";
import { listTables } from "./tables";
import { listDatabases } from "./workspaces";

export const TOOLS: readonly ToolDefinition[] = [whoami, listInstances, listDatabases, listTables, browseTableContent];
