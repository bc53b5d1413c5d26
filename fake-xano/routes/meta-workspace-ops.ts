// Instance Meta API: the workspace-level operations added for issue 13, as Xano's description
// has them: data sources (create/update/delete; the list moves here so it shows them), realtime
// settings, static hosting and its builds, the workspace context, full export and import,
// import-schema into a new branch (optionally set live), the workspace-wide and per-endpoint
// OpenAPI documents, API group / endpoint / table security and table autocomplete, XanoScript
// conversion, the MCP server documentation and the beta run operations.
// Decisions the description leaves open are in fake-xano/README.md ("Assumptions: issue 13").

import type { RequestContext } from "../context";
import { compileSearch } from "../content-search";
import { inputError, notFound } from "../errors";
import { LOGIC_KINDS, type LogicKind } from "../logic-kinds";
import { logicState, objectsOf, takeId, timestamptz, type LogicObject } from "../logic-store";
import { contentEnvelope, readPaging } from "../paging";
import type { RouteDef } from "../router";
import type { TableState } from "../store";
import { checkFragment, checkXanoScript, skeletonScript } from "../xanoscript";
import { LIVE_BRANCH, branchesOf } from "./lookup";
import { META, audit, logicRecord, queryBool, readBody, scriptError, securityGuid, versionFromScript, workspaceOf } from "./meta-logic";
import { tableMeta } from "./meta-tables";
import type { SeedWorkspace } from "../../fixtures/seed";

const W = `${META}/workspace/{workspace_id}`;
const EXPORT_FORMAT = "fake-xano workspace export";

// ---- data sources ----

const COLOR = /^#[0-9a-fA-F]{6}$/;
const LABEL = /^[A-Za-z0-9_-]{1,64}$/;

function dataSourcesOf(ctx: RequestContext, ws: SeedWorkspace) {
  return logicState(ctx.core.store).dataSources.filter((d) => d.workspaceId === ws.id);
}

function colorOf(body: Record<string, unknown>, fallback: string): string {
  const color = body.color ?? fallback;
  if (typeof color !== "string" || !COLOR.test(color)) throw inputError("color must be a #rrggbb colour.", "color");
  return color;
}

function dataSourceFor(ctx: RequestContext, ws: SeedWorkspace) {
  const found = dataSourcesOf(ctx, ws).find((d) => d.label === ctx.params.label);
  if (!found) throw notFound(`Data source "${ctx.params.label}" not found.`);
  return found;
}

const dataSourceRoutes: RouteDef[] = [
  {
    surface: "instance", method: "GET", path: `${W}/datasource`, auth: "meta:read",
    handle: (ctx) => dataSourcesOf(ctx, workspaceOf(ctx)).map(({ label, color }) => ({ label, color })),
  },
  {
    surface: "instance", method: "POST", path: `${W}/datasource`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const body = await ctx.body();
      if (typeof body.label !== "string" || !LABEL.test(body.label)) throw inputError("label is required: letters, digits, _ and -.", "label");
      if (dataSourcesOf(ctx, ws).some((d) => d.label.toLowerCase() === (body.label as string).toLowerCase())) {
        throw inputError(`A data source labelled "${body.label}" already exists.`, "label");
      }
      const source = { workspaceId: ws.id, label: body.label, color: colorOf(body, "#ebc346") };
      logicState(ctx.core.store).dataSources.push(source);
      audit(ctx, ws, "create", { type: "datasource", id: 0 }, source.label);
      return { color: source.color, label: source.label };
    },
  },
  {
    surface: "instance", method: "PUT", path: `${W}/datasource/{label}`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const source = dataSourceFor(ctx, ws);
      source.color = colorOf(await ctx.body(), source.color);
      audit(ctx, ws, "update", { type: "datasource", id: 0 }, source.label);
      return { color: source.color, label: source.label };
    },
  },
  {
    surface: "instance", method: "DELETE", path: `${W}/datasource/{label}`, auth: "meta:write",
    handle: (ctx) => {
      const ws = workspaceOf(ctx);
      const source = dataSourceFor(ctx, ws);
      if (source.label === "live") throw inputError('The "live" data source cannot be deleted.', "label");
      const state = logicState(ctx.core.store);
      state.dataSources = state.dataSources.filter((d) => d !== source);
      audit(ctx, ws, "delete", { type: "datasource", id: 0 }, source.label);
      return {};
    },
  },
];

