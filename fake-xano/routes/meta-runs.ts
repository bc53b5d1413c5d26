// Instance Meta API: what happened, as Xano's description shows it.
// - Run history of functions, middleware, tasks, triggers and AI tools: `GET …/{kind}_history`
//   (filters in the query) and `POST …/{kind}_history/search` (everything in the body: paging,
//   the id filters, `search` and `sort` in the content-search syntax, `include_output`).
//   List envelope, newest first, per_page ≤ 500 as for API request history; `output` only when asked.
// - Audit logs, instance-wide (`/audit_log`, every workspace of the caller on this instance) and per
//   workspace, browse and search: the content envelope (with totals), newest first, `data` only
//   with `include_data`. The fake's engine writes an entry for every change it makes to a
//   XanoScript object (create, update, draft, delete, security) and to data sources, branches and imports.

import type { Field, FieldType } from "../../fixtures/seed";
import type { RequestContext } from "../context";
import { compileSearch, compileSort } from "../content-search";
import { inputError } from "../errors";
import { logicState, timestamptz, type AuditEntry, type HistoryKind, type RunEntry } from "../logic-store";
import { contentEnvelope, listEnvelope, readPaging } from "../paging";
import type { RouteDef } from "../router";
import type { TableState } from "../store";
import { visibleWorkspaces } from "./lookup";
import { META, queryBool, workspaceOf } from "./meta-logic";

const MAX_HISTORY_PER_PAGE = 500;

/** A list of fields shaped as a table, so the content search and sort syntax applies unchanged. */
export function pseudoTable(name: string, fields: Array<[string, FieldType]>): TableState {
  const schema: Field[] = fields.map(([n, type]) => ({
    name: n, type, description: "", nullable: true, default: "", required: false, access: "public", style: "single",
  }) as Field);
  return { name, schema } as unknown as TableState;
}

interface HistoryDef {
  kind: HistoryKind;
  path: string;
  /** The id filters this history takes, and carries on each item. */
  ids: readonly string[];
  branch: boolean;
}

const HISTORIES: readonly HistoryDef[] = [
  { kind: "function", path: "function_history", ids: ["function_id"], branch: true },
  { kind: "middleware", path: "middleware_history", ids: ["middleware_id", "query_id", "function_id", "task_id"], branch: true },
  { kind: "task", path: "task_history", ids: ["task_id"], branch: true },
  { kind: "trigger", path: "trigger_history", ids: ["trigger_id"], branch: false },
  { kind: "tool", path: "tool_history", ids: ["tool_id"], branch: true },
];

function idFilter(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === "" || value === 0 || value === "0") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw inputError(`${name} must be a positive integer.`, name);
  return n;
}

function runItem(def: HistoryDef, r: RunEntry, withOutput: boolean) {
  const item: Record<string, unknown> = {
    id: r.id, created_at: timestamptz(r.created_at), duration: r.duration, input: r.input, workspace_id: r.workspaceId,
  };
  if (def.branch) item.branch = r.branch;
  for (const id of def.ids) item[id] = r.refs[id] ?? 0;
  if (withOutput) item.output = r.output;
  return item;
}

function runsOf(ctx: RequestContext, def: HistoryDef, source: URLSearchParams | Record<string, unknown>) {
  const ws = workspaceOf(ctx);
  const get = (k: string) => (source instanceof URLSearchParams ? source.get(k) : source[k]);
  const filters = def.ids.map((id) => [id, idFilter(get(id), id)] as const).filter(([, v]) => v !== undefined);
  const branch = def.branch ? get("branch") : undefined;
  if (branch !== undefined && branch !== null && typeof branch !== "string") throw inputError("branch must be text.", "branch");
  return logicState(ctx.core.store).runs.filter(
    (r) => r.kind === def.kind && r.workspaceId === ws.id && (!branch || r.branch === branch) && filters.every(([id, v]) => r.refs[id] === v),
  );
}

const newestFirst = (a: { created_at: number; id: number }, b: { created_at: number; id: number }) => b.created_at - a.created_at || b.id - a.id;

function bodyBool(body: Record<string, unknown>, name: string): boolean {
  const v = body[name];
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") throw inputError(`${name} must be true or false.`, name);
  return v;
}

