/**
 * Meta API, area table: a table's schema. Whole, one field, add a field by type (one operation
 * per type, no read-modify-write), rename, delete, replace all.
 */
import type { Id } from "../types";
import { asArray, type MetaCall } from "./call";

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

export type SchemaCalls = ReturnType<typeof schemaCalls>;

export function schemaCalls(call: MetaCall) {
  const table = (workspaceId: Id, tableId: Id) => ({ workspace_id: workspaceId, table_id: tableId });
  return {
    getTableSchema(workspaceId: Id, tableId: Id): Promise<SchemaField[]> {
      return call("table.schema.get", table(workspaceId, tableId)).then((v) => asArray<SchemaField>(v));
    },

    getSchemaField(workspaceId: Id, tableId: Id, name: string): Promise<SchemaField> {
      return call("table.schema.field.get", { ...table(workspaceId, tableId), schema_name: name });
    },

    /**
     * `table.schema.type.<type>.create`, with `field` as its description has it: typed `default`,
     * `tableref_id`, `vector.size`, … The type must be one of the table's (tools check FIELD_TYPES).
     */
    addSchemaField(workspaceId: Id, tableId: Id, type: string, field: Omit<SchemaField, "type">): Promise<{ name: string }> {
      return call(`table.schema.type.${type}.create`, table(workspaceId, tableId), { body: field });
    },

    renameSchemaField(workspaceId: Id, tableId: Id, oldName: string, newName: string): Promise<unknown> {
      return call("table.schema.rename", table(workspaceId, tableId), { body: { old_name: oldName, new_name: newName } });
    },

    deleteSchemaField(workspaceId: Id, tableId: Id, name: string): Promise<unknown> {
      return call("table.schema.field.delete", { ...table(workspaceId, tableId), schema_name: name });
    },

    replaceTableSchema(workspaceId: Id, tableId: Id, schema: SchemaField[]): Promise<unknown> {
      return call("table.schema.replace", table(workspaceId, tableId), { body: { schema } });
    },
  };
}
