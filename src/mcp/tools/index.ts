/** The tool catalogue, grouped by Xano area. Both MCP endpoints serve exactly this list. */
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

export const TOOLS: readonly ToolDefinition[] = [
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
  apis.listApis, apis.getApi, apis.createApi, apis.updateApi, apis.deleteApi, apis.getApiOpenApi, apis.getWorkspaceOpenApi,
  functions.listFunctions,
  history.browseRequestHistory, history.searchRequestHistory,
];

/** Offered only with DEBUG_TOOLS=true. */
export const DEBUG_TOOLS: readonly ToolDefinition[] = [debugAuth, debugExpireOAuthTokens, debugRefreshProfile];

export function toolsFor(config: { debugTools: boolean }): readonly ToolDefinition[] {
  return config.debugTools ? [...TOOLS, ...DEBUG_TOOLS] : TOOLS;
}
