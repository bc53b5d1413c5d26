/**
 * Operations on a workspace as a whole: context, exports and imports, branches through import,
 * OpenAPI, data sources, audit logs, the request history of every kind of logic, XanoScript
 * conversion, and Xano's beta run operations.
 */
import { operationTool, type OperationToolSpec } from "./operation-tool";

const ops = { toolset: "operations" as const };
const HISTORY_HINT = "Or ask for fewer entries (per_page) or leave include_output out.";

function history(kind: string, base: string, noun: string, filter: string): OperationToolSpec[] {
  const shared = { ...ops, area: "Request history", noun: `${noun} run`, large: { hint: HISTORY_HINT } };
  return [
    { ...shared, name: `xano_browse_${kind}_history`, title: `Browse ${noun} history`, kind: "read", operation: `${base}.list`,
      description: `Lists recent runs of ${noun}s in a workspace, newest first, one page at a time; ${filter} narrows it to one. include_output adds each run's output (large answers come in parts).` },
    { ...shared, name: `xano_search_${kind}_history`, title: `Search ${noun} history`, kind: "read", operation: `${base}.search`,
      description: `Finds runs of ${noun}s by conditions under search (the syntax of xano_search_request_history: e.g. {"status|>=": 400}), with sort and paging in the same call.` },
  ];
}

