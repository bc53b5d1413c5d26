/**
 * Tools are declared as data (name, title, description, zod input, annotations, run) and grouped
 * by Xano area in this folder. `registerTools` puts them on the per-request SDK v2 `McpServer` of
 * the one MCP door (mcp/server.ts), which serves both /mcp and the legacy /sse, so the two
 * endpoints can never drift apart.
 */
import type { z } from "zod";
import { XanoApiError, describeXanoError, describeXanoScriptRejection } from "../../xano/errors";
import type { XanoMetaClient } from "../../xano/client";
import type { XanoAccountClient } from "../../xano/account";
import type { GrantProps } from "../../credentials/grant-props";
import type { XanoCredential } from "../../credentials/credential";
import { CredentialDeadError, type CredentialHandle } from "../../credentials/credential-handle";
import { failure, success, type ToolResult } from "../envelope";
import { log, markPhase } from "../../observability/log";
import { maskSecrets } from "../../credentials/secret-mask";
import { OPERATIONS, type OperationKind } from "../../xano/operations";
import type { Toolset } from "./toolsets";

export interface ToolContext {
  props: GrantProps;
  /** The handle on the grant's credential store for this call (debug tools use it directly). */
  credentialHandle: CredentialHandle;
  /** The credential as it was when the call started. Secret: never return its tokens. */
  credential: XanoCredential;
  /** The signed-in instance's Meta API. */
  meta: XanoMetaClient;
  /** Xano's account API, with the same credential. */
  account: XanoAccountClient;
  /** Whether this connection may change data (its grant and token carry xano:write). */
  canWrite: boolean;
}

export interface ToolOutcome {
  message: string;
  data: unknown;
}

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * What a tool does, declared by every tool: the kind of the Xano operation(s) it performs;
 * "per-operation" for xano_call_operation (its arguments name the operation); "session" for the
 * debug tools, which act only on this connection's own credential and declare their annotations.
 */
export type ToolKind = OperationKind | "per-operation" | "session";

export interface ToolSpec<Input extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** The Xano area this tool belongs to (for grouping in code and messages). */
  area: string;
  /** Default: from `area` (see AREA_TOOLSETS). */
  toolset?: Toolset;
  /** On the common path: listed in the default selection (toolsets.ts). */
  common?: boolean;
  input: Input;
  kind: ToolKind;
  /** Ids of the operations (operations.generated.ts) this tool sends; [] for tools outside the Meta API. */
  operations: readonly string[];
  /** Only for kind "session"; every other kind derives them. */
  annotations?: ToolAnnotations;
  /** What a call does, as the phrase after "while trying to" in messages, e.g. "list the tables of workspace 1". */
  describe(args: z.infer<Input>): string;
  /** The Metadata API permission, when it differs from what the operations name (or depends on the arguments). */
  xanoPermission?: string | ((args: z.infer<Input>) => string | undefined);
  run(args: z.infer<Input>, context: ToolContext): Promise<ToolOutcome>;
}

export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject> extends ToolSpec<Input> {
  toolset: Toolset;
  annotations: ToolAnnotations;
  /** Listed for read-only grants too, and refuses write operations itself (xano_call_operation). */
  checksScopePerCall?: boolean;
}

export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
/** Creates something new; calling twice creates two. */
export const CREATES: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
/**
 * Changes something in place. Overwriting values is destructive in MCP's sense ("may perform
 * destructive updates", not "only additive"), so clients should confirm these too; calling twice
 * with the same arguments leaves the same result.
 */
export const UPDATES: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };
/** Deletes, truncates or replaces data: clients should confirm with the person first. */
export const DESTRUCTIVE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };
/** Runs code in Xano: it may change anything the code touches and call other services. */
export const RUNS_CODE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

/** The annotations each kind implies (MCP's hints, derived, never written by hand). */
export const ANNOTATIONS_OF: Record<Exclude<ToolKind, "session">, ToolAnnotations> = {
  read: READ_ONLY,
  create: CREATES,
  update: UPDATES,
  destructive: DESTRUCTIVE,
  "runs-code": RUNS_CODE,
  "per-operation": RUNS_CODE,
};

