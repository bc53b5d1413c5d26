// The generic engine behind every XanoScript object kind (logic-kinds.ts): for each row of the
// kind table, list / create / get / update / delete and, where Xano has it, `…/security`.
// - Bodies: `text/x-xanoscript` (checked by xanoscript.ts against the kind's keyword, stored
//   verbatim, name and settings derived from it), or JSON / multipart fields for the kinds whose
//   description takes them. A malformed script is a 400 naming the line and column.
// - Drafts: kinds with drafts keep a published version and at most one draft. `PUT ?publish=false`
//   saves a draft; reads show the published version unless `include_draft=true`.
// - `include_xanoscript=true` adds `xanoscript: {status, value, message}`.
// - Lists: `page, per_page, search (name), sort, order` with the description's defaults (created_at, desc).
// Every write lands in the workspace audit log.

import { principalOf, type RequestContext } from "../context";
import { compare } from "../content-search";
import { XanoError, inputError, notFound } from "../errors";
import { LOGIC_KINDS, type LogicKind, type LogicVersion } from "../logic-kinds";
import { logicState, objectsOf, takeId, timestamptz, type LogicObject, type LogicState } from "../logic-store";
import { listEnvelope, readPaging } from "../paging";
import type { RouteDef } from "../router";
import { checkXanoScript, skeletonScript, type ScriptError } from "../xanoscript";
import { LIVE_BRANCH, branchesOf, workspaceFor } from "./lookup";
import type { SeedWorkspace } from "../../fixtures/seed";

export const META = "/api:meta";

/** The caller's workspace from `{workspace_id}` (404 for another user's), `?branch=` checked. */
export function workspaceOf(ctx: RequestContext): SeedWorkspace {
  // lookup.ts reads the legacy `{w}` parameter name; the new routes use the description's names.
  ctx.params.w ??= ctx.params.workspace_id;
  return workspaceFor(ctx);
}

/** A boolean query parameter ("true"/"false"/"1"/"0"); anything else is a 400 naming it. */
export function queryBool(ctx: RequestContext, name: string, fallback: boolean): boolean {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw inputError(`${name} must be true or false.`, name);
}

export function scriptError(e: ScriptError): XanoError {
  return new XanoError(400, "ERROR_CODE_INPUT_ERROR", `XanoScript error on line ${e.line}, column ${e.column}: ${e.message}.`, {
    param: "xanoscript", line: e.line, column: e.column,
  });
}

export type Body = { script: string } | { fields: Record<string, unknown> };

/** Reads a XanoScript, JSON, multipart or url-encoded body. Multipart values that look like JSON are parsed. */
export async function readBody(ctx: RequestContext): Promise<Body> {
  const type = (ctx.request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type === "text/x-xanoscript") return { script: new TextDecoder().decode(await ctx.request.arrayBuffer()) };
  if (type === "multipart/form-data" || type === "application/x-www-form-urlencoded") {
    let form: FormData;
    try {
      form = await ctx.request.formData();
    } catch {
      throw inputError("The form body could not be read.", "body");
    }
    const fields: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) {
      if (typeof value !== "string") { fields[key] = value; continue; }
      let parsed: unknown = value;
      try { parsed = JSON.parse(value); } catch { /* plain text */ }
      fields[key] = parsed;
    }
    return { fields };
  }
  return { fields: await ctx.body() };
}

function requireScriptKind(kind: LogicKind): never {
  throw inputError(`A ${kind.keyword} is defined in XanoScript: send it with Content-Type: text/x-xanoscript.`, "xanoscript");
}

function stringField(fields: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = fields[name];
  if (v === undefined || v === null) {
    if (required) throw inputError(`${name} is required.`, name);
    return undefined;
  }
  if (typeof v !== "string") throw inputError(`${name} must be text.`, name);
  return v;
}

function tagField(fields: Record<string, unknown>): string[] | undefined {
  const v = fields.tag;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((t) => typeof t === "string")) throw inputError("tag must be a list of text tags.", "tag");
  return v;
}

function boolField(fields: Record<string, unknown>, name: string, required: boolean): boolean | undefined {
  const v = fields[name];
  if (v === undefined || v === null) {
    if (required) throw inputError(`${name} is required.`, name);
    return undefined;
  }
  if (typeof v !== "boolean") throw inputError(`${name} must be true or false.`, name);
  return v;
}

/** A version from a script: the name and literal settings come from the script itself. */
export function versionFromScript(kind: LogicKind, script: string, now: number): LogicVersion {
  const check = checkXanoScript(script, [kind.keyword]);
  if (!check.ok) throw scriptError(check.error);
  const { name, settings } = check.doc;
  const tags = settings.tags ?? settings.tag;
  return {
    name,
    description: typeof settings.description === "string" ? settings.description : "",
    docs: typeof settings.docs === "string" ? settings.docs : "",
    tag: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [],
    script, settings, json: {}, updated_at: now,
  };
}

