// Instance Meta API: API groups and their endpoints ("APIs"), and OpenAPI documents per group, per
// endpoint and per workspace (Xano's description, "api-group-api" and "workspace"). Lists use the
// list envelope and the shared list query (sort created_at|updated_at|name, newest first).
// As the description requires: creating or updating a group takes `name`, `description` and
// `swagger`; an endpoint `name`, `description` and `verb` (a PUT is the whole object, not a
// patch). Groups and endpoints may instead be written as XanoScript (`text/x-xanoscript`:
// `api_group …`, `query <name> verb=<VERB> { … }`, read by meta-api-scripts.ts); `include_xanoscript`
// answers the script (generated for objects made from JSON), `publish=false` on an endpoint update
// keeps a draft that `include_draft=true` shows until a published update replaces it.
// Choices the description leaves open: group names are unique per workspace and endpoint
// name + verb unique per group (case-insensitive), else 400 naming `name`; DELETE answers `null`
// and deleting a group deletes its endpoints; OpenAPI documents are OpenAPI 3.0 with one path per
// endpoint, served whether or not the group's `swagger` flag is on.

import type { ApiVerb } from "../../fixtures/seed-workspace-assets";
import type { RequestContext } from "../context";
import { inputError, notFound } from "../errors";
import { optionalBool, optionalString, optionalTags, queryList, requiredName } from "../list-query";
import type { RouteDef } from "../router";
import type { ApiGroupState, ApiState } from "../workspace-assets";
import { LIVE_BRANCH, workspaceFor } from "./lookup";
import { xanoTimestamp } from "../timestamps";
import { queryBool } from "./meta-logic";
import { generatedEndpointScript, generatedGroupScript, isXanoScript, parseEndpointScript, parseGroupScript } from "./meta-api-scripts";

const G = "/api:meta/workspace/{w}/apigroup";
const A = `${G}/{g}/api`;
const SORTABLE = ["name", "created_at", "updated_at"] as const;
const VERBS: readonly ApiVerb[] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

const answer = (value: string) => ({ status: "ok", value, message: "" });

/** A group as answered; with its XanoScript when the request asks `include_xanoscript=true`. */
function groupRecord(ctx: RequestContext, g: ApiGroupState) {
  return {
    ...groupFields(g),
    ...(queryBool(ctx, "include_xanoscript", false) ? { xanoscript: answer(g.xanoscript ?? generatedGroupScript(g)) } : {}),
  };
}

function groupFields(g: ApiGroupState) {
  return {
    id: g.id, name: g.name, description: g.description, docs: g.docs, swagger: g.swagger, tag: g.tag, guid: g.guid,
    canonical: g.canonical, branch: LIVE_BRANCH, created_at: xanoTimestamp(g.created_at), updated_at: xanoTimestamp(g.updated_at),
  };
}

/**
 * An endpoint as answered: its draft's name and verb with `include_draft=true`, its XanoScript
 * (the draft's, else the published one, else one generated from its fields) with `include_xanoscript=true`.
 */
function apiRecord(ctx: RequestContext, a: ApiState) {
  const draft = queryBool(ctx, "include_draft", false) ? a.draft : undefined;
  return {
    id: a.id, name: draft?.name ?? a.name, description: a.description, docs: a.docs, verb: draft?.verb ?? a.verb, tag: a.tag, guid: a.guid,
    apigroup_id: a.apigroupId, created_at: xanoTimestamp(a.created_at), updated_at: xanoTimestamp(a.updated_at),
    ...(queryBool(ctx, "include_xanoscript", false) ? { xanoscript: answer(draft?.script ?? a.xanoscript ?? generatedEndpointScript(a)) } : {}),
  };
}

function groupsOf(ctx: RequestContext): ApiGroupState[] {
  const ws = workspaceFor(ctx);
  return [...ctx.core.store.assets.apiGroups.values()].filter((g) => g.workspaceId === ws.id);
}

