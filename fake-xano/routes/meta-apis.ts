// Instance Meta API: API groups and their endpoints ("APIs"), plus a group's OpenAPI document
// (xano.md "API groups and APIs"). Lists use the list envelope and the shared list query.
// [unverified] choices the fake made: group names are unique per workspace and endpoint
// name + verb unique per group (case-insensitive), else 400 naming `name`; PUT is partial;
// DELETE answers `null` and deleting a group deletes its endpoints; the OpenAPI document is
// OpenAPI 3.0 with one path per endpoint, served whether or not the group's `swagger` flag is on.

import type { ApiVerb } from "../../fixtures/seed-workspace-assets";
import type { RequestContext } from "../context";
import { inputError, notFound } from "../errors";
import { optionalBool, optionalString, optionalTags, queryList, requiredName } from "../list-query";
import type { RouteDef } from "../router";
import type { ApiGroupState, ApiState } from "../workspace-assets";
import { LIVE_BRANCH, workspaceFor } from "./lookup";

const G = "/api:meta/workspace/{w}/apigroup";
const A = `${G}/{g}/api`;
const SORTABLE = ["id", "name", "created_at", "updated_at"] as const;
const VERBS: readonly ApiVerb[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

function groupRecord(g: ApiGroupState) {
  return {
    id: g.id, name: g.name, description: g.description, docs: g.docs, swagger: g.swagger, tag: g.tag, guid: g.guid,
    canonical: g.canonical, branch: LIVE_BRANCH, created_at: g.created_at, updated_at: g.updated_at,
  };
}

function apiRecord(a: ApiState) {
  return {
    id: a.id, name: a.name, description: a.description, docs: a.docs, verb: a.verb, tag: a.tag, guid: a.guid,
    apigroup_id: a.apigroupId, created_at: a.created_at, updated_at: a.updated_at,
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

async function createGroup(ctx: RequestContext) {
  const ws = workspaceFor(ctx);
  const body = await ctx.body();
  const name = requiredName(body);
  checkGroupName(ctx, name);
  const assets = ctx.core.store.assets;
  const id = assets.nextApiGroupId++;
  const now = ctx.core.now();
  const group: ApiGroupState = {
    id, workspaceId: ws.id, name, description: optionalString(body, "description") ?? "", docs: optionalString(body, "docs") ?? "",
    swagger: optionalBool(body, "swagger") ?? true, tag: optionalTags(body) ?? [], canonical: `grp${id}`,
    guid: `apigroup-guid-${id}`, created_at: now, updated_at: now,
  };
  assets.apiGroups.set(id, group);
  return groupRecord(group);
}

async function updateGroup(ctx: RequestContext) {
  const group = groupFor(ctx);
  const body = await ctx.body();
  const name = optionalString(body, "name");
  if (name !== undefined) {
    if (name.trim() === "") throw inputError("name cannot be empty.", "name");
    checkGroupName(ctx, name, group.id);
  }
  const next: ApiGroupState = {
    ...group,
    name: name ?? group.name,
    description: optionalString(body, "description") ?? group.description,
    docs: optionalString(body, "docs") ?? group.docs,
    swagger: optionalBool(body, "swagger") ?? group.swagger,
    tag: optionalTags(body) ?? group.tag,
    updated_at: ctx.core.now(),
  };
  ctx.core.store.assets.apiGroups.set(group.id, next);
  return groupRecord(next);
}

function deleteGroup(ctx: RequestContext) {
  const group = groupFor(ctx);
  const assets = ctx.core.store.assets;
  for (const api of apisOf(ctx, group)) assets.apis.delete(api.id);
  assets.apiGroups.delete(group.id);
  return null;
}

function openapi(ctx: RequestContext) {
  const group = groupFor(ctx);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const api of apisOf(ctx, group).sort((a, b) => a.id - b.id)) {
    paths[`/${api.name}`] ??= {};
    paths[`/${api.name}`][api.verb.toLowerCase()] = { summary: api.description, description: api.docs, operationId: `${api.verb.toLowerCase()}_${api.id}`, responses: { 200: { description: "Success!" } } };
  }
  return {
    openapi: "3.0.0",
    info: { title: group.name, description: group.description, version: "0.0.1" },
    servers: [{ url: `${ctx.url.origin}/api:${group.canonical}` }],
    paths,
  };
}

async function createApi(ctx: RequestContext) {
  const group = groupFor(ctx);
  const body = await ctx.body();
  const name = requiredName(body);
  const verb = verbOf(body, true)!;
  checkApiName(ctx, group, name, verb);
  const assets = ctx.core.store.assets;
  const id = assets.nextApiId++;
  const now = ctx.core.now();
  const api: ApiState = {
    id, apigroupId: group.id, name, verb, description: optionalString(body, "description") ?? "", docs: optionalString(body, "docs") ?? "",
    tag: optionalTags(body) ?? [], guid: `api-guid-${id}`, created_at: now, updated_at: now,
  };
  assets.apis.set(id, api);
  return apiRecord(api);
}

async function updateApi(ctx: RequestContext) {
  const api = apiFor(ctx);
  const group = groupFor(ctx);
  const body = await ctx.body();
  const name = optionalString(body, "name");
  if (name !== undefined && name.trim() === "") throw inputError("name cannot be empty.", "name");
  const verb = verbOf(body, false) ?? api.verb;
  checkApiName(ctx, group, name ?? api.name, verb, api.id);
  const next: ApiState = {
    ...api,
    name: name ?? api.name,
    verb,
    description: optionalString(body, "description") ?? api.description,
    docs: optionalString(body, "docs") ?? api.docs,
    tag: optionalTags(body) ?? api.tag,
    updated_at: ctx.core.now(),
  };
  ctx.core.store.assets.apis.set(api.id, next);
  return apiRecord(next);
}

export const apiRoutes: RouteDef[] = [
  { surface: "instance", method: "GET", path: G, auth: "meta:read", handle: (ctx) => { const p = queryList(ctx, groupsOf(ctx), SORTABLE); return { ...p, items: p.items.map(groupRecord) }; } },
  { surface: "instance", method: "POST", path: G, auth: "meta:write", handle: createGroup },
  { surface: "instance", method: "GET", path: `${G}/{g}`, auth: "meta:read", handle: (ctx) => groupRecord(groupFor(ctx)) },
  { surface: "instance", method: "PUT", path: `${G}/{g}`, auth: "meta:write", handle: updateGroup },
  { surface: "instance", method: "DELETE", path: `${G}/{g}`, auth: "meta:write", handle: deleteGroup },
  { surface: "instance", method: "GET", path: `${G}/{g}/openapi`, auth: "meta:read", handle: openapi },
  { surface: "instance", method: "GET", path: A, auth: "meta:read", handle: (ctx) => { const p = queryList(ctx, apisOf(ctx, groupFor(ctx)), SORTABLE); return { ...p, items: p.items.map(apiRecord) }; } },
  { surface: "instance", method: "POST", path: A, auth: "meta:write", handle: createApi },
  { surface: "instance", method: "GET", path: `${A}/{a}`, auth: "meta:read", handle: (ctx) => apiRecord(apiFor(ctx)) },
  { surface: "instance", method: "PUT", path: `${A}/{a}`, auth: "meta:write", handle: updateApi },
  {
    surface: "instance", method: "DELETE", path: `${A}/{a}`, auth: "meta:write",
    handle: (ctx) => { ctx.core.store.assets.apis.delete(apiFor(ctx).id); return null; },
  },
];
