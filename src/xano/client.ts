/**
 * The one Xano client. Every Xano call the server makes goes through `XanoHttp.request`, which
 * sets the bearer header, encodes path segments, parses Xano's envelopes and turns every failure
 * into a `XanoApiError`. Nothing from a tool argument can change the host: callers pass path
 * segments, never URLs.
 */
import { UPSTREAM_TOO_LARGE, XanoApiError } from "./errors";
import { UPSTREAM_MAX_BYTES, UPSTREAM_MAX_FILE_BYTES, readUpstream, xanoFetch } from "./fetch";
import { parseRetryAfter } from "../lib/retry-after";

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
  /** Typed per field type in Xano's description: boolean for bool, number for decimal, integer for int, text otherwise. */
  default?: string | number | boolean;
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

/** Sortable fields per list, as Xano's description has them. */
export type TableSort = "created_at" | "updated_at" | "name";
export type FileSort = "created_at" | "name" | "size" | "mime";
/** API groups, endpoints and functions (default created_at, desc). */
export type ObjectSort = "created_at" | "updated_at" | "name";

/** Xano's list query for files, API groups, APIs and functions. */
/** Asks Xano to answer an object's code too (`include_xanoscript`, in its description for tables, API groups, endpoints and functions). */
export interface CodeOption {
  includeXanoscript?: boolean;
}

function codeQuery(options: CodeOption): { include_xanoscript?: boolean } {
  return options.includeXanoscript ? { include_xanoscript: true } : {};
}

export interface ListRequest<Sort extends string = ObjectSort> extends PageRequest {
  search?: string;
  sort?: Sort;
  order?: "asc" | "desc";
}

export type XanoRecord = Record<string, unknown>;
export type ApiVerb = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

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

/** What Xano's description requires to create (or to write back) an API group. */
export interface NewApiGroup extends ApiGroupInput {
  name: string;
  description: string;
  swagger: boolean;
}

/** What Xano's description requires to create (or to write back) an endpoint. */
export interface NewApi extends ApiInput {
  name: string;
  description: string;
  verb: ApiVerb;
}

export const SEARCH_INDEX_LANGUAGES = [
  "simple", "arabic", "danish", "dutch", "english", "finnish", "french", "german", "hungarian", "indonesian", "irish", "italian",
  "lithuanian", "nepali", "norwegian", "portuguese", "romanian", "russian", "spanish", "swedish", "tamil", "turkish",
] as const;
export const VECTOR_INDEX_OPS = ["vector_ip_ops", "vector_cosine_ops", "vector_l1_ops", "vector_l2_ops"] as const;
export const SPATIAL_INDEX_OP = "gist_geometry_ops_2d";

