// Instance Meta API: the two table updates of Xano's description that the older route files do not
// serve: `PUT …/table/{table_id}` (JSON fields, or the table as XanoScript: `table name { schema { … } }`)
// and `PUT …/table/{table_id}/index {index: [{type, fields}]}` (replaces every index).
// index.ts lists these AFTER the older routes, so where a route file serves the same template, that
// route wins and these stay a fallback.

import type { Field, FieldType } from "../../fixtures/seed";
import type { RequestContext } from "../context";
import { inputError, notFound } from "../errors";
import type { RouteDef } from "../router";
import type { IndexType, TableState } from "../store";
import { checkXanoScript } from "../xanoscript";
import { INDEX_TYPES, dropIndexesOfMissingFields, readFields } from "./meta-indexes";
import { META, audit, queryBool, readBody, scriptError, workspaceOf } from "./meta-logic";
import { tableMeta } from "./meta-tables";
import { FIELD_TYPES, normaliseField, validateSchema } from "./schema-rules";

const T = `${META}/workspace/{workspace_id}/table/{table_id}`;

function tableFor(ctx: RequestContext): TableState {
  const ws = workspaceOf(ctx);
  const table = ctx.core.store.tables.get(Number(ctx.params.table_id));
  if (!table || table.workspaceId !== ws.id) throw notFound("Table not found.");
  return table;
}

/** The table as XanoScript, for `include_xanoscript` (generated from the schema; the fake keeps no table scripts). */
function tableScript(t: TableState): string {
  const fields = t.schema.map((f) => `    ${f.type}${f.style === "list" ? "[]" : ""} ${f.name}${f.nullable ? "?" : ""}`);
  const description = t.description ? `  description = ${JSON.stringify(t.description)}\n` : "";
  return `table ${/^[A-Za-z_]\w*$/.test(t.name) ? t.name : JSON.stringify(t.name)} {\n${description}  schema {\n${fields.join("\n")}\n  }\n}\n`;
}

/**
 * The fields of a table script's `schema { … }` block: one `<type>[[]] <name>[?]` per line
 * (a `{ … }` after a field holds its options, which the fake does not read).
 */
function schemaFromScript(script: string, current: Field[]): Field[] {
  const lines = script.split("\n");
  const start = lines.findIndex((l) => /^\s*schema\s*\{\s*$/.test(l));
  if (start < 0) throw scriptError({ line: 1, column: 1, message: "a table needs a schema { … } block" });
  const fields: Field[] = [];
  let depth = 1;
  for (let i = start + 1; i < lines.length && depth > 0; i++) {
    const line = lines[i].replace(/\/\/.*$/, "");
    if (depth === 1) {
      const m = /^\s*([a-z_]+)(\[\])?\s+"?([A-Za-z_][A-Za-z0-9_]*)"?(\?)?/.exec(line);
      if (m) {
        if (!(FIELD_TYPES as readonly string[]).includes(m[1])) {
          throw scriptError({ line: i + 1, column: line.indexOf(m[1]) + 1, message: `unknown field type "${m[1]}"` });
        }
        const kept = current.find((f) => f.name === m[3] && f.type === m[1]);
        fields.push(kept ?? normaliseField({ name: m[3], type: m[1] as FieldType, nullable: m[4] === "?", style: m[2] ? "list" : "single" }));
      }
    }
    for (const c of line.replace(/"(?:[^"\\]|\\.)*"/g, "")) depth += c === "{" ? 1 : c === "}" ? -1 : 0;
  }
  return validateSchema(fields);
}

function checkName(ctx: RequestContext, table: TableState, name: unknown): string {
  if (typeof name !== "string" || name.trim() === "") throw inputError("name is required.", "name");
  const clash = [...ctx.core.store.tables.values()].some((t) => t.workspaceId === table.workspaceId && t.id !== table.id && t.name.toLowerCase() === name.toLowerCase());
  if (clash) throw inputError(`A table named "${name}" already exists.`, "name");
  return name;
}

function replaceIndexes(table: TableState, input: unknown, now: number) {
  if (!Array.isArray(input)) throw inputError("index must be a list of {type, fields}.", "index");
  table.indexes = input.flatMap((item, n) => {
    const type = (item ?? {}).type;
    // The primary key is implicit in the fake (the `id` field); Xano's examples list it.
    if (type === "primary") return [];
    if (!INDEX_TYPES.includes(type)) throw inputError(`index type must be one of primary, ${INDEX_TYPES.join(", ")}.`, "index");
    return [{ id: `${table.id.toString(16).padStart(8, "0")}${n.toString(16).padStart(8, "0")}`, type: type as IndexType, fields: readFields(table, type, item.fields ?? item.field), created_at: now }];
  });
}

async function updateTable(ctx: RequestContext) {
  const table = tableFor(ctx);
  const body = await readBody(ctx);
  const now = ctx.core.now();
  let withScript = queryBool(ctx, "include_xanoscript", false);
  if ("script" in body) {
    const check = checkXanoScript(body.script, ["table"]);
    if (!check.ok) throw scriptError(check.error);
    const schema = schemaFromScript(body.script, table.schema);
    table.name = checkName(ctx, table, check.doc.name);
    if (typeof check.doc.settings.description === "string") table.description = check.doc.settings.description;
    if (typeof check.doc.settings.auth === "boolean") table.auth = check.doc.settings.auth;
    table.schema = schema;
    dropIndexesOfMissingFields(table);
    if (Array.isArray(check.doc.settings.index)) replaceIndexes(table, check.doc.settings.index, now);
  } else {
    const f = body.fields;
    if (f.name !== undefined) table.name = checkName(ctx, table, f.name);
    for (const key of ["description", "docs"] as const) {
      if (f[key] !== undefined && typeof f[key] !== "string") throw inputError(`${key} must be text.`, key);
      if (typeof f[key] === "string") table[key] = f[key] as string;
    }
    if (f.auth !== undefined && typeof f.auth !== "boolean") throw inputError("auth must be true or false.", "auth");
    if (typeof f.auth === "boolean") table.auth = f.auth;
    if (f.tag !== undefined && !(Array.isArray(f.tag) && f.tag.every((t) => typeof t === "string"))) throw inputError("tag must be a list of text tags.", "tag");
    if (Array.isArray(f.tag)) table.tag = f.tag as string[];
    if (f.schema !== undefined) {
      table.schema = validateSchema(f.schema);
      dropIndexesOfMissingFields(table);
    }
    if (f.index !== undefined) replaceIndexes(table, f.index, now);
    if (typeof f.include_xanoscript === "boolean") withScript = f.include_xanoscript;
  }
  table.updated_at = now;
  audit(ctx, workspaceOf(ctx), "update", { type: "table", id: table.id }, table.name);
  return { ...tableMeta(table), ...(withScript ? { xanoscript: { status: "ok", value: tableScript(table), message: "" } } : {}) };
}

export const tableUpdateRoutes: RouteDef[] = [
  { surface: "instance", method: "PUT", path: T, auth: "meta:write", handle: updateTable },
  {
    surface: "instance", method: "PUT", path: `${T}/index`, auth: "meta:write",
    handle: async (ctx) => {
      const table = tableFor(ctx);
      replaceIndexes(table, (await ctx.body()).index, ctx.core.now());
      table.updated_at = ctx.core.now();
      return table.indexes;
    },
  },
];