// ---- realtime settings ----

function realtimeOf(ctx: RequestContext, ws: SeedWorkspace) {
  const state = logicState(ctx.core.store);
  let settings = state.realtime.get(ws.id);
  if (!settings) state.realtime.set(ws.id, (settings = { enabled: false, hash: `realtime-${ws.id}`, channels: [] }));
  return settings;
}

const realtimeRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: `${W}/realtime`, auth: "meta:read", handle: (ctx) => realtimeOf(ctx, workspaceOf(ctx)) },
  {
    surface: "instance", method: "PUT", path: `${W}/realtime`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const settings = realtimeOf(ctx, ws);
      const body = await ctx.body();
      if (body.enabled !== undefined && typeof body.enabled !== "boolean") throw inputError("enabled must be true or false.", "enabled");
      if (body.hash !== undefined && typeof body.hash !== "string") throw inputError("hash must be text.", "hash");
      if (body.channels !== undefined && (!Array.isArray(body.channels) || !body.channels.every((c) => c && typeof c === "object" && !Array.isArray(c)))) {
        throw inputError("channels must be a list of channel objects.", "channels");
      }
      if (typeof body.enabled === "boolean") settings.enabled = body.enabled;
      if (typeof body.hash === "string") settings.hash = body.hash;
      if (Array.isArray(body.channels)) settings.channels = body.channels as Array<Record<string, unknown>>;
      audit(ctx, ws, "update", { type: "realtime", id: ws.id }, "realtime");
      return settings;
    },
  },
];

// ---- static hosting ----

/** Static host lists page like content but without totals, as the description shows. */
function hostPage<T>(ctx: RequestContext, all: T[]) {
  const { itemsTotal: _total, pageTotal: _pages, ...page } = contentEnvelope(all, readPaging(ctx.query, 50));
  return page;
}

function hostFor(ctx: RequestContext, ws: SeedWorkspace) {
  const host = logicState(ctx.core.store).staticHosts.find((h) => h.workspaceId === ws.id && h.name === ctx.params.static_host);
  if (!host) throw notFound(`Static host "${ctx.params.static_host}" not found.`);
  return host;
}

function buildFor(ctx: RequestContext, ws: SeedWorkspace) {
  const host = hostFor(ctx, ws);
  const build = logicState(ctx.core.store).builds.get(Number(ctx.params.build_id));
  if (!build || build.workspaceId !== ws.id || build.host !== host.name) throw notFound(`Build ${ctx.params.build_id} not found.`);
  return { host, build };
}

function buildRecord(ctx: RequestContext, b: import("../logic-store").StaticBuild) {
  const user = ctx.core.store.users.find((u) => u.id === b.userId);
  return {
    id: b.id, created_at: timestamptz(b.created_at), updated_at: timestamptz(b.updated_at), name: b.name, description: b.description,
    canonical: `build-${b.id}`, file_count: b.file_count, file_bytes: b.file_bytes, original: b.original, type: "zip", status: "ok",
    log: [], static_host: b.host, user: user ? { id: user.id, name: user.name, email: user.email } : null,
  };
}

