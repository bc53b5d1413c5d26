/**
 * A table's schema (its fields). Adding, renaming and deleting one field each use Xano's own
 * per-field route, so concurrent edits by someone else are never overwritten; replacing the whole
 * schema is a separate, explicitly destructive tool.
 */
import { z } from "zod";
import { defineTool } from "./registry";
import { idInput, toId } from "./inputs";

/** Xano's field types (xano.md "Schema"). */
export const FIELD_TYPES = [
  "attachment", "audio", "bool", "date", "decimal", "email", "enum", "geo_point", "geo_multipoint", "geo_linestring",
  "geo_multilinestring", "geo_polygon", "geo_multipolygon", "image", "int", "json", "object", "password", "tableref",
  "tablerefuuid", "text", "timestamp", "uuid", "vector", "video",
] as const;

/** One add-field operation per type (`table.schema.type.<type>.create`). */
const SCHEMA_TYPE_OPERATIONS = FIELD_TYPES.map((type) => `table.schema.type.${type}.create`);

export const fieldNameInput = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, "must be a field name: letters, digits and _, not starting with a digit")
  .describe("A field (column) name: letters, digits and _, e.g. \"email\" or \"created_at\".");

const fieldTypeInput = z.enum(FIELD_TYPES).describe(`The field type, one of: ${FIELD_TYPES.join(", ")}.`);

/**
 * The JSON type of `default` per field type, as Xano's description of `schema/type/{type}` gives it
 * (uuid's integer is what the description says). Types not listed take no default there.
 */
export const DEFAULT_TYPE: Partial<Record<(typeof FIELD_TYPES)[number], "boolean" | "number" | "integer" | "string">> = {
  bool: "boolean", decimal: "number", int: "integer", uuid: "integer", email: "string", enum: "string", text: "string", vector: "string",
};

/** The options every field takes besides its name and type (the body of `schema/type/{type}`). */
const fieldOptions = {
  description: z.string().max(2000).optional().describe("What the field holds (shown in Xano)."),
  nullable: z.boolean().optional().describe("Whether the field may hold null (default false)."),
  default: z
    .union([z.string().max(1000), z.number(), z.boolean()])
    .optional()
    .describe(
      "Default value, typed as Xano takes it: true/false for bool, a number for decimal, a whole number for int, text for text, email, enum and vector. " +
        "Other types take no default.",
    ),
  required: z.boolean().optional().describe("Whether a record must give this field (default false)."),
  access: z.enum(["public", "private", "internal"]).optional().describe("Who sees the field: public (default), private or internal."),
  style: z.enum(["single", "list"]).optional().describe("single value (default) or a list of values."),
  sensitive: z.boolean().optional().describe("Mark the field as sensitive (hidden in logs); default false."),
  values: z.array(z.string().max(200)).min(1).max(500).optional().describe('For enum fields (required there): the allowed values, e.g. ["free", "pro"].'),
  tableref_id: idInput("referenced table").optional().describe("For tableref and tablerefuuid fields (required there): the id of the table this field points to."),
  vector_size: z.number().int().min(1).max(16000).optional().describe("For vector fields (required there): the number of dimensions, e.g. 1536."),
};

type FieldOptions = { [K in keyof typeof fieldOptions]?: z.infer<(typeof fieldOptions)[K]> };

/** What Xano requires per type beyond the name: checked before any call, naming the field. */
export function checkFieldOptions(type: (typeof FIELD_TYPES)[number], options: FieldOptions, ctx: z.RefinementCtx, path: Array<string | number> = []): void {
  const expected = DEFAULT_TYPE[type];
  if (options.default !== undefined) {
    const actual = typeof options.default === "number" && Number.isInteger(options.default) ? "integer" : typeof options.default;
    const fits = expected === actual || (expected === "number" && actual === "integer");
    if (!expected) ctx.addIssue({ code: "custom", path: [...path, "default"], message: `a ${type} field takes no default in Xano` });
    else if (!fits) ctx.addIssue({ code: "custom", path: [...path, "default"], message: `a ${type} field's default must be ${expected === "integer" ? "a whole number" : expected === "number" ? "a number" : expected === "boolean" ? "true or false" : "text"}` });
  }
  if ((type === "tableref" || type === "tablerefuuid") && options.tableref_id === undefined) {
    ctx.addIssue({ code: "custom", path: [...path, "tableref_id"], message: `a ${type} field needs tableref_id (the referenced table's id)` });
  }
  if (type === "vector" && options.vector_size === undefined) {
    ctx.addIssue({ code: "custom", path: [...path, "vector_size"], message: "a vector field needs vector_size (its number of dimensions)" });
  }
  if (type === "enum" && options.values === undefined) {
    ctx.addIssue({ code: "custom", path: [...path, "values"], message: "an enum field needs values (the allowed values)" });
  }
}

