/** The tool catalogue, grouped by Xano area. Both MCP endpoints serve exactly this list. */
import { listInstances, whoami } from "./account";
import { browseTableContent } from "./content";
import * as records from "./content";
import * as files from "./files";
import * as apis from "./apis";
import * as functions from "./functions";
import * as history from "./history";
import type { ToolDefinition } from "./registry";
import { listTables } from "./tables";
import { listDatabases } from "./workspaces";

import { debugAuth, debugExpireOAuthTokens, debugRefreshProfile } from "./debug";

export const TOOLS: readonly ToolDefinition[] = [whoami, listInstances, listDatabases, listTables, browseTableContent,
  // Records, files, API groups and endpoints, functions, request history.
  records.searchTableContent, records.getTableRecord, records.createTableRecord, records.updateTableRecord, records.deleteTableRecord,
  records.bulkCreateRecords, records.bulkUpdateRecords, records.bulkDeleteRecords, records.updateRecordsBySearch, records.truncateTable,
  files.listFiles, files.uploadFile, files.deleteFile, files.bulkDeleteFiles,
  apis.listApiGroups, apis.getApiGroup, apis.createApiGroup, apis.updateApiGroup, apis.deleteApiGroup, apis.getApiGroupOpenApi,
  apis.listApis, apis.getApi, apis.createApi, apis.updateApi, apis.deleteApi,
  functions.listFunctions, history.browseRequestHistory, history.searchRequestHistory,
];

/** Offered only with DEBUG_TOOLS=true. */
export const DEBUG_TOOLS: readonly ToolDefinition[] = [debugAuth, debugExpireOAuthTokens, debugRefreshProfile];

export function toolsFor(config: { debugTools: boolean }): readonly ToolDefinition[] {
  return config.debugTools ? [...TOOLS, ...DEBUG_TOOLS] : TOOLS;
}
