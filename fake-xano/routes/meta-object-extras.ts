// Instance Meta API: operations on objects the older route files own (API groups, endpoints,
// tables) that they do not serve: security (an API group GUID, or "" for none), the per-endpoint
// OpenAPI document, table autocomplete and deleting the records a search matches.

import type { RequestContext } from "../context";
import { compileSearch } from "../content-search";
import { inputError, notFound } from "../errors";
import { timestamptz } from "../logic-store";
import type { RouteDef } from "../router";
import type { TableState } from "../store";
import { LIVE_BRANCH } from "./lookup";
import { META, audit, securityGuid, workspaceOf } from "./meta-logic";
import { tableMeta } from "./meta-tables";
import type { SeedWorkspace } from "../../fixtures/seed";

const W = `${META}/workspace/{workspace_id}`;


function groupFor(ctx: RequestContext, ws: SeedWorkspace) {
  const group = ctx.core.store.assets.apiGroups.get(Number(ctx.params.apigroup_id));
  if (!group || group.workspaceId !== ws.id) throw notFound(`API group ${ctx.params.apigroup_id} not found.`);
  return group;
}

function apiFor(ctx: RequestContext, ws: SeedWorkspace) {
  const group = groupFor(ctx, ws);
  const api = ctx.core.store.assets.apis.get(Number(ctx.params.api_id));
  if (!api || api.apigroupId !== group.id) throw notFound(`API ${ctx.params.api_id} not found in API group ${group.id}.`);
  return { group, api };
}

/** Security GUIDs of objects the older route files own (API groups, endpoints, tables), by "kind:id". */
const foreignSecurity = new WeakMap<object, Map<string, string>>();
function securityMap(ctx: RequestContext) {
  let map = foreignSecurity.get(ctx.core.store);
  if (!map) foreignSecurity.set(ctx.core.store, (map = new Map()));
  return map;
}

function tableFor(ctx: RequestContext, ws: SeedWorkspace): TableState {
  const table = ctx.core.store.tables.get(Number(ctx.params.table_id));
  if (!table || table.workspaceId !== ws.id) throw notFound("Table not found.");
  return table;
}

const autocomplete = new WeakMap<object, Map<number, Array<{ name: string }>>>();

const extraRoutes: RouteDef[] = [
  {
    surface: "instance", method: "PUT", path: `${W}/apigroup/{apigroup_id}/api/{api_id}/security`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const { api } = apiFor(ctx, ws);
      const { guid } = await securityGuid(ctx, ws);
      securityMap(ctx).set(`api:${api.id}`, guid);
      audit(ctx, ws, "security", { type: "api", id: api.id }, api.name, { guid });
      return { id: api.id, name: api.name, verb: api.verb, guid: api.guid, apigroup_id: api.apigroupId, security: { guid } };
    },
  },
  {
    surface: "instance", method: "PUT", path: `${W}/apigroup/{apigroup_id}/security`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const group = groupFor(ctx, ws);
      const { guid, fields } = await securityGuid(ctx, ws);
      const canonical = fields.canonical;
      if (typeof canonical !== "string" || !/^[A-Za-z0-9_-]+$/.test(canonical)) throw inputError("canonical is required: letters, digits, _ and -.", "canonical");
      const clash = [...ctx.core.store.assets.apiGroups.values()].some((g) => g.id !== group.id && g.canonical === canonical);
      if (clash) throw inputError(`Another API group already uses the canonical "${canonical}".`, "canonical");
      group.canonical = canonical;
      securityMap(ctx).set(`apigroup:${group.id}`, guid);
      audit(ctx, ws, "security", { type: "apigroup", id: group.id }, group.name, { guid, canonical });
      return {
        id: group.id, created_at: timestamptz(group.created_at), updated_at: timestamptz(group.updated_at), name: group.name, description: group.description,
        docs: group.docs, guid: group.guid, canonical: group.canonical, swagger: group.swagger, documentation: { link: `${ctx.url.origin}/api:${group.canonical}` },
        branch: LIVE_BRANCH, tag: group.tag, security: { guid },
      };
    },
  },
  {
    surface: "instance", method: "PUT", path: `${W}/table/{table_id}/security`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const table = tableFor(ctx, ws);
      const { guid } = await securityGuid(ctx, ws);
      securityMap(ctx).set(`table:${table.id}`, guid);
      audit(ctx, ws, "security", { type: "table", id: table.id }, table.name, { guid });
      return { ...tableMeta(table), security: { guid } };
    },
  },
  {
    surface: "instance", method: "PUT", path: `${W}/table/{table_id}/autocomplete`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const table = tableFor(ctx, ws);
      const body = await ctx.body();
      const list = body.autocomplete;
      if (!Array.isArray(list) || !list.every((a) => a && typeof a === "object" && typeof (a as any).name === "string")) {
        throw inputError("autocomplete must be a list of {name} naming fields.", "autocomplete");
      }
      for (const a of list as Array<{ name: string }>) {
        if (!table.schema.some((f) => f.name === a.name)) throw inputError(`Field "${a.name}" does not exist.`, "autocomplete");
      }
      let map = autocomplete.get(ctx.core.store);
      if (!map) autocomplete.set(ctx.core.store, (map = new Map()));
      map.set(table.id, list.map((a: any) => ({ name: a.name })));
      return { id: table.id, autocomplete: map.get(table.id) };
    },
  },
  {
    surface: "instance", method: "POST", path: `${W}/table/{table_id}/content/search/delete`, auth: "meta:write",
    handle: async (ctx) => {
      const table = tableFor(ctx, workspaceOf(ctx));
      const body = await ctx.body();
      // Deleting everything needs an explicit condition: an absent or empty search is refused.
      const search = body.search;
      if (search === undefined || search === null || (Array.isArray(search) && search.length === 0) || (typeof search === "object" && Object.keys(search as object).length === 0)) {
        throw inputError("search is required: the condition of the rows to delete.", "search");
      }
      const match = compileSearch(table, search);
      const ids = [...table.rows.values()].filter((r) => match(r)).map((r) => r.id as number);
      for (const id of ids) table.rows.delete(id);
      // Row ids in `success` are text, as for the other bulk answers (meta-content.ts) and Xano's description.
      return { success: ids.map(String), success_total: ids.length };
    },
  },
];

export const objectExtraRoutes: RouteDef[] = extraRoutes;
