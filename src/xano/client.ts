/**
 * The client of an instance's Meta API (`https://<instance>/api:meta`), one per tool call. Its
 * methods come from the area modules in meta/ (workspaces, tables, schema, indexes, records,
 * files, API groups and endpoints, functions, request history), each naming the operation of the
 * table (operations.generated.ts) it sends; tools declared over the table send through `send`
 * (operations.ts builds the request). Either way the request goes through one `XanoHttp` (http.ts),
 * which sets the bearer, encodes the path and maps every failure to a `XanoApiError`.
 *
 * The account API has its own client (account.ts); an app's auth login uses XanoHttp directly.
 */
import { XanoHttp, type BearerSource, type RequestOptions } from "./http";
import { operation, pathSegments } from "./operations";
import type { XanoUser } from "./types";
import type { MetaCall } from "./meta/call";
import { workspaceCalls, type WorkspaceCalls } from "./meta/workspaces";
import { tableCalls, type TableCalls } from "./meta/tables";
import { schemaCalls, type SchemaCalls } from "./meta/schema";
import { indexCalls, type IndexCalls } from "./meta/indexes";
import { recordCalls, type RecordCalls } from "./meta/records";
import { fileCalls, type FileCalls } from "./meta/files";
import { apiGroupCalls, type ApiGroupCalls } from "./meta/api-groups";
import { functionCalls, type FunctionCalls } from "./meta/functions";
import { requestHistoryCalls, type RequestHistoryCalls } from "./meta/request-history";

/** Every area's methods, on the client itself (`meta.listTables(…)`). */
export interface XanoMetaClient
  extends WorkspaceCalls, TableCalls, SchemaCalls, IndexCalls, RecordCalls, FileCalls, ApiGroupCalls, FunctionCalls, RequestHistoryCalls {}

export class XanoMetaClient {
  private readonly http: XanoHttp;
  private readonly call: MetaCall;

  constructor(readonly metaApiBase: string, bearer: BearerSource, fetchImpl?: typeof fetch) {
    this.http = new XanoHttp(metaApiBase, bearer, fetchImpl);
    this.call = (id, path, options) => {
      const row = operation(id);
      return this.send(row.method, pathSegments(row, path), options);
    };
    Object.assign(
      this,
      workspaceCalls(this.call), tableCalls(this.call), schemaCalls(this.call), indexCalls(this.call), recordCalls(this.call),
      fileCalls(this.call), apiGroupCalls(this.call), functionCalls(this.call), requestHistoryCalls(this.call),
    );
  }

  me(): Promise<XanoUser> {
    return this.call("auth.me.get", {});
  }

  /** Any Meta API request, as `callOperation` (operations.ts) builds it from the operation table. */
  send<T = unknown>(method: string, segments: Array<string | number>, options: RequestOptions = {}): Promise<T> {
    return this.http.request<T>(method, segments, options);
  }
}