/** Renames the object in its script's header (`function old {` → `function new {`). */
function renameInScript(script: string, keyword: string, name: string): string {
  const quoted = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
  return script.replace(new RegExp(`^(\\s*(?://[^\\n]*\\n\\s*)*${keyword}\\s+)("(?:[^"\\\\\\n]|\\\\.)*"|'(?:[^'\\\\\\n]|\\\\.)*'|[^\\s{]+)`), `$1${quoted}`);
}

/** A version from JSON fields, over `base` for an update; the script keeps up with the name. */
function versionFromFields(kind: LogicKind, fields: Record<string, unknown>, base: LogicVersion | undefined, now: number): LogicVersion {
  const required = kind.jsonRequired ?? [];
  const name = stringField(fields, "name", required.includes("name"));
  if (name !== undefined && name.trim() === "") throw inputError("name cannot be empty.", "name");
  const description = stringField(fields, "description", required.includes("description"));
  const json: Record<string, unknown> = { ...(base?.json ?? {}) };
  const datasource = stringField(fields, "datasource", required.includes("datasource"));
  if (datasource !== undefined) json.datasource = datasource;
  const active = boolField(fields, "active", required.includes("active"));
  if (active !== undefined) json.active = active;
  if (fields.cache !== undefined) {
    if (!fields.cache || typeof fields.cache !== "object" || Array.isArray(fields.cache)) throw inputError("cache must be an object.", "cache");
    json.cache = fields.cache;
  }
  const finalName = name ?? base?.name ?? "";
  const finalDescription = description ?? base?.description ?? "";
  const script = base ? renameInScript(base.script, kind.keyword, finalName) : skeletonScript(kind.keyword, finalName, finalDescription);
  const check = checkXanoScript(script, [kind.keyword]);
  return {
    name: finalName,
    description: finalDescription,
    docs: stringField(fields, "docs", false) ?? base?.docs ?? "",
    tag: tagField(fields) ?? base?.tag ?? [],
    script,
    settings: check.ok ? check.doc.settings : base?.settings ?? {},
    json,
    updated_at: now,
  };
}

export function logicRecord(kind: LogicKind, obj: LogicObject, version: LogicVersion, includeScript: boolean): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: obj.id, created_at: timestamptz(obj.created_at), updated_at: timestamptz(version.updated_at), name: version.name,
    description: version.description, docs: version.docs, guid: obj.guid, branch: obj.branch, tag: version.tag,
    ...(kind.derive?.(version) ?? {}),
  };
  const out: Record<string, unknown> = {};
  for (const f of kind.fields) out[f] = all[f];
  if (kind.security) out.security = { guid: obj.securityGuid };
  if (includeScript) out.xanoscript = { status: "ok", value: version.script, message: "" };
  return out;
}

function objectFor(ctx: RequestContext, kind: LogicKind): { ws: SeedWorkspace; state: LogicState; obj: LogicObject } {
  const ws = workspaceOf(ctx);
  const state = logicState(ctx.core.store);
  const obj = objectsOf(state, kind.kind).get(Number(ctx.params[kind.idParam]));
  if (!obj || obj.workspaceId !== ws.id) throw notFound(`${kind.keyword} ${ctx.params[kind.idParam]} not found.`);
  return { ws, state, obj };
}

function visibleVersion(kind: LogicKind, obj: LogicObject, includeDraft: boolean): LogicVersion {
  return kind.drafts && includeDraft && obj.draft ? obj.draft : obj.published;
}

function checkName(state: LogicState, kind: LogicKind, ws: SeedWorkspace, name: string, self?: number) {
  for (const other of objectsOf(state, kind.kind).values()) {
    if (other.workspaceId === ws.id && other.id !== self && other.published.name.toLowerCase() === name.toLowerCase()) {
      throw inputError(`A ${kind.keyword} named "${name}" already exists.`, "name");
    }
  }
}

/** The line a top-level setting is written on, for errors about its value. */
function lineOf(script: string, setting: string): number {
  const index = script.split("\n").findIndex((l) => new RegExp(`^\\s*${setting}\\s*=`).test(l));
  return index < 0 ? 1 : index + 1;
}

/**
 * Every `function.run "<name>"` in a script must name a function of the workspace (or the
 * function itself), else a 400 naming the line: a model learns of the typo when it writes the call.
 */
