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
    // Optional in Xano's description (an enum without values accepts nothing until some are added).
    if (f.values !== undefined && !(Array.isArray(f.values) && f.values.every((v) => typeof v === "string"))) {
      throw inputError(`Enum field "${field.name}": values must be a list of text values.`, "values");
    }
    field.values = (f.values as string[] | undefined) ?? [];
  }
  if (typeof f.tableref_id === "number") field.tableref_id = f.tableref_id;
  if (isRecord(f.vector) && typeof f.vector.size === "number") field.vector = { size: f.vector.size };
  if (f.validators && typeof f.validators === "object") field.validators = f.validators as Record<string, unknown>;
  if (f.config && typeof f.config === "object") field.config = f.config as Record<string, unknown>;
  if (Array.isArray(f.children)) field.children = f.children.map((c) => normaliseField(c));
  return field;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The JSON type of `default` per type in Xano's description of `schema/type/{type}` (uuid's
 * integer is the description's); the other types list no `default` and the fake refuses one.
 */
const DEFAULT_TYPE: Partial<Record<FieldType, "boolean" | "number" | "integer" | "string">> = {
  bool: "boolean", decimal: "number", int: "integer", uuid: "integer", email: "string", enum: "string", text: "string", vector: "string",
};

/** The body of `POST …/schema/type/{type}` beyond what every field takes, as the description requires it. */
export function checkAddFieldBody(body: Record<string, unknown>, type: FieldType, tableExists: (id: number) => boolean): void {
  if (body.default !== undefined) {
    const expected = DEFAULT_TYPE[type];
    const v = body.default;
    const ok =
      expected === "boolean" ? typeof v === "boolean"
      : expected === "integer" ? Number.isInteger(v)
      : expected === "number" ? typeof v === "number"
      : expected === "string" ? typeof v === "string"
      : false;
    if (!ok) throw inputError(expected ? `default must be ${expected === "string" ? "text" : `a ${expected}`} for a ${type} field.` : `A ${type} field takes no default.`, "default");
  }
  if (type === "tableref" || type === "tablerefuuid") {
    if (!Number.isInteger(body.tableref_id)) throw inputError(`A ${type} field needs tableref_id.`, "tableref_id");
    if (!tableExists(body.tableref_id as number)) throw inputError(`Table ${String(body.tableref_id)} does not exist.`, "tableref_id");
  }
  if (type === "vector") {
    const size = isRecord(body.vector) ? body.vector.size : undefined;
    if (!Number.isInteger(size) || (size as number) < 1) throw inputError("A vector field needs vector.size (a positive integer).", "vector");
  }
}

/**
 * A whole schema: a list of fields with unique names that keeps the `id` primary key. `strict`
 * (the `PUT …/schema` route) also requires `nullable` and `required` on each field, as Xano's
 * description does.
 */
export function validateSchema(input: unknown, strict = false): Field[] {
  if (!Array.isArray(input)) throw inputError("schema must be a list of fields.", "schema");
  if (strict) {
    for (const f of input) {
      for (const key of ["nullable", "required"]) {
        if (!isRecord(f) || typeof f[key] !== "boolean") throw inputError(`Each field needs ${key} (true or false).`, key);
      }
    }
  }
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
