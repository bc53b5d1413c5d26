// Validating Field definitions sent by clients (xano.md "Schema"). Missing optional keys get
// Xano's defaults so every stored Field has the full shape.

import type { Field, FieldType } from "../../fixtures/seed";
import { inputError } from "../errors";

export const FIELD_TYPES: readonly FieldType[] = [
  "attachment", "audio", "bool", "date", "decimal", "email", "enum", "geo_point", "geo_multipoint", "geo_linestring",
  "geo_multilinestring", "geo_polygon", "geo_multipolygon", "image", "int", "json", "object", "password", "tableref",
  "tablerefuuid", "text", "timestamp", "uuid", "vector", "video",
];

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkFieldName(name: unknown, param = "name"): string {
  if (typeof name !== "string" || !NAME.test(name)) throw inputError(`${param} must be a field name (letters, digits, _).`, param);
  return name;
}

export function checkFieldType(type: unknown): FieldType {
  if (typeof type !== "string" || !(FIELD_TYPES as readonly string[]).includes(type)) {
    throw inputError(`Unknown field type "${String(type)}".`, "type");
  }
  return type as FieldType;
}

export function normaliseField(input: unknown, type?: FieldType): Field {
  if (input === null || typeof input !== "object" || Array.isArray(input)) throw inputError("A field must be a JSON object.", "schema");
  const f = input as Record<string, unknown>;
  const field: Field = {
    name: checkFieldName(f.name),
    type: type ?? checkFieldType(f.type),
    description: typeof f.description === "string" ? f.description : "",
    nullable: f.nullable === true,
    default: f.default === undefined || f.default === null ? "" : String(f.default),
    required: f.required === true,
    access: f.access === "private" || f.access === "internal" ? f.access : "public",
    style: f.style === "list" ? "list" : "single",
    sensitive: f.sensitive === true,
  };
  if (f.access !== undefined && !["public", "private", "internal"].includes(f.access as string)) {
    throw inputError("access must be public, private or internal.", "access");
  }
  if (f.style !== undefined && f.style !== "single" && f.style !== "list") throw inputError("style must be single or list.", "style");
  if (field.type === "enum") {
    if (!Array.isArray(f.values) || f.values.length === 0 || !f.values.every((v) => typeof v === "string")) {
      throw inputError(`Enum field "${field.name}" needs a non-empty values list.`, "values");
    }
    field.values = f.values as string[];
  }
  if (typeof f.tableref_id === "number") field.tableref_id = f.tableref_id;
  if (f.validators && typeof f.validators === "object") field.validators = f.validators as Record<string, unknown>;
  if (f.config && typeof f.config === "object") field.config = f.config as Record<string, unknown>;
  if (Array.isArray(f.children)) field.children = f.children.map((c) => normaliseField(c));
  return field;
}

/** A whole schema: a list of fields with unique names that keeps the `id` primary key. */
export function validateSchema(input: unknown): Field[] {
  if (!Array.isArray(input)) throw inputError("schema must be a list of fields.", "schema");
  const fields = input.map((f) => normaliseField(f));
  const names = new Set<string>();
  for (const f of fields) {
    if (names.has(f.name)) throw inputError(`Duplicate field "${f.name}".`, "schema");
    names.add(f.name);
  }
  const id = fields.find((f) => f.name === "id");
  if (!id || (id.type !== "int" && id.type !== "uuid")) throw inputError('schema must keep the "id" field (int or uuid).', "schema");
  return fields;
}

export function defaultSchema(): Field[] {
  return [
    normaliseField({ name: "id", type: "int", required: true }),
    normaliseField({ name: "created_at", type: "timestamp", default: "now" }),
  ];
}
