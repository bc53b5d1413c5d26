/**
 * The one Xano client. Every Xano call the server makes goes through `XanoHttp.request`, which
 * sets the bearer header, encodes path segments, parses Xano's envelopes and turns every failure
 * into a `XanoApiError`. Nothing from a tool argument can change the host: callers pass path
 * segments, never URLs.
 */
import { XanoApiError } from "./errors";
import { xanoFetch } from "./fetch";

export type Id = number | string;
type Query = Record<string, string | number | boolean | undefined>;

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

/** One field of a table schema, as Xano's schema routes take and return it. */
export interface SchemaField {
  name: string;
  type: string;
  description?: string;
  nullable?: boolean;
  default?: string;
  required?: boolean;
  access?: "public" | "private" | "internal";
  style?: "single" | "list";
  sensitive?: boolean;
  [key: string]: unknown;
}

export interface TableMeta {
  name?: string;
  description?: string;
  docs?: string;
  auth?: boolean;
  tag?: string[];
}

export interface NewTable extends TableMeta {
  name: string;
  schema?: SchemaField[];
}

export interface PageRequest {
  page?: number;
  perPage?: number;
}

/** Xano's list query for files, API groups, APIs and functions. */
export interface ListRequest extends PageRequest {
  search?: string;
  sort?: string;
  order?: "asc" | "desc";
}

export type XanoRecord = Record<string, unknown>;
export type ApiVerb = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiGroupInput {
  name?: string;
  description?: string;
  docs?: string;
  swagger?: boolean;
  tag?: string[];
}

export interface ApiInput {
  name?: string;
  verb?: ApiVerb;
  description?: string;
  docs?: string;
  tag?: string[];
}

/**
 * Where a client gets its bearer. `afterRejected`, when present, is asked for a new token after a
 * 401 and the call is retried once with it (it throws when the credential is dead).
 */
export interface BearerSource {
  token(): Promise<string> | string;
  afterRejected?(token: string): Promise<string>;
}

export function staticBearer(token: string): BearerSource {
  return { token: () => token };
}

/** For public endpoints (an app's auth/login): no Authorization header at all. */
export const NO_BEARER: BearerSource = { token: () => "" };

/** A JSON `body`, a multipart `form` (file upload) or a `text` body (XanoScript); never two. */
export interface RequestOptions {
  query?: Query;
  body?: unknown;
  form?: FormData;
  /** A text body with its content type, e.g. a script sent as `text/x-xanoscript`. */
  text?: { contentType: string; value: string };
  /** Extra headers Xano reads (e.g. `x-data-source`); never Authorization, which is set here. */
  headers?: Record<string, string>;
  /** Accept a non-JSON answer (a file) and return it as a RawBody; JSON answers are still parsed. */
  raw?: boolean;
}

/** A non-JSON answer (e.g. an exported file). */
export interface RawBody {
  contentType: string;
  /** The Content-Disposition header, which may carry a file name. */
  disposition: string | null;
  bytes: Uint8Array;
}

/** Low-level HTTP to one Xano API base (an instance's `/api:meta`, or the account API). */
export class XanoHttp {
  constructor(
    readonly baseUrl: string,
    private readonly bearer: BearerSource,
    private readonly fetchImpl: (url: string, init: RequestInit) => Promise<Response> = xanoFetch,
  ) {}

  async request<T>(method: string, segments: Array<string | number>, options: RequestOptions = {}): Promise<T> {
    const token = await this.bearer.token();
    try {
      return await this.requestWith<T>(token, method, segments, options);
    } catch (error) {
      if (!(error instanceof XanoApiError) || error.status !== 401 || !this.bearer.afterRejected) throw error;
      // Refresh once (or learn the credential is dead), then retry once.
      const next = await this.bearer.afterRejected(token);
      if (next === token) throw error;
      return this.requestWith<T>(next, method, segments, options);
    }
  }

