/**
 * Shapes of Xano's Metadata and account APIs shared across areas: ids, pages and list options,
 * and the few objects several areas name (users, instances, workspaces, branches). Each area's
 * own input shapes live in its module under meta/.
 */

export type Id = number | string;
export type XanoRecord = Record<string, unknown>;

/** Xano's list envelope; `itemsTotal`/`pageTotal` exist only on content browse and search. */
export interface Page<T> {
  items: T[];
  curPage: number;
  nextPage: number | null;
  prevPage: number | null;
  itemsReceived?: number;
  itemsTotal?: number;
  pageTotal?: number;
  perPage?: number;
  offset?: number;
}

export interface PageRequest {
  page?: number;
  perPage?: number;
}

/** Sortable fields of API groups, endpoints and functions (default created_at, desc). */
export type ObjectSort = "created_at" | "updated_at" | "name";

/** Xano's list query for files, API groups, APIs and functions. */
export interface ListRequest<Sort extends string = ObjectSort> extends PageRequest {
  search?: string;
  sort?: Sort;
  order?: "asc" | "desc";
}

/** Asks Xano to answer an object's code too (`include_xanoscript`, in its description for tables, API groups, endpoints and functions). */
export interface CodeOption {
  includeXanoscript?: boolean;
}

export interface BranchOption {
  /** A branch label; Xano's live branch when absent. */
  branch?: string;
}

export interface DataSourceOption {
  /** Xano's `x-data-source` header (e.g. "test"); the live data source when absent. */
  dataSource?: string;
}

/** A whole object as XanoScript, sent instead of its JSON fields. */
export interface ScriptBody {
  xanoscript: string;
}

export interface XanoUser {
  id: number | string;
  name?: string;
  email?: string;
}

export interface InstanceRecord {
  name: string;
  display?: string;
  xano_domain?: string;
  custom_domain?: string | null;
  meta_api: string;
  meta_swagger?: string;
  [key: string]: unknown;
}

export interface Workspace {
  id: number;
  name: string;
  description?: string;
  branch?: string;
  [key: string]: unknown;
}

export interface Branch {
  label: string;
  backup?: boolean;
  live?: boolean;
  created_at?: number | string;
  [key: string]: unknown;
}
