#!/usr/bin/env node
/**
 * Generates src/xano/operations.generated.ts, the operation table: one row per operation of Xano's
 * Metadata API, read from Xano's own OpenAPI description in ../shared/xano-meta-api/openapi/*.json.
 *
 *   node scripts/generate-operations.mjs          # writes the table
 *   node scripts/generate-operations.mjs --check  # fails when the committed table is out of date
 *
 * That folder exists only beside the project's CI checkout, not in a person's clone: the generated
 * file is committed, and this script is only needed when Xano's description changes.
 *
 * What comes from the description: method, path, area (the file), parameters with their types,
 * enums, defaults and whether they are required, body content types, and the permission where Xano
 * names one ("Required API Scope"). What this script decides, in the rules below, and marks as ours:
 * the operation id, its kind (read / create / update / destructive / runs-code), and the permission
 * where Xano names none (`permissionSource: "inferred"`). No prose is copied from the description.
 */
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "..", "shared", "xano-meta-api", "openapi");
const target = join(root, "src", "xano", "operations.generated.ts");

if (!existsSync(source)) {
  console.error(`Xano's description is not at ${source}; the committed ${target} stays as it is.`);
  process.exit(process.argv.includes("--check") ? 0 : 1);
}

// --- Kind: what an operation does to the backend ---------------------------------------------

/** POSTs that only read (searches, exports, conversions). */
const READING_POSTS = [/\/(content|history|audit_log)\/search$/, /_history\/search$/, /\/export(-schema)?$/, /\/convert\/(fromXS|toXS)$/];
/** PUTs that replace a whole collection: fields or indexes left out are deleted. */
const REPLACING_PUTS = [/\/table\/\{table_id\}\/schema$/, /\/table\/\{table_id\}\/index$/];
/** Decided one by one (the method alone says the wrong thing). */
const KIND_OVERRIDES = {
  // Replaces the workspace's content with the archive.
  "POST /workspace/{workspace_id}/import": "destructive",
  // Creates a branch and may make it live (`setlive`), which changes what every app is served.
  "POST /workspace/{workspace_id}/import-schema": "destructive",
  "POST /workspace/{workspace_id}/table/{table_id}/content/search/delete": "destructive",
  "POST /workspace/{workspace_id}/table/{table_id}/content/bulk/delete": "destructive",
  "POST /workspace/{workspace_id}/table/{table_id}/content/search/patch": "update",
  "POST /workspace/{workspace_id}/table/{table_id}/content/bulk/patch": "update",
  "POST /workspace/{workspace_id}/table/{table_id}/schema/rename": "update",
  "POST /workspace/{workspace_id}/static_host/{static_host}/build/{build_id}/env": "update",
  "POST /beta/ephemeral/cleanup": "destructive",
  "POST /beta/ephemeral/job": "runs-code",
  "POST /beta/ephemeral/service": "runs-code",
  "POST /beta/workspace/{workspace_id}/anonymous/run": "runs-code",
  "POST /beta/workspace/{workspace_id}/function/run": "runs-code",
};

function kindOf(method, path) {
  const key = `${method} ${path}`;
  if (KIND_OVERRIDES[key]) return KIND_OVERRIDES[key];
  if (method === "GET") return "read";
  if (method === "DELETE") return "destructive";
  if (method === "POST") return READING_POSTS.some((re) => re.test(path)) ? "read" : "create";
  if (method === "PUT") return REPLACING_PUTS.some((re) => re.test(path)) ? "destructive" : "update";
  throw new Error(`no kind for ${key}`);
}

// --- Id: a short, stable name for each operation ----------------------------------------------

/** A last path word that is the action itself, not a thing created. */
const ACTIONS = new Set(["search", "delete", "patch", "rename", "run", "export", "export-schema", "import", "import-schema", "truncate", "bulk_delete", "cleanup", "fromXS", "toXS"]);
const ID_OVERRIDES = {
  "POST /workspace/{workspace_id}/static_host/{static_host}/build/{build_id}/env": "static_host.build.env.update",
  "PUT /workspace/{workspace_id}/table/{table_id}/schema": "table.schema.replace",
  "PUT /workspace/{workspace_id}/table/{table_id}/index": "table.index.replace",
  "POST /beta/ephemeral/job": "beta.ephemeral.job.run",
  "POST /beta/ephemeral/service": "beta.ephemeral.service.run",
  // Creates a full-text search index (the last word is the index type, not an action).
  "POST /workspace/{workspace_id}/table/{table_id}/index/search": "table.index.search.create",
  "GET /workspace/{workspace_id}/table/{table_id}/index": "table.index.list",
  // One field, beside the whole schema.
  "GET /workspace/{workspace_id}/table/{table_id}/schema/{schema_name}": "table.schema.field.get",
  "DELETE /workspace/{workspace_id}/table/{table_id}/schema/{schema_name}": "table.schema.field.delete",
  // The instance-wide audit log, beside each workspace's own.
  "GET /audit_log": "instance.audit_log.list",
  "POST /audit_log/search": "instance.audit_log.search",
};

