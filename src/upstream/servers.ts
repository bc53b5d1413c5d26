/**
 * UPSTREAM_MCP_SERVERS: the MCP servers this front door also serves, each at /servers/{name}/mcp
 * (README "Put any MCP server behind this front door"). A JSON array, parsed and validated once at
 * start-up by config.ts: a bad entry stops the Worker with a message naming the entry and its field.
 *
 *   { "name": "support", "url": "https://…/mcp", "auth": "none" | "bearer" | "oauth",
 *     "title"?: "…", "tools"?: { "allow"?: [...], "deny"?: [...] }, "readOnly"?: true,
 *     "clientId"?: "…", "clientSecret"?: "…" }        (the last two for oauth only)
 *
 * Upstream URLs follow the one rule for every upstream host (lib/upstream-url.ts): https, plain
 * http only for loopback.
 */
import { parseUpstreamUrl } from "../lib/upstream-url";
import type { UpstreamAuth } from "../credentials/upstream-credential";

export interface UpstreamServer {
  /** Its path segment: /servers/{name}/mcp. */
  name: string;
  /** The upstream's MCP endpoint (Streamable HTTP). */
  url: string;
  auth: UpstreamAuth;
  /** Shown on the consent page and /apps; the name when unset. */
  title: string;
  /** Only these tools are listed and callable (null: every tool). */
  allow: readonly string[] | null;
  /** These tools are never listed nor callable. */
  deny: readonly string[];
  /** Only tools the upstream marks `readOnlyHint: true`, whatever the grant allows. */
  readOnly: boolean;
  /** oauth: a client id registered with the upstream's authorization server (else CIMD or dynamic registration). */
  clientId: string | null;
  /** oauth: that client's secret, if it is a confidential one. Secret. */
  clientSecret: string | null;
}

export const SERVER_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const AUTH_KINDS: readonly UpstreamAuth[] = ["none", "bearer", "oauth"];
const TOOL_NAME = /^[A-Za-z0-9_.\/-]{1,128}$/;
const TITLE_MAX = 100;
const FIELDS = new Set(["name", "url", "auth", "title", "tools", "readOnly", "clientId", "clientSecret"]);

export type ServersResult = { ok: true; servers: UpstreamServer[] } | { ok: false; problems: string[] };

