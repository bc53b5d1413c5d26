/** A table's indexes: list, create one of a given kind, delete. */
import { z } from "zod";
import { defineTool } from "./registry";
import { idInput, toId } from "./inputs";
import { fieldNameInput } from "./schema";

/** The kinds Xano creates through `POST …/index/{type}`. */
export const INDEX_TYPES = ["btree", "unique", "search", "spatial", "vector"] as const;

const tableInputs = { workspace_id: idInput("workspace"), table_id: idInput("table") };

export const listIndexes = defineTool({
  name: "xano_list_indexes",
  title: "List table indexes",
  area: "Indexes",
  description: "Lists the indexes of a table: each one's id, type (btree, unique, search, spatial, vector) and fields. Use an id with xano_delete_index.",
  input: z.object(tableInputs),
  kind: "read",
  operations: ["table.index.list"],
  describe: (args) => `list the indexes of table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const items = await meta.listIndexes(toId(args.workspace_id), toId(args.table_id));
    return { message: `Table ${args.table_id} has ${items.length} index(es).`, data: { items } };
  },
});

export const createIndex = defineTool({
  name: "xano_create_index",
  title: "Create an index",
  area: "Indexes",
  description:
    "Creates an index on one or more fields of a table. Kinds: btree (faster lookups and sorting; op asc or desc), " +
    "unique (like btree, and Xano rejects duplicate values), search (full-text search on text fields), " +
    "spatial (geo_* fields), vector (similarity search on a vector field; op vector_cosine_ops, vector_ip_ops or vector_l2_ops). " +
    "Returns the new index id; xano_list_indexes shows them all.",
  input: z.object({
    ...tableInputs,
    index_type: z.enum(INDEX_TYPES).describe("The kind of index: btree, unique, search, spatial or vector."),
    fields: z
      .array(
        z
          .object({
            name: fieldNameInput.describe("A field of the table to index."),
            op: z
              .string()
              .regex(/^[a-z][a-z0-9_]{0,39}$/, "must be an operator name such as asc, desc or vector_cosine_ops")
              .optional()
              .describe("Optional operator: asc or desc for btree/unique (default asc); for vector vector_cosine_ops, vector_ip_ops or vector_l2_ops."),
          })
          .describe("One indexed field and its operator."),
      )
      .min(1)
      .max(32)
      .describe('The fields to index, in order, e.g. [{"name": "email"}] or [{"name": "last_name", "op": "asc"}, {"name": "first_name"}].'),
  }),
  kind: "create",
  operations: ["table.index.btree.create", "table.index.unique.create", "table.index.search.create", "table.index.spatial.create", "table.index.vector.create"],
  describe: (args) => `create a ${args.index_type} index on table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const created = await meta.createIndex(toId(args.workspace_id), toId(args.table_id), args.index_type, args.fields);
    const names = args.fields.map((f) => f.name).join(", ");
    return { message: `Created ${args.index_type} index ${created.id} on ${names} of table ${args.table_id}.`, data: { ...created, type: args.index_type, fields: args.fields } };
  },
});

export const deleteIndex = defineTool({
  name: "xano_delete_index",
  title: "Delete an index",
  area: "Indexes",
  description:
    "Deletes one index of a table (the data stays; queries that relied on it may get slower, and a unique index stops rejecting duplicates). " +
    "Find the id with xano_list_indexes.",
  input: z.object({
    ...tableInputs,
    index_id: z
      .union([z.number().int().nonnegative(), z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "must be an index id from xano_list_indexes")])
      .describe('The index id as xano_list_indexes shows it (Xano uses hex strings like "3f2a9c…").'),
  }),
  kind: "destructive",
  operations: ["table.index.delete"],
  describe: (args) => `delete index ${args.index_id} of table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    await meta.deleteIndex(toId(args.workspace_id), toId(args.table_id), args.index_id);
    return { message: `Deleted index ${args.index_id} of table ${args.table_id}.`, data: { id: args.index_id, deleted: true } };
  },
});
