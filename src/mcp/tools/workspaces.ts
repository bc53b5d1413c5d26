/** Workspaces (the original server called them databases): details, branches, data sources, schema export. */
import { z } from "zod";
import type { RawBody } from "../../xano/http";
import type { Branch } from "../../xano/types";
import { ToolRefusal, defineTool } from "./registry";
import { branchLabelInput, idInput, toId } from "./inputs";

export const listDatabases = defineTool({
  name: "xano_list_databases",
  title: "List workspaces",
  area: "Workspaces",
  description:
    "Lists the workspaces (databases) of the signed-in Xano instance: id, name, description and live branch. Use a workspace id with the table tools.",
  input: z.object({}),
  kind: "read",
  operations: ["workspace.list"],
  describe: () => "list the workspaces",
  async run(_args, { meta }) {
    const workspaces = await meta.listWorkspaces();
    return { message: `Found ${workspaces.length} workspace(s).`, data: { items: workspaces } };
  },
});

export const getWorkspaceDetails = defineTool({
  name: "xano_get_workspace_details",
  title: "Get workspace details",
  area: "Workspaces",
  description: "Returns one workspace's details as Xano reports them (id, name, description, live branch, …). List workspace ids with xano_list_databases.",
  input: z.object({ workspace_id: idInput("workspace") }),
  kind: "read",
  operations: ["workspace.get"],
  describe: (args) => `read workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const workspace = await meta.getWorkspace(toId(args.workspace_id));
    return { message: `Workspace ${workspace.name ?? args.workspace_id} (id ${args.workspace_id}).`, data: workspace };
  },
});

export const listBranches = defineTool({
  name: "xano_list_branches",
  title: "List branches",
  area: "Workspaces",
  description: "Lists the branches of a workspace: label, whether it is the live branch, whether it is a backup, and when it was created.",
  input: z.object({ workspace_id: idInput("workspace") }),
  kind: "read",
  operations: ["branch.list"],
  describe: (args) => `list the branches of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const items = await meta.listBranches(toId(args.workspace_id));
    const live = items.find((b) => b.live)?.label;
    return { message: `Workspace ${args.workspace_id} has ${items.length} branch(es)${live ? `; live: ${live}` : ""}.`, data: { items } };
  },
});

export const deleteBranch = defineTool({
  name: "xano_delete_branch",
  title: "Delete a branch",
  area: "Workspaces",
  description:
    "Deletes a branch of a workspace with everything in it. Neither the live branch nor the default branch (the one the workspace " +
    "was created with, usually v1) is ever deleted: this tool refuses, and so does Xano. This cannot be undone; confirm with the person first.",
  input: z.object({ workspace_id: idInput("workspace"), branch_label: branchLabelInput }),
  kind: "destructive",
  operations: ["branch.list", "branch.delete"],
  // Xano's description files branch deletion under "Instance Workspace: Update".
  xanoPermission: "Instance Workspace: Update",
  describe: (args) => `delete branch "${args.branch_label}" of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const workspaceId = toId(args.workspace_id);
    // Checked here as well as by Xano, so a live branch is refused even if Xano's own check changed.
    // (A label that does not exist is left to Xano, whose 404 names it.)
    const branches = await meta.listBranches(workspaceId);
    const branch = branches.find((b) => b.label === args.branch_label);
    if (branch?.live) {
      throw new ToolRefusal(
        "INVALID_INPUT",
        `"${args.branch_label}" is the live branch of workspace ${args.workspace_id} and is never deleted; make another branch live in Xano first.`,
        "branch_label",
      );
    }
    if (branch && branch === defaultBranch(branches)) {
      throw new ToolRefusal("INVALID_INPUT", `"${args.branch_label}" is the default branch of workspace ${args.workspace_id} and is never deleted.`, "branch_label");
    }
    await meta.deleteBranch(workspaceId, args.branch_label);
    return { message: `Deleted branch "${args.branch_label}" of workspace ${args.workspace_id}.`, data: { label: args.branch_label, deleted: true } };
  },
});

export const listDataSources = defineTool({
  name: "xano_list_data_sources",
  title: "List data sources",
  area: "Workspaces",
  description: "Lists the data sources of a workspace (label and colour), e.g. live and test. Data sources hold separate copies of the records.",
  input: z.object({ workspace_id: idInput("workspace") }),
  kind: "read",
  operations: ["datasource.list"],
  describe: (args) => `list the data sources of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const items = await meta.listDataSources(toId(args.workspace_id));
    return { message: `Workspace ${args.workspace_id} has ${items.length} data source(s).`, data: { items } };
  },
});