function historyRoutes(def: HistoryDef): RouteDef[] {
  const path = `${META}/workspace/{workspace_id}/${def.path}`;
  const table = pseudoTable(def.path, [["id", "int"], ["created_at", "timestamp"], ["duration", "decimal"], ...def.ids.map((id) => [id, "int"] as [string, FieldType])]);
  const flat = (r: RunEntry) => ({ id: r.id, created_at: r.created_at, duration: r.duration, ...Object.fromEntries(def.ids.map((id) => [id, r.refs[id] ?? 0])) });
  return [
    {
      surface: "instance", method: "GET", path, auth: "meta:read",
      handle: (ctx) => {
        const paging = readPaging(ctx.query, 50);
        if (paging.perPage > MAX_HISTORY_PER_PAGE) throw inputError(`per_page must be at most ${MAX_HISTORY_PER_PAGE}.`, "per_page");
        const withOutput = queryBool(ctx, "include_output", false);
        const page = listEnvelope(runsOf(ctx, def, ctx.query).sort(newestFirst), paging);
        return { ...page, items: page.items.map((r) => runItem(def, r, withOutput)) };
      },
    },
    {
      surface: "instance", method: "POST", path: `${path}/search`, auth: "meta:read",
      handle: async (ctx) => {
        const body = await ctx.body();
        const paging = readPaging(body, 50);
        if (paging.perPage > MAX_HISTORY_PER_PAGE) throw inputError(`per_page must be at most ${MAX_HISTORY_PER_PAGE}.`, "per_page");
        const match = compileSearch(table, body.search);
        const order = body.sort === undefined || body.sort === null ? null : compileSort(table, body.sort);
        const rows = runsOf(ctx, def, body).filter((r) => match(flat(r) as never));
        rows.sort(order ? (a, b) => order(flat(a) as never, flat(b) as never) : newestFirst);
        const page = listEnvelope(rows, paging);
        return { ...page, items: page.items.map((r) => runItem(def, r, bodyBool(body, "include_output"))) };
      },
    },
  ];
}

const AUDIT_TABLE = pseudoTable("audit_log", [["id", "int"], ["created_at", "timestamp"], ["type", "text"], ["msg", "text"], ["workspace_id", "int"]]);

function auditItem(ctx: RequestContext, e: AuditEntry, withData: boolean) {
  const user = ctx.core.store.users.find((u) => u.id === e.userId);
  const ws = ctx.core.store.workspaces.find((w) => w.id === e.workspaceId);
  return {
    id: e.id, created_at: timestamptz(e.created_at), updated_at: timestamptz(e.created_at), type: e.type, msg: e.msg, label: e.label,
    data: withData ? e.data : null, obj: e.obj, user: user ? { id: user.id, email: user.email } : null,
    workspace: ws ? { id: ws.id, name: ws.name } : null, branch: { id: 0, label: e.branch },
  };
}

function auditOf(ctx: RequestContext, scope: "instance" | "workspace") {
  const ids = scope === "workspace" ? [workspaceOf(ctx).id] : visibleWorkspaces(ctx).map((w) => w.id);
  return logicState(ctx.core.store).audit.filter((e) => ids.includes(e.workspaceId));
}

function auditRoutes(scope: "instance" | "workspace"): RouteDef[] {
  const path = scope === "instance" ? `${META}/audit_log` : `${META}/workspace/{workspace_id}/audit_log`;
  const flat = (e: AuditEntry) => ({ id: e.id, created_at: e.created_at, type: e.type, msg: e.msg, workspace_id: e.workspaceId });
  return [
    {
      surface: "instance", method: "GET", path, auth: "meta:read",
      handle: (ctx) => {
        const withData = queryBool(ctx, "include_data", false);
        const page = contentEnvelope(auditOf(ctx, scope).sort(newestFirst), readPaging(ctx.query, 50));
        return { ...page, items: page.items.map((e) => auditItem(ctx, e, withData)) };
      },
    },
    {
      surface: "instance", method: "POST", path: `${path}/search`, auth: "meta:read",
      handle: async (ctx) => {
        const body = await ctx.body();
        const match = compileSearch(AUDIT_TABLE, body.search);
        const order = body.sort === undefined || body.sort === null ? null : compileSort(AUDIT_TABLE, body.sort);
        const rows = auditOf(ctx, scope).filter((e) => match(flat(e) as never));
        rows.sort(order ? (a, b) => order(flat(a) as never, flat(b) as never) : newestFirst);
        const page = contentEnvelope(rows, readPaging(body, 50));
        return { ...page, items: page.items.map((e) => auditItem(ctx, e, bodyBool(body, "include_data"))) };
      },
    },
  ];
}

export const runRoutes: RouteDef[] = [...HISTORIES.flatMap(historyRoutes), ...auditRoutes("instance"), ...auditRoutes("workspace")];
