// Instance Meta API: a table's indexes. `GET …/index` answers a bare array (as the official CLI
// reads it); `POST …/index/{type}` adds one and answers `{id:"<hex>"}`: btree, unique, spatial and
// vector take `{fields:[{name, op}]}` with `op` required and one of the kind's operators (Xano's
// description), search takes `{name, lang, fields:[{name, priority}]}`. `DELETE …/index/{id}`
// removes one and answers {}. `PUT …/index {index: [{type, fields}]}` replaces every index (the
// description's example lists `primary`, implicit in the fake, and fields without `op`, which then
// takes the kind's first operator). Which field types each kind accepts is the fake's choice.

import type { FieldType } from "../../fixtures/seed";
import type { RequestContext } from "../context";
import { inputError, notFound } from "../errors";
import type { RouteDef } from "../router";
import type { IndexState, IndexType, TableState } from "../store";
import { tableFor } from "./lookup";

const I = "/api:meta/workspace/{w}/table/{t}/index";

export const INDEX_TYPES: readonly IndexType[] = ["btree", "unique", "search", "spatial", "vector"];

/** The ops each kind accepts (the first is the default) and which field types it can cover. */
const RULES: Record<IndexType, { ops: string[]; accepts(type: FieldType): boolean }> = {
  btree: { ops: ["asc", "desc"], accepts: (t) => t !== "vector" },
  unique: { ops: ["asc", "desc"], accepts: (t) => t !== "vector" },
  search: { ops: [], accepts: (t) => t === "text" || t === "email" || t === "enum" },
  spatial: { ops: ["gist_geometry_ops_2d"], accepts: (t) => t.startsWith("geo_") },
  vector: { ops: ["vector_ip_ops", "vector_cosine_ops", "vector_l1_ops", "vector_l2_ops"], accepts: (t) => t === "vector" },
};

/** The languages Xano's description lists for a search index. */
const SEARCH_LANGUAGES = [
  "simple", "arabic", "danish", "dutch", "english", "finnish", "french", "german", "hungarian", "indonesian", "irish", "italian",
  "lithuanian", "nepali", "norwegian", "portuguese", "romanian", "russian", "spanish", "swedish", "tamil", "turkish",
];

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function readFields(table: TableState, type: IndexType, input: unknown): IndexState["fields"] {
  if (!Array.isArray(input) || input.length === 0) throw inputError("fields must be a non-empty list of {name, op}.", "fields");
  const rules = RULES[type];
  return input.map((item) => {
    const f = (item ?? {}) as Record<string, unknown>;
    const field = table.schema.find((s) => s.name === f.name);
    if (typeof f.name !== "string" || !field) throw inputError(`Field "${String(f.name)}" does not exist in this table.`, "fields");
    if (!rules.accepts(field.type)) throw inputError(`A ${type} index cannot cover the ${field.type} field "${field.name}".`, "fields");
    if (type === "search") {
      if (!Number.isInteger(f.priority)) throw inputError("Each field of a search index needs a priority (an integer).", "priority");
      return { name: field.name, priority: f.priority as number };
    }
    if (typeof f.op !== "string" || !rules.ops.includes(f.op)) throw inputError(`op for a ${type} index must be one of ${rules.ops.join(", ")}.`, "op");
    return { name: field.name, op: f.op };
  });
}

async function createIndex(ctx: RequestContext) {
  const table = tableFor(ctx);
  const type = ctx.params.type as IndexType;
  if (!INDEX_TYPES.includes(type)) throw inputError(`Unknown index type "${type}".`, "type");
  const body = await ctx.body();
  const fields = readFields(table, type, body.fields);
  const id = randomHex(8);
  if (type === "search") {
    if (typeof body.name !== "string" || body.name.trim() === "") throw inputError("A search index needs a name.", "name");
    if (typeof body.lang !== "string" || !SEARCH_LANGUAGES.includes(body.lang)) throw inputError(`lang must be one of ${SEARCH_LANGUAGES.join(", ")}.`, "lang");
    table.indexes.push({ id, type, name: body.name, lang: body.lang, fields, created_at: ctx.core.now() });
  } else {
    table.indexes.push({ id, type, fields, created_at: ctx.core.now() });
  }
  table.updated_at = ctx.core.now();
  return { id };
}

function deleteIndex(ctx: RequestContext) {
  const table = tableFor(ctx);
  const index = table.indexes.find((i) => i.id === ctx.params.id);
  if (!index) throw notFound(`Index "${ctx.params.id}" not found.`);
  table.indexes = table.indexes.filter((i) => i !== index);
  table.updated_at = ctx.core.now();
  return {};
}

/** Indexes that cover a field no longer in the schema are dropped with it (as a database does). */
export function dropIndexesOfMissingFields(table: TableState): void {
  const names = new Set(table.schema.map((f) => f.name));
  table.indexes = table.indexes.filter((i) => i.fields.every((f) => names.has(f.name)));
}

/** Every index of `table` replaced by `input` (`PUT …/index`, or `index` in a table update). */
export function replaceIndexes(table: TableState, input: unknown, now: number): void {
  if (!Array.isArray(input)) throw inputError("index must be a list of {type, fields}.", "index");
  table.indexes = input.flatMap((item, n) => {
    const type = (item ?? {}).type;
    // The primary key is implicit in the fake (the `id` field); Xano's examples list it.
    if (type === "primary") return [];
    if (!INDEX_TYPES.includes(type)) throw inputError(`index type must be one of primary, ${INDEX_TYPES.join(", ")}.`, "index");
    const given = item.fields ?? item.field;
    const fields = Array.isArray(given) && type !== "search"
      ? given.map((f: unknown) => (f && typeof f === "object" && !("op" in f) ? { ...f, op: RULES[type as IndexType].ops[0] } : f))
      : given;
    return [{ id: `${table.id.toString(16).padStart(8, "0")}${n.toString(16).padStart(8, "0")}`, type: type as IndexType, fields: readFields(table, type, fields), created_at: now }];
  });
}

async function replaceAll(ctx: RequestContext) {
  const table = tableFor(ctx);
  replaceIndexes(table, (await ctx.body()).index, ctx.core.now());
  table.updated_at = ctx.core.now();
  return table.indexes;
}

export const indexRoutes: RouteDef[] = [
  { surface: "instance", method: "PUT", path: I, auth: "meta:write", handle: replaceAll },
  { surface: "instance", method: "GET", path: I, auth: "meta:read", handle: (ctx) => tableFor(ctx).indexes },
  { surface: "instance", method: "POST", path: `${I}/{type}`, auth: "meta:write", handle: createIndex },
  { surface: "instance", method: "DELETE", path: `${I}/{id}`, auth: "meta:write", handle: deleteIndex },
];
