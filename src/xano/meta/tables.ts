/** Meta API, area table: a workspace's tables (list, read, create, update, delete). */
import { xanoScript } from "../http";
import type { CodeOption, Id, Page, PageRequest, ScriptBody, XanoRecord } from "../types";
import { asPage, codeQuery, type MetaCall } from "./call";
import type { SchemaField } from "./schema";

/** Sortable fields of the table list, as Xano's description has them (default name, asc). */
export type TableSort = "created_at" | "updated_at" | "name";

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

export type TableCalls = ReturnType<typeof tableCalls>;

export function tableCalls(call: MetaCall) {
  return {
    /**
     * Tables of a workspace. Xano's description shows the page wrapped in a one-element array; old
     * Xano answered a bare array of tables. All three become a Page.
     */
    async listTables(workspaceId: Id, options: PageRequest & CodeOption & { search?: string; sort?: TableSort; order?: "asc" | "desc" } = {}): Promise<Page<XanoRecord>> {
      const result = await call("table.list", { workspace_id: workspaceId }, {
        query: { page: options.page, per_page: options.perPage, search: options.search, sort: options.sort, order: options.order, ...codeQuery(options) },
      });
      return asPage(result);
    },

    getTable(workspaceId: Id, tableId: Id, options: CodeOption = {}): Promise<XanoRecord> {
      return call("table.get", { workspace_id: workspaceId, table_id: tableId }, { query: codeQuery(options) });
    },

    /** Answers the new table (Xano's description); older answers were `{id}` alone. */
    createTable(workspaceId: Id, table: NewTable): Promise<{ id: number } & XanoRecord> {
      return call("table.create", { workspace_id: workspaceId }, { body: table });
    },

    /**
     * `table.update` (`PUT …/table/{t}`; the `…/meta` route is deprecated): only the given settings,
     * or the whole table (schema and indexes) as XanoScript. Answers the table.
     */
    updateTable(workspaceId: Id, tableId: Id, changes: TableMeta | ScriptBody): Promise<XanoRecord | null> {
      const path = { workspace_id: workspaceId, table_id: tableId };
      return "xanoscript" in changes ? call("table.update", path, { text: xanoScript(changes.xanoscript) }) : call("table.update", path, { body: changes });
    },

    deleteTable(workspaceId: Id, tableId: Id): Promise<unknown> {
      return call("table.delete", { workspace_id: workspaceId, table_id: tableId });
    },
  };
}