export function checkFunctionCalls(state: LogicState, ws: SeedWorkspace, script: string, self?: string) {
  const known = new Set([...objectsOf(state, "function").values()].filter((f) => f.workspaceId === ws.id).map((f) => f.published.name.toLowerCase()));
  if (self) known.add(self.toLowerCase());
  script.split("\n").forEach((line, i) => {
    const code = line.replace(/^\s*\/\/.*$/, "");
    for (const m of code.matchAll(/\bfunction\.run\s+(?:"([^"]*)"|'([^']*)'|([A-Za-z_][\w/]*))/g)) {
      const name = m[1] ?? m[2] ?? m[3];
      if (!known.has(name.toLowerCase())) {
        throw scriptError({ line: i + 1, column: (m.index ?? 0) + 1, message: `function.run names "${name}", which is not a function of this workspace` });
      }
    }
  });
}

function checkReferences(ctx: RequestContext, state: LogicState, kind: LogicKind, ws: SeedWorkspace, v: LogicVersion) {
  checkFunctionCalls(state, ws, v.script, kind.kind === "function" ? v.name : undefined);
  for (const ref of kind.references ?? []) {
    const target = v.settings[ref.setting];
    if (typeof target !== "string" || target === "") {
      throw scriptError({ line: 1, column: 1, message: `${kind.keyword} ${v.name} needs ${ref.setting} = "<name>"` });
    }
    const exists = ref.target === "table"
      ? [...ctx.core.store.tables.values()].some((t) => t.workspaceId === ws.id && t.name.toLowerCase() === target.toLowerCase())
      : [...objectsOf(state, ref.target).values()].some((o) => o.workspaceId === ws.id && o.published.name.toLowerCase() === target.toLowerCase());
    if (!exists) {
      throw scriptError({ line: lineOf(v.script, ref.setting), column: 1, message: `${ref.setting} "${target}" does not exist in this workspace` });
    }
  }
}

export function audit(
  ctx: RequestContext, ws: SeedWorkspace, action: string, obj: { type: string; id: number }, name: string, data: Record<string, unknown> = {},
) {
  const state = logicState(ctx.core.store);
  state.audit.push({
    id: state.nextAuditId++, created_at: ctx.core.now(), workspaceId: ws.id, userId: principalOf(ctx).userId,
    branch: ctx.query.get("branch") || LIVE_BRANCH, type: `${obj.type}.${action}`, msg: `${action} ${obj.type} ${name}`,
    label: [obj.type, action], obj, data: { name, ...data },
  });
}

function branchOf(ctx: RequestContext, ws: SeedWorkspace, fields: Record<string, unknown> | undefined): string {
  const label = ctx.query.get("branch") || (typeof fields?.branch === "string" ? fields.branch : "") || "";
  if (!label) return branchesOf(ctx, ws).find((b) => b.live)?.label ?? LIVE_BRANCH;
  if (!branchesOf(ctx, ws).some((b) => b.label === label)) throw notFound(`Branch "${label}" not found.`);
  return label;
}

function includeScript(ctx: RequestContext, body?: Record<string, unknown>): boolean {
  if (body && typeof body.include_xanoscript === "boolean") return body.include_xanoscript;
  return queryBool(ctx, "include_xanoscript", false);
}

function list(kind: LogicKind) {
  return (ctx: RequestContext) => {
    const ws = workspaceOf(ctx);
    const state = logicState(ctx.core.store);
    const paging = readPaging(ctx.query, 50);
    const includeDraft = queryBool(ctx, "include_draft", false);
    const withScript = includeScript(ctx);
    const search = (ctx.query.get("search") ?? "").toLowerCase();
    const sort = ctx.query.get("sort") || kind.defaultSort;
    const order = ctx.query.get("order") || "desc";
    if (!kind.sortable.includes(sort)) throw inputError(`sort must be one of ${kind.sortable.join(", ")}.`, "sort");
    if (order !== "asc" && order !== "desc") throw inputError('order must be "asc" or "desc".', "order");
    const dir = order === "asc" ? 1 : -1;
    const rows = [...objectsOf(state, kind.kind).values()]
      .filter((o) => o.workspaceId === ws.id)
      .map((o) => ({ o, v: visibleVersion(kind, o, includeDraft) }))
      .filter(({ v }) => v.name.toLowerCase().includes(search));
    const key = (r: { o: LogicObject; v: LogicVersion }) => (sort === "name" ? r.v.name.toLowerCase() : sort === "updated_at" ? r.v.updated_at : r.o.created_at);
    rows.sort((a, b) => compare(key(a), key(b)) * dir || (a.o.id - b.o.id) * dir);
    const page = listEnvelope(rows, paging);
    return { ...page, items: page.items.map(({ o, v }) => logicRecord(kind, o, v, withScript)) };
  };
}

/** The version a create or update body describes: a script, or (for kinds with a JSON form) fields over `base`. */
async function versionFromRequest(ctx: RequestContext, kind: LogicKind, base: LogicVersion | undefined): Promise<{ version: LogicVersion; fields?: Record<string, unknown> }> {
  const body = await readBody(ctx);
  const now = ctx.core.now();
  if ("script" in body) return { version: versionFromScript(kind, body.script, now) };
  if (!kind.json) requireScriptKind(kind);
  return { version: versionFromFields(kind, body.fields, base, now), fields: body.fields };
}

