/** Static hosting: a workspace's static hosts and their builds. */
import { operationTool } from "./operation-tool";

const hosting = { toolset: "static_hosting" as const, area: "Static hosting" };

export const STATIC_HOSTING_TOOLS = [
  operationTool({ ...hosting, name: "xano_list_static_hosts", title: "List static hosts", kind: "read", operation: "static_host.list", noun: "static host",
    description: "Lists the static hosts of a workspace (sites Xano serves), one page at a time." }),
  operationTool({ ...hosting, name: "xano_list_static_host_builds", title: "List a static host's builds", kind: "read", operation: "static_host.build.list", noun: "build",
    description: "Lists the builds uploaded to one static host, one page at a time." }),
  operationTool({ ...hosting, name: "xano_get_static_host_build", title: "Get a static host build", kind: "read", operation: "static_host.build.get", noun: "build",
    description: "Reads one build of a static host, with the environments it is deployed to." }),
  operationTool({ ...hosting, name: "xano_create_static_host_build", title: "Upload a static host build", kind: "create", operation: "static_host.build.create", noun: "build",
    description: "Uploads a build (a zip archive, base64 in file.base64, at most about 2 MB through MCP) to a static host, with a name." }),
  operationTool({ ...hosting, name: "xano_delete_static_host_build", title: "Delete a static host build", kind: "destructive", operation: "static_host.build.delete", noun: "build",
    description: "Deletes one build of a static host. This cannot be undone: confirm with the person first." }),
  operationTool({ ...hosting, name: "xano_update_static_host_build_env", title: "Deploy a build to an environment", kind: "update", operation: "static_host.build.env.update", noun: "build",
    description: "Puts a build on an environment of its static host (env: prod or dev), replacing what was served there." }),
];
