// The list query Xano's non-content lists share (files, API groups, APIs, functions):
// `?page&per_page&search&sort&order`, answered with the list envelope. `search` matches the name
// (case-insensitive substring); `sort` must be one of the list's sortable fields, `order` asc|desc;
// anything else is a 400 naming the parameter, as for tables. Defaults are the description's:
// created_at, newest first.

import type { RequestContext } from "./context";
import { inputError } from "./errors";
import { compare } from "./content-search";
import { listEnvelope, readPaging } from "./paging";

export function queryList<T extends { id: number; name: string }>(
  ctx: RequestContext, all: T[], sortable: ReadonlyArray<keyof T & string>, defaultSort: keyof T & string = "created_at" as keyof T & string,
  defaultOrder: "asc" | "desc" = "desc",
) {
  const paging = readPaging(ctx.query, 50);
  const search = (ctx.query.get("search") ?? "").toLowerCase();
  const sort = ctx.query.get("sort") || defaultSort;
  const order = ctx.query.get("order") || defaultOrder;
  if (!(sortable as readonly string[]).includes(sort)) throw inputError(`sort must be one of ${sortable.join(", ")}.`, "sort");
  if (order !== "asc" && order !== "desc") throw inputError('order must be "asc" or "desc".', "order");
  const dir = order === "asc" ? 1 : -1;
  const key = sort as keyof T;
  const items = all
    .filter((item) => item.name.toLowerCase().includes(search))
    .sort((a, b) => (compare(a[key], b[key]) || a.id - b.id) * dir);
  return listEnvelope(items, paging);
}

/** An optional string field of a JSON body; 400 naming it when it has another type. */
export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw inputError(`${name} must be text.`, name);
  return v;
}

export function requiredName(body: Record<string, unknown>): string {
  const name = optionalString(body, "name");
  if (name === undefined || name.trim() === "") throw inputError("name is required.", "name");
  return name;
}

export function optionalBool(body: Record<string, unknown>, name: string): boolean | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw inputError(`${name} must be true or false.`, name);
  return v;
}

export function optionalTags(body: Record<string, unknown>): string[] | undefined {
  const v = body.tag;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((t) => typeof t === "string")) throw inputError("tag must be a list of text tags.", "tag");
  return v;
}