const H = `${W}/static_host`;
const staticHostRoutes: RouteDef[] = [
  {
    surface: "instance", method: "GET", path: H, auth: "meta:read",
    handle: (ctx) => {
      const ws = workspaceOf(ctx);
      const hosts = logicState(ctx.core.store).staticHosts.filter((h) => h.workspaceId === ws.id).map((h) => ({
        id: h.id, created_at: timestamptz(h.created_at), updated_at: timestamptz(h.created_at), name: h.name, description: h.description,
        workspace: { id: ws.id, name: ws.name }, dev: h.dev === null ? null : { build_id: h.dev }, prod: h.prod === null ? null : { build_id: h.prod }, git: null,
      }));
      return hostPage(ctx, hosts);
    },
  },
  {
    surface: "instance", method: "GET", path: `${H}/{static_host}/build`, auth: "meta:read",
    handle: (ctx) => {
      const ws = workspaceOf(ctx);
      const host = hostFor(ctx, ws);
      const builds = [...logicState(ctx.core.store).builds.values()].filter((b) => b.workspaceId === ws.id && b.host === host.name).sort((a, b) => b.id - a.id);
      return hostPage(ctx, builds.map((b) => buildRecord(ctx, b)));
    },
  },
  {
    surface: "instance", method: "POST", path: `${H}/{static_host}/build`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const host = hostFor(ctx, ws);
      const body = await readBody(ctx);
      const fields = "fields" in body ? body.fields : {};
      const file = fields.file;
      if (!(file instanceof File)) throw inputError("file is required (a multipart file, the site's .zip).", "file");
      if (typeof fields.name !== "string" || fields.name.trim() === "") throw inputError("name is required.", "name");
      const state = logicState(ctx.core.store);
      const now = ctx.core.now();
      const build = {
        id: state.nextBuildId++, workspaceId: ws.id, host: host.name, name: fields.name, description: typeof fields.description === "string" ? fields.description : "",
        created_at: now, updated_at: now, file_count: 1, file_bytes: file.size, original: file.name, userId: ctx.principal!.userId,
      };
      state.builds.set(build.id, build);
      audit(ctx, ws, "create", { type: "static_host_build", id: build.id }, build.name);
      return buildRecord(ctx, build);
    },
  },
  { surface: "instance", method: "GET", path: `${H}/{static_host}/build/{build_id}`, auth: "meta:read", handle: (ctx) => buildRecord(ctx, buildFor(ctx, workspaceOf(ctx)).build) },
  {
    surface: "instance", method: "DELETE", path: `${H}/{static_host}/build/{build_id}`, auth: "meta:write",
    handle: (ctx) => {
      const ws = workspaceOf(ctx);
      const { host, build } = buildFor(ctx, ws);
      logicState(ctx.core.store).builds.delete(build.id);
      if (host.dev === build.id) host.dev = null;
      if (host.prod === build.id) host.prod = null;
      audit(ctx, ws, "delete", { type: "static_host_build", id: build.id }, build.name);
      return {};
    },
  },
  {
    surface: "instance", method: "POST", path: `${H}/{static_host}/build/{build_id}/env`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const { host, build } = buildFor(ctx, ws);
      const body = await ctx.body();
      if (body.env !== "prod" && body.env !== "dev") throw inputError('env must be "prod" or "dev".', "env");
      host[body.env] = build.id;
      audit(ctx, ws, "deploy", { type: "static_host_build", id: build.id }, build.name, { env: body.env });
      return { static_host: host.name, env: body.env, build_id: build.id };
    },
  },
];

// ---- context, export, import, import-schema, OpenAPI ----

function tablesOf(ctx: RequestContext, ws: SeedWorkspace): TableState[] {
  return [...ctx.core.store.tables.values()].filter((t) => t.workspaceId === ws.id);
}

function logicOf(ctx: RequestContext, ws: SeedWorkspace, kind: LogicKind): LogicObject[] {
  return [...objectsOf(logicState(ctx.core.store), kind.kind).values()].filter((o) => o.workspaceId === ws.id).sort((a, b) => a.id - b.id);
}

const CONTEXT_SECTIONS = ["tables", "apis", ...LOGIC_KINDS.map((k) => k.kind)] as const;

function contextOf(ctx: RequestContext, ws: SeedWorkspace, include: Set<string>) {
  const doc: Record<string, unknown> = { workspace: { id: ws.id, name: ws.name, description: ws.description, branch: ctx.query.get("branch") || LIVE_BRANCH } };
  if (include.has("tables")) {
    doc.tables = tablesOf(ctx, ws).map((t) => ({ id: t.id, name: t.name, description: t.description, fields: t.schema.map((f) => ({ name: f.name, type: f.type })) }));
  }
  if (include.has("apis")) {
    doc.apis = [...ctx.core.store.assets.apiGroups.values()].filter((g) => g.workspaceId === ws.id).map((g) => ({
      id: g.id, name: g.name, canonical: g.canonical,
      endpoints: [...ctx.core.store.assets.apis.values()].filter((a) => a.apigroupId === g.id).map((a) => ({ id: a.id, verb: a.verb, name: a.name })),
    }));
  }
  for (const kind of LOGIC_KINDS) {
    if (include.has(kind.kind)) doc[kind.kind] = logicOf(ctx, ws, kind).map((o) => ({ id: o.id, name: o.published.name, description: o.published.description }));
  }
  return doc;
}

/** A small YAML writer for the context (plain scalars quoted as JSON strings, which YAML accepts). */
function toYaml(value: unknown, indent = ""): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return value.map((v) => `\n${indent}- ${toYaml(v, `${indent}  `).replace(/^\n\s*/, "")}`).join("");
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    return entries.map(([k, v]) => `\n${indent}${k}: ${toYaml(v, `${indent}  `)}`.replace(/: \n/, ":\n")).join("");
  }
  return JSON.stringify(value ?? null);
}

