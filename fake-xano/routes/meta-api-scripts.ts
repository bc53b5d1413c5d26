// API groups and endpoints written in XanoScript, as meta-apis.ts reads and answers them:
// - an endpoint is `query <path> verb=<VERB> { … }` (checked like every script by xanoscript.ts,
//   `verb=` required, every `function.run` naming a function of the workspace);
// - a group is `api_group <name> { canonical = "…" swagger = {active: true} description = "…" tags = […] }`;
// - an object created from JSON has no script of its own: `include_xanoscript` answers one
//   generated from its fields, so a reader always gets code to edit.
// Pure helpers (no routes): meta-apis.ts owns the routes, so endpoints and groups have one handler each.

import type { ApiVerb } from "../../fixtures/seed-workspace-assets";
import type { RequestContext } from "../context";
import { logicState } from "../logic-store";
import type { SeedWorkspace } from "../../fixtures/seed";
import { checkXanoScript } from "../xanoscript";
import { checkFunctionCalls, scriptError } from "./meta-logic";

/** Whether the request body is XanoScript (`Content-Type: text/x-xanoscript`). */
export function isXanoScript(ctx: RequestContext): boolean {
  return (ctx.request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase() === "text/x-xanoscript";
}

const bareName = (name: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name));

export function generatedGroupScript(g: { name: string; canonical: string; swagger: boolean; description: string }): string {
  const description = g.description ? `  description = ${JSON.stringify(g.description)}\n` : "";
  return `api_group ${bareName(g.name)} {\n${description}  canonical = ${JSON.stringify(g.canonical)}\n  swagger = {active: ${g.swagger}}\n}\n`;
}

export function generatedEndpointScript(api: { name: string; verb: string; description: string }): string {
  const description = api.description ? `  description = ${JSON.stringify(api.description)}\n` : "";
  return `query ${bareName(api.name)} verb=${api.verb} {\n${description}  input {\n  }\n  stack {\n  }\n  response = null\n}\n`;
}

export function parseGroupScript(script: string) {
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

export function parseEndpointScript(ctx: RequestContext, ws: SeedWorkspace, script: string, verbs: readonly ApiVerb[]) {
  const check = checkXanoScript(script, ["query"]);
  if (!check.ok) throw scriptError(check.error);
  const verb = check.doc.attributes.verb;
  if (!verb || !(verbs as readonly string[]).includes(verb)) {
    throw scriptError({ line: 1, column: 1, message: `query ${check.doc.name} needs verb=${verbs.join("|")} after its name` });
  }
  checkFunctionCalls(logicState(ctx.core.store), ws, script);
  const settings = check.doc.settings;
  return {
    name: check.doc.name.replace(/^\//, ""), verb: verb as ApiVerb,
    description: typeof settings.description === "string" ? settings.description : undefined,
    tag: Array.isArray(settings.tags) ? settings.tags.filter((t): t is string => typeof t === "string") : undefined,
  };
}