  private async requestWith<T>(token: string, method: string, segments: Array<string | number>, options: RequestOptions): Promise<T> {
    const url = new URL(this.baseUrl.replace(/\/+$/, "") + "/" + segments.map((s) => encodeURIComponent(String(s))).join("/"));
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { ...options.headers, Accept: "application/json" };
    if (token !== "") headers.Authorization = `Bearer ${token}`;
    // A multipart body sets its own Content-Type (with the boundary); FormData can be sent again on the retry.
    if (options.body !== undefined && options.form === undefined) headers["Content-Type"] = "application/json";
    if (options.text !== undefined) headers["Content-Type"] = options.text.contentType;

    let response: Response;
    try {
      response = await this.fetchImpl(url.toString(), {
        method,
        headers,
        body: options.form ?? options.text?.value ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
        redirect: "manual",
      });
    } catch (cause) {
      throw new XanoApiError(0, "NETWORK_ERROR", `could not connect to ${url.host}`, undefined, null);
    }
    if (options.raw && response.ok && !isJsonType(response.headers.get("Content-Type"))) {
      return { contentType: response.headers.get("Content-Type") ?? "application/octet-stream", disposition: response.headers.get("Content-Disposition"), bytes: new Uint8Array(await response.arrayBuffer()) } satisfies RawBody as T;
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const envelope = (parsed.ok && isRecord(parsed.value) ? parsed.value : {}) as Record<string, unknown>;
      throw new XanoApiError(
        response.status,
        typeof envelope.code === "string" ? envelope.code : `HTTP_${response.status}`,
        typeof envelope.message === "string" ? envelope.message : response.statusText || "",
        envelope.payload,
        parseRetryAfter(response.headers.get("Retry-After")),
      );
    }
    if (text === "") return null as T;
    if (!parsed.ok) throw new XanoApiError(response.status, "INVALID_RESPONSE", `Xano answered with something that is not JSON (from ${url.host})`);
    return parsed.value as T;
  }
}

/** Xano's account ("master") API at `{XANO_ACCOUNT_URL}/api:meta`. */
export class XanoAccountClient {
  private readonly http: XanoHttp;
  constructor(accountUrl: string, bearer: BearerSource, fetchImpl?: typeof fetch) {
    this.http = new XanoHttp(`${accountUrl.replace(/\/+$/, "")}/api:meta`, bearer, fetchImpl);
  }
  me(): Promise<XanoUser> {
    return this.http.request("GET", ["auth", "me"]);
  }
  listInstances(): Promise<InstanceRecord[]> {
    return this.http.request<unknown>("GET", ["instance"]).then((v) => asArray<InstanceRecord>(v));
  }
  getInstance(name: string): Promise<InstanceRecord> {
    return this.http.request("GET", ["instance", name]);
  }
}

/** An instance's Meta API at `https://<instance>/api:meta`. */
export class XanoMetaClient {
  private readonly http: XanoHttp;
  constructor(readonly metaApiBase: string, bearer: BearerSource, fetchImpl?: typeof fetch) {
    this.http = new XanoHttp(metaApiBase, bearer, fetchImpl);
  }

  me(): Promise<XanoUser> {
    return this.http.request("GET", ["auth", "me"]);
  }

  /**
   * Any Meta API operation, sent as built by `xano/operations.ts` from the operation table. The
   * typed methods below stay for the tools written before the table; new tools use this.
   */
  send<T = unknown>(method: string, segments: Array<string | number>, options: RequestOptions = {}): Promise<T> {
    return this.http.request<T>(method, segments, options);
  }

  listWorkspaces(): Promise<Workspace[]> {
    return this.http.request<unknown>("GET", ["workspace"]).then((v) => asArray<Workspace>(v));
  }

  /** Tables of a workspace. Old Xano answers a bare array; both become a Page. */
  async listTables(workspaceId: Id, options: PageRequest & { search?: string; sort?: string; order?: "asc" | "desc" } = {}): Promise<Page<Record<string, unknown>>> {
    const result = await this.http.request<unknown>("GET", ["workspace", workspaceId, "table"], {
      query: { page: options.page, per_page: options.perPage, search: options.search, sort: options.sort, order: options.order },
    });
    return asPage(result);
  }

  // Workspaces: details, branches, data sources, schema export.

  getWorkspace(workspaceId: Id): Promise<Workspace> {
    return this.http.request("GET", ["workspace", workspaceId]);
  }

  listBranches(workspaceId: Id): Promise<Branch[]> {
    return this.http.request<unknown>("GET", ["workspace", workspaceId, "branch"]).then((v) => asArray<Branch>(v));
  }

