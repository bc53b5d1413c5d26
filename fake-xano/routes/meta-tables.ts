// Instance Meta API: tables (paged list, get, create, update, delete).
// The list is the paged envelope {curPage, nextPage, prevPage, items} without a total, wrapped in a
// one-element array as Xano's description shows it (its CLI unwraps the same); items carry table
// metadata only, `GET …/table/{t}` adds `schema` and `index`. Sorts: created_at, updated_at, name
// (default name, asc). `PUT …/table/{t}` is the update route; `PUT …/table/{t}/meta` is deprecated
// in the description but still served.

import type { RequestContext } from "../context";
import { inputError } from "../errors";
import { listEnvelope, readPaging } from "../paging";
import type { RouteDef } from "../router";
import type { TableState } from "../store";
import { defaultSchema, validateSchema } from "./schema-rules";
import { tableFor, workspaceFor } from "./lookup";
import { xanoTimestamp } from "../timestamps";

const T = "/api:meta/workspace/{w}/table";
const SORTABLE = ["name", "created_at", "updated_at"] as const;

export function tableMeta(t: TableState) {
  return {
    id: t.id, created_at: xanoTimestamp(t.created_at), updated_at: xanoTimestamp(t.updated_at), name: t.name, description: t.description,
    docs: t.docs, guid: t.guid, auth: t.auth, tag: t.tag, workspace_id: t.workspaceId,
  };
}

function listTables(ctx: RequestContext) {
  const ws = workspaceFor(ctx);
  const paging = readPaging(ctx.query, 50);
  const search = (ctx.query.get("search") ?? "").toLowerCase();
  const sort = ctx.query.get("sort") || "name";
  const order = ctx.query.get("order") || "asc";
  if (!(SORTABLE as readonly string[]).includes(sort)) throw inputError(`sort must be one of ${SORTABLE.join(", ")}.`, "sort");
  if (order !== "asc" && order !== "desc") throw inputError('order must be "asc" or "desc".', "order");
  const dir = order === "asc" ? 1 : -1;
  const key = sort as (typeof SORTABLE)[number];
  const tables = [...ctx.core.store.tables.values()]
    .filter((t) => t.workspaceId === ws.id && t.name.toLowerCase().includes(search))
    .sort((a, b) => (a[key] < b[key] ? -dir : a[key] > b[key] ? dir : a.id - b.id));
  return [listEnvelope(tables.map(tableMeta), paging)];
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw inputError(`${name} must be a string.`, name);
  return v;
}

/** Table names are unique per workspace (case-insensitive, an assumption). */
function checkName(ctx: RequestContext, workspaceId: number, name: unknown, exceptId?: number): string {
  if (typeof name !== "string" || name.trim() === "") throw inputError("name is required.", "name");
  const clash = [...ctx.core.store.tables.values()].some(
    (t) => t.workspaceId === workspaceId && t.id !== exceptId && t.name.toLowerCase() === name.toLowerCase(),
  );
  if (clash) throw inputError(`A table named "${name}" already exists.`, "name");
  return name;
}

function readMeta(body: Record<string, unknown>) {
  if (body.auth !== undefined && typeof body.auth !== "boolean") throw inputError("auth must be a boolean.", "auth");
  if (body.tag !== undefined && !(Array.isArray(body.tag) && body.tag.every((x) => typeof x === "string"))) {
    throw inputError("tag must be a list of strings.", "tag");
  }
  return {
    description: optionalString(body, "description"),
    docs: optionalString(body, "docs"),
    auth: body.auth as boolean | undefined,
    tag: body.tag as string[] | undefined,
  };
}

async function createTable(ctx: RequestContext) {
  const ws = workspaceFor(ctx);
  const body = await ctx.body();
  const name = checkName(ctx, ws.id, body.name);
  const meta = readMeta(body);
  const schema = body.schema === undefined ? defaultSchema() : validateSchema(body.schema);
  const store = ctx.core.store;
  const id = store.nextTableId++;
  const now = ctx.core.now();
  store.tables.set(id, {
    id, workspaceId: ws.id, name, description: meta.description ?? "", docs: meta.docs ?? "", auth: meta.auth ?? false,
    tag: meta.tag ?? [], guid: `guid-${id}`, created_at: now, updated_at: now, schema, rows: new Map(), nextRowId: 1, indexes: [],
  });
  return tableMeta(store.tables.get(id)!);
}

async function updateMeta(ctx: RequestContext) {
  const table = tableFor(ctx);
  const body = await ctx.body();
  const meta = readMeta(body);
  if (body.name !== undefined) table.name = checkName(ctx, table.workspaceId, body.name, table.id);
  if (meta.description !== undefined) table.description = meta.description;
  if (meta.docs !== undefined) table.docs = meta.docs;
  if (meta.auth !== undefined) table.auth = meta.auth;
  if (meta.tag !== undefined) table.tag = meta.tag;
  table.updated_at = ctx.core.now();
  return tableMeta(table);
}

export const tableRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: T, auth: "meta:read", handle: listTables },
  { surface: "instance", method: "POST", path: T, auth: "meta:write", handle: createTable },
  {
    surface: "instance", method: "GET", path: `${T}/{t}`, auth: "meta:read",
    handle: (ctx) => {
      const t = tableFor(ctx);
      return { ...tableMeta(t), schema: t.schema, index: t.indexes };
    },
  },
  { surface: "instance", method: "PUT", path: `${T}/{t}`, auth: "meta:write", handle: updateMeta },
  { surface: "instance", method: "PUT", path: `${T}/{t}/meta`, auth: "meta:write", handle: updateMeta },
  {
    surface: "instance", method: "DELETE", path: `${T}/{t}`, auth: "meta:write",
    handle: (ctx) => {
      ctx.core.store.tables.delete(tableFor(ctx).id);
      return {};
    },
  },
];