export const OPERATION_TOOLS = [
  ...[
    { ...ops, area: "Workspaces", name: "xano_get_workspace_context", title: "Get a workspace's context", kind: "read", operation: "workspace.context.get", noun: "workspace context",
      large: {}, description: "Reads a summary of everything in a workspace (tables, endpoints, functions, …) as Xano generates it for assistants, in yaml or json. Large answers come in parts: call again with offset = nextOffset." },
    { ...ops, area: "Workspaces", name: "xano_get_workspace_openapi", title: "Get a workspace's OpenAPI document", kind: "read", operation: "workspace.openapi.get", noun: "workspace OpenAPI document",
      large: {}, description: "Reads the OpenAPI document of every API group of a workspace in one. Large answers come in parts: call again with offset = nextOffset." },
    { ...ops, area: "Workspaces", name: "xano_export_workspace", title: "Export a workspace", kind: "read", operation: "workspace.export", noun: "workspace export",
      large: {}, description: "Exports a whole workspace (schema, logic and data) as Xano's archive, base64 in parts: call again with offset = nextOffset until nextOffset is null, and join the parts. A password encrypts it." },
    { ...ops, area: "Workspaces", name: "xano_import_workspace", title: "Replace a workspace by import", kind: "destructive", operation: "workspace.import", noun: "workspace",
      description: "Replaces the content of a workspace with an exported archive (file.base64, at most about 2 MB through MCP). Everything now in the workspace is overwritten: confirm with the person first." },
    { ...ops, area: "Workspaces", name: "xano_import_schema", title: "Import a schema as a new branch", kind: "destructive", operation: "workspace.import_schema", noun: "branch",
      description: "Creates a new branch (newbranch) from an exported schema file; setlive=true also makes it the live branch, which changes what every app is served. This is how Xano creates branches and sets one live: confirm with the person first." },
    { ...ops, area: "Workspaces", name: "xano_create_data_source", title: "Create a data source", kind: "create", operation: "datasource.create", noun: "data source",
      description: "Creates a data source (a separate copy of the records, e.g. test) with a label and a colour." },
    { ...ops, area: "Workspaces", name: "xano_update_data_source", title: "Update a data source", kind: "update", operation: "datasource.update", noun: "data source",
      description: "Changes a data source's colour." },
    { ...ops, area: "Workspaces", name: "xano_delete_data_source", title: "Delete a data source", kind: "destructive", operation: "datasource.delete", noun: "data source",
      description: "Deletes a data source and the records it holds. This cannot be undone: confirm with the person first." },
    { ...ops, area: "Audit logs", name: "xano_browse_audit_logs", title: "Browse a workspace's audit log", kind: "read", operation: "audit_log.list", noun: "audit entry",
      large: { hint: "Or ask for fewer entries (per_page)." }, description: "Lists who changed what in a workspace, newest first, one page at a time; include_data adds each change's details." },
    { ...ops, area: "Audit logs", name: "xano_search_audit_logs", title: "Search a workspace's audit log", kind: "read", operation: "audit_log.search", noun: "audit entry",
      large: { hint: "Or ask for fewer entries (per_page)." }, description: "Finds audit entries of a workspace by conditions under search, with sort and paging." },
    { ...ops, area: "Audit logs", name: "xano_browse_instance_audit_logs", title: "Browse the instance's audit log", kind: "read", operation: "instance.audit_log.list", noun: "audit entry",
      large: { hint: "Or ask for fewer entries (per_page)." }, description: "Lists who changed what across every workspace of the instance, newest first, one page at a time." },
    { ...ops, area: "Audit logs", name: "xano_search_instance_audit_logs", title: "Search the instance's audit log", kind: "read", operation: "instance.audit_log.search", noun: "audit entry",
      large: { hint: "Or ask for fewer entries (per_page)." }, description: "Finds audit entries across every workspace by conditions under search, with sort and paging." },
    ...history("function", "function_history", "function", "function_id"),
    ...history("middleware", "middleware_history", "middleware", "middleware_id"),
    ...history("task", "task_history", "task", "task_id"),
    ...history("trigger", "trigger_history", "trigger", "trigger_id"),
    ...history("ai_tool", "tool_history", "AI tool", "tool_id"),
    { ...ops, area: "XanoScript", name: "xano_convert_from_xanoscript", title: "Convert XanoScript to Xano's JSON", kind: "read", operation: "convert.from_xs", noun: "script",
      description: "Converts XanoScript into Xano's JSON form without saving anything; a refused script comes back with Xano's message and line, so this also checks a script." },
    { ...ops, area: "XanoScript", name: "xano_convert_to_xanoscript", title: "Convert Xano's JSON to XanoScript", kind: "read", operation: "convert.to_xs", noun: "document",
      description: "Converts an object in Xano's JSON form (body) of the given kind into XanoScript, without saving anything." },
    { ...ops, area: "Beta", name: "xano_run_function", title: "Run a function (beta)", kind: "runs-code", operation: "beta.function.run", noun: "function",
      description: "Runs a function of the workspace by name with the input given and answers its result (Xano beta). The function may change data or call other services: confirm with the person first." },
    { ...ops, area: "Beta", name: "xano_run_xanoscript", title: "Run XanoScript (beta)", kind: "runs-code", operation: "beta.anonymous.run", noun: "script",
      description: "Runs a piece of XanoScript in the workspace without saving it, with the input given, and answers its result (Xano beta). It may change data: confirm with the person first." },
    { ...ops, area: "Beta", name: "xano_get_workspace_multidoc", title: "Get a workspace as one XanoScript document (beta)", kind: "read", operation: "beta.multidoc.get", noun: "workspace document",
      large: {}, description: "Reads the whole workspace as one XanoScript document (Xano beta), optionally with environment variables and records. Large answers come in parts." },
    { ...ops, area: "Beta", name: "xano_run_ephemeral_job", title: "Run an ephemeral job (beta)", kind: "runs-code", operation: "beta.ephemeral.job.run", noun: "job",
      description: "Runs a job described in XanoScript (doc) in a throwaway environment and answers its result (Xano beta)." },
    { ...ops, area: "Beta", name: "xano_run_ephemeral_service", title: "Start an ephemeral service (beta)", kind: "runs-code", operation: "beta.ephemeral.service.run", noun: "service",
      description: "Starts a throwaway workspace service described in XanoScript (doc) (Xano beta)." },
    { ...ops, area: "Beta", name: "xano_cleanup_ephemeral_environments", title: "Remove ephemeral environments (beta)", kind: "destructive", operation: "beta.ephemeral.cleanup", noun: "ephemeral environments",
      description: "Removes the throwaway environments made by ephemeral jobs and services (Xano beta)." },
  ].map((spec) => operationTool(spec as OperationToolSpec)),
];
