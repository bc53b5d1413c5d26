/** Tables of a workspace. */
import { z } from "zod";
import { defineTool } from "./registry";
import { idInput, pageInput, perPageInput, toId, includeXanoscriptInput, scriptOrFields, xanoscriptInput } from "./inputs";
import { fieldDefinition, toXanoSchemaField } from "./schema";

export const listTables = defineTool({
  name: "xano_list_tables",
  title: "List tables",
  area: "Tables",
  description:
    "Lists the tables of a workspace, one page at a time (default 50 per page). Returns items plus curPage, nextPage and prevPage; " +
    "when nextPage is not null, call again with page = nextPage. Sorted by name unless asked otherwise; optionally filter by a search term on the table name.",
  input: z.object({
    workspace_id: idInput("workspace"),
    page: pageInput,
    per_page: perPageInput(1000, 50),
    search: z.string().max(200).optional().describe("Only tables whose name contains this text (case-insensitive)."),
    sort: z.enum(["name", "created_at", "updated_at"]).optional().describe("Field to sort by: name (default), created_at or updated_at."),
    order: z.enum(["asc", "desc"]).optional().describe("Sort order: asc (default) or desc."),
    include_xanoscript: includeXanoscriptInput,
  }),
  kind: "read",
  operations: ["table.list"],
  describe: (args) => `list the tables of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const page = await meta.listTables(toId(args.workspace_id), {
      page: args.page ?? 1,
      perPage: args.per_page ?? 50,
      search: args.search,
      sort: args.sort,
      order: args.order,
      includeXanoscript: args.include_xanoscript,
    });
    return {
      message: `Page ${page.curPage}: ${page.items.length} table(s)${page.nextPage ? `; more on page ${page.nextPage}` : ""}.`,
      data: page,
    };
  },
});

const tableMetaInputs = {
  description: z.string().max(5000).optional().describe("A short description of what the table holds."),
  docs: z.string().max(50000).optional().describe("Longer documentation for the table (Markdown)."),
  auth: z.boolean().optional().describe("Whether this table holds users who can sign in (Xano's authentication table flag)."),
  tag: z.array(z.string().min(1).max(100)).max(50).optional().describe('Tags for organising tables, e.g. ["crm"]. Replaces the existing tags.'),
};

const tableNameInput = z.string().trim().min(1).max(100).describe("The table name, unique in the workspace (case-insensitive), e.g. \"leads\".");

export const getTableDetails = defineTool({
  name: "xano_get_table_details",
  title: "Get table details",
  area: "Tables",
  description:
    "Returns one table's metadata (name, description, docs, auth flag, tags, timestamps) together with its schema (fields) and indexes. " +
    "include_xanoscript=true adds its definition as XanoScript (`table <name> { schema {…} index = […] }`) in data.xanoscript.value.",
  input: z.object({ workspace_id: idInput("workspace"), table_id: idInput("table"), include_xanoscript: includeXanoscriptInput }),
  kind: "read",
  operations: ["table.get"],
  describe: (args) => `read table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const table = await meta.getTable(toId(args.workspace_id), toId(args.table_id), { includeXanoscript: args.include_xanoscript });
    return { message: `Table ${table.name ?? args.table_id} (id ${args.table_id}).`, data: table };
  },
});

export const createTable = defineTool({
  name: "xano_create_table",
  title: "Create a table",
  area: "Tables",
  description:
    "Creates a table in a workspace and returns its id. Without `schema` Xano gives it the fields id and created_at; " +
    "with `schema`, give the complete field list including {\"name\": \"id\", \"type\": \"int\"}. " +
    "Add more fields later with xano_add_field_to_schema, and indexes with xano_create_index.",
  input: z.object({
    workspace_id: idInput("workspace"),
    name: tableNameInput,
    ...tableMetaInputs,
    schema: z.array(fieldDefinition).min(1).max(500).optional().describe("Optional initial fields (must include the id field). Leave out for id + created_at."),
  }),
  kind: "create",
  operations: ["table.create"],
  describe: (args) => `create table "${args.name}" in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const { workspace_id, schema, ...table } = args;
    const created = await meta.createTable(toId(workspace_id), { ...table, ...(schema ? { schema: schema.map(toXanoSchemaField) } : {}) });
    return { message: `Created table "${args.name}" with id ${created.id}.`, data: { ...created, name: args.name } };
  },
});

const TABLE_FIELDS = ["name", "description", "docs", "auth", "tag"] as const;

export const updateTable = defineTool({
  name: "xano_update_table",
  title: "Update a table",
  area: "Tables",
  description:
    "Changes a table's name, description, docs, auth flag or tags (only the ones given; fields are changed with the Schema tools), " +
    "or replaces its whole definition (schema and indexes) with `xanoscript`. With a script, fields left out are removed with their " +
    "data: read it first with xano_get_table_details and include_xanoscript=true.",
  input: z
    .object({
      workspace_id: idInput("workspace"),
      table_id: idInput("table"),
      xanoscript: xanoscriptInput("whole table (schema and indexes)", "table book {\n  schema {\n    int id\n    text title\n  }\n}"),
      name: tableNameInput.optional().describe("A new table name, unique in the workspace."),
      ...tableMetaInputs,
    })
    .superRefine(scriptOrFields(TABLE_FIELDS))
    .refine((a) => [...TABLE_FIELDS, "xanoscript"].some((k) => a[k as keyof typeof a] !== undefined), {
      message: `give xanoscript or at least one of ${TABLE_FIELDS.join(", ")}`,
    }),
  kind: "update",
  operations: ["table.update"],
  describe: (args) => `update table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const { workspace_id, table_id, xanoscript, ...changes } = args;
    if (xanoscript !== undefined) {
      const updated = await meta.updateTable(toId(workspace_id), toId(table_id), { xanoscript });
      return { message: `Replaced the definition of table ${table_id} with the XanoScript given.`, data: updated };
    }
    const updated = await meta.updateTable(toId(workspace_id), toId(table_id), changes);
    return { message: `Updated table ${table_id} (${Object.keys(changes).join(", ")}).`, data: updated ?? { id: toId(table_id), ...changes } };
  },
});

export const deleteTable = defineTool({
  name: "xano_delete_table",
  title: "Delete a table",
  area: "Tables",
  description:
    "Deletes a table with all its records, fields and indexes. This cannot be undone; confirm with the person first (xano_get_table_details shows what it holds).",
  input: z.object({ workspace_id: idInput("workspace"), table_id: idInput("table") }),
  kind: "destructive",
  operations: ["table.delete"],
  describe: (args) => `delete table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    await meta.deleteTable(toId(args.workspace_id), toId(args.table_id));
    return { message: `Deleted table ${args.table_id} from workspace ${args.workspace_id}.`, data: { id: toId(args.table_id), deleted: true } };
  },
});
