// The 14 kinds of XanoScript object in Xano's Metadata API description, as the contract cases
// expect them: where each lives under a workspace, its script keyword, whether it keeps drafts and
// takes a security GUID, the fields of its record (the description's order), its default sort, and
// one well-formed script of it (with what it refers to, created first). tests/node/fake-xano.test.ts
// keeps this table equal to the fake's own (fake-xano/logic-kinds.ts), which is checked against the description.

export interface XanoScriptKind {
  kind: string;
  /** Under /workspace/{workspace_id}/. */
  path: string;
  keyword: string;
  drafts: boolean;
  security: boolean;
  fields: readonly string[];
  defaultSort: "created_at" | "name";
}

const COMMON = ["id", "created_at", "updated_at", "name", "description"];

export const XANOSCRIPT_KINDS: readonly XanoScriptKind[] = [
  { kind: "function", path: "function", keyword: "function", drafts: true, security: true, defaultSort: "created_at", fields: [...COMMON, "docs", "guid", "branch", "cache", "tag"] },
  { kind: "middleware", path: "middleware", keyword: "middleware", drafts: true, security: true, defaultSort: "created_at", fields: [...COMMON, "guid", "branch", "tag"] },
  { kind: "addon", path: "addon", keyword: "addon", drafts: true, security: true, defaultSort: "created_at", fields: [...COMMON, "guid", "branch", "tag"] },
  { kind: "task", path: "task", keyword: "task", drafts: true, security: true, defaultSort: "created_at", fields: [...COMMON, "docs", "guid", "datasource", "active", "branch", "tag"] },
  { kind: "table_trigger", path: "table/trigger", keyword: "table_trigger", drafts: true, security: true, defaultSort: "created_at", fields: [...COMMON, "guid", "branch", "tag", "datasources", "actions"] },
  { kind: "workspace_trigger", path: "trigger", keyword: "workspace_trigger", drafts: true, security: true, defaultSort: "created_at", fields: [...COMMON, "guid", "branch", "tag", "actions"] },
  { kind: "agent", path: "agent", keyword: "agent", drafts: false, security: false, defaultSort: "created_at", fields: [...COMMON, "branch", "llm", "tag"] },
  { kind: "agent_trigger", path: "agent/trigger", keyword: "agent_trigger", drafts: true, security: true, defaultSort: "created_at", fields: [...COMMON, "guid", "branch", "tag", "actions"] },
  { kind: "tool", path: "tool", keyword: "tool", drafts: true, security: true, defaultSort: "created_at", fields: [...COMMON, "docs", "instructions", "guid", "branch", "tag"] },
  { kind: "mcp_server", path: "mcp_server", keyword: "mcp_server", drafts: false, security: false, defaultSort: "created_at", fields: [...COMMON, "branch", "tag"] },
  { kind: "mcp_server_trigger", path: "mcp_server/trigger", keyword: "mcp_server_trigger", drafts: true, security: true, defaultSort: "created_at", fields: [...COMMON, "guid", "branch", "tag", "actions"] },
  { kind: "realtime_channel", path: "realtime/channel", keyword: "realtime_channel", drafts: false, security: false, defaultSort: "name", fields: ["id", "name", "active"] },
  { kind: "realtime_trigger", path: "realtime/channel/trigger", keyword: "realtime_trigger", drafts: true, security: true, defaultSort: "created_at", fields: [...COMMON, "guid", "branch", "tag", "actions"] },
  { kind: "workflow_test", path: "workflow_test", keyword: "workflow_test", drafts: true, security: true, defaultSort: "created_at", fields: [...COMMON, "docs", "guid", "datasource", "branch", "tag"] },
];

/** A well-formed script of each kind, with what a kind needs to refer to (created first). */
export const SCRIPTS: Record<string, { script: (name: string) => string; needs?: Array<{ path: string; script: string }> }> = {
  function: { script: (n) => `function ${n} {\n  input {\n    int score\n  }\n  stack {\n    var $x1 {\n      value = $input.score + 1\n    }\n  }\n  response = $x1\n}\n` },
  middleware: { script: (n) => `middleware ${n} {\n  input {\n  }\n  stack {\n  }\n  response = null\n}\n` },
  addon: { script: (n) => `addon ${n} {\n  input {\n    int order_id\n  }\n  stack {\n    db.query orders {\n      where = $db.orders.id == $input.order_id\n      return = {type: "single"}\n    }\n  }\n}\n` },
  task: { script: (n) => `task ${n} {\n  description = "nightly"\n  stack {\n    var $x1 {\n      value = 1\n    }\n  }\n  schedule = [{starts_on: 2026-01-01 00:00:00+0000, freq: 86400}]\n}\n` },
  table_trigger: { script: (n) => `table_trigger ${n} {\n  table = "customers"\n  input {\n    json new\n  }\n  stack {\n  }\n  actions = {insert: true, update: true}\n}\n` },
  workspace_trigger: { script: (n) => `workspace_trigger ${n} {\n  stack {\n  }\n  actions = {branch_live: true}\n}\n` },
  agent: { script: (n) => `agent ${n} {\n  canonical = "support"\n  llm = {\n    type: "anthropic"\n    max_steps: 5\n  }\n  tools = []\n}\n` },
  agent_trigger: {
    script: (n) => `agent_trigger ${n} {\n  agent = "helper"\n  stack {\n  }\n  actions = {connection: true}\n}\n`,
    needs: [{ path: "agent", script: `agent helper {\n  llm = {type: "anthropic"}\n}\n` }],
  },
  tool: { script: (n) => `tool ${n} {\n  instructions = "Looks a customer up."\n  input {\n    email email\n  }\n  stack {\n  }\n  response = null\n}\n` },
  mcp_server: { script: (n) => `mcp_server ${n} {\n  description = "shop tools"\n  canonical = "shop"\n  tags = ["shop"]\n}\n` },
  mcp_server_trigger: {
    script: (n) => `mcp_server_trigger ${n} {\n  mcp_server = "shop_tools"\n  stack {\n  }\n}\n`,
    needs: [{ path: "mcp_server", script: `mcp_server shop_tools {\n  canonical = "st"\n}\n` }],
  },
  realtime_channel: { script: (n) => `realtime_channel ${n} {\n  public_messaging = {active: false}\n  settings = {presence: false}\n}\n` },
  realtime_trigger: {
    script: (n) => `realtime_trigger ${n} {\n  channel = "room"\n  stack {\n  }\n  actions = {message: true}\n}\n`,
    needs: [{ path: "realtime/channel", script: `realtime_channel room {\n  settings = {presence: true}\n}\n` }],
  },
  workflow_test: { script: (n) => `workflow_test ${n} {\n  stack {\n    var $x1 {\n      value = 1 + 2\n    }\n  }\n}\n` },
};