function exportDocument(ctx: RequestContext, ws: SeedWorkspace, branch: string) {
  return {
    format: EXPORT_FORMAT, workspace: { id: ws.id, name: ws.name, description: ws.description }, branch,
    tables: tablesOf(ctx, ws).map((t) => ({ ...tableMeta(t), schema: t.schema, index: t.indexes, rows: [...t.rows.values()] })),
    logic: LOGIC_KINDS.flatMap((k) => logicOf(ctx, ws, k).map((o) => ({ kind: k.kind, xanoscript: o.published.script }))),
  };
}

function binary(document: unknown, filename: string): Response {
  return new Response(new TextEncoder().encode(JSON.stringify(document)), {
    headers: { "content-type": "application/octet-stream", "content-disposition": `attachment; filename="${filename}"` },
  });
}

async function archiveFrom(fields: Record<string, unknown>, formats: string[]): Promise<Record<string, any>> {
  const file = fields.file;
  if (!(file instanceof File)) throw inputError("file is required (a multipart file).", "file");
  if (fields.password !== undefined && typeof fields.password !== "string" && typeof fields.password !== "number") throw inputError("password must be text.", "password");
  let doc: any;
  try {
    doc = JSON.parse(await file.text());
  } catch {
    throw inputError("file is not an archive this instance can read.", "file");
  }
  if (!doc || !formats.includes(doc.format)) throw inputError("file is not an archive this instance can read.", "file");
  return doc;
}

function branchLabel(ctx: RequestContext, ws: SeedWorkspace, requested: unknown): string {
  if (requested !== undefined && requested !== null && typeof requested !== "string") throw inputError("branch must be text.", "branch");
  const branches = branchesOf(ctx, ws);
  const label = (requested as string | undefined) || branches.find((b) => b.live)?.label || LIVE_BRANCH;
  if (!branches.some((b) => b.label === label)) throw notFound(`Branch "${label}" not found.`);
  return label;
}

/** Replaces the workspace's tables and XanoScript objects with the archive's (ids of the archive where free). */
function importInto(ctx: RequestContext, ws: SeedWorkspace, doc: Record<string, any>) {
  const store = ctx.core.store;
  const state = logicState(store);
  const now = ctx.core.now();
  const logic: Array<{ kind: LogicKind; version: ReturnType<typeof versionFromScript> }> = [];
  for (const item of Array.isArray(doc.logic) ? doc.logic : []) {
    const kind = LOGIC_KINDS.find((k) => k.kind === item?.kind);
    if (!kind || typeof item.xanoscript !== "string") throw inputError("file holds an object this instance cannot read.", "file");
    logic.push({ kind, version: versionFromScript(kind, item.xanoscript, now) });
  }
  for (const t of tablesOf(ctx, ws)) store.tables.delete(t.id);
  for (const t of Array.isArray(doc.tables) ? doc.tables : []) {
    const id = typeof t.id === "number" && !store.tables.has(t.id) ? t.id : store.nextTableId++;
    store.nextTableId = Math.max(store.nextTableId, id + 1);
    const rows = Array.isArray(t.rows) ? t.rows : [];
    store.tables.set(id, {
      id, workspaceId: ws.id, name: String(t.name), description: String(t.description ?? ""), docs: String(t.docs ?? ""), auth: Boolean(t.auth),
      tag: Array.isArray(t.tag) ? t.tag : [], guid: `guid-${id}`, created_at: now, updated_at: now, schema: Array.isArray(t.schema) ? t.schema : [],
      rows: new Map(rows.map((r: any) => [r.id, r])), nextRowId: Math.max(0, ...rows.map((r: any) => Number(r.id) || 0)) + 1,
      indexes: Array.isArray(t.index) ? t.index : [],
    });
  }
  for (const kind of LOGIC_KINDS) for (const o of logicOf(ctx, ws, kind)) objectsOf(state, kind.kind).delete(o.id);
  for (const { kind, version } of logic) {
    const id = takeId(state, kind.kind);
    objectsOf(state, kind.kind).set(id, {
      kind: kind.kind, id, workspaceId: ws.id, branch: LIVE_BRANCH, guid: `${kind.kind}-guid-${id}`, created_at: now, published: version, securityGuid: "",
    });
  }
}

