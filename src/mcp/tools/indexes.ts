/** A table's indexes: list, create one of a given kind, delete. */
import { z } from "zod";
import { defineTool } from "./registry";
import { idInput, toId } from "./inputs";
import { fieldNameInput } from "./schema";
import { SEARCH_INDEX_LANGUAGES, SPATIAL_INDEX_OP, VECTOR_INDEX_OPS, type NewIndex } from "../../xano/meta/indexes";

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

const ORDER_OPS = ["asc", "desc"] as const;
const ALL_OPS = [...ORDER_OPS, SPATIAL_INDEX_OP, ...VECTOR_INDEX_OPS] as const;
/** The operators each kind takes (Xano's description), the first being this tool's default. */
const OPS_OF: Record<Exclude<(typeof INDEX_TYPES)[number], "search">, readonly string[]> = {
  btree: ORDER_OPS,
  unique: ORDER_OPS,
  spatial: [SPATIAL_INDEX_OP],
  vector: ["vector_cosine_ops", "vector_ip_ops", "vector_l1_ops", "vector_l2_ops"],
};

const createIndexInput = z
  .object({
    ...tableInputs,
    index_type: z.enum(INDEX_TYPES).describe("The kind of index: btree, unique, search, spatial or vector."),
    fields: z
      .array(
        z
          .object({
            name: fieldNameInput.describe("A field of the table to index."),
            op: z
              .enum(ALL_OPS)
              .optional()
              .describe(
                `btree/unique: asc (default) or desc; spatial: ${SPATIAL_INDEX_OP} (the default); vector: vector_cosine_ops (default), vector_ip_ops, vector_l1_ops or vector_l2_ops. Not for search.`,
              ),
            priority: z.number().int().min(1).max(100).optional().describe("Search indexes only: this field's weight (default 1; higher ranks matches in it first)."),
          })
          .describe("One indexed field and its operator (or, for search, its priority)."),
      )
      .min(1)
      .max(32)
      .describe('The fields to index, in order, e.g. [{"name": "email"}] or [{"name": "last_name", "op": "asc"}, {"name": "first_name"}].'),
    name: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, "must be an index name: letters, digits and _")
      .optional()
      .describe("Search indexes only (required there): the index name, e.g. \"products_search\"."),
    lang: z.enum(SEARCH_INDEX_LANGUAGES).optional().describe(`Search indexes only (required there): the language for word stemming, one of ${SEARCH_INDEX_LANGUAGES.join(", ")} ("simple" for none).`),
  })
  .superRefine((args, ctx) => {
    if (args.index_type === "search") {
      if (args.name === undefined) ctx.addIssue({ code: "custom", path: ["name"], message: "a search index needs a name" });
      if (args.lang === undefined) ctx.addIssue({ code: "custom", path: ["lang"], message: "a search index needs lang (e.g. english, or simple)" });
      args.fields.forEach((f, i) => {
        if (f.op !== undefined) ctx.addIssue({ code: "custom", path: ["fields", i, "op"], message: "a search index takes priority, not op" });
      });
      return;
    }
    for (const key of ["name", "lang"] as const) {
      if (args[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `only search indexes take ${key}` });
    }
    const ops = OPS_OF[args.index_type];
    args.fields.forEach((f, i) => {
      if (f.priority !== undefined) ctx.addIssue({ code: "custom", path: ["fields", i, "priority"], message: "only search indexes take priority" });
      if (f.op !== undefined && !ops.includes(f.op)) ctx.addIssue({ code: "custom", path: ["fields", i, "op"], message: `a ${args.index_type} index takes op ${ops.join(" or ")}` });
    });
  });

/** The body Xano's description gives the kind, with this tool's defaults filled in. */
function toNewIndex(args: z.infer<typeof createIndexInput>): NewIndex {
  if (args.index_type === "search") {
    return { type: "search", name: args.name!, lang: args.lang!, fields: args.fields.map((f) => ({ name: f.name, priority: f.priority ?? 1 })) };
  }
  const fallback = OPS_OF[args.index_type][0];
  return { type: args.index_type, fields: args.fields.map((f) => ({ name: f.name, op: f.op ?? fallback })) } as NewIndex;
}

export const createIndex = defineTool({
  name: "xano_create_index",
  title: "Create an index",
  area: "Indexes",
  description:
    "Creates an index on one or more fields of a table. Kinds: btree (faster lookups and sorting; op asc or desc), " +
    "unique (like btree, and Xano rejects duplicate values), search (full-text search on text fields: needs name and lang, each field a priority), " +
    `spatial (geo_* fields; op ${SPATIAL_INDEX_OP}), vector (similarity search on a vector field; op vector_cosine_ops, vector_ip_ops, vector_l1_ops or vector_l2_ops). ` +
    "Returns the new index id; xano_list_indexes shows them all.",
  input: createIndexInput,
  kind: "create",
  operations: ["table.index.btree.create", "table.index.unique.create", "table.index.search.create", "table.index.spatial.create", "table.index.vector.create"],
  describe: (args) => `create a ${args.index_type} index on table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const index = toNewIndex(args);
    const created = await meta.createIndex(toId(args.workspace_id), toId(args.table_id), index);
    const names = args.fields.map((f) => f.name).join(", ");
    return { message: `Created ${args.index_type} index ${created.id} on ${names} of table ${args.table_id}.`, data: { ...created, ...index } };
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
