// Instance Meta API: table content (records). Browse and search share the content envelope
// {items, itemsReceived, curPage, nextPage, prevPage, offset, perPage, itemsTotal, pageTotal};
// browse returns every field, sensitive ones too (xano.md).
// Every route takes the `x-data-source` header (checkDataSource). Row ids in bulk/patch and
// bulk/delete bodies and in `success`/`error` answers are text, as Xano's description types them;
// numbers are accepted too. Shapes the description leaves open: DELETE answers `null`;
// bulk/delete's `error` is the list of ids that did not exist.

import type { Row } from "../../fixtures/seed";
import type { RequestContext } from "../context";
import { inputError, notFound } from "../errors";
import { compileSearch, compileSort } from "../content-search";
import { contentEnvelope, readPaging } from "../paging";
import { buildRow, insertRow, patchRow, projectRow } from "../records";
import type { RouteDef } from "../router";
import type { TableState } from "../store";
import { checkDataSource, tableFor as tableOf } from "./lookup";

const C = "/api:meta/workspace/{w}/table/{t}/content";

/** The table of a record route, after checking its `x-data-source` header. */
function tableFor(ctx: RequestContext): TableState {
  checkDataSource(ctx);
  return tableOf(ctx);
}

/** A row id as text or a number; null when it is neither a positive integer nor its text. */
function rowIdOf(value: unknown): number | null {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

function rowFor(ctx: RequestContext, table: TableState): Row {
  const id = Number(ctx.params.id);
  const row = Number.isInteger(id) ? table.rows.get(id) : undefined;
  if (!row) throw notFound(`Record ${ctx.params.id} not found.`);
  return row;
}

function listOf(body: Record<string, unknown>, name: string): unknown[] {
  const v = body[name];
  if (!Array.isArray(v)) throw inputError(`${name} must be a list.`, name);
  return v;
}

function browse(ctx: RequestContext) {
  const table = tableFor(ctx);
  const rows = [...table.rows.values()].sort((a, b) => a.id - b.id).map((r) => projectRow(table, r));
  return contentEnvelope(rows, readPaging(ctx.query, 50));
}

async function search(ctx: RequestContext) {
  const table = tableFor(ctx);
  const body = await ctx.body();
  const paging = readPaging(body, 50);
  const rows = [...table.rows.values()].map((r) => projectRow(table, r));
  const matches = rows.filter(compileSearch(table, body.search)).sort(compileSort(table, body.sort));
  return contentEnvelope(matches, paging);
}

async function create(ctx: RequestContext) {
  const table = tableFor(ctx);
  const row = buildRow(table, await ctx.body(), ctx.core.now(), false);
  return projectRow(table, insertRow(table, row));
}

async function update(ctx: RequestContext) {
  const table = tableFor(ctx);
  const row = rowFor(ctx, table);
  const next = patchRow(table, row, await ctx.body(), ctx.core.now());
  table.rows.set(row.id, next);
  return projectRow(table, next);
}

async function bulkCreate(ctx: RequestContext) {
  const table = tableFor(ctx);
  const body = await ctx.body();
  const allowId = body.allow_id_field === true;
  const now = ctx.core.now();
  // Validate everything first so a bad item leaves the table untouched.
  const rows = listOf(body, "items").map((item) => buildRow(table, item, now, allowId));
  const ids = rows.map((r) => r.id).filter((id) => id !== undefined);
  if (new Set(ids).size !== ids.length) throw inputError("Duplicate ids in items.", "items");
  return rows.map((r) => insertRow(table, r).id);
}

async function bulkPatch(ctx: RequestContext) {
  const table = tableFor(ctx);
  const now = ctx.core.now();
  const items = listOf(await ctx.body(), "items").map((item) => {
    const { row_id: raw, updates } = (item ?? {}) as { row_id?: unknown; updates?: unknown };
    const row_id = rowIdOf(raw);
    if (row_id === null) throw inputError("Each item needs a row_id (a record id).", "row_id");
    return { row_id, updates };
  });
  const patched: Row[] = [];
  for (const { row_id, updates } of items) {
    const row = table.rows.get(row_id);
    if (row) patched.push(patchRow(table, row, updates, now));
  }
  for (const row of patched) table.rows.set(row.id, row);
  return { success: patched.map((r) => String(r.id)), success_total: patched.length };
}

async function bulkDelete(ctx: RequestContext) {
  const table = tableFor(ctx);
  const ids = listOf(await ctx.body(), "row_ids");
  const success: string[] = [];
  const error: string[] = [];
  for (const id of ids) {
    const n = rowIdOf(id);
    if (n !== null && table.rows.delete(n)) success.push(String(n));
    else error.push(String(id));
  }
  return { success, success_total: success.length, error };
}

async function searchPatch(ctx: RequestContext) {
  const table = tableFor(ctx);
  const body = await ctx.body();
  if (body.search === undefined) throw inputError("search is required.", "search");
  if (body.updates === undefined) throw inputError("updates is required.", "updates");
  const match = compileSearch(table, body.search);
  const now = ctx.core.now();
  const targets = [...table.rows.values()].filter((r) => match(projectRow(table, r)));
  const patched = targets.map((r) => patchRow(table, r, body.updates, now));
  for (const row of patched) table.rows.set(row.id, row);
  return { success: patched.map((r) => String(r.id)), success_total: patched.length };
}

async function truncate(ctx: RequestContext) {
  const table = tableFor(ctx);
  const body = await ctx.body();
  if (typeof body.reset !== "boolean") throw inputError("reset is required (true resets the id counter).", "reset");
  table.rows.clear();
  if (body.reset) table.nextRowId = 1;
  return {};
}

export const contentRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: C, auth: "meta:read", handle: browse },
  { surface: "instance", method: "POST", path: C, auth: "meta:write", handle: create },
  { surface: "instance", method: "POST", path: `${C}/search`, auth: "meta:read", handle: search },
  { surface: "instance", method: "POST", path: `${C}/search/patch`, auth: "meta:write", handle: searchPatch },
  { surface: "instance", method: "POST", path: `${C}/bulk`, auth: "meta:write", handle: bulkCreate },
  { surface: "instance", method: "POST", path: `${C}/bulk/patch`, auth: "meta:write", handle: bulkPatch },
  { surface: "instance", method: "POST", path: `${C}/bulk/delete`, auth: "meta:write", handle: bulkDelete },
  { surface: "instance", method: "GET", path: `${C}/{id}`, auth: "meta:read", handle: (ctx) => { const t = tableFor(ctx); return projectRow(t, rowFor(ctx, t)); } },
  { surface: "instance", method: "PUT", path: `${C}/{id}`, auth: "meta:write", handle: update },
  {
    surface: "instance", method: "DELETE", path: `${C}/{id}`, auth: "meta:write",
    handle: (ctx) => {
      const t = tableFor(ctx);
      t.rows.delete(rowFor(ctx, t).id);
      return {};
    },
  },
  { surface: "instance", method: "DELETE", path: "/api:meta/workspace/{w}/table/{t}/truncate", auth: "meta:write", handle: truncate },
];