function openapiPaths(ctx: RequestContext, apis: Array<{ id: number; name: string; verb: string; description: string; docs: string; apigroupId: number }>) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const api of apis) {
    const group = ctx.core.store.assets.apiGroups.get(api.apigroupId);
    const path = `/api:${group?.canonical ?? api.apigroupId}/${api.name.replace(/^\//, "")}`;
    paths[path] ??= {};
    paths[path][api.verb.toLowerCase()] = { summary: api.description, description: api.docs, operationId: `${api.verb.toLowerCase()}_${api.id}`, responses: { 200: { description: "Success!" } } };
  }
  return paths;
}

const workspaceOpRoutes: RouteDef[] = [
  {
    surface: "instance", method: "GET", path: `${W}/context`, auth: "meta:read",
    handle: (ctx) => {
      const ws = workspaceOf(ctx);
      const format = ctx.query.get("format") || "yaml";
      if (format !== "json" && format !== "yaml") throw inputError('format must be "json" or "yaml".', "format");
      const raw = (ctx.query.get("include") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      for (const s of raw) if (!(CONTEXT_SECTIONS as readonly string[]).includes(s)) throw inputError(`include takes ${CONTEXT_SECTIONS.join(", ")}.`, "include");
      const doc = contextOf(ctx, ws, new Set(raw.length ? raw : CONTEXT_SECTIONS));
      if (format === "json") return doc;
      return new Response(`${toYaml(doc).replace(/^\n/, "")}\n`, { headers: { "content-type": "text/yaml; charset=utf-8" } });
    },
  },
  {
    surface: "instance", method: "POST", path: `${W}/export`, auth: "meta:read",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const body = await ctx.body();
      if (body.password !== undefined && typeof body.password !== "string") throw inputError("password must be text.", "password");
      const label = branchLabel(ctx, ws, body.branch);
      return binary(exportDocument(ctx, ws, label), `workspace-${ws.id}-${label}.xano`);
    },
  },
  {
    surface: "instance", method: "POST", path: `${W}/import`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const body = await readBody(ctx);
      const doc = await archiveFrom("fields" in body ? body.fields : {}, [EXPORT_FORMAT]);
      importInto(ctx, ws, doc);
      audit(ctx, ws, "import", { type: "workspace", id: ws.id }, ws.name);
      const live = branchesOf(ctx, ws).find((b) => b.live);
      return {
        id: ws.id, name: ws.name, description: ws.description, swagger: true, documentation: { require_token: false, token: "", whitelist: {} },
        branch: { id: 1, label: live?.label ?? LIVE_BRANCH, description: "", backup: false, color: "#ebc346", guid: `branch-guid-${ws.id}` },
      };
    },
  },
  {
    surface: "instance", method: "POST", path: `${W}/import-schema`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const body = await readBody(ctx);
      const fields = "fields" in body ? body.fields : {};
      const label = fields.newbranch;
      if (typeof label !== "string" || !LABEL.test(label)) throw inputError("newbranch is required: letters, digits, _ and -.", "newbranch");
      const branches = branchesOf(ctx, ws);
      if (branches.some((b) => b.label === label)) throw inputError(`Branch "${label}" already exists.`, "newbranch");
      const setlive = fields.setlive === true || fields.setlive === "true";
      await archiveFrom(fields, ["fake-xano schema export", EXPORT_FORMAT]);
      const branch = { label, backup: false, live: setlive, created_at: ctx.core.now() };
      ctx.core.store.branches.set(ws.id, [...branches.map((b) => (setlive ? { ...b, live: false } : b)), branch]);
      audit(ctx, ws, setlive ? "import_live" : "import", { type: "branch", id: 0 }, label);
      return branch;
    },
  },
  {
    surface: "instance", method: "GET", path: `${W}/openapi`, auth: "meta:read",
    handle: (ctx) => {
      const ws = workspaceOf(ctx);
      const groups = new Set([...ctx.core.store.assets.apiGroups.values()].filter((g) => g.workspaceId === ws.id).map((g) => g.id));
      const apis = [...ctx.core.store.assets.apis.values()].filter((a) => groups.has(a.apigroupId)).sort((a, b) => a.id - b.id);
      return { openapi: "3.0.0", info: { title: ws.name, description: ws.description, version: "0.0.1" }, servers: [{ url: ctx.url.origin }], paths: openapiPaths(ctx, apis) };
    },
  },
];

