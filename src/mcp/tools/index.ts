/** The tool catalogue, grouped by Xano area. Both MCP endpoints serve exactly this list. */
import { getInstanceDetails, listInstances, whoami } from "./account";
import { browseTableContent } from "./content";
import type { ToolDefinition } from "./registry";
import { createTable, deleteTable, getTableDetails, listTables, updateTable } from "./tables";
import { deleteBranch, exportWorkspaceSchema, getWorkspaceDetails, listBranches, listDataSources, listDatabases } from "./workspaces";
import { addFieldToSchema, deleteField, getSchemaField, getTableSchema, renameSchemaField, replaceTableSchema } from "./schema";
import { createIndex, deleteIndex, listIndexes } from "./indexes";

import { debugAuth, debugExpireOAuthTokens, debugRefreshProfile } from "./debug";

export const TOOLS: readonly ToolDefinition[] = [
  whoami, listInstances, listDatabases, listTables, browseTableContent,
  // Account, workspaces, tables, schema, indexes (issue 4).
  getInstanceDetails,
  getWorkspaceDetails, listBranches, deleteBranch, listDataSources, exportWorkspaceSchema,
  getTableDetails, createTable, updateTable, deleteTable,
  getTableSchema, getSchemaField, addFieldToSchema, renameSchemaField, deleteField, replaceTableSchema,
  listIndexes, createIndex, deleteIndex,
];

/** Offered only with DEBUG_TOOLS=true. */
export const DEBUG_TOOLS: readonly ToolDefinition[] = [debugAuth, debugExpireOAuthTokens, debugRefreshProfile];

export function toolsFor(config: { debugTools: boolean }): readonly ToolDefinition[] {
  return config.debugTools ? [...TOOLS, ...DEBUG_TOOLS] : TOOLS;
}