  deleteBranch(workspaceId: Id, label: string): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "branch", label]);
  }

  listDataSources(workspaceId: Id): Promise<Array<Record<string, unknown>>> {
    return this.http.request<unknown>("GET", ["workspace", workspaceId, "datasource"]).then((v) => asArray<Record<string, unknown>>(v));
  }

  /** Xano's docs show a JSON answer, its CLI a binary archive: either comes back. */
  exportWorkspaceSchema(workspaceId: Id, options: { branch?: string; password?: string } = {}): Promise<RawBody | unknown> {
    return this.http.request("POST", ["workspace", workspaceId, "export-schema"], {
      body: { branch: options.branch ?? "", password: options.password ?? "" },
      raw: true,
    });
  }

  // Tables: details, create, metadata, delete.

  getTable(workspaceId: Id, tableId: Id): Promise<Record<string, unknown>> {
    return this.http.request("GET", ["workspace", workspaceId, "table", tableId]);
  }

  createTable(workspaceId: Id, table: NewTable): Promise<{ id: number }> {
    return this.http.request("POST", ["workspace", workspaceId, "table"], { body: table });
  }

  updateTableMeta(workspaceId: Id, tableId: Id, meta: TableMeta): Promise<Record<string, unknown> | null> {
    return this.http.request("PUT", ["workspace", workspaceId, "table", tableId, "meta"], { body: meta });
  }

  deleteTable(workspaceId: Id, tableId: Id): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "table", tableId]);
  }

  // Schema: whole, one field, add by type (no read-modify-write), rename, delete, replace all.

  getTableSchema(workspaceId: Id, tableId: Id): Promise<SchemaField[]> {
    return this.http.request<unknown>("GET", ["workspace", workspaceId, "table", tableId, "schema"]).then((v) => asArray<SchemaField>(v));
  }

  getSchemaField(workspaceId: Id, tableId: Id, name: string): Promise<SchemaField> {
    return this.http.request("GET", ["workspace", workspaceId, "table", tableId, "schema", name]);
  }

  addSchemaField(workspaceId: Id, tableId: Id, type: string, field: Omit<SchemaField, "type">): Promise<{ name: string }> {
    return this.http.request("POST", ["workspace", workspaceId, "table", tableId, "schema", "type", type], { body: field });
  }

  renameSchemaField(workspaceId: Id, tableId: Id, oldName: string, newName: string): Promise<unknown> {
    return this.http.request("POST", ["workspace", workspaceId, "table", tableId, "schema", "rename"], { body: { old_name: oldName, new_name: newName } });
  }

  deleteSchemaField(workspaceId: Id, tableId: Id, name: string): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "table", tableId, "schema", name]);
  }

  replaceTableSchema(workspaceId: Id, tableId: Id, schema: SchemaField[]): Promise<unknown> {
    return this.http.request("PUT", ["workspace", workspaceId, "table", tableId, "schema"], { body: { schema } });
  }

  // Indexes.

  listIndexes(workspaceId: Id, tableId: Id): Promise<Array<Record<string, unknown>>> {
    return this.http.request<unknown>("GET", ["workspace", workspaceId, "table", tableId, "index"]).then((v) => asArray<Record<string, unknown>>(v));
  }

  createIndex(workspaceId: Id, tableId: Id, type: string, fields: Array<{ name: string; op?: string }>): Promise<{ id: string | number }> {
    return this.http.request("POST", ["workspace", workspaceId, "table", tableId, "index", type], { body: { fields } });
  }

  deleteIndex(workspaceId: Id, tableId: Id, indexId: Id): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "table", tableId, "index", indexId]);
  }

  async browseTableContent(workspaceId: Id, tableId: Id, options: PageRequest = {}): Promise<Page<Record<string, unknown>>> {
    const result = await this.http.request<unknown>("GET", ["workspace", workspaceId, "table", tableId, "content"], {
      query: { page: options.page, per_page: options.perPage },
    });
    return asPage(result);
  }

  // --- Records (table content) -------------------------------------------------------------

  /** `search`/`sort` use Xano's syntax (see the xano_search_table_content tool description). */
  async searchTableContent(workspaceId: Id, tableId: Id, options: PageRequest & { search?: unknown; sort?: unknown } = {}): Promise<Page<XanoRecord>> {
    const result = await this.http.request<unknown>("POST", [...content(workspaceId, tableId), "search"], {
      body: { page: options.page, per_page: options.perPage, search: options.search, sort: options.sort },
    });
    return asPage(result);
  }

  getTableRecord(workspaceId: Id, tableId: Id, recordId: Id): Promise<XanoRecord> {
    return this.http.request("GET", [...content(workspaceId, tableId), recordId]);
  }

  createTableRecord(workspaceId: Id, tableId: Id, record: XanoRecord): Promise<XanoRecord> {
    return this.http.request("POST", content(workspaceId, tableId), { body: record });
  }

  /** A partial update: only the given fields change. Xano answers the whole record. */
  updateTableRecord(workspaceId: Id, tableId: Id, recordId: Id, updates: XanoRecord): Promise<XanoRecord> {
    return this.http.request("PUT", [...content(workspaceId, tableId), recordId], { body: updates });
  }

  deleteTableRecord(workspaceId: Id, tableId: Id, recordId: Id): Promise<unknown> {
    return this.http.request("DELETE", [...content(workspaceId, tableId), recordId]);
  }

  /** Answers the new ids. */
  bulkCreateRecords(workspaceId: Id, tableId: Id, items: XanoRecord[], allowIdField = false): Promise<unknown> {
    return this.http.request("POST", [...content(workspaceId, tableId), "bulk"], { body: { items, allow_id_field: allowIdField } });
  }

  /** Answers `{success: [ids], success_total}`; ids that do not exist are skipped. */
  bulkUpdateRecords(workspaceId: Id, tableId: Id, items: Array<{ row_id: Id; updates: XanoRecord }>): Promise<unknown> {
    return this.http.request("POST", [...content(workspaceId, tableId), "bulk", "patch"], { body: { items } });
  }

  /** Answers `{success, success_total, error}`. */
  bulkDeleteRecords(workspaceId: Id, tableId: Id, rowIds: Id[]): Promise<unknown> {
    return this.http.request("POST", [...content(workspaceId, tableId), "bulk", "delete"], { body: { row_ids: rowIds } });
  }

  /** Applies `updates` to every record matching `search`; answers `{success, success_total}`. */
  updateRecordsBySearch(workspaceId: Id, tableId: Id, search: unknown, updates: XanoRecord): Promise<unknown> {
    return this.http.request("POST", [...content(workspaceId, tableId), "search", "patch"], { body: { search, updates } });
  }

  /** Deletes every record; `reset` also restarts the id counter at 1. */
  truncateTable(workspaceId: Id, tableId: Id, reset: boolean): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "table", tableId, "truncate"], { body: { reset } });
  }

  // --- Files --------------------------------------------------------------------------------

  async listFiles(workspaceId: Id, options: ListRequest & { access?: "public" | "private" } = {}): Promise<Page<XanoRecord>> {
    const result = await this.http.request<unknown>("GET", ["workspace", workspaceId, "file"], { query: { ...listQuery(options), access: options.access } });
    return asPage(result);
  }

  /** Multipart upload with the file in `content`; Xano answers the file's metadata. */
  uploadFile(workspaceId: Id, file: { content: Blob; name: string; type?: "image" | "video" | "audio"; access?: "public" | "private" }): Promise<XanoRecord> {
    const form = new FormData();
    form.set("content", file.content, file.name);
    if (file.type) form.set("type", file.type);
    if (file.access) form.set("access", file.access);
    return this.http.request("POST", ["workspace", workspaceId, "file"], { form });
  }

  deleteFile(workspaceId: Id, fileId: Id): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "file", fileId]);
  }

  bulkDeleteFiles(workspaceId: Id, fileIds: number[]): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "file", "bulk_delete"], { body: { ids: fileIds } });
  }

  // --- API groups and their endpoints -------------------------------------------------------

  async listApiGroups(workspaceId: Id, options: ListRequest = {}): Promise<Page<XanoRecord>> {
    return asPage(await this.http.request<unknown>("GET", ["workspace", workspaceId, "apigroup"], { query: listQuery(options) }));
  }

  getApiGroup(workspaceId: Id, apiGroupId: Id): Promise<XanoRecord> {
    return this.http.request("GET", ["workspace", workspaceId, "apigroup", apiGroupId]);
  }

  createApiGroup(workspaceId: Id, group: ApiGroupInput & { name: string }): Promise<XanoRecord> {
    return this.http.request("POST", ["workspace", workspaceId, "apigroup"], { body: group });
  }

  updateApiGroup(workspaceId: Id, apiGroupId: Id, changes: ApiGroupInput): Promise<XanoRecord> {
    return this.http.request("PUT", ["workspace", workspaceId, "apigroup", apiGroupId], { body: changes });
  }

  deleteApiGroup(workspaceId: Id, apiGroupId: Id): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "apigroup", apiGroupId]);
  }

  getApiGroupOpenApi(workspaceId: Id, apiGroupId: Id): Promise<XanoRecord> {
    return this.http.request("GET", ["workspace", workspaceId, "apigroup", apiGroupId, "openapi"]);
  }

  async listApis(workspaceId: Id, apiGroupId: Id, options: ListRequest = {}): Promise<Page<XanoRecord>> {
    return asPage(await this.http.request<unknown>("GET", ["workspace", workspaceId, "apigroup", apiGroupId, "api"], { query: listQuery(options) }));
  }

  getApi(workspaceId: Id, apiGroupId: Id, apiId: Id): Promise<XanoRecord> {
    return this.http.request("GET", ["workspace", workspaceId, "apigroup", apiGroupId, "api", apiId]);
  }

  createApi(workspaceId: Id, apiGroupId: Id, api: ApiInput & { name: string; verb: ApiVerb }): Promise<XanoRecord> {
    return this.http.request("POST", ["workspace", workspaceId, "apigroup", apiGroupId, "api"], { body: api });
  }

  updateApi(workspaceId: Id, apiGroupId: Id, apiId: Id, changes: ApiInput): Promise<XanoRecord> {
    return this.http.request("PUT", ["workspace", workspaceId, "apigroup", apiGroupId, "api", apiId], { body: changes });
  }

  deleteApi(workspaceId: Id, apiGroupId: Id, apiId: Id): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "apigroup", apiGroupId, "api", apiId]);
  }

  // --- Functions and request history --------------------------------------------------------

  async listFunctions(workspaceId: Id, options: ListRequest = {}): Promise<Page<XanoRecord>> {
    return asPage(await this.http.request<unknown>("GET", ["workspace", workspaceId, "function"], { query: listQuery(options) }));
  }

  /** `apiGroupId` is sent as Xano's `api_id` (which names the API group on this route); `queryId` is one endpoint. */
  async browseRequestHistory(workspaceId: Id, options: PageRequest & { apiGroupId?: number; queryId?: number; includeOutput?: boolean } = {}): Promise<Page<XanoRecord>> {
    const result = await this.http.request<unknown>("GET", ["workspace", workspaceId, "request_history"], {
      query: { page: options.page, per_page: options.perPage, api_id: options.apiGroupId, query_id: options.queryId, include_output: options.includeOutput },
    });
    return asPage(result);
  }

  async searchRequestHistory(
    workspaceId: Id, options: PageRequest & { search?: unknown; sort?: unknown; apiGroupId?: number; queryId?: number } = {},
  ): Promise<Page<XanoRecord>> {
    // xano.md: paging and the API group / endpoint in the query, the conditions as `filter` in the body.
    const result = await this.http.request<unknown>("POST", ["workspace", workspaceId, "request_history", "search"], {
      query: { page: options.page, per_page: options.perPage, api_id: options.apiGroupId, query_id: options.queryId },
      body: { filter: options.search, sort: options.sort },
    });
    return asPage(result);
  }
}

function content(workspaceId: Id, tableId: Id): Array<string | number> {
  return ["workspace", workspaceId, "table", tableId, "content"];
}

function listQuery(options: ListRequest): Query {
  return { page: options.page, per_page: options.perPage, search: options.search, sort: options.sort, order: options.order };
}

function asArray<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  if (isRecord(value) && Array.isArray(value.items)) return value.items as T[];
  throw new XanoApiError(200, "INVALID_RESPONSE", "Xano answered with an unexpected shape (expected a list)");
}

function asPage<T>(value: unknown): Page<T> {
  if (Array.isArray(value)) return { items: value as T[], curPage: 1, nextPage: null, prevPage: null };
  if (isRecord(value) && Array.isArray(value.items)) return value as unknown as Page<T>;
  throw new XanoApiError(200, "INVALID_RESPONSE", "Xano answered with an unexpected shape (expected a page of items)");
}

function isJsonType(contentType: string | null): boolean {
  return contentType !== null && /\bjson\b/i.test(contentType);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function parseRetryAfter(header: string | null): number | null {
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