// ---- API group, endpoint and table extras ----

function groupFor(ctx: RequestContext, ws: SeedWorkspace) {
  const group = ctx.core.store.assets.apiGroups.get(Number(ctx.params.apigroup_id));
  if (!group || group.workspaceId !== ws.id) throw notFound(`API group ${ctx.params.apigroup_id} not found.`);
  return group;
}

function apiFor(ctx: RequestContext, ws: SeedWorkspace) {
  const group = groupFor(ctx, ws);
  const api = ctx.core.store.assets.apis.get(Number(ctx.params.api_id));
  if (!api || api.apigroupId !== group.id) throw notFound(`API ${ctx.params.api_id} not found in API group ${group.id}.`);
  return { group, api };
}

/** Security GUIDs of objects the older route files own (API groups, endpoints, tables), by "kind:id". */
const foreignSecurity = new WeakMap<object, Map<string, string>>();
function securityMap(ctx: RequestContext) {
  let map = foreignSecurity.get(ctx.core.store);
  if (!map) foreignSecurity.set(ctx.core.store, (map = new Map()));
  return map;
}

function tableFor(ctx: RequestContext, ws: SeedWorkspace): TableState {
  const table = ctx.core.store.tables.get(Number(ctx.params.table_id));
  if (!table || table.workspaceId !== ws.id) throw notFound("Table not found.");
  return table;
}

const autocomplete = new WeakMap<object, Map<number, Array<{ name: string }>>>();

const extraRoutes: RouteDef[] = [
  {
    surface: "instance", method: "GET", path: `${W}/apigroup/{apigroup_id}/api/{api_id}/openapi`, auth: "meta:read",
    handle: (ctx) => {
      const { group, api } = apiFor(ctx, workspaceOf(ctx));
      return { openapi: "3.0.0", info: { title: `${group.name}: ${api.verb} ${api.name}`, version: "0.0.1" }, servers: [{ url: ctx.url.origin }], paths: openapiPaths(ctx, [api]) };
    },
  },
  {
    surface: "instance", method: "PUT", path: `${W}/apigroup/{apigroup_id}/api/{api_id}/security`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const { api } = apiFor(ctx, ws);
      const { guid } = await securityGuid(ctx, ws);
      securityMap(ctx).set(`api:${api.id}`, guid);
      audit(ctx, ws, "security", { type: "api", id: api.id }, api.name, { guid });
      return { id: api.id, name: api.name, verb: api.verb, guid: api.guid, apigroup_id: api.apigroupId, security: { guid } };
    },
  },
  {
    surface: "instance", method: "PUT", path: `${W}/apigroup/{apigroup_id}/security`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const group = groupFor(ctx, ws);
      const { guid, fields } = await securityGuid(ctx, ws);
      const canonical = fields.canonical;
      if (typeof canonical !== "string" || !/^[A-Za-z0-9_-]+$/.test(canonical)) throw inputError("canonical is required: letters, digits, _ and -.", "canonical");
      const clash = [...ctx.core.store.assets.apiGroups.values()].some((g) => g.id !== group.id && g.canonical === canonical);
      if (clash) throw inputError(`Another API group already uses the canonical "${canonical}".`, "canonical");
      group.canonical = canonical;
      securityMap(ctx).set(`apigroup:${group.id}`, guid);
      audit(ctx, ws, "security", { type: "apigroup", id: group.id }, group.name, { guid, canonical });
      return {
        id: group.id, created_at: timestamptz(group.created_at), updated_at: timestamptz(group.updated_at), name: group.name, description: group.description,
        docs: group.docs, guid: group.guid, canonical: group.canonical, swagger: group.swagger, documentation: { link: `${ctx.url.origin}/api:${group.canonical}` },
        branch: LIVE_BRANCH, tag: group.tag, security: { guid },
      };
    },
  },
  {
    surface: "instance", method: "PUT", path: `${W}/table/{table_id}/security`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const table = tableFor(ctx, ws);
      const { guid } = await securityGuid(ctx, ws);
      securityMap(ctx).set(`table:${table.id}`, guid);
      audit(ctx, ws, "security", { type: "table", id: table.id }, table.name, { guid });
      return { ...tableMeta(table), security: { guid } };
    },
  },
  {
    surface: "instance", method: "PUT", path: `${W}/table/{table_id}/autocomplete`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const table = tableFor(ctx, ws);
      const body = await ctx.body();
      const list = body.autocomplete;
      if (!Array.isArray(list) || !list.every((a) => a && typeof a === "object" && typeof (a as any).name === "string")) {
        throw inputError("autocomplete must be a list of {name} naming fields.", "autocomplete");
      }
      for (const a of list as Array<{ name: string }>) {
        if (!table.schema.some((f) => f.name === a.name)) throw inputError(`Field "${a.name}" does not exist.`, "autocomplete");
      }
      let map = autocomplete.get(ctx.core.store);
      if (!map) autocomplete.set(ctx.core.store, (map = new Map()));
      map.set(table.id, list.map((a: any) => ({ name: a.name })));
      return { id: table.id, autocomplete: map.get(table.id) };
    },
  },
  {
    surface: "instance", method: "POST", path: `${W}/table/{table_id}/content/search/delete`, auth: "meta:write",
    handle: async (ctx) => {
      const table = tableFor(ctx, workspaceOf(ctx));
      const body = await ctx.body();
      // Deleting everything needs an explicit condition: an absent or empty search is refused.
      const search = body.search;
      if (search === undefined || search === null || (Array.isArray(search) && search.length === 0) || (typeof search === "object" && Object.keys(search as object).length === 0)) {
        throw inputError("search is required: the condition of the rows to delete.", "search");
      }
      const match = compileSearch(table, search);
      const ids = [...table.rows.values()].filter((r) => match(r)).map((r) => r.id as number);
      for (const id of ids) table.rows.delete(id);
      return { success: ids, success_total: ids.length };
    },
  },
];