/** One index, in the body shape Xano's description gives each kind. */
export type NewIndex =
  | { type: "btree" | "unique"; fields: Array<{ name: string; op: "asc" | "desc" }> }
  | { type: "spatial"; fields: Array<{ name: string; op: typeof SPATIAL_INDEX_OP }> }
  | { type: "vector"; fields: Array<{ name: string; op: (typeof VECTOR_INDEX_OPS)[number] }> }
  | { type: "search"; name: string; lang: (typeof SEARCH_INDEX_LANGUAGES)[number]; fields: Array<{ name: string; priority: number }> };

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
    // Read once, within the call's cap (files get the larger one): never a whole answer of unknown size.
    const maxBytes = options.raw ? UPSTREAM_MAX_FILE_BYTES : UPSTREAM_MAX_BYTES;
    let read;
    try {
      read = await readUpstream(response, maxBytes);
    } catch {
      throw new XanoApiError(0, "NETWORK_ERROR", `the answer from ${url.host} broke off`, undefined, null);
    }
    // An error answer too large to read is still that error, without Xano's message.
    if (!read.ok && response.ok) throw new XanoApiError(response.status, UPSTREAM_TOO_LARGE, `the answer from ${url.host} is larger than ${maxBytes} bytes`, { maxBytes });
    const bytes = read.ok ? read.bytes : new Uint8Array(0);
    if (options.raw && response.ok && !isJsonType(response.headers.get("Content-Type"))) {
      return { contentType: response.headers.get("Content-Type") ?? "application/octet-stream", disposition: response.headers.get("Content-Disposition"), bytes } satisfies RawBody as T;
    }
    const text = new TextDecoder().decode(bytes);
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

  /**
   * Tables of a workspace. Xano's description sorts by `created_at|updated_at|name` (default name,
   * asc) and shows the page wrapped in a one-element array; old Xano answered a bare array of
   * tables. All three become a Page.
   */
  async listTables(workspaceId: Id, options: PageRequest & CodeOption & { search?: string; sort?: TableSort; order?: "asc" | "desc" } = {}): Promise<Page<Record<string, unknown>>> {
    const result = await this.http.request<unknown>("GET", ["workspace", workspaceId, "table"], {
      query: { page: options.page, per_page: options.perPage, search: options.search, sort: options.sort, order: options.order, ...codeQuery(options) },
    });
    return asPage(result);
  }

  // Workspaces: details, branches, data sources, schema export, OpenAPI.

  getWorkspace(workspaceId: Id): Promise<Workspace> {
    return this.http.request("GET", ["workspace", workspaceId]);
  }

  listBranches(workspaceId: Id): Promise<Branch[]> {
    return this.http.request<unknown>("GET", ["workspace", workspaceId, "branch"]).then((v) => asArray<Branch>(v));
  }

  /** Xano refuses the default branch and the live one. */
  deleteBranch(workspaceId: Id, label: string): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "branch", label]);
  }

  listDataSources(workspaceId: Id): Promise<Array<Record<string, unknown>>> {
    return this.http.request<unknown>("GET", ["workspace", workspaceId, "datasource"]).then((v) => asArray<Record<string, unknown>>(v));
  }

  /** Xano's description shows a JSON answer, its CLI saves a binary archive: either comes back. */
  exportWorkspaceSchema(workspaceId: Id, options: { branch?: string; password?: string } = {}): Promise<RawBody | unknown> {
    return this.http.request("POST", ["workspace", workspaceId, "export-schema"], {
      body: { branch: options.branch ?? "", password: options.password ?? "" },
      raw: true,
    });
  }

  /** One OpenAPI document for every API group of a workspace (a branch's, or the live one). */
  getWorkspaceOpenApi(workspaceId: Id, options: { branch?: string } = {}): Promise<XanoRecord> {
    return this.http.request("GET", ["workspace", workspaceId, "openapi"], { query: { branch: options.branch } });
  }

  // Tables: details, create, update, delete.

  getTable(workspaceId: Id, tableId: Id, options: CodeOption = {}): Promise<Record<string, unknown>> {
    return this.http.request("GET", ["workspace", workspaceId, "table", tableId], { query: codeQuery(options) });
  }

  /** Answers the new table (Xano's description); older answers were `{id}` alone. */
  createTable(workspaceId: Id, table: NewTable): Promise<{ id: number } & Record<string, unknown>> {
    return this.http.request("POST", ["workspace", workspaceId, "table"], { body: table });
  }

  /** `PUT …/table/{t}` with only the given settings (the `…/meta` route is deprecated). Answers the table. */
  updateTable(workspaceId: Id, tableId: Id, changes: TableMeta): Promise<Record<string, unknown> | null> {
    return this.http.request("PUT", ["workspace", workspaceId, "table", tableId], { body: changes });
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

  /** `field` as the description of `schema/type/{type}` has it: typed `default`, `tableref_id`, `vector.size`, … */
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

  /** One index of a kind; the body is the kind's own shape (a search index has a name, a language and weighted fields). */
  createIndex(workspaceId: Id, tableId: Id, index: NewIndex): Promise<{ id: string | number }> {
    const { type, ...body } = index;
    return this.http.request("POST", ["workspace", workspaceId, "table", tableId, "index", type], { body });
  }

  deleteIndex(workspaceId: Id, tableId: Id, indexId: Id): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "table", tableId, "index", indexId]);
  }

  // --- Records (table content); each takes Xano's `x-data-source` header ---------------------

  async browseTableContent(workspaceId: Id, tableId: Id, options: PageRequest & DataSourceOption = {}): Promise<Page<Record<string, unknown>>> {
    const result = await this.http.request<unknown>("GET", content(workspaceId, tableId), {
      query: { page: options.page, per_page: options.perPage },
      headers: dataSource(options),
    });
    return asPage(result);
  }

  /** `search`/`sort` use Xano's syntax (see the xano_search_table_content tool description). */
  async searchTableContent(workspaceId: Id, tableId: Id, options: PageRequest & DataSourceOption & { search?: unknown; sort?: unknown } = {}): Promise<Page<XanoRecord>> {
    const result = await this.http.request<unknown>("POST", [...content(workspaceId, tableId), "search"], {
      body: { page: options.page, per_page: options.perPage, search: options.search, sort: options.sort },
      headers: dataSource(options),
    });
    return asPage(result);
  }

  getTableRecord(workspaceId: Id, tableId: Id, recordId: Id, options: DataSourceOption = {}): Promise<XanoRecord> {
    return this.http.request("GET", [...content(workspaceId, tableId), recordId], { headers: dataSource(options) });
  }

  createTableRecord(workspaceId: Id, tableId: Id, record: XanoRecord, options: DataSourceOption = {}): Promise<XanoRecord> {
    return this.http.request("POST", content(workspaceId, tableId), { body: record, headers: dataSource(options) });
  }

  /** A partial update: only the given fields change. Xano answers the whole record. */
  updateTableRecord(workspaceId: Id, tableId: Id, recordId: Id, updates: XanoRecord, options: DataSourceOption = {}): Promise<XanoRecord> {
    return this.http.request("PUT", [...content(workspaceId, tableId), recordId], { body: updates, headers: dataSource(options) });
  }

  deleteTableRecord(workspaceId: Id, tableId: Id, recordId: Id, options: DataSourceOption = {}): Promise<unknown> {
    return this.http.request("DELETE", [...content(workspaceId, tableId), recordId], { headers: dataSource(options) });
  }

  /** Answers the new ids. */
  bulkCreateRecords(workspaceId: Id, tableId: Id, items: XanoRecord[], allowIdField = false, options: DataSourceOption = {}): Promise<unknown> {
    return this.http.request("POST", [...content(workspaceId, tableId), "bulk"], { body: { items, allow_id_field: allowIdField }, headers: dataSource(options) });
  }

  /**
   * Answers `{success: [ids], success_total}`; ids that do not exist are skipped. Xano's description
   * types `row_id` as text, so ids are sent as text.
   */
  bulkUpdateRecords(workspaceId: Id, tableId: Id, items: Array<{ row_id: Id; updates: XanoRecord }>, options: DataSourceOption = {}): Promise<unknown> {
    const body = { items: items.map((i) => ({ row_id: String(i.row_id), updates: i.updates })) };
    return this.http.request("POST", [...content(workspaceId, tableId), "bulk", "patch"], { body, headers: dataSource(options) });
  }

  /** Answers `{success, success_total, error}`. `row_ids` are text in Xano's description. */
  bulkDeleteRecords(workspaceId: Id, tableId: Id, rowIds: Id[], options: DataSourceOption = {}): Promise<unknown> {
    return this.http.request("POST", [...content(workspaceId, tableId), "bulk", "delete"], { body: { row_ids: rowIds.map(String) }, headers: dataSource(options) });
  }

  /** Applies `updates` to every record matching `search`; answers `{success, success_total}`. */
  updateRecordsBySearch(workspaceId: Id, tableId: Id, search: unknown, updates: XanoRecord, options: DataSourceOption = {}): Promise<unknown> {
    return this.http.request("POST", [...content(workspaceId, tableId), "search", "patch"], { body: { search, updates }, headers: dataSource(options) });
  }

  /** Deletes every record; `reset` also restarts the id counter at 1. */
  truncateTable(workspaceId: Id, tableId: Id, reset: boolean, options: DataSourceOption = {}): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "table", tableId, "truncate"], { body: { reset }, headers: dataSource(options) });
  }

  // --- Files --------------------------------------------------------------------------------

  /**
   * Xano's description: sort `created_at|name|size|mime` (default created_at, desc), and `access`
   * defaults to public, so a list without it may leave private files out.
   */
  async listFiles(workspaceId: Id, options: ListRequest<FileSort> & { access?: "public" | "private" } = {}): Promise<Page<XanoRecord>> {
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

  async listApiGroups(workspaceId: Id, options: ListRequest & BranchOption & CodeOption = {}): Promise<Page<XanoRecord>> {
    return asPage(await this.http.request<unknown>("GET", ["workspace", workspaceId, "apigroup"], { query: { ...listQuery(options), branch: options.branch, ...codeQuery(options) } }));
  }

  getApiGroup(workspaceId: Id, apiGroupId: Id, options: CodeOption = {}): Promise<XanoRecord> {
    return this.http.request("GET", ["workspace", workspaceId, "apigroup", apiGroupId], { query: codeQuery(options) });
  }

  /** Xano requires `name`, `description` and `swagger`. */
  createApiGroup(workspaceId: Id, group: NewApiGroup, options: BranchOption = {}): Promise<XanoRecord> {
    return this.http.request("POST", ["workspace", workspaceId, "apigroup"], { body: group, query: { branch: options.branch } });
  }

  /**
   * Xano's update takes the whole group (`name`, `description` and `swagger` are required), so a
   * partial change reads the group, merges and writes it back.
   */
  async updateApiGroup(workspaceId: Id, apiGroupId: Id, changes: ApiGroupInput): Promise<XanoRecord> {
    const current = await this.getApiGroup(workspaceId, apiGroupId);
    const merged: NewApiGroup = {
      name: changes.name ?? String(current.name ?? ""),
      description: changes.description ?? String(current.description ?? ""),
      swagger: changes.swagger ?? current.swagger === true,
      docs: changes.docs ?? (typeof current.docs === "string" ? current.docs : undefined),
      tag: changes.tag ?? (Array.isArray(current.tag) ? (current.tag as string[]) : undefined),
    };
    return this.http.request("PUT", ["workspace", workspaceId, "apigroup", apiGroupId], { body: merged });
  }

  deleteApiGroup(workspaceId: Id, apiGroupId: Id): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "apigroup", apiGroupId]);
  }

  getApiGroupOpenApi(workspaceId: Id, apiGroupId: Id): Promise<XanoRecord> {
    return this.http.request("GET", ["workspace", workspaceId, "apigroup", apiGroupId, "openapi"]);
  }

  async listApis(workspaceId: Id, apiGroupId: Id, options: ListRequest & CodeOption = {}): Promise<Page<XanoRecord>> {
    return asPage(await this.http.request<unknown>("GET", ["workspace", workspaceId, "apigroup", apiGroupId, "api"], { query: { ...listQuery(options), ...codeQuery(options) } }));
  }

  getApi(workspaceId: Id, apiGroupId: Id, apiId: Id, options: CodeOption = {}): Promise<XanoRecord> {
    return this.http.request("GET", ["workspace", workspaceId, "apigroup", apiGroupId, "api", apiId], { query: codeQuery(options) });
  }

  /** One endpoint's OpenAPI document. */
  getApiOpenApi(workspaceId: Id, apiGroupId: Id, apiId: Id): Promise<XanoRecord> {
    return this.http.request("GET", ["workspace", workspaceId, "apigroup", apiGroupId, "api", apiId, "openapi"]);
  }

  /** From fields (`name`, `description`, `verb` required) or from XanoScript (`query <name> verb=<VERB> { … }`). */
  createApi(workspaceId: Id, apiGroupId: Id, api: NewApi | { xanoscript: string }, options: BranchOption = {}): Promise<XanoRecord> {
    const path = ["workspace", workspaceId, "apigroup", apiGroupId, "api"];
    const query = { branch: options.branch };
    return "xanoscript" in api
      ? this.http.request("POST", path, { text: xanoScript(api.xanoscript), query })
      : this.http.request("POST", path, { body: api, query });
  }

  /**
   * Xano's update takes the whole endpoint (`name`, `description`, `verb` required): a partial
   * change reads, merges and writes. XanoScript replaces the endpoint's definition as written.
   */
  async updateApi(workspaceId: Id, apiGroupId: Id, apiId: Id, changes: ApiInput | { xanoscript: string }): Promise<XanoRecord> {
    const path = ["workspace", workspaceId, "apigroup", apiGroupId, "api", apiId];
    if ("xanoscript" in changes) return this.http.request("PUT", path, { text: xanoScript(changes.xanoscript) });
    const current = await this.getApi(workspaceId, apiGroupId, apiId);
    const merged: NewApi = {
      name: changes.name ?? String(current.name ?? ""),
      description: changes.description ?? String(current.description ?? ""),
      verb: changes.verb ?? (String(current.verb ?? "GET") as ApiVerb),
      docs: changes.docs ?? (typeof current.docs === "string" ? current.docs : undefined),
      tag: changes.tag ?? (Array.isArray(current.tag) ? (current.tag as string[]) : undefined),
    };
    return this.http.request("PUT", path, { body: merged });
  }

  deleteApi(workspaceId: Id, apiGroupId: Id, apiId: Id): Promise<unknown> {
    return this.http.request("DELETE", ["workspace", workspaceId, "apigroup", apiGroupId, "api", apiId]);
  }

  // --- Functions and request history --------------------------------------------------------

  async listFunctions(workspaceId: Id, options: ListRequest & BranchOption & CodeOption = {}): Promise<Page<XanoRecord>> {
    return asPage(await this.http.request<unknown>("GET", ["workspace", workspaceId, "function"], { query: { ...listQuery(options), branch: options.branch, ...codeQuery(options) } }));
  }

  /** The API group filter is `apigroup_id`; `queryId` is one endpoint. */
  async browseRequestHistory(workspaceId: Id, options: HistoryScope & { includeOutput?: boolean } = {}): Promise<Page<XanoRecord>> {
    const result = await this.http.request<unknown>("GET", ["workspace", workspaceId, "request_history"], {
      query: {
        page: options.page, per_page: options.perPage, branch: options.branch, apigroup_id: options.apiGroupId,
        query_id: options.queryId, include_output: options.includeOutput,
      },
    });
    return asPage(result);
  }

  /** Everything in the body, as Xano's description has it; the conditions go under `search`. */
  async searchRequestHistory(workspaceId: Id, options: HistoryScope & { search?: unknown; sort?: unknown; includeOutput?: boolean } = {}): Promise<Page<XanoRecord>> {
    const result = await this.http.request<unknown>("POST", ["workspace", workspaceId, "request_history", "search"], {
      body: {
        page: options.page, per_page: options.perPage, branch: options.branch, apigroup_id: options.apiGroupId,
        query_id: options.queryId, search: options.search, sort: options.sort, include_output: options.includeOutput,
      },
    });
    return asPage(result);
  }
}

