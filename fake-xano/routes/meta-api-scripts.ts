// API endpoints written in XanoScript (`query <path> verb=<VERB> { … }`) and API groups
// (`api_group <name> { canonical = "…" swagger = {active: true} }`), layered over the older API
// routes (meta-apis.ts) without replacing them: wrappers around their handlers.
// - API groups: `POST …/apigroup` and `PUT …/apigroup/{g}` take a script (name, `canonical`,
//   `swagger.active`, `description`, `tags`); the group get/list add `xanoscript` when asked.
// - `POST …/apigroup/{g}/api` and `PUT …/api/{a}` with `Content-Type: text/x-xanoscript` are
//   handled here (checked like every script, `verb=` required, `function.run` names checked,
//   `publish=false` keeps a draft); any other body goes to the older handler unchanged.
// - `GET …/api/{a}` and `GET …/api` add `xanoscript: {status, value, message}` when
//   `include_xanoscript=true` (an endpoint created from JSON gets a generated script), and
//   `include_draft=true` shows a draft's name, verb and script.
// Answers are the older GET handler's record, so the endpoint shape stays defined in one place.

import type { RequestContext } from "../context";
import { inputError, notFound } from "../errors";
import { logicState } from "../logic-store";
import type { RouteDef } from "../router";
import type { ApiGroupState, ApiState } from "../workspace-assets";
import { templateShape, wrapRoutes, type RouteWrapper } from "../served-operations";
import { checkXanoScript } from "../xanoscript";
import { checkFunctionCalls, queryBool, scriptError, workspaceOf } from "./meta-logic";
import type { ApiVerb } from "../../fixtures/seed-workspace-assets";

