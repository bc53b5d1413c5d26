/**
 * Toolsets: tools grouped by what a person does, so a connection can list only what it needs
 * (200+ tools in one flat list drown a model). Pure vocabulary and selection; no I/O.
 *
 * The two catalogue tools (xano_find_operations, xano_call_operation) are in every selection: they
 * reach every operation whatever the toolsets.
 */

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
 *  - a list: every tool of those toolsets.
 * The catalogue tools are always in. A read-only grant (`canWrite: false`) keeps only read tools
 * and the tools that check the grant per call (xano_call_operation).
 */
export function selectTools<T extends Selectable>(tools: readonly T[], options: { toolsets?: readonly Toolset[] | "default"; canWrite?: boolean } = {}): T[] {
  const { toolsets, canWrite = true } = options;
  return tools.filter((tool) => {
    const chosen =
      toolsets === undefined ||
      CATALOGUE_TOOL_NAMES.includes(tool.name) ||
      (toolsets === "default" ? tool.common === true : toolsets.includes(tool.toolset));
    const allowed = canWrite || tool.annotations.readOnlyHint || tool.checksScopePerCall === true;
    return chosen && allowed;
  });
}