function groupFor(ctx: RequestContext): ApiGroupState {
  const id = Number(ctx.params.g);
  const group = groupsOf(ctx).find((g) => g.id === id);
  if (!group) throw notFound(`API group ${ctx.params.g} not found.`);
  return group;
}

function apisOf(ctx: RequestContext, group: ApiGroupState): ApiState[] {
  return [...ctx.core.store.assets.apis.values()].filter((a) => a.apigroupId === group.id);
}

function apiFor(ctx: RequestContext): ApiState {
  const group = groupFor(ctx);
  const id = Number(ctx.params.a);
  const api = apisOf(ctx, group).find((a) => a.id === id);
  if (!api) throw notFound(`API ${ctx.params.a} not found in API group ${group.id}.`);
  return api;
}

function checkGroupName(ctx: RequestContext, name: string, self?: number) {
  if (groupsOf(ctx).some((g) => g.id !== self && g.name.toLowerCase() === name.toLowerCase())) {
    throw inputError(`An API group named "${name}" already exists.`, "name");
  }
}

function verbOf(body: Record<string, unknown>, required: boolean): ApiVerb | undefined {
  const verb = body.verb;
  if (verb === undefined && !required) return undefined;
  if (typeof verb !== "string" || !(VERBS as readonly string[]).includes(verb)) throw inputError(`verb must be one of ${VERBS.join(", ")}.`, "verb");
  return verb as ApiVerb;
}

function checkApiName(ctx: RequestContext, group: ApiGroupState, name: string, verb: ApiVerb, self?: number) {
  if (apisOf(ctx, group).some((a) => a.id !== self && a.verb === verb && a.name.toLowerCase() === name.toLowerCase())) {
    throw inputError(`${verb} ${name} already exists in this API group.`, "name");
  }
}

/** `name`, `description` and `swagger`: required on create and on update (Xano's description). */
function wholeGroup(body: Record<string, unknown>) {
  const name = requiredName(body);
  const description = optionalString(body, "description");
  if (description === undefined) throw inputError("description is required.", "description");
  const swagger = optionalBool(body, "swagger");
  if (swagger === undefined) throw inputError("swagger is required (true or false).", "swagger");
  return { name, description, swagger };
}

/** `name`, `description` and `verb`: required on create and on update (Xano's description). */
function wholeApi(body: Record<string, unknown>) {
  const name = requiredName(body);
  const description = optionalString(body, "description");
  if (description === undefined) throw inputError("description is required.", "description");
  return { name, description, verb: verbOf(body, true)! };
}

/** A group's fields from a JSON body (whole object) or an `api_group` script (what it leaves out is kept). */
async function groupInput(ctx: RequestContext, current?: ApiGroupState) {
  if (isXanoScript(ctx)) {
    const script = await ctx.text();
    const parsed = parseGroupScript(script);
    return {
      name: parsed.name, description: parsed.description ?? current?.description ?? "", swagger: parsed.swagger ?? current?.swagger ?? true,
      docs: current?.docs ?? "", tag: parsed.tag ?? current?.tag ?? [], canonical: parsed.canonical, xanoscript: script as string | undefined,
    };
  }
  const body = await ctx.body();
  return {
    ...wholeGroup(body), docs: optionalString(body, "docs") ?? current?.docs ?? "", tag: optionalTags(body) ?? current?.tag ?? [],
    canonical: optionalString(body, "canonical") || undefined, xanoscript: undefined,
  };
}

function checkCanonical(ctx: RequestContext, canonical: string | undefined, self?: number) {
  if (canonical && [...ctx.core.store.assets.apiGroups.values()].some((g) => g.id !== self && g.canonical === canonical)) {
    throw inputError(`Another API group already uses the canonical "${canonical}".`, "canonical");
  }
}

