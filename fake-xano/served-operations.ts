// Which Metadata API operations the fake serves, as (method, OpenAPI-style path template) pairs in
// the spelling of Xano's description (`/workspace/{workspace_id}/function/{function_id}`), so a
// test can compare them with the description and with the operations the client calls.
// Older route files name their parameters briefly (`{w}`, `{t}`); only the position of a parameter
// matters when comparing, so both spellings are normalised to the description's names here.

import type { RouteDef } from "./router";

export interface ServedOperation {
  method: string;
  /** Path under `/api:meta`, as in the description. */
  path: string;
}

/** The parameter names older route files use → the description's names. */
const LEGACY_PARAMS: Record<string, string> = { w: "workspace_id", t: "table_id", g: "apigroup_id", a: "api_id", name: "schema_name", label: "branch_label" };

/** `{id}` after `content` is `{content_id}`, after `file` `{file_id}`, …; other names by LEGACY_PARAMS. */
function describedPath(path: string): string {
  const parts = path.split("/");
  return parts
    .map((part, i) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (!m) return part;
      if (m[1] === "id") return `{${parts[i - 1]}_id}`;
      return `{${LEGACY_PARAMS[m[1]] ?? m[1]}}`;
    })
    .join("/");
}

/** A template with every `{param}` blanked, to compare templates whatever their parameter names. */
export function templateShape(path: string): string {
  return path.replace(/\{[^}]+\}/g, "{}");
}

/** Routes that share a method and template shape (whatever their parameter names): each must have one owner. */
export function duplicateRoutes(routes: RouteDef[]): string[] {
  const seen = new Map<string, number>();
  for (const r of routes) {
    const key = `${r.surface} ${r.method} ${templateShape(r.path)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([key]) => key);
}

export function servedOperations(routes: RouteDef[]): ServedOperation[] {
  const seen = new Set<string>();
  const out: ServedOperation[] = [];
  for (const r of routes) {
    if (r.surface !== "instance" || !r.path.startsWith("/api:meta/")) continue;
    const path = describedPath(r.path.slice("/api:meta".length));
    const key = `${r.method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, path });
  }
  return out;
}

/**
 * Whether a served template covers an operation of the description: the same method and segments,
 * parameters matching parameters; a served `{type}` also stands for the literal it dispatches on
 * (`/index/{type}` serves `/index/btree`, `/schema/type/{type}` serves `/schema/type/int`).
 */
export function servesOperation(served: ReadonlyArray<ServedOperation>, method: string, describedPathTemplate: string): boolean {
  const want = describedPathTemplate.split("/");
  const isParam = (seg: string) => seg.startsWith("{") && seg.endsWith("}");
  return served.some((op) => {
    if (op.method !== method.toUpperCase()) return false;
    const have = op.path.split("/");
    return have.length === want.length && have.every((seg, i) => seg === want[i] || (isParam(seg) && (isParam(want[i]) || seg === "{type}")));
  });
}