/** The kinds a tool name's verb allows (`xano_<verb>_<object>`); the check that name and kind agree. */
const VERB_KINDS: Record<string, readonly ToolKind[]> = {
  list: ["read"], get: ["read"], browse: ["read"], search: ["read"], export: ["read"], find: ["read"], convert: ["read"], whoami: ["read"],
  create: ["create"], add: ["create"], upload: ["create"],
  update: ["update"], rename: ["update"], set: ["update"],
  delete: ["destructive"], truncate: ["destructive"], replace: ["destructive"], import: ["destructive"], cleanup: ["destructive"],
  run: ["runs-code"], call: ["per-operation"],
  // Debug tools (debug_<verb>_…): they act on this connection's own credential.
  auth: ["read"], expire: ["session"], refresh: ["session"],
};
const SEVERITY: Record<OperationKind, number> = { read: 0, create: 1, update: 2, destructive: 3, "runs-code": 4 };

/** Where the existing areas sit among the toolsets. */
const AREA_TOOLSETS: Record<string, Toolset> = {
  "Account and instances": "account",
  "Debug (DEBUG_TOOLS=true)": "account",
  Workspaces: "operations",
  Tables: "data",
  Schema: "data",
  Indexes: "data",
  Records: "data",
  Files: "data",
  "API groups and endpoints": "logic",
  Functions: "logic",
  "Request history": "operations",
};

/** The verb of a tool name: xano_bulk_create_records → create; whoami → whoami; debug_auth → auth. */
export function verbOf(name: string): string {
  const words = name.split("_");
  if (words[0] === "debug") return words[1];
  if (words[0] !== "xano") return words[0];
  return words[1] === "bulk" ? words[2] : words[1];
}

/**
 * Builds a tool, refusing one whose name, kind, operations and annotations disagree: a read verb
 * with a write kind, a kind milder than the operations it sends, an unknown operation, or
 * hand-written annotations that differ from the kind's. Runs at module load, so a wrong tool
 * stops the Worker (and every test) instead of misleading a client.
 */
export function defineTool<Input extends z.ZodObject>(spec: ToolSpec<Input>): ToolDefinition {
  const problem = (text: string) => new Error(`tool ${spec.name}: ${text}`);
  const verb = verbOf(spec.name);
  const toolset = spec.toolset ?? AREA_TOOLSETS[spec.area];
  if (!toolset) throw problem(`no toolset for area "${spec.area}"`);
  const allowed = VERB_KINDS[verb];
  if (!allowed) throw problem(`unknown verb "${verb}" (add it to VERB_KINDS with the kinds it allows)`);
  if (!allowed.includes(spec.kind)) throw problem(`the verb "${verb}" means ${allowed.join(" or ")}, not ${spec.kind}`);
  if (spec.kind === "session") {
    if (!spec.name.startsWith("debug_") || !spec.annotations) throw problem('kind "session" is for debug tools, which declare their annotations');
    if (spec.annotations.readOnlyHint) throw problem('a "session" tool changes the session: readOnlyHint must be false');
  } else {
    if (spec.annotations && JSON.stringify(spec.annotations) !== JSON.stringify(ANNOTATIONS_OF[spec.kind])) throw problem(`annotations disagree with kind ${spec.kind}`);
  }
  const rows = spec.operations.map((id) => OPERATIONS.get(id) ?? (() => { throw problem(`unknown operation "${id}"`); })());
  if (spec.kind !== "session" && spec.kind !== "per-operation" && rows.length > 0) {
    const strongest = rows.reduce((a, b) => (SEVERITY[b.kind] > SEVERITY[a.kind] ? b : a)).kind;
    if (strongest !== spec.kind) throw problem(`kind ${spec.kind} but its operations are at most ${strongest}`);
  }
  const annotations = spec.kind === "session" ? spec.annotations! : ANNOTATIONS_OF[spec.kind];
  return { ...spec, toolset, annotations, checksScopePerCall: spec.kind === "per-operation" } as unknown as ToolDefinition;
}

/**
 * A refusal by this server (not by Xano): the tool checked something before calling Xano. It
 * answers in the envelope as ours, naming the field when there is one.
 */
export class ToolRefusal extends Error {
  constructor(
    readonly code: "INVALID_INPUT" | "NOT_FOUND" | "INSUFFICIENT_SCOPE",
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ToolRefusal";
  }
}

/**
 * The permission a tool needs, as Xano names it for the strongest operation the tool sends
 * (e.g. "Workspace Content: Delete"), or undefined for tools outside the Meta API.
 */
export function permissionFor(tool: ToolDefinition, args?: unknown): string | undefined {
  if (typeof tool.xanoPermission === "function") return tool.xanoPermission(args as never);
  if (tool.xanoPermission) return tool.xanoPermission;
  const rows = tool.operations.map((id) => OPERATIONS.get(id)).filter((row) => row !== undefined);
  if (rows.length === 0) return undefined;
  const strongest = rows.reduce((a, b) => (SEVERITY[b.kind] > SEVERITY[a.kind] ? b : a));
  return strongest.permission ?? undefined;
}

