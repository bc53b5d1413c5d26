// Instance Meta API: identity, workspaces, branches, data sources (all bare arrays per xano.md),
// and the schema export.

import type { SeedBranch } from "../../fixtures/seed";
import type { RequestContext } from "../context";
import { inputError, notFound } from "../errors";
import type { RouteDef } from "../router";
import { userSummary } from "./account";
import { branchesOf, dataSourcesOf, visibleWorkspaces, workspaceFor, workspaceRecord } from "./lookup";
import { tableMeta } from "./meta-tables";
import { xanoTimestamp } from "../timestamps";
import { workspaceOpenApi } from "./meta-apis";

const W = "/api:meta/workspace/{w}";

function defaultBranch(branches: SeedBranch[]): SeedBranch | undefined {
  return [...branches].sort((a, b) => a.created_at - b.created_at)[0];
}

function deleteBranch(ctx: RequestContext) {
  const ws = workspaceFor(ctx);
  const branches = branchesOf(ctx, ws);
  const branch = branches.find((b) => b.label === ctx.params.label);
  if (!branch) throw notFound(`Branch "${ctx.params.label}" not found.`);
  // Xano's description: neither the default branch nor the live one can be deleted. Which status
  // it answers is not described; the fake picks 400. The default branch is the one the workspace
  // was created with (the oldest).
  if (branch.live) throw inputError(`Branch "${branch.label}" is the live branch and cannot be deleted.`, "branch_label");
  if (branch === defaultBranch(branches)) throw inputError(`Branch "${branch.label}" is the default branch and cannot be deleted.`, "branch_label");
  ctx.core.store.branches.set(ws.id, branches.filter((b) => b !== branch));
  return {};
}

/**
 * `POST …/export-schema {branch?, password?}`. Xano's docs show a JSON `{}` answer while its
 * official CLI saves the body as a binary `.xano` archive; the fake answers a binary file
 * (application/octet-stream, with a file name) whose bytes are a JSON document of the branch's
 * tables. The password is validated but not applied (the archive format is not modelled).
 */
async function exportSchema(ctx: RequestContext) {
  const ws = workspaceFor(ctx);
  const body = await ctx.body();
  if (body.branch !== undefined && typeof body.branch !== "string") throw inputError("branch must be a string.", "branch");
  if (body.password !== undefined && typeof body.password !== "string") throw inputError("password must be a string.", "password");
  const branches = branchesOf(ctx, ws);
  const label = (body.branch as string | undefined) || branches.find((b) => b.live)?.label;
  if (!branches.some((b) => b.label === label)) throw notFound(`Branch "${label}" not found.`);
  const tables = [...ctx.core.store.tables.values()]
    .filter((t) => t.workspaceId === ws.id)
    .map((t) => ({ ...tableMeta(t), schema: t.schema, index: t.indexes }));
  const document = { format: "fake-xano schema export", workspace: workspaceRecord(ws), branch: label, tables };
  return new Response(new TextEncoder().encode(JSON.stringify(document)), {
    headers: {
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="schema-${ws.id}-${label}.xano"`,
    },
  });
}

export const workspaceRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: "/api:meta/auth/me", auth: "meta:read", handle: userSummary },
  {
    surface: "instance", method: "GET", path: "/api:meta/workspace", auth: "meta:read",
    handle: (ctx) => visibleWorkspaces(ctx).map(workspaceRecord),
  },
  {
    surface: "instance", method: "GET", path: W, auth: "meta:read",
    handle: (ctx) => workspaceRecord(workspaceFor(ctx)),
  },
  {
    surface: "instance", method: "GET", path: `${W}/branch`, auth: "meta:read",
    handle: (ctx) => branchesOf(ctx, workspaceFor(ctx)).map((b) => ({ ...b, created_at: xanoTimestamp(b.created_at) })),
  },
  { surface: "instance", method: "DELETE", path: `${W}/branch/{label}`, auth: "meta:write", handle: deleteBranch },
  { surface: "instance", method: "GET", path: `${W}/openapi`, auth: "meta:read", handle: workspaceOpenApi },
  { surface: "instance", method: "POST", path: `${W}/export-schema`, auth: "meta:read", handle: exportSchema },
];