const VERBS: readonly ApiVerb[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const COLLECTION = "/api:meta/workspace/{}/apigroup/{}/api";
const ITEM = `${COLLECTION}/{}`;
const GROUPS = "/api:meta/workspace/{}/apigroup";
const GROUP = `${GROUPS}/{}`;

/** Stored API group scripts by group id (groups made from JSON get a generated one). */
const groupScripts = new WeakMap<object, Map<number, string>>();
function groupScriptsOf(ctx: RequestContext): Map<number, string> {
  let map = groupScripts.get(ctx.core.store);
  if (!map) groupScripts.set(ctx.core.store, (map = new Map()));
  return map;
}

function generatedGroup(g: { name: string; canonical: string; swagger: boolean; description: string }): string {
  const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(g.name) ? g.name : JSON.stringify(g.name);
  const description = g.description ? `  description = ${JSON.stringify(g.description)}\n` : "";
  return `api_group ${name} {\n${description}  canonical = ${JSON.stringify(g.canonical)}\n  swagger = {active: ${g.swagger}}\n}\n`;
}

function parseGroup(script: string) {
  const check = checkXanoScript(script, ["api_group"]);
  if (!check.ok) throw scriptError(check.error);
  const { settings } = check.doc;
  const swagger = settings.swagger && typeof settings.swagger === "object" ? (settings.swagger as Record<string, unknown>).active : undefined;
  const canonical = settings.canonical;
  if (canonical !== undefined && (typeof canonical !== "string" || !/^[A-Za-z0-9_-]+$/.test(canonical))) {
    const line = script.split("\n").findIndex((l) => /^\s*canonical\s*=/.test(l)) + 1;
    throw scriptError({ line: line || 1, column: 1, message: "canonical must be letters, digits, _ and -" });
  }
  return {
    name: check.doc.name, canonical: canonical as string | undefined, swagger: typeof swagger === "boolean" ? swagger : undefined,
    description: typeof settings.description === "string" ? settings.description : undefined,
    tag: Array.isArray(settings.tags) ? settings.tags.filter((t): t is string => typeof t === "string") : undefined,
  };
}

interface EndpointScripts {
  published?: string;
  draft?: { script: string; name: string; verb: ApiVerb };
}

const scripts = new WeakMap<object, Map<number, EndpointScripts>>();
function scriptsOf(ctx: RequestContext): Map<number, EndpointScripts> {
  let map = scripts.get(ctx.core.store);
  if (!map) scripts.set(ctx.core.store, (map = new Map()));
  return map;
}

/** The params of `template` for a concrete path (by position), so another route's handler can run on this request. */
function paramsFor(template: string, path: string): Record<string, string> {
  const names = template.split("/");
  const values = path.split("/");
  const params: Record<string, string> = {};
  names.forEach((n, i) => {
    if (!n.startsWith("{") || !n.endsWith("}")) return;
    try {
      params[n.slice(1, -1)] = decodeURIComponent(values[i] ?? "");
    } catch {
      params[n.slice(1, -1)] = values[i] ?? "";
    }
  });
  return params;
}

function generated(api: { name: string; verb: string; description: string }): string {
  const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(api.name) ? api.name : JSON.stringify(api.name);
  const description = api.description ? `  description = ${JSON.stringify(api.description)}\n` : "";
  return `query ${name} verb=${api.verb} {\n${description}  input {\n  }\n  stack {\n  }\n  response = null\n}\n`;
}

function parseEndpoint(ctx: RequestContext, script: string) {
  const check = checkXanoScript(script, ["query"]);
  if (!check.ok) throw scriptError(check.error);
  const verb = check.doc.attributes.verb;
  if (!verb || !(VERBS as readonly string[]).includes(verb)) {
    throw scriptError({ line: 1, column: 1, message: `query ${check.doc.name} needs verb=${VERBS.join("|")} after its name` });
  }
  checkFunctionCalls(logicState(ctx.core.store), workspaceOf(ctx), script);
  const settings = check.doc.settings;
  return {
    name: check.doc.name.replace(/^\//, ""), verb: verb as ApiVerb,
    description: typeof settings.description === "string" ? settings.description : "",
    tag: Array.isArray(settings.tags) ? settings.tags.filter((t): t is string => typeof t === "string") : undefined,
  };
}

function isScript(ctx: RequestContext): boolean {
  return (ctx.request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase() === "text/x-xanoscript";
}

/** Wraps the older API routes in `routes` (matched by template shape); other routes pass through. */
export function withEndpointScripts(routes: RouteDef[]): RouteDef[] {
  const find = (method: string, shape: string) => routes.find((r) => r.method === method && templateShape(r.path) === shape);
  const getOne = find("GET", ITEM);
  if (!getOne) return routes;

  /** Runs the older GET of one endpoint for `apiId` on this request (its 404s included). */
  async function readEndpoint(ctx: RequestContext, apiId: number): Promise<Record<string, unknown>> {
    const segments = ctx.url.pathname.split("/").slice(0, 7);
    const path = [...segments, String(apiId)].join("/");
    return readVia(getOne!, ctx, path);
  }

  function decorate(ctx: RequestContext, record: Record<string, unknown>): Record<string, unknown> {
    const entry = scriptsOf(ctx).get(Number(record.id));
    const draft = queryBool(ctx, "include_draft", false) ? entry?.draft : undefined;
    const out = draft ? { ...record, name: draft.name, verb: draft.verb } : record;
    if (!queryBool(ctx, "include_xanoscript", false)) return out;
    const value = draft?.script ?? entry?.published ?? generated(record as { name: string; verb: string; description: string });
    return { ...out, xanoscript: { status: "ok", value, message: "" } };
  }

  function assetsOf(ctx: RequestContext) {
    return ctx.core.store.assets;
  }

  function checkUnique(ctx: RequestContext, groupId: number, name: string, verb: ApiVerb, self?: number) {
    const clash = [...assetsOf(ctx).apis.values()].some((a) => a.apigroupId === groupId && a.id !== self && a.verb === verb && a.name.toLowerCase() === name.toLowerCase());
    if (clash) throw inputError(`${verb} ${name} already exists in this API group.`, "name");
  }

  const wrappers: RouteWrapper[] = [
    {
      method: "POST", shape: COLLECTION,
      wrap: (next) => async (ctx) => {
        if (!isScript(ctx)) return next(ctx);
        // "/api:meta/workspace/{w}/apigroup/{g}/api" split on "/": w at 3, g at 5 (whatever the older params are named).
        const segments = ctx.url.pathname.split("/");
        const g = segments[5];
        ctx.params.workspace_id ??= segments[3];
        const ws = workspaceOf(ctx);
        const group = assetsOf(ctx).apiGroups.get(Number(g));
        if (!group || group.workspaceId !== ws.id) throw notFound(`API group ${g} not found.`);
        const script = new TextDecoder().decode(await ctx.request.arrayBuffer());
        const parsed = parseEndpoint(ctx, script);
        checkUnique(ctx, group.id, parsed.name, parsed.verb);
        const assets = assetsOf(ctx);
        const id = assets.nextApiId++;
        const now = ctx.core.now();
        const api: ApiState = {
          id, apigroupId: group.id, name: parsed.name, verb: parsed.verb, description: parsed.description, docs: "",
          tag: parsed.tag ?? [], guid: `api-guid-${id}`, created_at: now, updated_at: now,
        };
        assets.apis.set(id, api);
        scriptsOf(ctx).set(id, { published: script });
        return decorate(ctx, await readEndpoint(ctx, id));
      },
    },
    {
      method: "PUT", shape: ITEM,
      wrap: (next) => async (ctx) => {
        if (!isScript(ctx)) return next(ctx);
        const id = Number(ctx.url.pathname.split("/")[7]);
        const current = await readEndpoint(ctx, id);
        const api = assetsOf(ctx).apis.get(Number(current.id))!;
        const script = new TextDecoder().decode(await ctx.request.arrayBuffer());
        const parsed = parseEndpoint(ctx, script);
        checkUnique(ctx, api.apigroupId, parsed.name, parsed.verb, api.id);
        const entry = scriptsOf(ctx).get(api.id) ?? {};
        if (queryBool(ctx, "publish", true)) {
          assetsOf(ctx).apis.set(api.id, {
            ...api, name: parsed.name, verb: parsed.verb, description: parsed.description, tag: parsed.tag ?? api.tag, updated_at: ctx.core.now(),
          });
          scriptsOf(ctx).set(api.id, { published: script });
          return decorate(ctx, await readEndpoint(ctx, api.id));
        }
        scriptsOf(ctx).set(api.id, { ...entry, draft: { script, name: parsed.name, verb: parsed.verb } });
        const record = await readEndpoint(ctx, api.id);
        const withScript = queryBool(ctx, "include_xanoscript", false);
        return { ...record, name: parsed.name, verb: parsed.verb, ...(withScript ? { xanoscript: { status: "ok", value: script, message: "" } } : {}) };
      },
    },
    { method: "GET", shape: ITEM, wrap: (next) => async (ctx) => decorate(ctx, (await next(ctx)) as Record<string, unknown>) },
    {
      method: "GET", shape: COLLECTION,
      wrap: (next) => async (ctx) => {
        const page = (await next(ctx)) as { items?: Array<Record<string, unknown>> };
        return Array.isArray(page?.items) ? { ...page, items: page.items.map((r) => decorate(ctx, r)) } : page;
      },
    },
  ];

  return wrapRoutes(routes, [...wrappers, ...groupWrappers(routes)]);
}

/** Runs `route`'s handler for the resource at `path` on this request (params taken from the path by position). */
function readVia(route: RouteDef, ctx: RequestContext, path: string): Promise<Record<string, unknown>> {
  return Promise.resolve(route.handle({ ...ctx, params: paramsFor(route.path, path) })) as Promise<Record<string, unknown>>;
}

function groupWrappers(routes: RouteDef[]): RouteWrapper[] {
  const getGroup = routes.find((r) => r.method === "GET" && templateShape(r.path) === GROUP);
  if (!getGroup) return [];
  const groupPath = (ctx: RequestContext, id: number) => `${ctx.url.pathname.split("/").slice(0, 5).join("/")}/${id}`;

  function decorate(ctx: RequestContext, record: Record<string, unknown>): Record<string, unknown> {
    if (!queryBool(ctx, "include_xanoscript", false)) return record;
    const value = groupScriptsOf(ctx).get(Number(record.id)) ?? generatedGroup(record as never);
    return { ...record, xanoscript: { status: "ok", value, message: "" } };
  }

  function checkGroup(ctx: RequestContext, workspaceId: number, name: string, canonical: string | undefined, self?: number) {
    const groups = [...ctx.core.store.assets.apiGroups.values()];
    if (groups.some((g) => g.workspaceId === workspaceId && g.id !== self && g.name.toLowerCase() === name.toLowerCase())) {
      throw inputError(`An API group named "${name}" already exists.`, "name");
    }
    if (canonical && groups.some((g) => g.id !== self && g.canonical === canonical)) throw inputError(`Another API group already uses the canonical "${canonical}".`, "canonical");
  }

  return [
    {
      method: "POST", shape: GROUPS,
      wrap: (next) => async (ctx) => {
        if (!isScript(ctx)) return next(ctx);
        ctx.params.workspace_id ??= ctx.url.pathname.split("/")[3];
        const ws = workspaceOf(ctx);
        const script = new TextDecoder().decode(await ctx.request.arrayBuffer());
        const parsed = parseGroup(script);
        checkGroup(ctx, ws.id, parsed.name, parsed.canonical);
        const assets = ctx.core.store.assets;
        const id = assets.nextApiGroupId++;
        const now = ctx.core.now();
        const group: ApiGroupState = {
          id, workspaceId: ws.id, name: parsed.name, description: parsed.description ?? "", docs: "", swagger: parsed.swagger ?? true,
          tag: parsed.tag ?? [], canonical: parsed.canonical ?? `grp${id}`, guid: `apigroup-guid-${id}`, created_at: now, updated_at: now,
        };
        assets.apiGroups.set(id, group);
        groupScriptsOf(ctx).set(id, script);
        return decorate(ctx, await readVia(getGroup, ctx, groupPath(ctx, id)));
      },
    },
    {
      method: "PUT", shape: GROUP,
      wrap: (next) => async (ctx) => {
        if (!isScript(ctx)) return next(ctx);
        const id = Number(ctx.url.pathname.split("/")[5]);
        await readVia(getGroup, ctx, groupPath(ctx, id)); // 404 for a group that is not the caller's
        const group = ctx.core.store.assets.apiGroups.get(id)!;
        const script = new TextDecoder().decode(await ctx.request.arrayBuffer());
        const parsed = parseGroup(script);
        checkGroup(ctx, group.workspaceId, parsed.name, parsed.canonical, group.id);
        ctx.core.store.assets.apiGroups.set(id, {
          ...group, name: parsed.name, canonical: parsed.canonical ?? group.canonical, swagger: parsed.swagger ?? group.swagger,
          description: parsed.description ?? group.description, tag: parsed.tag ?? group.tag, updated_at: ctx.core.now(),
        });
        groupScriptsOf(ctx).set(id, script);
        return decorate(ctx, await readVia(getGroup, ctx, groupPath(ctx, id)));
      },
    },
    { method: "GET", shape: GROUP, wrap: (next) => async (ctx) => decorate(ctx, (await next(ctx)) as Record<string, unknown>) },
    {
      method: "GET", shape: GROUPS,
      wrap: (next) => async (ctx) => {
        const page = (await next(ctx)) as { items?: Array<Record<string, unknown>> };
        return Array.isArray(page?.items) ? { ...page, items: page.items.map((r) => decorate(ctx, r)) } : page;
      },
    },
  ];
}