/** One complete field definition, for creating a table or replacing a schema. */
export const fieldDefinition = z
  .object({
    name: fieldNameInput,
    type: fieldTypeInput,
    ...fieldOptions,
    validators: z.record(z.string(), z.unknown()).optional().describe("Xano validators for the field (e.g. {\"trim\": true}), passed through."),
    children: z.array(z.record(z.string(), z.unknown())).optional().describe("For object fields: the nested field definitions, same shape as this one."),
  })
  // No per-type checks here: in a whole schema Xano's description types `default` as text and
  // requires neither tableref_id, vector nor values.
  .describe("A field definition: name, type and optional settings.");

/** The field settings as Xano's add-field body expects them (ids as numbers, `vector: {size}`, unset options left out). */
export function toXanoField<T extends FieldOptions & { name: string }>(field: T) {
  const { tableref_id, vector_size, ...rest } = field;
  return {
    ...rest,
    ...(tableref_id !== undefined ? { tableref_id: toId(tableref_id) } : {}),
    ...(vector_size !== undefined ? { vector: { size: vector_size } } : {}),
  };
}

/**
 * A field of a whole schema (`PUT …/schema`, a new table's `schema`): Xano's description requires
 * `nullable` and `required` there and types `default` as text.
 */
export function toXanoSchemaField(field: z.infer<typeof fieldDefinition>) {
  const xano = toXanoField(field);
  return { ...xano, nullable: field.nullable ?? false, required: field.required ?? false, ...(field.default !== undefined ? { default: String(field.default) } : {}) };
}

const tableInputs = {
  workspace_id: idInput("workspace"),
  table_id: idInput("table"),
};

export const getTableSchema = defineTool({
  name: "xano_get_table_schema",
  title: "Get table schema",
  area: "Schema",
  description:
    "Returns every field of a table: name, type, description, nullable, default, required, access, style and type-specific settings. " +
    "Use it before adding, renaming or deleting fields, or before writing records.",
  input: z.object(tableInputs),
  kind: "read",
  operations: ["table.schema.get"],
  describe: (args) => `read the schema of table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const schema = await meta.getTableSchema(toId(args.workspace_id), toId(args.table_id));
    return { message: `Table ${args.table_id} has ${schema.length} field(s).`, data: { schema } };
  },
});

export const getSchemaField = defineTool({
  name: "xano_get_schema_field",
  title: "Get one schema field",
  area: "Schema",
  description: "Returns one field of a table's schema by name (type, settings, enum values, …). To see all fields use xano_get_table_schema.",
  input: z.object({ ...tableInputs, field_name: fieldNameInput }),
  kind: "read",
  operations: ["table.schema.field.get"],
  describe: (args) => `read field "${args.field_name}" of table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const field = await meta.getSchemaField(toId(args.workspace_id), toId(args.table_id), args.field_name);
    return { message: `Field "${args.field_name}" of table ${args.table_id}.`, data: field };
  },
});

