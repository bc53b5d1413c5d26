// Resolving path parameters to the caller's own objects. A workspace or table that exists but
// belongs to someone else answers exactly like one that does not exist (404 ERROR_CODE_NOT_FOUND):
// the fake's isolation rule is "a token only ever sees its own user's workspaces", and a 404
// rather than a 403 does not reveal that another user's workspace id exists.

import type { SeedBranch, SeedWorkspace } from "../../fixtures/seed";
import { principalOf, type RequestContext } from "../context";
import { inputError, notFound } from "../errors";
import type { TableState } from "../store";

/** Xano's default (live) branch label. `?branch=` naming a branch the workspace lacks answers 404. */
export const LIVE_BRANCH = "v1";

/** A workspace's branches. Their contents are not modelled: every branch shows the live data. */
export function branchesOf(ctx: RequestContext, ws: SeedWorkspace): SeedBranch[] {
  return ctx.core.store.branches.get(ws.id) ?? [];
}

function checkBranch(ctx: RequestContext, ws: SeedWorkspace): void {
  const branch = ctx.query.get("branch");
  if (branch !== null && branch !== "" && !branchesOf(ctx, ws).some((b) => b.label === branch)) {
    throw notFound(`Branch "${branch}" not found.`);
  }
}

export function visibleWorkspaces(ctx: RequestContext): SeedWorkspace[] {
  const { userId } = principalOf(ctx);
  return ctx.core.store.workspaces.filter((w) => w.instance === ctx.instance!.name && w.ownerId === userId);
}

export function workspaceFor(ctx: RequestContext): SeedWorkspace {
  const id = Number(ctx.params.w);
  const ws = visibleWorkspaces(ctx).find((w) => w.id === id);
  if (!ws) throw notFound("Workspace not found.");
  checkBranch(ctx, ws);
  return ws;
}

export function tableFor(ctx: RequestContext): TableState {
  const ws = workspaceFor(ctx);
  const table = ctx.core.store.tables.get(Number(ctx.params.t));
  if (!table || table.workspaceId !== ws.id) throw notFound("Table not found.");
  return table;
}

/** A workspace's data sources. Only "live" is modelled; its records are the only ones. */
export function dataSourcesOf(_ctx: RequestContext, _ws: SeedWorkspace) {
  return [{ label: "live", color: "#ebc346" }];
}

/**
 * Record routes take Xano's `x-data-source` header (default live). A label the workspace does not
 * have is refused with a 400 naming the header (the description does not say what Xano answers).
 */
export function checkDataSource(ctx: RequestContext): void {
  const label = ctx.request.headers.get("x-data-source");
  if (label === null || label === "") return;
  if (!dataSourcesOf(ctx, workspaceFor(ctx)).some((d) => d.label === label)) {
    throw inputError(`Data source "${label}" does not exist.`, "x-data-source");
  }
}

export function workspaceRecord(ws: SeedWorkspace) {
  return { id: ws.id, name: ws.name, description: ws.description, branch: LIVE_BRANCH };
}
