/** Data tools beyond the common path: a table's security and autocomplete, all indexes at once, deleting by search. */
import { operationTool } from "./operation-tool";

const data = { toolset: "data" as const };

export const MORE_DATA_TOOLS = [
  operationTool({
    ...data, area: "Tables", name: "xano_update_table_security", title: "Set a table's security", kind: "update", operation: "table.security.update", noun: "table",
    description: "Sets which security setting (by guid) applies to a table, replacing the current one.",
  }),
  operationTool({
    ...data, area: "Tables", name: "xano_update_table_autocomplete", title: "Set a table's autocomplete", kind: "update", operation: "table.autocomplete.update", noun: "table",
    description: "Sets which fields Xano shows when a record of this table is picked elsewhere (its autocomplete list), replacing the current list.",
  }),
  operationTool({
    ...data, area: "Indexes", name: "xano_replace_table_indexes", title: "Replace all of a table's indexes", kind: "destructive", operation: "table.index.replace", noun: "index list",
    description: "Replaces every index of a table with the list given; indexes left out are deleted. To add or remove one index use xano_create_index or xano_delete_index.",
  }),
  operationTool({
    ...data, area: "Records", name: "xano_delete_records_by_search", title: "Delete records matching a search", kind: "destructive", operation: "table.content.search.delete", noun: "records",
    description: "Deletes every record of a table that matches a search (the syntax of xano_search_table_content). Search first to see what matches; this cannot be undone.",
  }),
];