// ---- conversion, MCP server documentation, beta runs ----

const CONVERTIBLE = [...new Set([...LOGIC_KINDS.map((k) => k.keyword), "query", "api_group", "table", "workspace"])];

function scriptBody(body: Awaited<ReturnType<typeof readBody>>, param = "xanoscript"): string {
  if ("script" in body) return body.script;
  const doc = body.fields.doc ?? body.fields.xanoscript;
  if (typeof doc !== "string") throw inputError(`${param} is required (XanoScript text).`, param);
  return doc;
}

/** `response = <literal>` of a script, the only thing the fake "runs". */
function literalResponse(script: string): unknown {
  const check = checkXanoScript(script, []);
  return check.ok ? check.doc.settings.response ?? null : null;
}

function multiDoc(text: string, firstKeywords: string[]) {
  const docs = text.split(/^---\s*$/m);
  let offset = 0;
  const parsed = docs.map((doc, i) => {
    const check = checkXanoScript(doc, i === 0 ? firstKeywords : []);
    if (!check.ok) throw scriptError({ ...check.error, line: check.error.line + offset });
    offset += doc.split("\n").length - 1;
    return check.doc;
  });
  return parsed;
}

function inputObject(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw inputError("input is required: an object of the inputs.", "input");
  return value as Record<string, unknown>;
}

const MCP_DOC_TYPES = ["start", ...CONVERTIBLE];

