/**
 * The tool catalogue, grouped by toolset and Xano area. Both MCP endpoints serve this list (or the
 * part `toolsFor` selects), in this order.
 */
import * as account from "./account";
import * as workspaces from "./workspaces";
import * as tables from "./tables";
import * as schema from "./schema";
import * as indexes from "./indexes";
import * as records from "./content";
import * as files from "./files";
import * as apis from "./apis";
import * as functions from "./functions";
import * as history from "./history";
import type { ToolDefinition } from "./registry";
import { debugAuth, debugExpireOAuthTokens, debugRefreshProfile } from "./debug";
import { LOGIC_TOOLS } from "./logic";
import { AGENT_TOOLS } from "./agents";
import { MCP_SERVER_TOOLS } from "./mcp-servers";
import { REALTIME_TOOLS } from "./realtime";
import { WORKFLOW_TEST_TOOLS } from "./workflow-tests";
import { STATIC_HOSTING_TOOLS } from "./static-hosting";
import { OPERATION_TOOLS } from "./operations";
import { MORE_DATA_TOOLS } from "./data-more";
import { getXanoScriptReference } from "./xanoscript";
import { catalogueTools } from "./catalogue";
import { selectTools, type ToolsetChoice } from "./toolsets";

/** Tools written before the operation table (one module per area). */
export const FIRST_TOOLS: readonly ToolDefinition[] = [
  account.whoami, account.listInstances, account.getInstanceDetails,
  workspaces.listDatabases, workspaces.getWorkspaceDetails, workspaces.listBranches, workspaces.deleteBranch,
  workspaces.listDataSources, workspaces.exportWorkspaceSchema,
  tables.listTables, tables.getTableDetails, tables.createTable, tables.updateTable, tables.deleteTable,
  schema.getTableSchema, schema.getSchemaField, schema.addFieldToSchema, schema.renameSchemaField, schema.deleteField, schema.replaceTableSchema,
  indexes.listIndexes, indexes.createIndex, indexes.deleteIndex,
  records.browseTableContent, records.searchTableContent, records.getTableRecord, records.createTableRecord, records.updateTableRecord,
  records.deleteTableRecord, records.bulkCreateRecords, records.bulkUpdateRecords, records.bulkDeleteRecords, records.updateRecordsBySearch,
  records.truncateTable,
  files.listFiles, files.uploadFile, files.deleteFile, files.bulkDeleteFiles,
  apis.listApiGroups, apis.getApiGroup, apis.createApiGroup, apis.updateApiGroup, apis.deleteApiGroup, apis.getApiGroupOpenApi,
  apis.listApis, apis.getApi, apis.createApi, apis.updateApi, apis.deleteApi,
  functions.listFunctions,
  history.browseRequestHistory, history.searchRequestHistory,
];

/** The common path of data and logic work among the first tools: listed by default (toolsets.ts). */
const COMMON = new Set([
  "whoami", "xano_list_databases", "xano_get_workspace_details", "xano_list_branches",
  "xano_list_tables", "xano_get_table_details", "xano_create_table", "xano_update_table", "xano_delete_table",
  "xano_get_table_schema", "xano_add_field_to_schema", "xano_rename_schema_field", "xano_delete_field",
  "xano_list_indexes", "xano_create_index", "xano_delete_index",
  "xano_browse_table_content", "xano_search_table_content", "xano_get_table_record", "xano_create_table_record",
  "xano_update_table_record", "xano_delete_table_record", "xano_bulk_create_records",
  "xano_list_files", "xano_upload_file",
  "xano_list_api_groups", "xano_get_api_group", "xano_create_api_group", "xano_list_apis", "xano_get_api", "xano_create_api", "xano_update_api",
  "xano_list_functions", "xano_browse_request_history",
]);

const WITHOUT_CATALOGUE: readonly ToolDefinition[] = [
  ...FIRST_TOOLS.map((tool) => (COMMON.has(tool.name) ? { ...tool, common: true } : tool)),
  ...MORE_DATA_TOOLS,
  getXanoScriptReference,
  ...LOGIC_TOOLS,
  ...AGENT_TOOLS,
  ...MCP_SERVER_TOOLS,
  ...REALTIME_TOOLS,
  ...WORKFLOW_TEST_TOOLS,
  ...STATIC_HOSTING_TOOLS,
  ...OPERATION_TOOLS,
];

/** Every tool, in a fixed order: tools/list is deterministic. */
export const TOOLS: readonly ToolDefinition[] = [...WITHOUT_CATALOGUE, ...catalogueTools(() => TOOLS)];

/** Offered only with DEBUG_TOOLS=true. */
export const DEBUG_TOOLS: readonly ToolDefinition[] = [debugAuth, debugExpireOAuthTokens, debugRefreshProfile];

/**
 * The tools a connection lists. Without options: every tool. `toolsets`: the grant's choice (or
 * the server's XANO_TOOLSETS), "default" for the common path, or a list (toolsets.ts);
 * `narrowedBy`: the request's `?toolsets=`, which only narrows: a tool is listed when both
 * choices select it. The catalogue tools are always in. `canWrite: false` keeps read tools and
 * xano_call_operation (which then refuses writes itself). Pure: same input, same list, same order.
 */
export function toolsFor(
  config: { debugTools: boolean },
  options: { toolsets?: ToolsetChoice | "default"; narrowedBy?: ToolsetChoice; canWrite?: boolean } = {},
): readonly ToolDefinition[] {
  const all = config.debugTools ? [...TOOLS, ...DEBUG_TOOLS] : TOOLS;
  if (options.toolsets === undefined && options.narrowedBy === undefined && options.canWrite !== false) return all;
  const chosen = selectTools(all, { toolsets: options.toolsets, canWrite: options.canWrite });
  return options.narrowedBy === undefined ? chosen : selectTools(chosen, { toolsets: options.narrowedBy });
}

/** The catalogue's tool of that name (debug tools included), whether or not a connection lists it. */
export function findTool(name: string): ToolDefinition | undefined {
  return TOOLS.find((tool) => tool.name === name) ?? DEBUG_TOOLS.find((tool) => tool.name === name);
}
