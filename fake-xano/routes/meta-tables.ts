// Instance Meta API: tables (paged list, get, create, update, delete).
// The list is the paged envelope {curPage, nextPage, prevPage, items} without a total, wrapped in a
// one-element array as Xano's description shows it (its CLI unwraps the same); items carry table
// metadata only, `GET …/table/{t}` adds `schema` and `index`. Sorts: created_at, updated_at, name
// (default name, asc). `PUT …/table/{t}` is the update route; `PUT …/table/{t}/meta` is deprecated
// in the description but still served (same handler). Tables also come as XanoScript
// (table-scripts.ts) on create and update, and `include_xanoscript=true` answers them as one.

import type { RequestContext } from "../context";
import { inputError } from "../errors";
import { listEnvelope, readPaging } from "../paging";
import type { RouteDef } from "../router";
import type { TableState } from "../store";
import { defaultSchema, validateSchema } from "./schema-rules";
import { dropIndexesOfMissingFields, replaceIndexes } from "./meta-indexes";
import { audit, queryBool, readBody, type Body } from "./meta-logic";
import { keepTableScript, parseTableScript, tableScript } from "./table-scripts";
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
  return [listEnvelope(tables, paging)];
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

/** `include_xanoscript=true` adds the table as XanoScript to a table record. */
function withScript(ctx: RequestContext, t: TableState, record: Record<string, unknown>): Record<string, unknown> {
  return queryBool(ctx, "include_xanoscript", false) ? { ...record, xanoscript: { status: "ok", value: tableScript(t), message: "" } } : record;
}

/** A create: JSON (or form) `{name, description, docs, auth, tag, schema?, index?}`, or a `table` script. */
async function createTable(ctx: RequestContext) {
  const ws = workspaceFor(ctx);
  const now = ctx.core.now();
  const store = ctx.core.store;
  const draft: TableState = {
    id: 0, workspaceId: ws.id, name: "", description: "", docs: "", auth: false, tag: [], guid: "", created_at: now, updated_at: now,
    schema: defaultSchema(), rows: new Map(), nextRowId: 1, indexes: [],
  };
  await applyChanges(ctx, draft, await readBody(ctx), true);
  draft.id = store.nextTableId++;
  draft.guid = `guid-${draft.id}`;
  store.tables.set(draft.id, draft);
  audit(ctx, ws, "create", { type: "table", id: draft.id }, draft.name);
  return withScript(ctx, draft, tableMeta(draft));
}

/**
 * Applies a create or update body to `table`: a `table` script (its name, the settings it sets,
 * its schema and indexes), or JSON/form fields, each optional on update (`name` required on create).
 */
async function applyChanges(ctx: RequestContext, table: TableState, body: Body, creating: boolean) {
  const now = ctx.core.now();
  if ("script" in body) {
    const parsed = parseTableScript(body.script, table.schema);
    table.name = checkName(ctx, table.workspaceId, parsed.name, table.id || undefined);
    if (parsed.description !== undefined) table.description = parsed.description;
    if (parsed.auth !== undefined) table.auth = parsed.auth;
    if (parsed.tag !== undefined) table.tag = parsed.tag;
    if (parsed.schema) table.schema = parsed.schema;
    dropIndexesOfMissingFields(table);
    if (parsed.index) replaceIndexes(table, parsed.index, now);
    keepTableScript(table, body.script);
    return;
  }
  const f = body.fields;
  if (creating || f.name !== undefined) table.name = checkName(ctx, table.workspaceId, f.name, table.id || undefined);
  const meta = readMeta(f);
  if (meta.description !== undefined) table.description = meta.description;
  if (meta.docs !== undefined) table.docs = meta.docs;
  if (meta.auth !== undefined) table.auth = meta.auth;
  if (meta.tag !== undefined) table.tag = meta.tag;
  if (f.schema !== undefined && f.schema !== null) {
    table.schema = validateSchema(f.schema);
    dropIndexesOfMissingFields(table);
  }
  if (f.index !== undefined && f.index !== null) replaceIndexes(table, f.index, now);
}

/** `PUT …/table/{t}` (and the deprecated `…/meta`): JSON, form or a `table` script; `include_xanoscript` in the query or the body. */
async function updateTable(ctx: RequestContext) {
  const table = tableFor(ctx);
  const body = await readBody(ctx);
  await applyChanges(ctx, table, body, false);
  table.updated_at = ctx.core.now();
  audit(ctx, workspaceFor(ctx), "update", { type: "table", id: table.id }, table.name);
  const asked = "fields" in body && typeof body.fields.include_xanoscript === "boolean" ? body.fields.include_xanoscript : queryBool(ctx, "include_xanoscript", false);
  return asked ? { ...tableMeta(table), xanoscript: { status: "ok", value: tableScript(table), message: "" } } : tableMeta(table);
}

export const tableRoutes: RouteDef[] = [
  {
    surface: "instance", method: "GET", path: T, auth: "meta:read",
    handle: (ctx) => listTables(ctx).map((page) => ({ ...page, items: page.items.map((t) => withScript(ctx, t, tableMeta(t))) })),
  },
  { surface: "instance", method: "POST", path: T, auth: "meta:write", handle: createTable },
  {
    surface: "instance", method: "GET", path: `${T}/{t}`, auth: "meta:read",
    handle: (ctx) => {
      const t = tableFor(ctx);
      return withScript(ctx, t, { ...tableMeta(t), schema: t.schema, index: t.indexes });
    },
  },
  { surface: "instance", method: "PUT", path: `${T}/{t}`, auth: "meta:write", handle: updateTable },
  { surface: "instance", method: "PUT", path: `${T}/{t}/meta`, auth: "meta:write", handle: updateTable },
  {
    surface: "instance", method: "DELETE", path: `${T}/{t}`, auth: "meta:write",
    handle: (ctx) => {
      ctx.core.store.tables.delete(tableFor(ctx).id);
      return {};
    },
  },
];
