/**
 * Toolsets: tools grouped by what a person does, so a connection can list only what it needs
 * (200+ tools in one flat list drown a model). Pure vocabulary and selection; no I/O.
 *
 * The two catalogue tools (xano_find_operations, xano_call_operation) are in every selection: they
 * reach every operation whatever the toolsets.
 */
import { isWriteTool } from "./scope-policy";

export const TOOLSETS = ["data", "logic", "agents", "mcp_servers", "realtime", "tests", "static_hosting", "operations", "account"] as const;
export type Toolset = (typeof TOOLSETS)[number];

/** What each toolset holds, for people (consent page, README). */
export const TOOLSET_LABELS: Record<Toolset, string> = {
  data: "Data: tables, schema, indexes, records, files",
  logic: "Logic: functions, API groups and endpoints, middleware, addons, tasks, table and workspace triggers",
  agents: "Agents and AI tools, with their triggers",
  mcp_servers: "MCP servers built in Xano, with their triggers",
  realtime: "Realtime settings, channels and their triggers",
  tests: "Workflow tests",
  static_hosting: "Static hosting: hosts, builds, environments",
  operations: "Operations: workspaces, branches, data sources, export and import, history, audit logs, conversion",
  account: "Account: who you are, instances",
};

/** The toolsets a connection starts from; within them only `common` tools make the default list. */
export const DEFAULT_TOOLSETS: readonly Toolset[] = ["data", "logic"];

/** Tools shown whatever the selection (plus `common` tools outside the default toolsets). */
export const CATALOGUE_TOOL_NAMES: readonly string[] = ["xano_find_operations", "xano_call_operation"];

export function isToolset(value: string): value is Toolset {
  return (TOOLSETS as readonly string[]).includes(value);
}

/**
 * What a connection lists: `undefined` for every tool, or a union of whole toolsets and the
 * common path (`"default"`: the tools marked common, about 60). Stored with a grant
 * (GrantProps.toolsets), read from XANO_TOOLSETS and from `?toolsets=` on /mcp and /sse.
 */
export const COMMON_PATH = "default";
export type ToolsetName = Toolset | typeof COMMON_PATH;
export type ToolsetChoice = readonly ToolsetName[] | undefined;

/**
 * "data,logic", "default,agents" or "all" → a choice; unknown names are reported, not dropped
 * silently. `all` means every tool (alone or beside other names).
 */
export function parseToolsetChoice(text: string): { ok: true; choice: ToolsetChoice } | { ok: false; unknown: string[] } {
  const names = text.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => n !== "all" && n !== COMMON_PATH && !isToolset(n));
  if (unknown.length > 0 || names.length === 0) return { ok: false, unknown };
  if (names.includes("all")) return { ok: true, choice: undefined };
  return { ok: true, choice: inCanonicalOrder(names as ToolsetName[]) };
}

/** Every name a choice may use, for messages and documentation. */
export const TOOLSET_CHOICE_NAMES: readonly string[] = [COMMON_PATH, ...TOOLSETS, "all"];

/** A stored choice read back: known names only, in canonical order (a grant's props are ours, but old or odd values must not widen anything). */
export function storedToolsetChoice(value: unknown): ToolsetChoice | null {
  if (!Array.isArray(value)) return null;
  return inCanonicalOrder(value.filter((n): n is ToolsetName => typeof n === "string" && (n === COMMON_PATH || isToolset(n))));
}

function inCanonicalOrder(names: readonly ToolsetName[]): ToolsetName[] {
  return [COMMON_PATH, ...TOOLSETS].filter((n) => names.includes(n as ToolsetName)) as ToolsetName[];
}

/** "data,logic" → ["data", "logic"]; unknown names are reported, not dropped silently. */
export function parseToolsets(text: string): { toolsets: Toolset[]; unknown: string[] } {
  const names = text.split(",").map((s) => s.trim()).filter(Boolean);
  return { toolsets: [...new Set(names.filter(isToolset))], unknown: names.filter((n) => !isToolset(n)) };
}

interface Selectable {
  name: string;
  toolset: Toolset;
  common?: boolean;
  annotations: { readOnlyHint: boolean };
  checksScopePerCall?: boolean;
}

/**
 * Which tools a connection lists, in the catalogue's order (deterministic):
 *  - `toolsets` undefined: every tool (today's default until the consent page offers a choice);
 *  - `"default"`: the common path (tools marked common, most in DEFAULT_TOOLSETS), about 60;
 *  - a list: every tool of those toolsets, plus the common path when it holds "default".
 * The catalogue tools are always in. A read-only grant (`canWrite: false`) keeps only read tools
 * and the tools that check the grant per call (xano_call_operation).
 */
export function selectTools<T extends Selectable>(tools: readonly T[], options: { toolsets?: ToolsetChoice | "default"; canWrite?: boolean } = {}): T[] {
  const { canWrite = true } = options;
  const toolsets = options.toolsets === COMMON_PATH ? [COMMON_PATH] : options.toolsets;
  return tools.filter((tool) => {
    const chosen =
      toolsets === undefined ||
      CATALOGUE_TOOL_NAMES.includes(tool.name) ||
      (toolsets.includes(COMMON_PATH) && tool.common === true) ||
      toolsets.includes(tool.toolset);
    const allowed = canWrite || !isWriteTool(tool);
    return chosen && allowed;
  });
}
