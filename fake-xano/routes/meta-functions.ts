// Instance Meta API: the workspace's custom functions, listed (xano.md "Functions").

import type { SeedFunction } from "../../fixtures/seed-workspace-assets";
import type { RequestContext } from "../context";
import { queryList } from "../list-query";
import type { RouteDef } from "../router";
import { LIVE_BRANCH, workspaceFor } from "./lookup";
import { xanoTimestamp } from "../timestamps";

/** Xano's description: created_at (default, newest first), updated_at, name. */
const SORTABLE = ["name", "created_at", "updated_at"] as const;

function record(f: SeedFunction) {
  return {
    id: f.id, name: f.name, description: f.description, docs: f.docs, tag: f.tag, branch: LIVE_BRANCH,
    created_at: xanoTimestamp(f.created_at), updated_at: xanoTimestamp(f.created_at),
  };
}

function list(ctx: RequestContext) {
  const ws = workspaceFor(ctx);
  const functions = ctx.core.store.assets.functions.filter((f) => f.workspaceId === ws.id).map((f) => ({ ...f, updated_at: f.created_at }));
  const page = queryList(ctx, functions, SORTABLE);
  return { ...page, items: page.items.map(record) };
}

export const functionRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: "/api:meta/workspace/{w}/function", auth: "meta:read", handle: list },
];
