/** Records (table content). */
import { z } from "zod";
import { defineTool } from "./registry";
import { dataSourceInput, idInput, pageInput, perPageInput, recordIdInput, toId, toRecordId } from "./inputs";
import { SEARCH_HELP, SORT_HELP, isEmptySearch, searchInput, sortInput } from "./search-syntax";

/** Every record operation takes Xano's `x-data-source` header. */
const tableInputs = { workspace_id: idInput("workspace"), table_id: idInput("table"), data_source: dataSourceInput };
const on = (args: { data_source?: string }) => ({ dataSource: args.data_source });

export const browseTableContent = defineTool({
  name: "xano_browse_table_content",
  title: "Browse table records",
  area: "Records",
  description:
    "Reads the records of a table, one page at a time (default 50 per page, at most 1000). Returns items with Xano's paging fields " +
    "(curPage, nextPage, prevPage, itemsTotal, pageTotal, perPage); when nextPage is not null, call again with page = nextPage.",
  input: z.object({
    ...tableInputs,
    page: pageInput,
    per_page: perPageInput(1000, 50),
  }),
  kind: "read",
  operations: ["table.content.list"],
  describe: (args) => `read the records of table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const page = await meta.browseTableContent(toId(args.workspace_id), toId(args.table_id), {
      page: args.page ?? 1,
      perPage: args.per_page ?? 50,
      dataSource: args.data_source,
    });
    const total = page.itemsTotal !== undefined ? ` of ${page.itemsTotal}` : "";
    return {
      message: `Page ${page.curPage}: ${page.items.length} record(s)${total}${page.nextPage ? `; more on page ${page.nextPage}` : ""}.`,
      data: page,
    };
  },
});

const recordInput = (what: string) =>
  z.record(z.string(), z.unknown()).describe(`${what} as an object of field name → value, e.g. {"name": "Ada", "active": true}. Use the table's field names (its schema lists them).`);

/** Bulk calls are capped so one tool call stays a reasonable Xano request; split bigger jobs. */
const MAX_BULK_RECORDS = 500;
const MAX_BULK_IDS = 1000;

const where = (args: { table_id: number | string; workspace_id: number | string }) => `table ${args.table_id} in workspace ${args.workspace_id}`;

export const searchTableContent = defineTool({
  name: "xano_search_table_content",
  title: "Search table records",
  area: "Records",
  description:
    "Finds the records of a table that match a search, optionally sorted, one page at a time (default 50 per page, at most 1000). " +
    `${SEARCH_HELP} ${SORT_HELP}` +
    " Returns items with Xano's paging fields (curPage, nextPage, itemsTotal, pageTotal); when nextPage is not null, call again with page = nextPage.",
  input: z.object({
    ...tableInputs,
    search: searchInput().optional().describe("The conditions records must match (see the search syntax in the tool description). Omit to match every record."),
    sort: sortInput,
    page: pageInput,
    per_page: perPageInput(1000, 50),
  }),
  kind: "read",
  operations: ["table.content.search"],
  describe: (args) => `search the records of ${where(args)}`,
  async run(args, { meta }) {
    const page = await meta.searchTableContent(toId(args.workspace_id), toId(args.table_id), {
      page: args.page ?? 1,
      perPage: args.per_page ?? 50,
      search: args.search,
      sort: args.sort,
      dataSource: args.data_source,
    });
    const total = page.itemsTotal !== undefined ? ` of ${page.itemsTotal} matching` : "";
    return {
      message: `Page ${page.curPage}: ${page.items.length} record(s)${total}${page.nextPage ? `; more on page ${page.nextPage}` : ""}.`,
      data: page,
    };
  },
});

export const getTableRecord = defineTool({
  name: "xano_get_table_record",
  title: "Get a record",
  area: "Records",
  description: "Reads one record of a table by its id, with every field.",
  input: z.object({ ...tableInputs, record_id: recordIdInput() }),
  kind: "read",
  operations: ["table.content.get"],
  describe: (args) => `read record ${args.record_id} of ${where(args)}`,
  async run(args, { meta }) {
    const record = await meta.getTableRecord(toId(args.workspace_id), toId(args.table_id), toRecordId(args.record_id), on(args));
    return { message: `Record ${args.record_id} of table ${args.table_id}.`, data: record };
  },
});

export const createTableRecord = defineTool({
  name: "xano_create_table_record",
  title: "Create a record",
  area: "Records",
  description:
    "Adds one record to a table and returns it with its new id. Fields you leave out get their defaults. " +
    "To add many records at once use xano_bulk_create_records.",
  input: z.object({ ...tableInputs, record: recordInput("The new record") }),
  kind: "create",
  operations: ["table.content.create"],
  describe: (args) => `create a record in ${where(args)}`,
  async run(args, { meta }) {
    const record = await meta.createTableRecord(toId(args.workspace_id), toId(args.table_id), args.record, on(args));
    const id = record?.id;
    return { message: id !== undefined ? `Created record ${String(id)} in table ${args.table_id}.` : `Created a record in table ${args.table_id}.`, data: record };
  },
});

export const updateTableRecord = defineTool({
  name: "xano_update_table_record",
  title: "Update a record",
  area: "Records",
  description: "Changes some fields of one record (the fields you leave out keep their values) and returns the updated record.",
  input: z.object({ ...tableInputs, record_id: recordIdInput(), updates: recordInput("The fields to change") }),
  kind: "update",
  operations: ["table.content.update"],
  describe: (args) => `update record ${args.record_id} of ${where(args)}`,
  async run(args, { meta }) {
    const record = await meta.updateTableRecord(toId(args.workspace_id), toId(args.table_id), toRecordId(args.record_id), args.updates, on(args));
    return { message: `Updated record ${args.record_id} in table ${args.table_id}.`, data: record };
  },
});

export const deleteTableRecord = defineTool({
  name: "xano_delete_table_record",
  title: "Delete a record",
  area: "Records",
  description: "Deletes one record of a table by its id. This cannot be undone: confirm with the person first.",
  input: z.object({ ...tableInputs, record_id: recordIdInput() }),
  kind: "destructive",
  operations: ["table.content.delete"],
  describe: (args) => `delete record ${args.record_id} of ${where(args)}`,
  async run(args, { meta }) {
    await meta.deleteTableRecord(toId(args.workspace_id), toId(args.table_id), toRecordId(args.record_id), on(args));
    return { message: `Deleted record ${args.record_id} from table ${args.table_id}.`, data: { deleted: true, record_id: toRecordId(args.record_id) } };
  },
});

export const bulkCreateRecords = defineTool({
  name: "xano_bulk_create_records",
  title: "Create many records",
  area: "Records",
  description:
    `Adds up to ${MAX_BULK_RECORDS} records to a table in one call and returns their new ids. If any record is invalid, Xano rejects the whole call. ` +
    "Ids in the records are ignored unless allow_id_field is true. For more records, call again with the next batch.",
  input: z.object({
    ...tableInputs,
    records: z
      .array(z.record(z.string(), z.unknown()))
      .min(1, "give at least one record")
      .max(MAX_BULK_RECORDS, `at most ${MAX_BULK_RECORDS} records per call; split them into several calls`)
      .describe(`The new records (1 to ${MAX_BULK_RECORDS}), each an object of field name → value.`),
    allow_id_field: z.boolean().optional().describe("true to keep the id given in each record instead of assigning new ids (default false)."),
  }),
  kind: "create",
  operations: ["table.content.bulk.create"],
  describe: (args) => `create ${args.records.length} record(s) in ${where(args)}`,
  async run(args, { meta }) {
    const result = await meta.bulkCreateRecords(toId(args.workspace_id), toId(args.table_id), args.records, args.allow_id_field ?? false, on(args));
    const ids = Array.isArray(result) ? result : [];
    return { message: `Created ${ids.length || args.records.length} record(s) in table ${args.table_id}.`, data: { ids: result } };
  },
});

export const bulkUpdateRecords = defineTool({
  name: "xano_bulk_update_records",
  title: "Update many records",
  area: "Records",
  description:
    `Changes up to ${MAX_BULK_RECORDS} records in one call, each by id with its own changes. Ids that do not exist are skipped and listed in notFound. ` +
    "To change every record matching a condition, use xano_update_records_by_search.",
  input: z.object({
    ...tableInputs,
    items: z
      .array(z.object({ record_id: recordIdInput(), updates: recordInput("The fields to change in this record") }))
      .min(1, "give at least one item")
      .max(MAX_BULK_RECORDS, `at most ${MAX_BULK_RECORDS} items per call; split them into several calls`)
      .describe(`The records to change (1 to ${MAX_BULK_RECORDS}): [{"record_id": 5, "updates": {"active": false}}, …].`),
  }),
  kind: "update",
  operations: ["table.content.bulk.patch"],
  describe: (args) => `update ${args.items.length} record(s) of ${where(args)}`,
  async run(args, { meta }) {
    const items = args.items.map((i) => ({ row_id: toRecordId(i.record_id), updates: i.updates }));
    const result = (await meta.bulkUpdateRecords(toId(args.workspace_id), toId(args.table_id), items, on(args))) as { success?: unknown; success_total?: unknown } | null;
    // Compared as text: Xano's description types row ids as text, records carry numbers.
    const updated = Array.isArray(result?.success) ? (result.success as unknown[]).map(String) : [];
    const notFound = items.map((i) => i.row_id).filter((id) => !updated.includes(String(id)));
    return {
      message: `Updated ${updated.length} of ${items.length} record(s) in table ${args.table_id}${notFound.length ? `; not found: ${notFound.join(", ")}` : ""}.`,
      data: { ...(result ?? {}), notFound },
    };
  },
});

export const bulkDeleteRecords = defineTool({
  name: "xano_bulk_delete_records",
  title: "Delete many records",
  area: "Records",
  description:
    `Deletes up to ${MAX_BULK_IDS} records of a table by id in one call. Ids that do not exist are reported, not deleted. ` +
    "This cannot be undone: confirm with the person first. To empty a whole table use xano_truncate_table.",
  input: z.object({
    ...tableInputs,
    record_ids: z
      .array(recordIdInput())
      .min(1, "give at least one record id")
      .max(MAX_BULK_IDS, `at most ${MAX_BULK_IDS} record ids per call; split them into several calls`)
      .describe(`The ids of the records to delete (1 to ${MAX_BULK_IDS}).`),
  }),
  kind: "destructive",
  operations: ["table.content.bulk.delete"],
  describe: (args) => `delete ${args.record_ids.length} record(s) of ${where(args)}`,
  async run(args, { meta }) {
    const ids = args.record_ids.map(toRecordId);
    const result = (await meta.bulkDeleteRecords(toId(args.workspace_id), toId(args.table_id), ids, on(args))) as { success_total?: unknown; success?: unknown } | null;
    const deleted = typeof result?.success_total === "number" ? result.success_total : Array.isArray(result?.success) ? result.success.length : ids.length;
    return { message: `Deleted ${deleted} of ${ids.length} record(s) from table ${args.table_id}.`, data: result };
  },
});

export const updateRecordsBySearch = defineTool({
  name: "xano_update_records_by_search",
  title: "Update records matching a search",
  area: "Records",
  description:
    "Applies the same changes to every record of a table that matches a search, and returns the ids it changed. " +
    "Try the search with xano_search_table_content first to see what it matches. " +
    SEARCH_HELP,
  input: z.object({
    ...tableInputs,
    search: searchInput()
      .refine((s) => !isEmptySearch(s), "search needs at least one condition (to change specific records by id, use xano_bulk_update_records)")
      .describe("Which records to change (see the search syntax in the tool description). Must have at least one condition."),
    updates: recordInput("The fields to change in every matching record"),
  }),
  kind: "update",
  operations: ["table.content.search.patch"],
  describe: (args) => `update the records matching a search in ${where(args)}`,
  async run(args, { meta }) {
    const result = (await meta.updateRecordsBySearch(toId(args.workspace_id), toId(args.table_id), args.search, args.updates, on(args))) as { success_total?: unknown } | null;
    const total = typeof result?.success_total === "number" ? result.success_total : "the matching";
    return { message: `Updated ${total} record(s) in table ${args.table_id}.`, data: result };
  },
});

export const truncateTable = defineTool({
  name: "xano_truncate_table",
  title: "Delete every record of a table",
  area: "Records",
  description:
    "Deletes ALL records of a table (the table and its schema stay). With reset true the next record gets id 1 again. " +
    "This cannot be undone: confirm with the person first.",
  input: z.object({
    ...tableInputs,
    reset: z.boolean().optional().describe("true to restart record ids at 1; false (default) to keep counting from the last id."),
  }),
  kind: "destructive",
  operations: ["table.truncate"],
  describe: (args) => `empty ${where(args)}`,
  async run(args, { meta }) {
    const reset = args.reset ?? false;
    await meta.truncateTable(toId(args.workspace_id), toId(args.table_id), reset, on(args));
    return {
      message: `Deleted every record of table ${args.table_id}${reset ? "; ids restart at 1" : ""}.`,
      data: { truncated: true, table_id: toId(args.table_id), reset },
    };
  },
});