interface BranchOption {
  /** A branch label; Xano's live branch when absent. */
  branch?: string;
}

interface DataSourceOption {
  /** Xano's `x-data-source` header (e.g. "test"); the live data source when absent. */
  dataSource?: string;
}

type HistoryScope = PageRequest & BranchOption & { apiGroupId?: number; queryId?: number };

function dataSource(options: DataSourceOption): Record<string, string> | undefined {
  return options.dataSource ? { "x-data-source": options.dataSource } : undefined;
}

function content(workspaceId: Id, tableId: Id): Array<string | number> {
  return ["workspace", workspaceId, "table", tableId, "content"];
}

function listQuery(options: ListRequest<string>): Query {
  return { page: options.page, per_page: options.perPage, search: options.search, sort: options.sort, order: options.order };
}

function asArray<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  if (isRecord(value) && Array.isArray(value.items)) return value.items as T[];
  throw new XanoApiError(200, "INVALID_RESPONSE", "Xano answered with an unexpected shape (expected a list)");
}

function asPage<T>(value: unknown): Page<T> {
  // Xano's description (and its CLI) show some pages wrapped in a one-element array.
  if (Array.isArray(value) && value.length === 1 && isRecord(value[0]) && Array.isArray(value[0].items) && "curPage" in value[0]) {
    return value[0] as unknown as Page<T>;
  }
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A XanoScript source as the text body Xano's description gives scripted objects. */
export function xanoScript(value: string): { contentType: string; value: string } {
  return { contentType: "text/x-xanoscript", value };
}
