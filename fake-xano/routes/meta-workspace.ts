// Instance Meta API: identity, workspaces, branches, data sources (all bare arrays per xano.md).

import type { RouteDef } from "../router";
import { userSummary } from "./account";
import { LIVE_BRANCH, visibleWorkspaces, workspaceFor, workspaceRecord } from "./lookup";

export const workspaceRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: "/api:meta/auth/me", auth: "meta:read", handle: userSummary },
  {
    surface: "instance", method: "GET", path: "/api:meta/workspace", auth: "meta:read",
    handle: (ctx) => visibleWorkspaces(ctx).map(workspaceRecord),
  },
  {
    surface: "instance", method: "GET", path: "/api:meta/workspace/{w}", auth: "meta:read",
    handle: (ctx) => workspaceRecord(workspaceFor(ctx)),
  },
  {
    surface: "instance", method: "GET", path: "/api:meta/workspace/{w}/branch", auth: "meta:read",
    handle: (ctx) => {
      workspaceFor(ctx);
      return [{ label: LIVE_BRANCH, backup: false, live: true, created_at: 1_767_225_600_000 }];
    },
  },
  {
    surface: "instance", method: "GET", path: "/api:meta/workspace/{w}/datasource", auth: "meta:read",
    handle: (ctx) => {
      workspaceFor(ctx);
      return [{ label: "live", color: "#ebc346" }];
    },
  },
];