export const addFieldToSchema = defineTool({
  name: "xano_add_field_to_schema",
  title: "Add a field to a table",
  area: "Schema",
  description:
    "Adds one field (column) of the given type to a table, through Xano's add-field route: the rest of the schema is untouched, " +
    "so nothing anyone else changed meanwhile is overwritten. Enum fields need `values`; tableref and tablerefuuid fields need `tableref_id`; " +
    "vector fields need `vector_size`; `default` is typed (true/false for bool, a number for int and decimal, text for text-like types). " +
    "Existing records get the default (or null). Check the result with xano_get_schema_field.",
  input: z
    .object({
      ...tableInputs,
      field_name: fieldNameInput,
      field_type: fieldTypeInput,
      ...fieldOptions,
    })
    .superRefine((args, ctx) => checkFieldOptions(args.field_type, args, ctx)),
  kind: "create",
  operations: SCHEMA_TYPE_OPERATIONS,
  describe: (args) => `add ${args.field_type} field "${args.field_name}" to table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const { workspace_id, table_id, field_name, field_type, ...options } = args;
    const result = await meta.addSchemaField(toId(workspace_id), toId(table_id), field_type, toXanoField({ name: field_name, ...options }));
    return { message: `Added ${field_type} field "${field_name}" to table ${table_id}.`, data: result ?? { name: field_name } };
  },
});

export const renameSchemaField = defineTool({
  name: "xano_rename_schema_field",
  title: "Rename a field",
  area: "Schema",
  description:
    "Renames one field of a table, keeping its data and settings (Xano's rename route). The `id` field cannot be renamed. " +
    "APIs and functions that use the old name must be updated in Xano.",
  input: z.object({
    ...tableInputs,
    old_name: fieldNameInput.describe("The field's current name."),
    new_name: fieldNameInput.describe("The new name: letters, digits and _, not used by another field of the table."),
  }),
  kind: "update",
  operations: ["table.schema.rename"],
  describe: (args) => `rename field "${args.old_name}" to "${args.new_name}" in table ${args.table_id} of workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const result = await meta.renameSchemaField(toId(args.workspace_id), toId(args.table_id), args.old_name, args.new_name);
    return { message: `Renamed field "${args.old_name}" to "${args.new_name}" in table ${args.table_id}.`, data: resultOrNull(result) };
  },
});

export const deleteField = defineTool({
  name: "xano_delete_field",
  title: "Delete a field",
  area: "Schema",
  description:
    "Deletes one field from a table's schema, and with it that field's value in every record (and any index on it). This cannot be undone; " +
    "confirm with the person first. The `id` field cannot be deleted.",
  input: z.object({ ...tableInputs, field_name: fieldNameInput.describe("The name of the field to delete.") }),
  kind: "destructive",
  operations: ["table.schema.field.delete"],
  describe: (args) => `delete field "${args.field_name}" of table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const result = await meta.deleteSchemaField(toId(args.workspace_id), toId(args.table_id), args.field_name);
    return { message: `Deleted field "${args.field_name}" from table ${args.table_id}.`, data: resultOrNull(result) };
  },
});

export const replaceTableSchema = defineTool({
  name: "xano_replace_table_schema",
  title: "Replace a table's whole schema",
  area: "Schema",
  description:
    "REPLACES THE WHOLE SCHEMA of a table with the given list of fields: every field not in the list is deleted together with its data " +
    "in every record. The list must keep the `id` field. Prefer xano_add_field_to_schema, xano_rename_schema_field and xano_delete_field " +
    "for single changes; use this only to set the complete schema on purpose, after reading it with xano_get_table_schema and confirming with the person.",
  input: z.object({
    ...tableInputs,
    schema: z
      .array(fieldDefinition)
      .min(1)
      .max(500)
      .describe('The complete new list of fields, including {"name": "id", "type": "int"} (or uuid). Fields left out are deleted with their data.'),
  }),
  kind: "destructive",
  operations: ["table.schema.replace"],
  // It overwrites fields (and drops what is left out), but Xano files it under schema updates.
  xanoPermission: "Workspace Database: Update",
  describe: (args) => `replace the schema of table ${args.table_id} in workspace ${args.workspace_id}`,
  async run(args, { meta }) {
    const result = await meta.replaceTableSchema(toId(args.workspace_id), toId(args.table_id), args.schema.map(toXanoSchemaField));
    return { message: `Replaced the schema of table ${args.table_id} with ${args.schema.length} field(s).`, data: resultOrNull(result) };
  },
});

/** Xano's answers to some schema edits are [unverified] (the updated schema, or nothing). */
function resultOrNull(result: unknown) {
  return Array.isArray(result) ? { schema: result } : (result ?? null);
}
