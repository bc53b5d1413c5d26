// The XanoScript object kinds of Xano's Metadata API as one table of data: where each kind lives
// (path template and id parameter, OpenAPI-style as in Xano's description), its XanoScript keyword,
// whether it keeps drafts apart from the published version (`include_draft`, `publish`), whether it
// has a `…/security` operation, whether create/update also take JSON fields, and which fields its
// record carries (the response schema of the description). routes/meta-logic.ts turns each row
// into the six routes of the kind; nothing in the engine is written per kind except `derive`/`references`.

export type LogicKindId =
  | "function" | "middleware" | "addon" | "task" | "table_trigger" | "workspace_trigger" | "agent" | "agent_trigger"
  | "tool" | "mcp_server" | "mcp_server_trigger" | "realtime_channel" | "realtime_trigger" | "workflow_test";

/** A version of an object (published, or a draft): what the script says plus JSON-only metadata. */
export interface LogicVersion {
  name: string;
  description: string;
  docs: string;
  tag: string[];
  script: string;
  settings: Record<string, unknown>;
  /** Fields set through a JSON body that XanoScript does not carry (cache, datasource, active, …). */
  json: Record<string, unknown>;
  updated_at: number;
}

export interface LogicKind {
  kind: LogicKindId;
  /** Collection path under /api:meta, OpenAPI-style ("/workspace/{workspace_id}/function"). */
  path: string;
  idParam: string;
  keyword: string;
  drafts: boolean;
  security: boolean;
  /** Create and update also accept JSON / multipart fields (name, description, …) besides XanoScript. */
  json: boolean;
  /** JSON fields a JSON create/update must carry (the description's `required`). */
  jsonRequired?: readonly string[];
  /** Lists and creates take `?branch=`. */
  branch: boolean;
  /** The record's fields, in the description's order (id/created_at/updated_at are always first when listed). */
  fields: readonly string[];
  sortable: readonly string[];
  defaultSort: string;
  /** Kind-specific fields of the record, from the version's settings and JSON fields. */
  derive?(v: LogicVersion): Record<string, unknown>;
  /** Settings that name another object and must be present ("table" for a table trigger…). */
  references?: ReadonlyArray<{ setting: string; target: "table" | LogicKindId }>;
}

const COMMON = ["id", "created_at", "updated_at", "name", "description"] as const;
const SORT = ["created_at", "updated_at", "name"] as const;

const bool = (value: unknown, fallback: boolean) => (typeof value === "boolean" ? value : fallback);
const text = (value: unknown, fallback: string) => (typeof value === "string" ? value : fallback);
const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
const objectOf = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** `actions = {insert: true}` in the script; every named action defaults to false. */
function actions(names: readonly string[]) {
  return (v: LogicVersion) => {
    const given = objectOf(v.settings.actions);
    return { actions: Object.fromEntries(names.map((n) => [n, bool(given[n], false)])) };
  };
}

const CACHE_DEFAULT = { active: false, ttl: 3600, input: true, auth: true, datasource: true, ip: false, headers: [] as string[], env: [] as string[] };

function kind(k: Omit<LogicKind, "sortable" | "defaultSort" | "branch"> & Partial<Pick<LogicKind, "sortable" | "defaultSort" | "branch">>): LogicKind {
  return { sortable: SORT, defaultSort: "created_at", branch: true, ...k };
}