const runAndConvertRoutes: RouteDef[] = [
  {
    surface: "instance", method: "POST", path: `${W}/convert/fromXS`, auth: "meta:read",
    handle: async (ctx) => {
      workspaceOf(ctx);
      const script = scriptBody(await readBody(ctx));
      const check = checkFragment(script);
      if (!check.ok) throw scriptError(check.error);
      return { statements: check.statements, xanoscript: script };
    },
  },
  {
    surface: "instance", method: "POST", path: `${W}/convert/toXS`, auth: "meta:read",
    handle: async (ctx) => {
      workspaceOf(ctx);
      const kind = ctx.query.get("kind");
      if (!kind) throw inputError("kind is required.", "kind");
      if (!CONVERTIBLE.includes(kind)) throw inputError(`kind must be one of ${CONVERTIBLE.join(", ")}.`, "kind");
      const raw = new TextDecoder().decode(await ctx.request.arrayBuffer());
      let value: any;
      try {
        value = JSON.parse(raw);
        if (typeof value === "string") value = JSON.parse(value);
      } catch {
        throw inputError("The body must be JSON: the object to convert.", "body");
      }
      if (!value || typeof value !== "object") throw inputError("The body must be a JSON object.", "body");
      if (typeof value.xanoscript === "string") {
        const check = checkXanoScript(value.xanoscript, [kind]);
        if (!check.ok) throw scriptError(check.error);
        return { xanoscript: value.xanoscript };
      }
      if (typeof value.name !== "string" || value.name === "") throw inputError("name is required.", "name");
      return { xanoscript: skeletonScript(kind, value.name, typeof value.description === "string" ? value.description : "") };
    },
  },
  {
    surface: "instance", method: "GET", path: `${META}/mcp_server/documentation`, auth: "meta:read",
    handle: (ctx) => {
      const type = ctx.query.get("type") || "start";
      if (!MCP_DOC_TYPES.includes(type)) throw inputError(`type must be one of ${MCP_DOC_TYPES.join(", ")}.`, "type");
      const body = type === "start"
        ? `XanoScript objects: ${CONVERTIBLE.join(", ")}. Each script is one object: \`<keyword> <name> { … }\`.`
        : `A ${type} is written \`${type} <name> { … }\`; send it as text/x-xanoscript.`;
      return { type, documentation: body };
    },
  },
  {
    surface: "instance", method: "POST", path: `${META}/beta/workspace/{workspace_id}/function/run`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const body = await ctx.body();
      if (typeof body.name !== "string" || body.name === "") throw inputError("name is required.", "name");
      const input = inputObject(body.input);
      const state = logicState(ctx.core.store);
      const fn = [...objectsOf(state, "function").values()].find((f) => f.workspaceId === ws.id && f.published.name === body.name);
      if (!fn) throw notFound(`Function "${body.name}" not found.`);
      const response = literalResponse(fn.published.script);
      state.runs.push({
        id: state.nextRunId++, kind: "function", workspaceId: ws.id, branch: typeof body.branch === "string" && body.branch ? body.branch : LIVE_BRANCH,
        created_at: ctx.core.now(), duration: 0.001, input, output: response, refs: { function_id: fn.id },
      });
      audit(ctx, ws, "run", { type: "function", id: fn.id }, fn.published.name);
      return { response, function: logicRecord(LOGIC_KINDS[0], fn, fn.published, false) };
    },
  },
  {
    surface: "instance", method: "POST", path: `${META}/beta/workspace/{workspace_id}/anonymous/run`, auth: "meta:write",
    handle: async (ctx) => {
      const ws = workspaceOf(ctx);
      const body = await ctx.body();
      if (typeof body.xanoscript !== "string") throw inputError("xanoscript is required.", "xanoscript");
      inputObject(body.input);
      const check = checkXanoScript(body.xanoscript, []);
      if (!check.ok) throw scriptError(check.error);
      audit(ctx, ws, "run", { type: "anonymous", id: 0 }, check.doc.name);
      return { response: check.doc.settings.response ?? null };
    },
  },
  {
    surface: "instance", method: "GET", path: `${META}/beta/workspace/{workspace_id}/multidoc`, auth: "meta:read",
    handle: (ctx) => {
      const ws = workspaceOf(ctx);
      queryBool(ctx, "env", false);
      queryBool(ctx, "records", false);
      const scripts = LOGIC_KINDS.flatMap((k) => logicOf(ctx, ws, k).map((o) => o.published.script.trimEnd()));
      return { multidoc: [`workspace ${JSON.stringify(ws.name)} {\n}`, ...scripts].join("\n---\n") };
    },
  },
  {
    surface: "instance", method: "POST", path: `${META}/beta/ephemeral/job`, auth: "meta:write",
    handle: async (ctx) => {
      const docs = multiDoc(scriptBody(await readBody(ctx), "doc"), ["run.job"]);
      return { job: docs[0].name, documents: docs.length, response: null };
    },
  },
  {
    surface: "instance", method: "POST", path: `${META}/beta/ephemeral/service`, auth: "meta:write",
    handle: async (ctx) => {
      const docs = multiDoc(scriptBody(await readBody(ctx), "doc"), ["workspace", "run.service"]);
      return { service: docs[0].name, documents: docs.length };
    },
  },
  { surface: "instance", method: "POST", path: `${META}/beta/ephemeral/cleanup`, auth: "meta:write", handle: () => ({}) },
];

export const workspaceOpsRoutes: RouteDef[] = [
  ...dataSourceRoutes, ...realtimeRoutes, ...staticHostRoutes, ...workspaceOpRoutes, ...extraRoutes, ...runAndConvertRoutes,
];
