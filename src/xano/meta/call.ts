/**
 * How the area modules of the Meta API client (meta/*.ts) send: each method names the operation
 * id of the table (operations.generated.ts) and the values of its path parameters; the row gives
 * the method and the path. Bodies, queries and headers stay each method's own. Also the readers
 * of Xano's answer shapes and the query pieces several areas share.
 */
import { XanoApiError } from "../errors";
import { isRecord, type Query, type RequestOptions } from "../http";
import type { CodeOption, DataSourceOption, Id, ListRequest, Page } from "../types";

/** Sends operation `operationId` with `path` giving each `{parameter}` of its path. */
export type MetaCall = <T = unknown>(operationId: string, path: Record<string, Id>, options?: RequestOptions) => Promise<T>;

export function codeQuery(options: CodeOption): { include_xanoscript?: boolean } {
  return options.includeXanoscript ? { include_xanoscript: true } : {};
}

export function listQuery(options: ListRequest<string>): Query {
  return { page: options.page, per_page: options.perPage, search: options.search, sort: options.sort, order: options.order };
}

export function dataSource(options: DataSourceOption): Record<string, string> | undefined {
  return options.dataSource ? { "x-data-source": options.dataSource } : undefined;
}

export function asArray<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  if (isRecord(value) && Array.isArray(value.items)) return value.items as T[];
  throw new XanoApiError(200, "INVALID_RESPONSE", "Xano answered with an unexpected shape (expected a list)");
}

export function asPage<T>(value: unknown): Page<T> {
  // Xano's description (and its CLI) show some pages wrapped in a one-element array.
  if (Array.isArray(value) && value.length === 1 && isRecord(value[0]) && Array.isArray(value[0].items) && "curPage" in value[0]) {
    return value[0] as unknown as Page<T>;
  }
  if (Array.isArray(value)) return { items: value as T[], curPage: 1, nextPage: null, prevPage: null };
  if (isRecord(value) && Array.isArray(value.items)) return value as unknown as Page<T>;
  throw new XanoApiError(200, "INVALID_RESPONSE", "Xano answered with an unexpected shape (expected a page of items)");
}