async function createGroup(ctx: RequestContext) {
  const ws = workspaceFor(ctx);
  const input = await groupInput(ctx);
  checkGroupName(ctx, input.name);
  checkCanonical(ctx, input.canonical);
  const assets = ctx.core.store.assets;
  const id = assets.nextApiGroupId++;
  const now = ctx.core.now();
  const group: ApiGroupState = {
    id, workspaceId: ws.id, name: input.name, description: input.description, docs: input.docs, swagger: input.swagger, tag: input.tag,
    canonical: input.canonical ?? `grp${id}`, guid: `apigroup-guid-${id}`, created_at: now, updated_at: now, xanoscript: input.xanoscript,
  };
  assets.apiGroups.set(id, group);
  return groupRecord(ctx, group);
}

async function updateGroup(ctx: RequestContext) {
  const group = groupFor(ctx);
  const input = await groupInput(ctx, group);
  checkGroupName(ctx, input.name, group.id);
  checkCanonical(ctx, input.canonical, group.id);
  const next: ApiGroupState = {
    ...group, name: input.name, description: input.description, docs: input.docs, swagger: input.swagger, tag: input.tag,
    canonical: input.canonical ?? group.canonical, xanoscript: input.xanoscript, updated_at: ctx.core.now(),
  };
  ctx.core.store.assets.apiGroups.set(group.id, next);
  return groupRecord(ctx, next);
}

function deleteGroup(ctx: RequestContext) {
  const group = groupFor(ctx);
  const assets = ctx.core.store.assets;
  for (const api of apisOf(ctx, group)) assets.apis.delete(api.id);
  assets.apiGroups.delete(group.id);
  return {};
}

/**
 * A group's (or one endpoint's) document has its group's base URL as server and paths relative to
 * it; the workspace's spans groups, so its server is the origin and each path carries `/api:<canonical>`.
 */
function openApiDocument(ctx: RequestContext, title: string, description: string, apis: ApiState[], group?: ApiGroupState) {
  const paths: Record<string, Record<string, unknown>> = {};
  const groups = ctx.core.store.assets.apiGroups;
  for (const api of [...apis].sort((a, b) => a.id - b.id)) {
    const path = group ? `/${api.name}` : `/api:${groups.get(api.apigroupId)?.canonical ?? "unknown"}/${api.name}`;
    paths[path] ??= {};
    paths[path][api.verb.toLowerCase()] = { summary: api.description, description: api.docs, operationId: `${api.verb.toLowerCase()}_${api.id}`, responses: { 200: { description: "Success!" } } };
  }
  const server = group ? `${ctx.url.origin}/api:${group.canonical}` : ctx.url.origin;
  return { openapi: "3.0.0", info: { title, description, version: "0.0.1" }, servers: [{ url: server }], paths };
}

function openapi(ctx: RequestContext) {
  const group = groupFor(ctx);
  return openApiDocument(ctx, group.name, group.description, apisOf(ctx, group), group);
}

/** `GET …/workspace/{w}/openapi[?branch=]`: every group's endpoints in one document. */
export function workspaceOpenApi(ctx: RequestContext) {
  const ws = workspaceFor(ctx);
  const apis = groupsOf(ctx).flatMap((g) => apisOf(ctx, g));
  return openApiDocument(ctx, ws.name, ws.description, apis);
}

/** An endpoint's fields from a JSON body (whole object) or a `query … verb=…` script (what it leaves out is kept). */
async function apiInput(ctx: RequestContext, current?: ApiState) {
  if (isXanoScript(ctx)) {
    const script = await ctx.text();
    const parsed = parseEndpointScript(ctx, workspaceFor(ctx), script, VERBS);
    return {
      name: parsed.name, verb: parsed.verb, description: parsed.description ?? current?.description ?? "", docs: current?.docs ?? "",
      tag: parsed.tag ?? current?.tag ?? [], xanoscript: script as string | undefined,
    };
  }
  const body = await ctx.body();
  return { ...wholeApi(body), docs: optionalString(body, "docs") ?? current?.docs ?? "", tag: optionalTags(body) ?? current?.tag ?? [], xanoscript: undefined };
}

