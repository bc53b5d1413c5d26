// Instance Meta API: XanoScript conversion, the MCP server documentation and the beta run
// operations. Nothing is executed: a run answers the literal `response = …` of a script. The two
// beta workspace runs need only the read scope, as the description's Required API Scope says.

import { inputError, notFound } from "../errors";
import { LOGIC_KINDS } from "../logic-kinds";
import { logicState, objectsOf } from "../logic-store";
import type { RouteDef } from "../router";
import { checkFragment, checkXanoScript, skeletonScript } from "../xanoscript";
import { LIVE_BRANCH } from "./lookup";
import { META, audit, logicRecord, queryBool, readBody, scriptError, workspaceOf } from "./meta-logic";
import { logicOf } from "./meta-workspace-archive";

const W = `${META}/workspace/{workspace_id}`;


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
    surface: "instance", method: "POST", path: `${META}/beta/workspace/{workspace_id}/function/run`, auth: "meta:read",
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
    surface: "instance", method: "POST", path: `${META}/beta/workspace/{workspace_id}/anonymous/run`, auth: "meta:read",
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

export const convertAndBetaRoutes: RouteDef[] = runAndConvertRoutes;