/** The variable's raw value (unset or blank: no upstream servers). */
export function parseUpstreamServers(raw: unknown): ServersResult {
  if (raw === undefined || raw === null || String(raw).trim() === "") return { ok: true, servers: [] };
  let parsed: unknown;
  try {
    parsed = typeof raw === "string" ? JSON.parse(raw) : raw;
  } catch {
    return { ok: false, problems: [`UPSTREAM_MCP_SERVERS must be a JSON array of servers, like [{"name":"support","url":"https://mcp.example.com/mcp","auth":"bearer"}] (it is not valid JSON).`] };
  }
  if (!Array.isArray(parsed)) return { ok: false, problems: [`UPSTREAM_MCP_SERVERS must be a JSON array of servers, like [{"name":"support","url":"https://mcp.example.com/mcp","auth":"bearer"}].`] };
  const problems: string[] = [];
  const servers: UpstreamServer[] = [];
  parsed.forEach((entry, index) => {
    const read = readServer(entry, index);
    if (!read.ok) problems.push(...read.problems);
    else if (servers.some((s) => s.name === read.server.name)) problems.push(`${label(index, read.server.name)}: "name" must be unique; "${read.server.name}" is used twice.`);
    else servers.push(read.server);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, servers };
}

function label(index: number, name: unknown): string {
  return typeof name === "string" && name ? `UPSTREAM_MCP_SERVERS entry ${index} ("${name.slice(0, 40)}")` : `UPSTREAM_MCP_SERVERS entry ${index}`;
}

function readServer(entry: unknown, index: number): { ok: true; server: UpstreamServer } | { ok: false; problems: string[] } {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return { ok: false, problems: [`${label(index, null)} must be an object with "name", "url" and "auth".`] };
  const e = entry as Record<string, unknown>;
  const at = label(index, e.name);
  const problems: string[] = [];
  for (const key of Object.keys(e)) if (!FIELDS.has(key)) problems.push(`${at}: unknown field "${key.slice(0, 40)}" (known: ${[...FIELDS].join(", ")}).`);
  if (typeof e.name !== "string" || !SERVER_NAME.test(e.name)) problems.push(`${at}: "name" must be 1 to 40 lower-case letters, digits or dashes, starting with a letter or digit (it becomes /servers/{name}/mcp).`);
  let url = "";
  if (typeof e.url !== "string") problems.push(`${at}: "url" must be the upstream server's MCP endpoint, like "https://mcp.example.com/mcp".`);
  else {
    const checked = parseUpstreamUrl(e.url);
    if (!checked.ok) problems.push(`${at}: "url" is not usable: ${checked.reason}.`);
    else url = checked.url.href;
  }
  if (typeof e.auth !== "string" || !(AUTH_KINDS as readonly string[]).includes(e.auth)) problems.push(`${at}: "auth" must be one of ${AUTH_KINDS.map((a) => `"${a}"`).join(", ")}.`);
  if (e.title !== undefined && (typeof e.title !== "string" || e.title.trim() === "" || e.title.length > TITLE_MAX)) problems.push(`${at}: "title" must be a non-empty string of at most ${TITLE_MAX} characters.`);
  if (e.readOnly !== undefined && typeof e.readOnly !== "boolean") problems.push(`${at}: "readOnly" must be true or false.`);
  const tools = readTools(e.tools, at, problems);
  for (const field of ["clientId", "clientSecret"] as const) {
    if (e[field] === undefined) continue;
    if (e.auth !== "oauth") problems.push(`${at}: "${field}" is only for "auth": "oauth".`);
    else if (typeof e[field] !== "string" || e[field] === "") problems.push(`${at}: "${field}" must be a non-empty string.`);
  }
  if (e.clientSecret !== undefined && e.clientId === undefined) problems.push(`${at}: "clientSecret" needs "clientId".`);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    server: {
      name: e.name as string,
      url,
      auth: e.auth as UpstreamAuth,
      title: typeof e.title === "string" ? e.title.trim() : (e.name as string),
      allow: tools.allow,
      deny: tools.deny,
      readOnly: e.readOnly === true,
      clientId: typeof e.clientId === "string" ? e.clientId : null,
      clientSecret: typeof e.clientSecret === "string" ? e.clientSecret : null,
    },
  };
}

function readTools(value: unknown, at: string, problems: string[]): { allow: string[] | null; deny: string[] } {
  if (value === undefined) return { allow: null, deny: [] };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push(`${at}: "tools" must be an object like {"allow": ["search"], "deny": ["delete_ticket"]}.`);
    return { allow: null, deny: [] };
  }
  const t = value as Record<string, unknown>;
  for (const key of Object.keys(t)) if (key !== "allow" && key !== "deny") problems.push(`${at}: "tools" has an unknown field "${key.slice(0, 40)}" (known: allow, deny).`);
  const list = (field: "allow" | "deny"): string[] | null => {
    if (t[field] === undefined) return null;
    if (!Array.isArray(t[field]) || !(t[field] as unknown[]).every((name) => typeof name === "string" && TOOL_NAME.test(name))) {
      problems.push(`${at}: "tools.${field}" must be a list of tool names (letters, digits, _ . / -).`);
      return null;
    }
    return t[field] as string[];
  };
  return { allow: list("allow"), deny: list("deny") ?? [] };
}

/** The configured server called `name`, if any. */
export function findServer(servers: readonly UpstreamServer[], name: string): UpstreamServer | null {
  return servers.find((server) => server.name === name) ?? null;
}
