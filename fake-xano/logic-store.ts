// State for the operations added for issue 13: XanoScript objects of every kind (functions,
// tasks, triggers, agents, …), audit logs, run history of functions/middleware/tasks/triggers/tools,
// data sources, realtime settings and static hosts. It hangs off the Store through a WeakMap, so
// reset() (which builds a new Store) rebuilds it too, and store.ts needs no field for it.
// The seed's functions (seed-workspace-assets.ts) become published function objects with a
// generated script, so the function list keeps answering what it answered before.

import { SEED_EPOCH_MS } from "../fixtures/seed";
import { LOGIC_KINDS, type LogicKindId, type LogicVersion } from "./logic-kinds";
import type { Store } from "./store";
import { checkXanoScript, skeletonScript } from "./xanoscript";

export interface LogicObject {
  kind: LogicKindId;
  id: number;
  workspaceId: number;
  branch: string;
  guid: string;
  created_at: number;
  published: LogicVersion;
  /** A saved but unpublished version (`publish=false`); include_draft=true reads it. */
  draft?: LogicVersion;
  /** The API group GUID set through `…/security` ("" = no restriction). */
  securityGuid: string;
}

export interface AuditEntry {
  id: number;
  created_at: number;
  workspaceId: number;
  userId: number;
  branch: string;
  type: string;
  msg: string;
  label: string[];
  obj: { type: string; id: number };
  data: Record<string, unknown> | null;
}

export type HistoryKind = "function" | "middleware" | "task" | "trigger" | "tool";

export interface RunEntry {
  id: number;
  kind: HistoryKind;
  workspaceId: number;
  branch: string;
  created_at: number;
  /** Seconds. */
  duration: number;
  input: Record<string, unknown>;
  output: unknown;
  /** function_id, task_id, middleware_id, trigger_id, tool_id, query_id … as the kind's history names them. */
  refs: Record<string, number>;
}

export interface DataSource {
  workspaceId: number;
  label: string;
  color: string;
}

export interface RealtimeSettings {
  enabled: boolean;
  hash: string;
  channels: Array<Record<string, unknown>>;
}

export interface StaticBuild {
  id: number;
  workspaceId: number;
  host: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
  file_count: number;
  file_bytes: number;
  original: string;
  userId: number;
}

export interface StaticHost {
  id: number;
  workspaceId: number;
  name: string;
  description: string;
  created_at: number;
  dev: number | null;
  prod: number | null;
}

export interface LogicState {
  byKind: Map<LogicKindId, Map<number, LogicObject>>;
  nextId: Map<LogicKindId, number>;
  audit: AuditEntry[];
  runs: RunEntry[];
  dataSources: DataSource[];
  realtime: Map<number, RealtimeSettings>;
  staticHosts: StaticHost[];
  builds: Map<number, StaticBuild>;
  nextAuditId: number;
  nextRunId: number;
  nextBuildId: number;
}

const states = new WeakMap<Store, LogicState>();

export function logicState(store: Store): LogicState {
  let state = states.get(store);
  if (!state) {
    state = seedLogic(store);
    states.set(store, state);
  }
  return state;
}

export function objectsOf(state: LogicState, kind: LogicKindId): Map<number, LogicObject> {
  let map = state.byKind.get(kind);
  if (!map) state.byKind.set(kind, (map = new Map()));
  return map;
}

export function takeId(state: LogicState, kind: LogicKindId): number {
  const id = state.nextId.get(kind) ?? 1;
  state.nextId.set(kind, id + 1);
  return id;
}

function seedLogic(store: Store): LogicState {
  const state: LogicState = {
    byKind: new Map(), nextId: new Map(), audit: [], runs: [], dataSources: [], realtime: new Map(),
    staticHosts: [], builds: new Map(), nextAuditId: 1, nextRunId: 1, nextBuildId: 1,
  };
  for (const k of LOGIC_KINDS) state.byKind.set(k.kind, new Map());
  const functions = objectsOf(state, "function");
  for (const f of store.assets.functions) {
    const script = skeletonScript("function", f.name, f.description, "stack {\n  }\n  response = null");
    const check = checkXanoScript(script, ["function"]);
    const settings = check.ok ? check.doc.settings : {};
    functions.set(f.id, {
      kind: "function", id: f.id, workspaceId: f.workspaceId, branch: "v1", guid: `function-guid-${f.id}`, created_at: f.created_at,
      published: { name: f.name, description: f.description, docs: f.docs, tag: f.tag, script, settings, json: {}, updated_at: f.created_at },
      securityGuid: "",
    });
  }
  state.nextId.set("function", Math.max(0, ...functions.keys()) + 1);
  // Every workspace starts with its live data source and one empty static host named "default".
  for (const ws of store.workspaces) {
    state.dataSources.push({ workspaceId: ws.id, label: "live", color: "#ebc346" });
    state.staticHosts.push({ id: ws.id, workspaceId: ws.id, name: "default", description: "", created_at: SEED_EPOCH_MS, dev: null, prod: null });
  }
  // A little run history for Alice's first function, so history reads have something to page.
  for (let n = 1; n <= 3; n++) {
    state.runs.push({
      id: state.nextRunId++, kind: "function", workspaceId: 1, branch: "v1", created_at: SEED_EPOCH_MS + (500 + n) * 3_600_000,
      duration: 0.01 * n, input: { n }, output: null, refs: { function_id: 1 },
    });
  }
  return state;
}

/** Xano's `timestamptz` text, as the description writes it: "2023-04-19 21:01:32+0000". */
export function timestamptz(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "+0000");
}
