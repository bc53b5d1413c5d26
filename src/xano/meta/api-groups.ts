/**
 * Meta API, area api-group-api: API groups and their endpoints ("APIs"), each from JSON fields or
 * as XanoScript, and their OpenAPI documents. Xano's updates take the whole object, so a partial
 * change of fields reads the object, merges and writes it back; a script replaces it as written.
 */
import { xanoScript } from "../http";
import type { BranchOption, CodeOption, Id, ListRequest, Page, ScriptBody, XanoRecord } from "../types";
import { asPage, codeQuery, listQuery, type MetaCall } from "./call";

export type ApiVerb = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

export interface ApiGroupInput {
  name?: string;
  description?: string;
  docs?: string;
  swagger?: boolean;
  tag?: string[];
}

export interface ApiInput {
  name?: string;
  verb?: ApiVerb;
  description?: string;
  docs?: string;
  tag?: string[];
}

/** What Xano's description requires to create (or to write back) an API group. */
export interface NewApiGroup extends ApiGroupInput {
  name: string;
  description: string;
  swagger: boolean;
}

/** What Xano's description requires to create (or to write back) an endpoint. */
export interface NewApi extends ApiInput {
  name: string;
  description: string;
  verb: ApiVerb;
}

export type ApiGroupCalls = ReturnType<typeof apiGroupCalls>;

export function apiGroupCalls(call: MetaCall) {
  const group = (workspaceId: Id, apiGroupId: Id) => ({ workspace_id: workspaceId, apigroup_id: apiGroupId });
  const api = (workspaceId: Id, apiGroupId: Id, apiId: Id) => ({ ...group(workspaceId, apiGroupId), api_id: apiId });
  const kept = (current: XanoRecord) => ({
    docs: typeof current.docs === "string" ? current.docs : undefined,
    tag: Array.isArray(current.tag) ? (current.tag as string[]) : undefined,
  });

  const calls = {
    async listApiGroups(workspaceId: Id, options: ListRequest & BranchOption & CodeOption = {}): Promise<Page<XanoRecord>> {
      return asPage(await call("apigroup.list", { workspace_id: workspaceId }, { query: { ...listQuery(options), branch: options.branch, ...codeQuery(options) } }));
    },

    getApiGroup(workspaceId: Id, apiGroupId: Id, options: CodeOption = {}): Promise<XanoRecord> {
      return call("apigroup.get", group(workspaceId, apiGroupId), { query: codeQuery(options) });
    },

    /** Xano requires `name`, `description` and `swagger`. */
    createApiGroup(workspaceId: Id, newGroup: NewApiGroup, options: BranchOption = {}): Promise<XanoRecord> {
      return call("apigroup.create", { workspace_id: workspaceId }, { body: newGroup, query: { branch: options.branch } });
    },

    /** The given fields over the current group (`name`, `description` and `swagger` are required), or a script (`api_group <name> { … }`). */
    async updateApiGroup(workspaceId: Id, apiGroupId: Id, changes: ApiGroupInput | ScriptBody): Promise<XanoRecord> {
      const path = group(workspaceId, apiGroupId);
      if ("xanoscript" in changes) return call("apigroup.update", path, { text: xanoScript(changes.xanoscript) });
      const current = await calls.getApiGroup(workspaceId, apiGroupId);
      const merged: NewApiGroup = {
        name: changes.name ?? String(current.name ?? ""),
        description: changes.description ?? String(current.description ?? ""),
        swagger: changes.swagger ?? current.swagger === true,
        docs: changes.docs ?? kept(current).docs,
        tag: changes.tag ?? kept(current).tag,
      };
      return call("apigroup.update", path, { body: merged });
    },

    deleteApiGroup(workspaceId: Id, apiGroupId: Id): Promise<unknown> {
      return call("apigroup.delete", group(workspaceId, apiGroupId));
    },

    getApiGroupOpenApi(workspaceId: Id, apiGroupId: Id): Promise<XanoRecord> {
      return call("apigroup.openapi.get", group(workspaceId, apiGroupId));
    },

    async listApis(workspaceId: Id, apiGroupId: Id, options: ListRequest & CodeOption = {}): Promise<Page<XanoRecord>> {
      return asPage(await call("apigroup.api.list", group(workspaceId, apiGroupId), { query: { ...listQuery(options), ...codeQuery(options) } }));
    },

    /** `includeDraft` reads the unpublished draft where one exists. */
    getApi(workspaceId: Id, apiGroupId: Id, apiId: Id, options: CodeOption & { includeDraft?: boolean } = {}): Promise<XanoRecord> {
      const query = { ...codeQuery(options), ...(options.includeDraft ? { include_draft: true } : {}) };
      return call("apigroup.api.get", api(workspaceId, apiGroupId, apiId), { query });
    },

    /** One endpoint's OpenAPI document. */
    getApiOpenApi(workspaceId: Id, apiGroupId: Id, apiId: Id): Promise<XanoRecord> {
      return call("apigroup.api.openapi.get", api(workspaceId, apiGroupId, apiId));
    },

    /** From fields (`name`, `description`, `verb` required) or from XanoScript (`query <name> verb=<VERB> { … }`). */
    createApi(workspaceId: Id, apiGroupId: Id, newApi: NewApi | ScriptBody, options: BranchOption = {}): Promise<XanoRecord> {
      const query = { branch: options.branch };
      return "xanoscript" in newApi
        ? call("apigroup.api.create", group(workspaceId, apiGroupId), { text: xanoScript(newApi.xanoscript), query })
        : call("apigroup.api.create", group(workspaceId, apiGroupId), { body: newApi, query });
    },

    /**
     * The given fields over the current endpoint (`name`, `description`, `verb` required), or a
     * script that replaces its definition. `publish: false` keeps the change as a draft.
     */
    async updateApi(workspaceId: Id, apiGroupId: Id, apiId: Id, changes: ApiInput | ScriptBody, options: { publish?: boolean } = {}): Promise<XanoRecord> {
      const path = api(workspaceId, apiGroupId, apiId);
      const query = { publish: options.publish };
      if ("xanoscript" in changes) return call("apigroup.api.update", path, { text: xanoScript(changes.xanoscript), query });
      const current = await calls.getApi(workspaceId, apiGroupId, apiId);
      const merged: NewApi = {
        name: changes.name ?? String(current.name ?? ""),
        description: changes.description ?? String(current.description ?? ""),
        verb: changes.verb ?? (String(current.verb ?? "GET") as ApiVerb),
        docs: changes.docs ?? kept(current).docs,
        tag: changes.tag ?? kept(current).tag,
      };
      return call("apigroup.api.update", path, { body: merged, query });
    },

    deleteApi(workspaceId: Id, apiGroupId: Id, apiId: Id): Promise<unknown> {
      return call("apigroup.api.delete", api(workspaceId, apiGroupId, apiId));
    },
  };
  return calls;
}
