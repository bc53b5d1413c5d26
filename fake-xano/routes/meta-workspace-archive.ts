// Instance Meta API: the whole workspace at once, as Xano's description has it: the context
// (JSON or YAML), the full export and import, import-schema into a new branch (optionally set live)
// and the workspace-wide OpenAPI document. Decisions the description leaves open are in
// fake-xano/README.md. import-schema needs only the read scope, as the description's Required API Scope says.

import type { RequestContext } from "../context";
import { inputError, notFound } from "../errors";
import { LOGIC_KINDS, type LogicKind } from "../logic-kinds";
import { logicState, objectsOf, takeId, type LogicObject } from "../logic-store";
import type { RouteDef } from "../router";
import type { TableState } from "../store";
import { LIVE_BRANCH, branchesOf } from "./lookup";
import { META, audit, readBody, versionFromScript, workspaceOf } from "./meta-logic";
import { tableMeta } from "./meta-tables";
import { validateSchema } from "./schema-rules";
import { LABEL } from "./meta-workspace-settings";
import type { SeedWorkspace } from "../../fixtures/seed";

const W = `${META}/workspace/{workspace_id}`;
const EXPORT_FORMAT = "fake-xano workspace export";


function tablesOf(ctx: RequestContext, ws: SeedWorkspace): TableState[] {
  return [...ctx.core.store.tables.values()].filter((t) => t.workspaceId === ws.id);
}

export function logicOf(ctx: RequestContext, ws: SeedWorkspace, kind: LogicKind): LogicObject[] {
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
  const tables: any[] = Array.isArray(doc.tables) ? doc.tables : [];
  for (const t of tables) {
    const rowsOk = t?.rows === undefined || (Array.isArray(t.rows) && t.rows.every((r: any) => r && typeof r === "object" && Number.isInteger(r.id)));
    if (!t || typeof t !== "object" || typeof t.name !== "string" || !rowsOk) throw inputError("file holds a table this instance cannot read.", "file");
    validateSchema(t.schema);
  }
  for (const t of tablesOf(ctx, ws)) store.tables.delete(t.id);
  for (const t of tables) {
    const id = typeof t.id === "number" && !store.tables.has(t.id) ? t.id : store.nextTableId++;
    store.nextTableId = Math.max(store.nextTableId, id + 1);
    const rows = Array.isArray(t.rows) ? t.rows : [];
    const schema = validateSchema(t.schema);
    store.tables.set(id, {
      id, workspaceId: ws.id, name: String(t.name), description: String(t.description ?? ""), docs: String(t.docs ?? ""), auth: Boolean(t.auth),
      tag: Array.isArray(t.tag) ? t.tag.filter((x: unknown) => typeof x === "string") : [], guid: `guid-${id}`, created_at: now, updated_at: now, schema,
      rows: new Map(rows.map((r: any) => [r.id, r])), nextRowId: Math.max(0, ...rows.map((r: any) => Number(r.id) || 0)) + 1,
      indexes: Array.isArray(t.index) ? t.index.filter((i: any) => i && typeof i.id === "string" && Array.isArray(i.fields)) : [],
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
    surface: "instance", method: "POST", path: `${W}/import-schema`, auth: "meta:read",
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
];

export const workspaceArchiveRoutes: RouteDef[] = workspaceOpRoutes;
