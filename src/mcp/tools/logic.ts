/**
 * Logic written in XanoScript: functions, middleware, addons, scheduled tasks, table and workspace
 * triggers, and endpoints' OpenAPI and security. (API groups and endpoints, from fields or
 * XanoScript: apis.ts; the list of functions: functions.ts.)
 */
import { operationTool } from "./operation-tool";
import { scriptObjectTools } from "./script-objects";

const logic = { toolset: "logic" as const };

export const functionTools = scriptObjectTools({
  ...logic, base: "function", one: "function", many: "functions", noun: "function", keyword: "function", area: "Functions",
  about: "reusable logic called from endpoints, tasks and other functions", skipList: true, common: ["get", "create", "update", "delete"],
});

export const middlewareTools = scriptObjectTools({
  ...logic, base: "middleware", one: "middleware", many: "middleware", noun: "middleware", keyword: "middleware", area: "Middleware",
  about: "logic run before or after endpoints, functions and tasks", common: ["list", "get", "create", "update"],
});

export const addonTools = scriptObjectTools({
  ...logic, base: "addon", one: "addon", many: "addons", noun: "addon", keyword: "addon", area: "Addons",
  about: "queries that add related data to a query's result",
});

export const taskTools = scriptObjectTools({
  ...logic, base: "task", one: "task", many: "tasks", noun: "scheduled task", keyword: "task", area: "Tasks",
  about: "logic that runs on a schedule", common: ["list", "get", "create", "update", "delete"],
});

export const tableTriggerTools = scriptObjectTools({
  ...logic, base: "table.trigger", one: "table_trigger", many: "table_triggers", noun: "table trigger", keyword: "table_trigger", area: "Triggers",
  about: "logic run when a table's records are inserted, updated, deleted or truncated", common: ["list", "get", "create", "update"],
});

export const workspaceTriggerTools = scriptObjectTools({
  ...logic, base: "trigger", one: "workspace_trigger", many: "workspace_triggers", noun: "workspace trigger", keyword: "workspace_trigger", area: "Triggers",
  about: "logic run on workspace events such as a branch going live",
});

const api = { ...logic, area: "API groups and endpoints" };

/** Endpoints and API groups beyond apis.ts: an endpoint's OpenAPI document, and security settings. */
export const apiMoreTools = [
  operationTool({
    ...api, name: "xano_get_api_openapi", title: "Get an endpoint's OpenAPI document", kind: "read", operation: "apigroup.api.openapi.get", noun: "endpoint OpenAPI document",
    large: {},
    description: "Reads the OpenAPI document of one endpoint (its inputs and responses). Large documents come in parts: call again with offset = nextOffset.",
  }),
  operationTool({
    ...api, name: "xano_update_api_group_security", title: "Set an API group's security", kind: "update", operation: "apigroup.security.update", noun: "API group",
    description: "Sets which security setting (by guid) applies to an API group, with the group's canonical name.",
  }),
  operationTool({
    ...api, name: "xano_update_api_security", title: "Set an endpoint's security", kind: "update", operation: "apigroup.api.security.update", noun: "endpoint",
    description: "Sets which security setting (by guid) applies to one endpoint, replacing the current one.",
  }),
];

export const LOGIC_TOOLS = [...functionTools, ...apiMoreTools, ...middlewareTools, ...addonTools, ...taskTools, ...tableTriggerTools, ...workspaceTriggerTools];
