// Instance Meta API: the workspace's API request history (Xano's description, "request-history").
// Browse: `GET …/request_history?page&per_page&branch&apigroup_id&query_id&include_output`
// (`apigroup_id` the API group, `query_id` the endpoint; 0 or absent = all; `output` only with
// include_output=true). Search: `POST …/request_history/search` with everything in the body,
// `{page, per_page, branch, apigroup_id, query_id, search, sort, include_output}`, where `search` and
// `sort` use the content-search syntax on the history fields (duration in seconds, status,
// created_at in epoch ms, verb, …). Newest first unless sorted. Left open by the description and
// chosen here: per_page at most 500; items' created_at as text like every Meta API timestamp.

import type { Field } from "../../fixtures/seed";
import type { SeedRequest } from "../../fixtures/seed-workspace-assets";
import type { RequestContext } from "../context";
import { compileSearch, compileSort } from "../content-search";
import { inputError } from "../errors";
import { listEnvelope, readPaging } from "../paging";
import type { RouteDef } from "../router";
import type { TableState } from "../store";
import { branchesOf, workspaceFor } from "./lookup";
import { notFound } from "../errors";
import { xanoTimestamp } from "../timestamps";

/** `branch` in a search body, checked as `?branch=` is: a label the workspace lacks is a 404. */
function checkBodyBranch(ctx: RequestContext, branch: unknown): void {
  if (branch === undefined || branch === null || branch === "") return;
  if (typeof branch !== "string") throw inputError("branch must be text.", "branch");
  if (!branchesOf(ctx, workspaceFor(ctx)).some((b) => b.label === branch)) throw notFound(`Branch "${branch}" not found.`);
}

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
  return { ...rest, created_at: xanoTimestamp(r.created_at), workspace_id: workspaceId, ...(withOutput ? { output } : {}) };
}

/** An optional id filter; the description's default 0 means "all". */
function optionalId(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === "" || value === 0 || value === "0") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw inputError(`${name} must be a positive integer.`, name);
  return n;
}

function includeOutput(value: unknown): boolean {
  if (value === undefined || value === null || value === "" || value === false || value === "false") return false;
  if (value === true || value === "true") return true;
  throw inputError("include_output must be true or false.", "include_output");
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
  const withOutput = includeOutput(ctx.query.get("include_output"));
  const rows = historyOf(ctx, optionalId(ctx.query.get("apigroup_id"), "apigroup_id"), optionalId(ctx.query.get("query_id"), "query_id")).sort(newestFirst);
  const page = listEnvelope(rows, paging);
  return { ...page, items: page.items.map((r) => record(r, withOutput)) };
}

async function search(ctx: RequestContext) {
  const body = await ctx.body();
  const paging = readPaging(body, 50);
  checkPerPage(paging.perPage);
  checkBodyBranch(ctx, body.branch);
  const rows = historyOf(ctx, optionalId(body.apigroup_id, "apigroup_id"), optionalId(body.query_id, "query_id"));
  const match = compileSearch(HISTORY_AS_TABLE, body.search);
  const order = body.sort === undefined || body.sort === null ? newestFirst : compileSort(HISTORY_AS_TABLE, body.sort);
  const page = listEnvelope(rows.filter((r) => match(r as never)).sort(order as never), paging);
  const withOutput = includeOutput(body.include_output);
  return { ...page, items: page.items.map((r) => record(r, withOutput)) };
}

export const historyRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: H, auth: "meta:read", handle: browse },
  { surface: "instance", method: "POST", path: `${H}/search`, auth: "meta:read", handle: search },
];
