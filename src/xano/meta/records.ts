/**
 * Meta API, area table: a table's records ("content"). Every operation takes Xano's
 * `x-data-source` header (the live data source when absent).
 */
import type { DataSourceOption, Id, Page, PageRequest, XanoRecord } from "../types";
import { asPage, dataSource, type MetaCall } from "./call";

export type RecordCalls = ReturnType<typeof recordCalls>;

export function recordCalls(call: MetaCall) {
  const table = (workspaceId: Id, tableId: Id) => ({ workspace_id: workspaceId, table_id: tableId });
  const record = (workspaceId: Id, tableId: Id, recordId: Id) => ({ ...table(workspaceId, tableId), content_id: recordId });
  return {
    async browseTableContent(workspaceId: Id, tableId: Id, options: PageRequest & DataSourceOption = {}): Promise<Page<XanoRecord>> {
      const result = await call("table.content.list", table(workspaceId, tableId), {
        query: { page: options.page, per_page: options.perPage },
        headers: dataSource(options),
      });
      return asPage(result);
    },

    /** `search`/`sort` use Xano's syntax (see the xano_search_table_content tool description). */
    async searchTableContent(workspaceId: Id, tableId: Id, options: PageRequest & DataSourceOption & { search?: unknown; sort?: unknown } = {}): Promise<Page<XanoRecord>> {
      const result = await call("table.content.search", table(workspaceId, tableId), {
        body: { page: options.page, per_page: options.perPage, search: options.search, sort: options.sort },
        headers: dataSource(options),
      });
      return asPage(result);
    },

    getTableRecord(workspaceId: Id, tableId: Id, recordId: Id, options: DataSourceOption = {}): Promise<XanoRecord> {
      return call("table.content.get", record(workspaceId, tableId, recordId), { headers: dataSource(options) });
    },

    createTableRecord(workspaceId: Id, tableId: Id, fields: XanoRecord, options: DataSourceOption = {}): Promise<XanoRecord> {
      return call("table.content.create", table(workspaceId, tableId), { body: fields, headers: dataSource(options) });
    },

    /** A partial update: only the given fields change. Xano answers the whole record. */
    updateTableRecord(workspaceId: Id, tableId: Id, recordId: Id, updates: XanoRecord, options: DataSourceOption = {}): Promise<XanoRecord> {
      return call("table.content.update", record(workspaceId, tableId, recordId), { body: updates, headers: dataSource(options) });
    },

    deleteTableRecord(workspaceId: Id, tableId: Id, recordId: Id, options: DataSourceOption = {}): Promise<unknown> {
      return call("table.content.delete", record(workspaceId, tableId, recordId), { headers: dataSource(options) });
    },

    /** Answers the new ids. */
    bulkCreateRecords(workspaceId: Id, tableId: Id, items: XanoRecord[], allowIdField = false, options: DataSourceOption = {}): Promise<unknown> {
      return call("table.content.bulk.create", table(workspaceId, tableId), { body: { items, allow_id_field: allowIdField }, headers: dataSource(options) });
    },

    /**
     * Answers `{success: [ids], success_total}`; ids that do not exist are skipped. Xano's description
     * types `row_id` as text, so ids are sent as text.
     */
    bulkUpdateRecords(workspaceId: Id, tableId: Id, items: Array<{ row_id: Id; updates: XanoRecord }>, options: DataSourceOption = {}): Promise<unknown> {
      const body = { items: items.map((i) => ({ row_id: String(i.row_id), updates: i.updates })) };
      return call("table.content.bulk.patch", table(workspaceId, tableId), { body, headers: dataSource(options) });
    },

    /** Answers `{success, success_total, error}`. `row_ids` are text in Xano's description. */
    bulkDeleteRecords(workspaceId: Id, tableId: Id, rowIds: Id[], options: DataSourceOption = {}): Promise<unknown> {
      return call("table.content.bulk.delete", table(workspaceId, tableId), { body: { row_ids: rowIds.map(String) }, headers: dataSource(options) });
    },

    /** Applies `updates` to every record matching `search`; answers `{success, success_total}`. */
    updateRecordsBySearch(workspaceId: Id, tableId: Id, search: unknown, updates: XanoRecord, options: DataSourceOption = {}): Promise<unknown> {
      return call("table.content.search.patch", table(workspaceId, tableId), { body: { search, updates }, headers: dataSource(options) });
    },

    /** Deletes every record; `reset` also restarts the id counter at 1. */
    truncateTable(workspaceId: Id, tableId: Id, reset: boolean, options: DataSourceOption = {}): Promise<unknown> {
      return call("table.truncate", table(workspaceId, tableId), { body: { reset }, headers: dataSource(options) });
    },
  };
}