const WORKSPACE_SINGLETONS = new Set(["context", "openapi"]);

function idOf(method, path, parameters, answersList) {
  const key = `${method} ${path}`;
  if (ID_OVERRIDES[key]) return ID_OVERRIDES[key];
  let segments = path.split("/").filter(Boolean);
  const endsWithParam = /^\{.*\}$/.test(segments.at(-1));
  if (path === "/workspace") return "workspace.list";
  if (path === "/workspace/{workspace_id}") return "workspace.get";
  segments = segments.filter((s) => !/^\{.*\}$/.test(s));
  // "workspace/{workspace_id}/…" is the scope of nearly everything: leave it out of the name.
  if (segments[0] === "workspace") segments = segments.slice(1);
  if (segments[0] === "beta" && segments[1] === "workspace") segments = ["beta", ...segments.slice(2)];
  let verb;
  const last = segments.at(-1);
  if (!endsWithParam && ACTIONS.has(last)) {
    verb = last;
    segments = segments.slice(0, -1);
  } else if (method === "GET") {
    const paged = parameters.some((p) => p.name === "page");
    verb = endsWithParam ? "get" : paged || answersList ? "list" : "get";
  } else if (method === "POST") verb = "create";
  else if (method === "PUT") verb = "update";
  else verb = "delete";
  // Actions and singletons of the workspace itself read better with it named.
  if (segments.length === 0 || (segments[0] === "beta" && segments.length === 1) || WORKSPACE_SINGLETONS.has(segments.join("/"))) {
    segments = segments[0] === "beta" ? [...segments, "workspace"] : ["workspace", ...segments];
  }
  return [...segments, verb].map((s) => s.replace(/-/g, "_").replace(/XS$/, "_xs").toLowerCase()).join(".");
}

// --- Permission: Xano's name when given, otherwise ours (marked inferred) ---------------------