/** Runs a tool and maps every failure to the one envelope. Xano errors are mapped in one place. */
export async function runTool(tool: ToolDefinition, args: unknown, getContext: () => Promise<ToolContext>): Promise<ToolResult> {
  const parsed = tool.input.safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "(arguments)";
    return failure(tool.name, {
      code: "INVALID_INPUT",
      message: `Invalid argument "${field}": ${issue?.message ?? "invalid"}.`,
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) },
    });
  }
  let context: ToolContext | null = null;
  let result: ToolResult;
  try {
    context = await getContext();
    markPhase("context");
    const outcome = await tool.run(parsed.data, context);
    markPhase("run");
    result = success(tool.name, outcome.message, outcome.data);
  } catch (error) {
    result = failed(tool, parsed.data, error);
  }
  // Whatever Xano answered, the caller's own tokens never reach the model (credentials/secret-mask.ts).
  return maskSecrets(result, context?.credentialHandle.secrets() ?? []);
}

function failed(tool: ToolDefinition, args: Record<string, unknown>, error: unknown): ToolResult {
  if (error instanceof CredentialDeadError) {
    return failure(tool.name, {
      code: "XANO_REAUTH_REQUIRED",
      message: `Your Xano sign-in has ended (${error.reason}). Reconnect this server in your MCP client to sign in again.`,
    });
  }
  if (error instanceof ToolRefusal) {
    return failure(tool.name, { code: error.code, message: error.message, ...(error.field ? { details: { field: error.field } } : {}) });
  }
  if (error instanceof XanoApiError) {
    const what = tool.describe(args);
    // A refused script gets Xano's own words (and line) and the fix-and-retry loop, not a generic 400.
    const data = args as { xanoscript?: unknown; arguments?: { xanoscript?: unknown } };
    const sentScript = typeof data.xanoscript === "string" || typeof data.arguments?.xanoscript === "string";
    if (sentScript && error.status === 400) return failure(tool.name, describeXanoScriptRejection(error, what));
    return failure(tool.name, describeXanoError(error, what, permissionFor(tool, args)));
  }
  // A bug of ours: say so without leaking internals (stack traces, tokens).
  log("tool_crashed", { tool: tool.name, reason: String((error as Error)?.name ?? "Error") });
  return failure(tool.name, { code: "INTERNAL_ERROR", message: `The server failed while trying to ${tool.describe(args)}. This is a bug; please report it.` });
}

/** The structural part of SDK v1 and v2 `McpServer` that registration needs. */
export interface ToolHost {
  registerTool(name: string, config: Record<string, unknown>, callback: (args: unknown, extra: unknown) => Promise<ToolResult>): unknown;
  validateToolInput?: (tool: unknown, args: unknown, toolName: string) => Promise<unknown>;
}

export function registerTools(server: ToolHost, tools: readonly ToolDefinition[], getContext: () => Promise<ToolContext>, onCalled?: ToolCallObserver): void {
  // Both SDKs validate arguments against the listed schema before calling a tool and answer a
  // failure with a bare "Input validation error" text, outside our envelope. The schema stays
  // registered (tools/list advertises it exactly), but validation is left to runTool, which
  // answers INVALID_INPUT in the envelope naming the field. Both SDK versions route every
  // tools/call through this one instance method (sdk 1.32 server/mcp.js, server 2.4 McpServer).
  server.validateToolInput = async (_tool, args) => args ?? {};
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: { title: tool.title, ...tool.annotations } },
      async (args) => observed(tool.name, args, () => runTool(tool, args, getContext), onCalled),
    );
  }
}

/** Told of every tool call once it has its answer (the person's activity: src/activity/record.ts). */
export type ToolCallObserver = (tool: string, args: unknown, result: ToolResult, startedAt: number, durationMs: number) => void;

/** Runs a call and tells `onCalled` how it went; an observer that throws never changes the answer. */
export async function observed(name: string, args: unknown, run: () => Promise<ToolResult>, onCalled?: ToolCallObserver): Promise<ToolResult> {
  const startedAt = Date.now();
  const started = performance.now();
  const result = await run();
  try {
    onCalled?.(name, args, result, startedAt, performance.now() - started);
  } catch (error) {
    log("activity_failed", { tool: name, error: (error as Error)?.name ?? "Error" });
  }
  return result;
}
