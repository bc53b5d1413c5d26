// A tiny route table. Routes are declared as data (surface, method, path template, auth need,
// handler) so the dispatcher can name the matched template in the log and match knobs on it.
// Templates use `{param}` segments, e.g. "/api:meta/workspace/{w}/table/{t}"; Hono's `:param`
// syntax would clash with the literal colon in Xano's "api:meta" group names.

import type { RequestContext } from "./context";

/** Which kind of origin a route lives on: the account host (app.xano.com) or an instance host. */
export type Surface = "account" | "instance";

/**
 * What a route needs before its handler runs:
 * - "none": public (OAuth endpoints, login).
 * - "account": any valid token of a user (metadata token or OAuth access token).
 * - "meta:read" / "meta:write": a token valid for THIS instance; OAuth tokens also need the
 *   workspace:read / workspace:write scope.
 * - "app": an authToken issued by the app auth group.
 */
export type AuthNeed = "none" | "account" | "meta:read" | "meta:write" | "app";

export interface RouteDef {
  surface: Surface;
  method: string;
  path: string;
  auth: AuthNeed;
  /** Return a Response, or any JSON-serialisable value (answered as 200 JSON). */
  handle(ctx: RequestContext): unknown | Promise<unknown>;
}

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
  /** "METHOD /path/{template}", the key used by the log and the knobs. */
  template: string;
}

export function routeKey(route: Pick<RouteDef, "method" | "path">): string {
  return `${route.method} ${route.path}`;
}

/** Finds the most specific route (most literal segments) for a method + path on a surface. */
export function matchRoute(routes: RouteDef[], surface: Surface, method: string, pathname: string): RouteMatch | null {
  const segments = pathname.split("/").filter((s) => s !== "");
  let best: { match: RouteMatch; literals: number } | null = null;
  for (const route of routes) {
    if (route.surface !== surface || route.method !== method) continue;
    const parts = route.path.split("/").filter((s) => s !== "");
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const part = parts[i];
      if (part.startsWith("{") && part.endsWith("}")) {
        params[part.slice(1, -1)] = safeDecode(segments[i]);
      } else if (part === segments[i]) {
        literals++;
      } else {
        ok = false;
      }
    }
    if (ok && (!best || literals > best.literals)) {
      best = { match: { route, params, template: routeKey(route) }, literals };
    }
  }
  return best?.match ?? null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
