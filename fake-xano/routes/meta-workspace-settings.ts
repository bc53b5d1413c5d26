// Instance Meta API, workspace settings added for issue 13 as Xano's description has them: data
// sources (create/update/delete; the list moves here so it shows them), realtime settings, and
// static hosting with its builds. Decisions the description leaves open are in fake-xano/README.md.

import type { RequestContext } from "../context";
import { inputError, notFound } from "../errors";
import { logicState, timestamptz, type StaticBuild } from "../logic-store";
import { contentEnvelope, readPaging } from "../paging";
import type { RouteDef } from "../router";
import { META, audit, readBody, workspaceOf } from "./meta-logic";
import type { SeedWorkspace } from "../../fixtures/seed";

const W = `${META}/workspace/{workspace_id}`;

// ---- data sources ----

const COLOR = /^#[0-9a-fA-F]{6}$/;
/** Data source and branch labels: letters, digits, _ and -. */
export const LABEL = /^[A-Za-z0-9_-]{1,64}$/;

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

function buildRecord(ctx: RequestContext, b: StaticBuild) {
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

export const workspaceSettingsRoutes: RouteDef[] = [...dataSourceRoutes, ...realtimeRoutes, ...staticHostRoutes];
