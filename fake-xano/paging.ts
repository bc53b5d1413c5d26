// The two paging envelopes Xano uses (xano.md "Paging"):
// - lists (tables, …): {curPage, nextPage, prevPage, items}, no total, per_page up to 10000;
// - content browse/search: the same plus itemsReceived, offset, perPage, itemsTotal, pageTotal.
// Out-of-range paging parameters are a 400 naming the parameter (Xano's exact behaviour for
// per_page > 10000 is [unverified]: the fake rejects rather than silently clamps, so clients notice).

import { inputError } from "./errors";

export const MAX_PER_PAGE = 10_000;

export interface Paging {
  page: number;
  perPage: number;
}

function positiveInt(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null || value === "") return fallback;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n < 1) throw inputError(`${name} must be a positive integer.`, name);
  if (n > max) throw inputError(`${name} must be at most ${max}.`, name);
  return n;
}

/** Reads `page` / `per_page` from a query string or a JSON body. */
export function readPaging(source: URLSearchParams | Record<string, unknown>, defaultPerPage: number): Paging {
  const get = (k: string) => (source instanceof URLSearchParams ? source.get(k) ?? undefined : source[k]);
  return {
    page: positiveInt(get("page"), "page", 1, Number.MAX_SAFE_INTEGER),
    perPage: positiveInt(get("per_page"), "per_page", defaultPerPage, MAX_PER_PAGE),
  };
}

export function listEnvelope<T>(all: T[], { page, perPage }: Paging) {
  const offset = (page - 1) * perPage;
  const items = all.slice(offset, offset + perPage);
  return {
    curPage: page,
    nextPage: offset + perPage < all.length ? page + 1 : null,
    prevPage: page > 1 ? page - 1 : null,
    items,
  };
}

export function contentEnvelope<T>(all: T[], { page, perPage }: Paging) {
  const offset = (page - 1) * perPage;
  const items = all.slice(offset, offset + perPage);
  const pageTotal = Math.ceil(all.length / perPage);
  return {
    items,
    itemsReceived: items.length,
    curPage: page,
    nextPage: page < pageTotal ? page + 1 : null,
    prevPage: page > 1 ? page - 1 : null,
    offset,
    perPage,
    itemsTotal: all.length,
    pageTotal,
  };
}
