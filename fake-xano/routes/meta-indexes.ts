// Instance Meta API: a table's indexes. `GET …/index` answers a bare array (as the official CLI
// reads it); `POST …/index/{type} {fields:[{name, op}]}` adds one and answers `{id:"<hex>"}`;
// `DELETE …/index/{id}` removes one and answers null. Which field types each index kind accepts
// and the `op` values are the fake's choice (Xano's exact rules are [unverified]).

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
  search: { ops: ["search"], accepts: (t) => t === "text" || t === "email" || t === "enum" },
  spatial: { ops: ["gist"], accepts: (t) => t.startsWith("geo_") },
  vector: { ops: ["vector_cosine_ops", "vector_ip_ops", "vector_l2_ops"], accepts: (t) => t === "vector" },
};

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
    const op = f.op === undefined || f.op === "" ? rules.ops[0] : f.op;
    if (typeof op !== "string" || !rules.ops.includes(op)) throw inputError(`op for a ${type} index must be one of ${rules.ops.join(", ")}.`, "op");
    return { name: field.name, op };
  });
}

async function createIndex(ctx: RequestContext) {
  const table = tableFor(ctx);
  const type = ctx.params.type as IndexType;
  if (!INDEX_TYPES.includes(type)) throw inputError(`Unknown index type "${type}".`, "type");
  const fields = readFields(table, type, (await ctx.body()).fields);
  const id = randomHex(8);
  table.indexes.push({ id, type, fields, created_at: ctx.core.now() });
  table.updated_at = ctx.core.now();
  return { id };
}

function deleteIndex(ctx: RequestContext) {
  const table = tableFor(ctx);
  const index = table.indexes.find((i) => i.id === ctx.params.id);
  if (!index) throw notFound(`Index "${ctx.params.id}" not found.`);
  table.indexes = table.indexes.filter((i) => i !== index);
  table.updated_at = ctx.core.now();
  return null;
}

/** Indexes that cover a field no longer in the schema are dropped with it (as a database does). */
export function dropIndexesOfMissingFields(table: TableState): void {
  const names = new Set(table.schema.map((f) => f.name));
  table.indexes = table.indexes.filter((i) => i.fields.every((f) => names.has(f.name)));
}

export const indexRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: I, auth: "meta:read", handle: (ctx) => tableFor(ctx).indexes },
  { surface: "instance", method: "POST", path: `${I}/{type}`, auth: "meta:write", handle: createIndex },
  { surface: "instance", method: "DELETE", path: `${I}/{id}`, auth: "meta:write", handle: deleteIndex },
];
