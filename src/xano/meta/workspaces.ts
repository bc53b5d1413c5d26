/**
 * Meta API, areas workspace, branch and datasource: workspaces and their details, branches, data
 * sources, the schema export and the workspace's OpenAPI document.
 */
import type { RawBody } from "../http";
import type { Branch, Id, Workspace, XanoRecord } from "../types";
import { asArray, type MetaCall } from "./call";

export type WorkspaceCalls = ReturnType<typeof workspaceCalls>;

export function workspaceCalls(call: MetaCall) {
  return {
    listWorkspaces(): Promise<Workspace[]> {
      return call("workspace.list", {}).then((v) => asArray<Workspace>(v));
    },

    getWorkspace(workspaceId: Id): Promise<Workspace> {
      return call("workspace.get", { workspace_id: workspaceId });
    },

    listBranches(workspaceId: Id): Promise<Branch[]> {
      return call("branch.list", { workspace_id: workspaceId }).then((v) => asArray<Branch>(v));
    },

    /** Xano refuses the default branch and the live one. */
    deleteBranch(workspaceId: Id, label: string): Promise<unknown> {
      return call("branch.delete", { workspace_id: workspaceId, branch_label: label });
    },

    listDataSources(workspaceId: Id): Promise<XanoRecord[]> {
      return call("datasource.list", { workspace_id: workspaceId }).then((v) => asArray<XanoRecord>(v));
    },

    /** Xano's description shows a JSON answer, its CLI saves a binary archive: either comes back. */
    exportWorkspaceSchema(workspaceId: Id, options: { branch?: string; password?: string } = {}): Promise<RawBody | unknown> {
      return call("workspace.export_schema", { workspace_id: workspaceId }, {
        body: { branch: options.branch ?? "", password: options.password ?? "" },
        raw: true,
      });
    },

    /** One OpenAPI document for every API group of a workspace (a branch's, or the live one). */
    getWorkspaceOpenApi(workspaceId: Id, options: { branch?: string } = {}): Promise<XanoRecord> {
      return call("workspace.openapi.get", { workspace_id: workspaceId }, { query: { branch: options.branch } });
    },
  };
}
