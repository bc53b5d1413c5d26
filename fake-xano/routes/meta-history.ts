// Instance Meta API: the workspace's API request history (Xano docs, "Request History").
// Browse: `GET …/request_history?page&per_page&api_id&query_id&include_output` (per_page at most
// 500; `api_id` is the API GROUP id, `query_id` the endpoint id; `output` only with
// include_output=true). Search: `POST …/request_history/search?page&per_page&api_id&query_id` with
// body `{filter?, sort?}` (xano.md; Xano's CLI sends the same), where `filter` and `sort` use the
// content-search syntax on the history fields (duration in seconds, status, created_at in epoch ms, verb, …).
// Newest first unless sorted. Search items carry no `output` ([unverified]).

import type { Field } from "../../fixtures/seed";
import type { SeedRequest } from "../../fixtures/seed-workspace-assets";
import type { RequestContext } from "../context";
import { compileSearch, compileSort } from "../content-search";
import { inputError } from "../errors";
import { listEnvelope, readPaging } from "../paging";
import type { RouteDef } from "../router";
import type { TableState } from "../store";
import { workspaceFor } from "./lookup";

const H = "/api:meta/workspace/{w}/request_history";
const MAX_PER_PAGE = 500;

function field(name: string, type: Field["type"]): Field {
  return { name, type, description: "", nullable: false, default: "", required: false, access: "public", style: "single" };
}

/** The searchable history fields, shaped as a table so the content-search syntax applies unchanged. */
const HISTORY_AS_TABLE = {
  name: "request_history",
  schema: [
    field("id", "int"), field("created_at", "timestamp"), field("duration", "decimal"), field("status", "int"),
    field("verb", "text"), field("uri", "text"), field("api_id", "int"), field("query_id", "int"),
  ],
} as unknown as TableState;

function record(r: SeedRequest, withOutput: boolean) {
  const { workspaceId, output, ...rest } = r;
  return { ...rest, workspace_id: workspaceId, ...(withOutput ? { output } : {}) };
}

function optionalId(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw inputError(`${name} must be a positive integer.`, name);
  return n;
}

function historyOf(ctx: RequestContext, apiGroupId: number | undefined, queryId: number | undefined): SeedRequest[] {
  const ws = workspaceFor(ctx);
  return ctx.core.store.assets.requestHistory.filter(
    (r) => r.workspaceId === ws.id && (apiGroupId === undefined || r.api_id === apiGroupId) && (queryId === undefined || r.query_id === queryId),
  );
}

function checkPerPage(perPage: number) {
  if (perPage > MAX_PER_PAGE) throw inputError(`per_page must be at most ${MAX_PER_PAGE}.`, "per_page");
}

const newestFirst = (a: SeedRequest, b: SeedRequest) => b.created_at - a.created_at || b.id - a.id;

function browse(ctx: RequestContext) {
  const paging = readPaging(ctx.query, 50);
  checkPerPage(paging.perPage);
  const include = ctx.query.get("include_output");
  if (include !== null && include !== "true" && include !== "false") throw inputError("include_output must be true or false.", "include_output");
  const rows = historyOf(ctx, optionalId(ctx.query.get("api_id"), "api_id"), optionalId(ctx.query.get("query_id"), "query_id")).sort(newestFirst);
  const page = listEnvelope(rows, paging);
  return { ...page, items: page.items.map((r) => record(r, include === "true")) };
}

async function search(ctx: RequestContext) {
  const body = await ctx.body();
  const paging = readPaging(ctx.query, 50);
  checkPerPage(paging.perPage);
  const rows = historyOf(ctx, optionalId(ctx.query.get("api_id"), "api_id"), optionalId(ctx.query.get("query_id"), "query_id"));
  const match = compileSearch(HISTORY_AS_TABLE, body.filter);
  const order = body.sort === undefined || body.sort === null ? newestFirst : compileSort(HISTORY_AS_TABLE, body.sort);
  const page = listEnvelope(rows.filter((r) => match(r as never)).sort(order as never), paging);
  return { ...page, items: page.items.map((r) => record(r, false)) };
}

export const historyRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: H, auth: "meta:read", handle: browse },
  { surface: "instance", method: "POST", path: `${H}/search`, auth: "meta:read", handle: search },
];