/**
 * The default branch: the one the workspace was created with, i.e. the oldest. Xano's branch list
 * has no flag for it; timestamps come as text ("2023-06-22 22:59:11+0000") or epoch ms.
 */
function defaultBranch(branches: Branch[]): Branch | undefined {
  const time = (b: Branch) => (typeof b.created_at === "number" ? b.created_at : Date.parse(String(b.created_at ?? "").replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2")));
  const dated = branches.filter((b) => Number.isFinite(time(b)));
  return dated.length === branches.length ? [...dated].sort((a, b) => time(a) - time(b))[0] : branches.find((b) => b.label === "v1");
}

/** Larger exports are not sent through MCP (they would be base64 text twice in one message). */
export const MAX_EXPORT_BYTES = 2 * 1024 * 1024;

export const exportWorkspaceSchema = defineTool({
  name: "xano_export_workspace_schema",
  title: "Export workspace schema",
  area: "Workspaces",
  description:
    "Exports the database schema (tables, fields, indexes) and branch configuration of a workspace as Xano's export file, without records. " +
    "The file comes back base64-encoded in data.base64 with its file name and content type (up to 2 MiB), for backups or for importing into a new branch in Xano. " +
    "Leave `branch` out for the live branch.",
  input: z.object({
    workspace_id: idInput("workspace"),
    branch: branchLabelInput.optional().describe("The branch to export (default: the live branch)."),
    password: z.string().min(1).max(200).optional().describe("Optional password that Xano uses to encrypt the export; it is needed again to import it. Never shown in results."),
  }),
  kind: "read",
  operations: ["workspace.export_schema"],
  describe: (args) => `export the schema of workspace ${args.workspace_id}${args.branch ? ` (branch "${args.branch}")` : ""}`,
  async run(args, { meta }) {
    const exported = await meta.exportWorkspaceSchema(toId(args.workspace_id), { branch: args.branch, password: args.password });
    const branch = args.branch ?? "live";
    if (!isRawBody(exported)) {
      return { message: `Exported the schema of workspace ${args.workspace_id} (branch ${branch}).`, data: { format: "json", content: exported } };
    }
    const fileName = fileNameOf(exported.disposition) ?? `schema-${args.workspace_id}.xano`;
    const file = { format: "file", fileName, contentType: exported.contentType, sizeBytes: exported.bytes.length };
    if (exported.bytes.length > MAX_EXPORT_BYTES) {
      return {
        message: `The export of workspace ${args.workspace_id} is ${exported.bytes.length} bytes, more than the ${MAX_EXPORT_BYTES} bytes this tool returns; export it from Xano's UI instead.`,
        data: { ...file, base64: null },
      };
    }
    return {
      message: `Exported the schema of workspace ${args.workspace_id} (branch ${branch}): ${fileName}, ${exported.bytes.length} bytes, base64 in data.base64.`,
      data: { ...file, base64: toBase64(exported.bytes) },
    };
  },
});

function isRawBody(value: unknown): value is RawBody {
  return typeof value === "object" && value !== null && (value as RawBody).bytes instanceof Uint8Array;
}

function fileNameOf(disposition: string | null): string | null {
  const match = disposition && /filename="?([^";]+)"?/i.exec(disposition);
  return match ? match[1] : null;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
