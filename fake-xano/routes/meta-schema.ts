// Instance Meta API: a table's schema. Besides "replace all" (PUT), Xano has per-field routes
// (get, delete, rename, add-by-type) so a client never needs a read-modify-write of the whole
// schema; the fake implements each so clients can be tested on the narrow ones.
// Return values of DELETE field and rename are [unverified]: the fake answers the updated schema.
// Indexes follow the schema: a renamed field stays indexed, a removed field takes its indexes with it.

import type { RequestContext } from "../context";
import { inputError, notFound } from "../errors";
import type { RouteDef } from "../router";
import type { TableState } from "../store";
import { tableFor } from "./lookup";
import { dropIndexesOfMissingFields } from "./meta-indexes";
import { checkAddFieldBody, checkFieldName, checkFieldType, normaliseField, validateSchema } from "./schema-rules";

const S = "/api:meta/workspace/{w}/table/{t}/schema";

function touch(ctx: RequestContext, table: TableState) {
  table.updated_at = ctx.core.now();
  return table.schema;
}

/** Removes stored values of fields that no longer exist, so re-adding a field starts empty. */
function dropData(table: TableState, name: string) {
  for (const row of table.rows.values()) delete row[name];
}

async function replaceSchema(ctx: RequestContext) {
  const table = tableFor(ctx);
  const body = await ctx.body();
  const schema = validateSchema(body.schema, true);
  const kept = new Set(schema.map((f) => f.name));
  for (const old of table.schema) if (!kept.has(old.name)) dropData(table, old.name);
  table.schema = schema;
  dropIndexesOfMissingFields(table);
  return touch(ctx, table);
}

function getField(ctx: RequestContext) {
  const field = tableFor(ctx).schema.find((f) => f.name === ctx.params.name);
  if (!field) throw notFound(`Field "${ctx.params.name}" not found.`);
  return field;
}

function deleteField(ctx: RequestContext) {
  const table = tableFor(ctx);
  const name = ctx.params.name;
  if (!table.schema.some((f) => f.name === name)) throw notFound(`Field "${name}" not found.`);
  if (name === "id") throw inputError('The "id" field cannot be deleted.', "name");
  table.schema = table.schema.filter((f) => f.name !== name);
  dropData(table, name);
  dropIndexesOfMissingFields(table);
  return touch(ctx, table);
}

async function renameField(ctx: RequestContext) {
  const table = tableFor(ctx);
  const body = await ctx.body();
  const oldName = checkFieldName(body.old_name, "old_name");
  const newName = checkFieldName(body.new_name, "new_name");
  const field = table.schema.find((f) => f.name === oldName);
  if (!field) throw inputError(`Field "${oldName}" does not exist.`, "old_name");
  if (oldName === "id") throw inputError('The "id" field cannot be renamed.', "old_name");
  if (table.schema.some((f) => f.name === newName)) throw inputError(`Field "${newName}" already exists.`, "new_name");
  field.name = newName;
  for (const index of table.indexes) for (const f of index.fields) if (f.name === oldName) f.name = newName;
  for (const row of table.rows.values()) {
    if (oldName in row) {
      row[newName] = row[oldName];
      delete row[oldName];
    }
  }
  return touch(ctx, table);
}

async function addFieldOfType(ctx: RequestContext) {
  const table = tableFor(ctx);
  const type = checkFieldType(ctx.params.type);
  const body = await ctx.body();
  checkAddFieldBody(body, type, (id) => ctx.core.store.tables.get(id)?.workspaceId === table.workspaceId);
  const field = normaliseField(body, type);
  if (table.schema.some((f) => f.name === field.name)) throw inputError(`Field "${field.name}" already exists.`, "name");
  table.schema.push(field);
  touch(ctx, table);
  return { name: field.name };
}

export const schemaRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: S, auth: "meta:read", handle: (ctx) => tableFor(ctx).schema },
  { surface: "instance", method: "PUT", path: S, auth: "meta:write", handle: replaceSchema },
  { surface: "instance", method: "GET", path: `${S}/{name}`, auth: "meta:read", handle: getField },
  { surface: "instance", method: "DELETE", path: `${S}/{name}`, auth: "meta:write", handle: deleteField },
  { surface: "instance", method: "POST", path: `${S}/rename`, auth: "meta:write", handle: renameField },
  { surface: "instance", method: "POST", path: `${S}/type/{type}`, auth: "meta:write", handle: addFieldOfType },
];
