/**
 * Logic written in XanoScript: functions, endpoints' code, middleware, addons, scheduled tasks,
 * table and workspace triggers. (API groups and endpoints' metadata: apis.ts; the list of functions:
 * functions.ts.)
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

/** An endpoint's code: Xano's `query` objects, read and written as XanoScript. */
export const apiScriptTools = [
  operationTool({
    ...api, name: "xano_get_api_xanoscript", title: "Get an endpoint's XanoScript", kind: "read", operation: "apigroup.api.get", noun: "endpoint",
    fixed: { include_xanoscript: true }, common: true,
    description: "Reads one endpoint with its code as XanoScript (data.xanoscript.value), to change it with xano_update_api_xanoscript. include_draft=true reads the unpublished draft.",
  }),
  operationTool({
    ...api, name: "xano_create_api_xanoscript", title: "Create an endpoint from XanoScript", kind: "create", operation: "apigroup.api.create", noun: "endpoint",
    scriptOnly: true, common: true,
    description: "Creates an endpoint in an API group from XanoScript (`query \"path\" verb=GET { input {…} stack {…} response = … }`). A refused script comes back with Xano's message and line: fix it and call again.",
  }),
  operationTool({
    ...api, name: "xano_update_api_xanoscript", title: "Replace an endpoint's XanoScript", kind: "update", operation: "apigroup.api.update", noun: "endpoint",
    scriptOnly: true, common: true,
    description: "Replaces an endpoint's code with the XanoScript given (read it first with xano_get_api_xanoscript). publish=false keeps it as a draft. A refused script comes back with Xano's message and line: fix it and call again.",
  }),
  operationTool({
    ...api, name: "xano_get_api_group_xanoscript", title: "Get an API group's XanoScript", kind: "read", operation: "apigroup.get", noun: "API group",
    fixed: { include_xanoscript: true },
    description: "Reads one API group with its definition as XanoScript (data.xanoscript.value).",
  }),
  operationTool({
    ...api, name: "xano_update_api_group_xanoscript", title: "Replace an API group's XanoScript", kind: "update", operation: "apigroup.update", noun: "API group",
    scriptOnly: true,
    description: "Replaces an API group's definition with the XanoScript given (`api_group \"name\" {…}`). A refused script comes back with Xano's message and line.",
  }),
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

export const LOGIC_TOOLS = [...functionTools, ...apiScriptTools, ...middlewareTools, ...addonTools, ...taskTools, ...tableTriggerTools, ...workspaceTriggerTools];
