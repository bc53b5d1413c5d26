// Record values checked against a table's schema. Validation failures are 400
// ERROR_CODE_INPUT_ERROR naming the field (payload {param}), which is what a client needs to
// report a useful error. Rows are stored materialised (defaults filled at write time) and
// projected onto the current schema at read time, so schema edits never need a data migration.

import type { Field, Row } from "../fixtures/seed";
import { inputError } from "./errors";
import type { TableState } from "./store";

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The value a field has when a row does not set it. */
export function defaultValue(field: Field, now: number | null): unknown {
  if (field.style === "list") return [];
  if (field.default !== "" && field.default !== undefined) {
    if (field.type === "timestamp" && field.default === "now") return now;
    try {
      return coerceValue(field, field.default, now);
    } catch {
      return field.default;
    }
  }
  if (field.nullable) return null;
  switch (field.type) {
    case "int": case "decimal": case "tableref": return 0;
    case "bool": return false;
    case "text": case "email": case "password": case "enum": return "";
    default: return null;
  }
}

export function projectRow(table: TableState, row: Row): Row {
  const out: Record<string, unknown> = {};
  for (const field of table.schema) {
    out[field.name] = row[field.name] !== undefined ? row[field.name] : defaultValue(field, null);
  }
  return out as Row;
}

export function coerceValue(field: Field, value: unknown, now: number | null): unknown {
  const bad = (why: string) => inputError(`Invalid value for field "${field.name}": ${why}.`, field.name);
  if (value === null) {
    if (field.nullable) return null;
    throw bad("null is not allowed");
  }
  if (field.style === "list") {
    if (!Array.isArray(value)) throw bad("expected a list");
    return value.map((v) => coerceValue({ ...field, style: "single" }, v, now));
  }
  switch (field.type) {
    case "int":
    case "tableref": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isInteger(n)) throw bad("expected an integer");
      return n;
    }
    case "decimal": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isFinite(n)) throw bad("expected a number");
      return n;
    }
    case "bool":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      throw bad("expected a boolean");
    case "email":
      if (typeof value !== "string" || !EMAIL.test(value)) throw bad("expected an email address");
      return value;
    case "enum":
      if (typeof value !== "string" || !(field.values ?? []).includes(value)) {
        throw bad(`expected one of ${(field.values ?? []).join(", ")}`);
      }
      return value;
    case "timestamp": {
      if (value === "now" && now !== null) return now;
      if (typeof value === "number" && Number.isFinite(value)) return value;
      const ms = typeof value === "string" ? Date.parse(value) : NaN;
      if (Number.isNaN(ms)) throw bad("expected epoch milliseconds or an ISO 8601 date-time");
      return ms;
    }
    case "date":
      if (typeof value !== "string" || !DATE.test(value)) throw bad("expected YYYY-MM-DD");
      return value;
    case "text": case "password": case "uuid": case "tablerefuuid":
      if (typeof value !== "string") throw bad("expected a string");
      return value;
    case "object":
      if (typeof value !== "object" || Array.isArray(value)) throw bad("expected an object");
      return value;
    default:
      return value; // json, files, geo, vector: accepted as given.
  }
}

function fieldNamed(table: TableState, name: string): Field {
  const field = table.schema.find((f) => f.name === name);
  if (!field) throw inputError(`Unknown field "${name}" in table "${table.name}".`, name);
  return field;
}

/** Builds a new row from client input; ids are assigned unless `allowId` lets the input choose. */
export function buildRow(table: TableState, input: unknown, now: number, allowId: boolean): Row {
  if (input === null || typeof input !== "object" || Array.isArray(input)) throw inputError("A record must be a JSON object.");
  const given = input as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    if (name === "id" && !allowId) continue; // Xano ignores a client-sent id unless allow_id_field.
    row[name] = coerceValue(fieldNamed(table, name), value, now);
  }
  if (row.id !== undefined && table.rows.has(row.id as number)) {
    throw inputError(`A record with id ${row.id} already exists.`, "id");
  }
  for (const field of table.schema) {
    if (field.name === "id" || row[field.name] !== undefined) continue;
    if (field.required && field.default === "") throw inputError(`Missing required field "${field.name}".`, field.name);
    row[field.name] = defaultValue(field, now);
  }
  return row as Row;
}

/** Applies a partial update; `id` may not change. */
export function patchRow(table: TableState, row: Row, updates: unknown, now: number): Row {
  if (updates === null || typeof updates !== "object" || Array.isArray(updates)) throw inputError("Updates must be a JSON object.");
  const next: Record<string, unknown> = { ...row };
  for (const [name, value] of Object.entries(updates as Record<string, unknown>)) {
    if (name === "id") {
      if (value !== row.id) throw inputError("The id field cannot be changed.", "id");
      continue;
    }
    next[name] = coerceValue(fieldNamed(table, name), value, now);
  }
  return next as Row;
}

export function insertRow(table: TableState, row: Row): Row {
  const id = row.id !== undefined ? row.id : table.nextRowId;
  const stored = { ...row, id } as Row;
  table.rows.set(id, stored);
  table.nextRowId = Math.max(table.nextRowId, id + 1);
  return stored;
}

export { fieldNamed };