export const LOGIC_KINDS: readonly LogicKind[] = [
  kind({
    kind: "function", path: "/workspace/{workspace_id}/function", idParam: "function_id", keyword: "function",
    drafts: true, security: true, json: true, jsonRequired: ["name", "description"],
    fields: [...COMMON, "docs", "guid", "branch", "cache", "tag"],
    derive: (v) => ({ cache: { ...CACHE_DEFAULT, ...objectOf(v.settings.cache), ...objectOf(v.json.cache) } }),
  }),
  kind({
    kind: "middleware", path: "/workspace/{workspace_id}/middleware", idParam: "middleware_id", keyword: "middleware",
    drafts: true, security: true, json: true, jsonRequired: ["name", "description"], fields: [...COMMON, "guid", "branch", "tag"],
  }),
  kind({
    kind: "addon", path: "/workspace/{workspace_id}/addon", idParam: "addon_id", keyword: "addon",
    drafts: true, security: true, json: false, fields: [...COMMON, "guid", "branch", "tag"],
  }),
  kind({
    kind: "task", path: "/workspace/{workspace_id}/task", idParam: "task_id", keyword: "task",
    drafts: true, security: true, json: true, jsonRequired: ["name", "description", "datasource", "active"],
    fields: [...COMMON, "docs", "guid", "datasource", "active", "branch", "tag"],
    derive: (v) => ({
      datasource: text(v.json.datasource, text(v.settings.datasource, "live")),
      active: bool(v.json.active, bool(v.settings.active, true)),
    }),
  }),
  kind({
    kind: "table_trigger", path: "/workspace/{workspace_id}/table/trigger", idParam: "trigger_id", keyword: "table_trigger",
    drafts: true, security: true, json: false,
    fields: [...COMMON, "guid", "branch", "tag", "datasources", "actions"],
    derive: (v) => ({ datasources: strings(v.settings.datasources), ...actions(["insert", "update", "delete", "truncate"])(v) }),
    references: [{ setting: "table", target: "table" }],
  }),
  kind({
    kind: "workspace_trigger", path: "/workspace/{workspace_id}/trigger", idParam: "trigger_id", keyword: "workspace_trigger",
    drafts: true, security: true, json: false,
    fields: [...COMMON, "guid", "branch", "tag", "actions"],
    derive: actions(["branch_live", "branch_merge", "branch_new"]),
  }),
  kind({
    kind: "agent", path: "/workspace/{workspace_id}/agent", idParam: "agent_id", keyword: "agent",
    drafts: false, security: false, json: false,
    fields: [...COMMON, "branch", "llm", "tag"],
    derive: (v) => ({ llm: objectOf(v.settings.llm) }),
  }),
  kind({
    kind: "agent_trigger", path: "/workspace/{workspace_id}/agent/trigger", idParam: "trigger_id", keyword: "agent_trigger",
    drafts: true, security: true, json: false,
    fields: [...COMMON, "guid", "branch", "tag", "actions"],
    derive: actions(["connection"]),
    references: [{ setting: "agent", target: "agent" }],
  }),
  kind({
    kind: "tool", path: "/workspace/{workspace_id}/tool", idParam: "tool_id", keyword: "tool",
    drafts: true, security: true, json: false,
    fields: [...COMMON, "docs", "instructions", "guid", "branch", "tag"],
    derive: (v) => ({ instructions: text(v.settings.instructions, "") }),
  }),
  kind({
    kind: "mcp_server", path: "/workspace/{workspace_id}/mcp_server", idParam: "mcp_server_id", keyword: "mcp_server",
    drafts: false, security: false, json: false, fields: [...COMMON, "branch", "tag"],
  }),
  kind({
    kind: "mcp_server_trigger", path: "/workspace/{workspace_id}/mcp_server/trigger", idParam: "trigger_id", keyword: "mcp_server_trigger",
    drafts: true, security: true, json: false,
    fields: [...COMMON, "guid", "branch", "tag", "actions"],
    derive: actions(["connection"]),
    references: [{ setting: "mcp_server", target: "mcp_server" }],
  }),
  kind({
    kind: "realtime_channel", path: "/workspace/{workspace_id}/realtime/channel", idParam: "channel_id", keyword: "realtime_channel",
    drafts: false, security: false, json: false, branch: false,
    fields: ["id", "name", "active"], sortable: ["name"], defaultSort: "name",
    derive: (v) => ({ active: bool(v.settings.active, true) }),
  }),
  kind({
    kind: "realtime_trigger", path: "/workspace/{workspace_id}/realtime/channel/trigger", idParam: "trigger_id", keyword: "realtime_trigger",
    drafts: true, security: true, json: false,
    fields: [...COMMON, "guid", "branch", "tag", "actions"],
    derive: actions(["message", "join"]),
    references: [{ setting: "channel", target: "realtime_channel" }],
  }),
  kind({
    kind: "workflow_test", path: "/workspace/{workspace_id}/workflow_test", idParam: "workflow_test_id", keyword: "workflow_test",
    drafts: true, security: true, json: true, jsonRequired: ["name", "description", "datasource", "active"],
    fields: [...COMMON, "docs", "guid", "datasource", "branch", "tag"],
    derive: (v) => ({ datasource: text(v.json.datasource, text(v.settings.datasource, "live")) }),
  }),
];

export function logicKind(id: LogicKindId): LogicKind {
  const found = LOGIC_KINDS.find((k) => k.kind === id);
  if (!found) throw new Error(`unknown logic kind ${id}`);
  return found;
}