/** Xano's permission area for the paths whose operations name none. */
const PERMISSION_AREAS = [
  [/^\/workspace$/, "Instance Workspace"],
  [/^\/audit_log/, "Instance Log"],
  [/\/audit_log/, "Workspace Log"],
  [/^\/auth\//, null],
  [/^\/mcp_server\/documentation/, null],
  [/^\/beta\/ephemeral/, "Instance Workspace"],
  [/\/multidoc$/, "Instance Workspace"],
  [/\/addon/, "Workspace Addon"],
  [/\/agent/, "Workspace Agent"],
  [/\/apigroup\/\{apigroup_id\}\/api/, "Workspace Api"],
  [/\/apigroup/, "Workspace Api"],
  [/\/function/, "Workspace Function"],
  [/\/mcp_server/, "Workspace MCP Server"],
  [/\/middleware/, "Workspace Middleware"],
  [/\/realtime/, "Workspace Realtime"],
  [/\/static_host/, "Workspace Static Host"],
  [/\/table\/trigger/, "Workspace Trigger"],
  [/\/table/, "Workspace Database"],
  [/\/task/, "Workspace Task"],
  [/\/trigger/, "Workspace Trigger"],
  [/\/tool/, "Workspace Tool"],
  [/\/workflow_test/, "Workspace Workflow Test"],
];
const CRUD = { read: "Read", create: "Create", update: "Update", destructive: "Delete", "runs-code": "Read" };

function permissionOf(path, kind, description) {
  const named = /Required API Scope:<\/b>\s*([^<\n]+)/.exec(description ?? "");
  if (named) return { permission: named[1].trim(), permissionSource: "xano" };
  const area = PERMISSION_AREAS.find(([re]) => re.test(path));
  if (!area) throw new Error(`no permission area for ${path}`);
  return area[1] ? { permission: `${area[1]}: ${CRUD[kind]}`, permissionSource: "inferred" } : { permission: null, permissionSource: "none" };
}

// --- Parameters ---------------------------------------------------------------------------------

const CONTENT_TYPES = { "application/json": "json", "multipart/form-data": "multipart", "text/x-xanoscript": "xanoscript" };

function typeOf(schema = {}) {
  if (schema.format === "binary") return "file";
  return schema.type ?? "json";
}

function param(name, location, schema = {}, required = false) {
  const row = { name, in: location, type: typeOf(schema) };
  // The header x-data-source is an argument like the others, under a name a model can type.
  if (location === "header") row.arg = name.replace(/^x-/, "").replace(/-/g, "_");
  if (required) row.required = true;
  if (schema.enum) row.enum = schema.enum;
  if (schema.default !== undefined && schema.default !== "" && !(Array.isArray(schema.default))) row.default = schema.default;
  if (schema.nullable) row.nullable = true;
  if (schema.type === "array" && schema.items) row.items = typeOf(schema.items);
  if (schema.type === "object" && schema.properties && Object.keys(schema.properties).length) {
    const required = new Set(schema.required ?? []);
    row.properties = Object.entries(schema.properties).map(([key, s]) => param(key, "body", s, required.has(key)));
    for (const p of row.properties) delete p.in;
  }
  return row;
}

function operationsOf(file) {
  const area = file.replace(/\.json$/, "");
  const document = JSON.parse(readFileSync(join(source, file), "utf8"));
  const rows = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [lower, op] of Object.entries(methods)) {
      const method = lower.toUpperCase();
      const parameters = (op.parameters ?? []).map((p) => param(p.name, p.in, p.schema, p.required === true));
      const content = op.requestBody?.content ?? {};
      const bodies = Object.keys(content).map((type) => {
        if (!CONTENT_TYPES[type]) throw new Error(`unknown content type ${type} on ${method} ${path}`);
        return CONTENT_TYPES[type];
      });
      const structured = content["application/json"]?.schema ?? content["multipart/form-data"]?.schema;
      if (structured) {
        const properties = Object.entries(structured.properties ?? {});
        const taken = new Set(parameters.map((p) => p.name));
        const required = new Set(structured.required ?? []);
        if (properties.length === 0 && method !== "DELETE") {
          // A free-form body (a record, a JSON document): one argument carries all of it.
          parameters.push({ name: "body", in: "body", type: structured.type === "object" ? "object" : "json", whole: true, ...(method === "POST" || method === "PUT" ? { required: true } : {}) });
        }
        for (const [name, schema] of properties) {
          // Sent in the query when the description allows both (a XanoScript body cannot carry it).
          if (!taken.has(name)) parameters.push(param(name, "body", schema, required.has(name)));
        }
      }
      const kind = kindOf(method, path);
      const has = (name) => parameters.some((p) => p.name === name);
      rows.push({
        id: idOf(method, path, parameters, op.responses?.["200"]?.content?.["application/json"]?.schema?.type === "array"),
        method,
        path,
        area,
        kind,
        ...permissionOf(path, kind, op.description),
        bodies,
        parameters,
        flags: ["include_xanoscript", "include_draft", "publish", "branch"].filter(has),
      });
    }
  }
  return rows;
}

const rows = readdirSync(source).filter((f) => f.endsWith(".json")).sort().flatMap(operationsOf);
rows.sort((a, b) => a.id.localeCompare(b.id));
const ids = new Set();
for (const row of rows) {
  if (ids.has(row.id)) throw new Error(`duplicate operation id ${row.id}`);
  ids.add(row.id);
}

const text =
  `/**\n` +
  ` * GENERATED by scripts/generate-operations.mjs from Xano's OpenAPI description of the Metadata API\n` +
  ` * (../shared/xano-meta-api/openapi, ${rows.length} operations). Do not edit by hand: change the rules in the\n` +
  ` * script and run it again (\`node scripts/generate-operations.mjs\`). The description is not part of a\n` +
  ` * person's clone, so this file is committed. Ids, kinds and "inferred" permissions are our decisions.\n` +
  ` */\n` +
  `import type { OperationRow } from "./operation-row";\n\n` +
  `export const OPERATION_ROWS: readonly OperationRow[] = [\n` +
  rows.map((row) => `  ${JSON.stringify(row)},\n`).join("") +
  `];\n`;

if (process.argv.includes("--check")) {
  const current = existsSync(target) ? readFileSync(target, "utf8") : "";
  if (current !== text) {
    console.error(`${target} is out of date: run node scripts/generate-operations.mjs`);
    process.exit(1);
  }
  console.log(`${target} is up to date (${rows.length} operations).`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${rows.length} operations to ${target}`);
}