function create(kind: LogicKind) {
  return async (ctx: RequestContext) => {
    const ws = workspaceOf(ctx);
    const state = logicState(ctx.core.store);
    const { version, fields } = await versionFromRequest(ctx, kind, undefined);
    checkName(state, kind, ws, version.name);
    checkReferences(ctx, state, kind, ws, version);
    const id = takeId(state, kind.kind);
    const obj: LogicObject = {
      kind: kind.kind, id, workspaceId: ws.id, branch: branchOf(ctx, ws, fields), guid: `${kind.kind}-guid-${id}`,
      created_at: ctx.core.now(), published: version, securityGuid: "",
    };
    objectsOf(state, kind.kind).set(id, obj);
    audit(ctx, ws, "create", { type: kind.kind, id }, version.name);
    return logicRecord(kind, obj, version, includeScript(ctx, fields));
  };
}

function update(kind: LogicKind) {
  return async (ctx: RequestContext) => {
    const { ws, state, obj } = objectFor(ctx, kind);
    const { version, fields } = await versionFromRequest(ctx, kind, obj.draft ?? obj.published);
    checkName(state, kind, ws, version.name, obj.id);
    checkReferences(ctx, state, kind, ws, version);
    const publishField = fields && typeof fields.publish === "boolean" ? fields.publish : undefined;
    const publish = !kind.drafts || (publishField ?? queryBool(ctx, "publish", true));
    if (publish) {
      obj.published = version;
      obj.draft = undefined;
    } else {
      obj.draft = version;
    }
    audit(ctx, ws, publish ? "update" : "draft", { type: kind.kind, id: obj.id }, version.name);
    return logicRecord(kind, obj, version, includeScript(ctx, fields));
  };
}

function remove(kind: LogicKind) {
  return (ctx: RequestContext) => {
    const { ws, state, obj } = objectFor(ctx, kind);
    objectsOf(state, kind.kind).delete(obj.id);
    audit(ctx, ws, "delete", { type: kind.kind, id: obj.id }, obj.published.name);
    return {};
  };
}

/**
 * `PUT …/security {guid}`: Xano describes it as assigning an API group GUID to the object, or
 * removing the restriction. The fake accepts "" (no restriction) or the GUID of one of the
 * workspace's API groups, and shows it back as `security.guid`.
 */
export async function securityGuid(ctx: RequestContext, ws: SeedWorkspace): Promise<{ guid: string; fields: Record<string, unknown> }> {
  const body = await readBody(ctx);
  if ("script" in body) throw inputError("The security settings are JSON fields.", "guid");
  const guid = stringField(body.fields, "guid", true)!;
  const groups = [...ctx.core.store.assets.apiGroups.values()].filter((g) => g.workspaceId === ws.id);
  if (guid !== "" && !groups.some((g) => g.guid === guid)) throw inputError(`No API group of this workspace has the GUID "${guid}".`, "guid");
  return { guid, fields: body.fields };
}

function security(kind: LogicKind) {
  return async (ctx: RequestContext) => {
    const { ws, obj } = objectFor(ctx, kind);
    const { guid, fields } = await securityGuid(ctx, ws);
    obj.securityGuid = guid;
    audit(ctx, ws, "security", { type: kind.kind, id: obj.id }, obj.published.name, { guid });
    return logicRecord(kind, obj, obj.published, includeScript(ctx, fields));
  };
}

function routesOf(kind: LogicKind): RouteDef[] {
  const collection = `${META}${kind.path}`;
  const item = `${collection}/{${kind.idParam}}`;
  const routes: RouteDef[] = [
    { surface: "instance", method: "GET", path: collection, auth: "meta:read", handle: list(kind) },
    { surface: "instance", method: "POST", path: collection, auth: "meta:write", handle: create(kind) },
    {
      surface: "instance", method: "GET", path: item, auth: "meta:read",
      handle: (ctx) => {
        const { obj } = objectFor(ctx, kind);
        return logicRecord(kind, obj, visibleVersion(kind, obj, queryBool(ctx, "include_draft", false)), includeScript(ctx));
      },
    },
    { surface: "instance", method: "PUT", path: item, auth: "meta:write", handle: update(kind) },
    { surface: "instance", method: "DELETE", path: item, auth: "meta:write", handle: remove(kind) },
  ];
  if (kind.security) routes.push({ surface: "instance", method: "PUT", path: `${item}/security`, auth: "meta:write", handle: security(kind) });
  return routes;
}

/** Six routes per kind (five without `…/security`). */
export const logicRoutes: RouteDef[] = LOGIC_KINDS.flatMap(routesOf);