async function createApi(ctx: RequestContext) {
  const group = groupFor(ctx);
  const input = await apiInput(ctx);
  checkApiName(ctx, group, input.name, input.verb);
  const assets = ctx.core.store.assets;
  const id = assets.nextApiId++;
  const now = ctx.core.now();
  const api: ApiState = {
    id, apigroupId: group.id, name: input.name, verb: input.verb, description: input.description, docs: input.docs,
    tag: input.tag, guid: `api-guid-${id}`, created_at: now, updated_at: now, xanoscript: input.xanoscript,
  };
  assets.apis.set(id, api);
  return apiRecord(ctx, api);
}

/** A whole-object update; a script sent with `publish=false` is kept as a draft and answered as one. */
async function updateApi(ctx: RequestContext) {
  const api = apiFor(ctx);
  const group = groupFor(ctx);
  const input = await apiInput(ctx, api);
  checkApiName(ctx, group, input.name, input.verb, api.id);
  if (input.xanoscript !== undefined && !queryBool(ctx, "publish", true)) {
    const drafted: ApiState = { ...api, draft: { script: input.xanoscript, name: input.name, verb: input.verb } };
    ctx.core.store.assets.apis.set(api.id, drafted);
    const record = apiRecord(ctx, drafted);
    return { ...record, name: input.name, verb: input.verb, ...("xanoscript" in record ? { xanoscript: answer(input.xanoscript) } : {}) };
  }
  const next: ApiState = {
    ...api, name: input.name, verb: input.verb, description: input.description, docs: input.docs, tag: input.tag,
    xanoscript: input.xanoscript, draft: undefined, updated_at: ctx.core.now(),
  };
  ctx.core.store.assets.apis.set(api.id, next);
  return apiRecord(ctx, next);
}

export const apiRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: G, auth: "meta:read", handle: (ctx) => { const p = queryList(ctx, groupsOf(ctx), SORTABLE); return { ...p, items: p.items.map((g) => groupRecord(ctx, g)) }; } },
  { surface: "instance", method: "POST", path: G, auth: "meta:write", handle: createGroup },
  { surface: "instance", method: "GET", path: `${G}/{g}`, auth: "meta:read", handle: (ctx) => groupRecord(ctx, groupFor(ctx)) },
  { surface: "instance", method: "PUT", path: `${G}/{g}`, auth: "meta:write", handle: updateGroup },
  { surface: "instance", method: "DELETE", path: `${G}/{g}`, auth: "meta:write", handle: deleteGroup },
  { surface: "instance", method: "GET", path: `${G}/{g}/openapi`, auth: "meta:read", handle: openapi },
  { surface: "instance", method: "GET", path: A, auth: "meta:read", handle: (ctx) => { const p = queryList(ctx, apisOf(ctx, groupFor(ctx)), SORTABLE); return { ...p, items: p.items.map((a) => apiRecord(ctx, a)) }; } },
  { surface: "instance", method: "POST", path: A, auth: "meta:write", handle: createApi },
  { surface: "instance", method: "GET", path: `${A}/{a}`, auth: "meta:read", handle: (ctx) => apiRecord(ctx, apiFor(ctx)) },
  {
    surface: "instance", method: "GET", path: `${A}/{a}/openapi`, auth: "meta:read",
    handle: (ctx) => { const api = apiFor(ctx); return openApiDocument(ctx, `${api.verb} ${api.name}`, api.description, [api], groupFor(ctx)); },
  },
  { surface: "instance", method: "PUT", path: `${A}/{a}`, auth: "meta:write", handle: updateApi },
  {
    surface: "instance", method: "DELETE", path: `${A}/{a}`, auth: "meta:write",
    handle: (ctx) => { ctx.core.store.assets.apis.delete(apiFor(ctx).id); return {}; },
  },
];
