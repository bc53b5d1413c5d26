/**
 * Tools are declared as data (name, title, description, zod input, annotations, run) and grouped
 * by Xano area in this folder. `registerTools` puts the same definitions on whichever MCP server
 * object a transport uses (SDK v2 for /mcp, SDK v1 inside the legacy /sse Durable Object), so the
 * two endpoints can never drift apart.
 */
import type { z } from "zod";
import { XanoApiError, describeXanoError } from "../../xano/errors";
import type { XanoAccountClient, XanoMetaClient } from "../../xano/client";
import type { GrantProps } from "../../credentials/grant-props";
import type { XanoCredential } from "../../credentials/credential";
import { CredentialDeadError, type CredentialLease } from "../../credentials/credential-lease";
import { failure, success, type ToolResult } from "../envelope";
import { log } from "../../observability/log";
import { maskSecrets } from "../../credentials/secret-mask";

export interface ToolContext {
  props: GrantProps;
  /** The grant's credential store for this call (debug tools use it directly). */
  lease: CredentialLease;
  /** The credential as it was when the call started. Secret: never return its tokens. */
  credential: XanoCredential;
  /** The signed-in instance's Meta API. */
  meta: XanoMetaClient;
  /** Xano's account API, with the same credential. */
  account: XanoAccountClient;
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

export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** The Xano area this tool belongs to (for the README and grouping). */
  area: string;
  input: Input;
  annotations: ToolAnnotations;
  /** Past tense phrase for messages, e.g. "list the tables of workspace 1". */
  describe(args: z.infer<Input>): string;
  /** The Xano Metadata API permission this tool needs, when it differs from `permissionFor`'s guess. */
  xanoPermission?: string;
  run(args: z.infer<Input>, context: ToolContext): Promise<ToolOutcome>;
}

export function defineTool<Input extends z.ZodObject>(definition: ToolDefinition<Input>): ToolDefinition {
  return definition as unknown as ToolDefinition;
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

/** Which Metadata API permission (C, R, U or D) each preset needs. */
const OPERATION_OF = new Map<ToolAnnotations, "Create" | "Read" | "Update" | "Delete">([
  [READ_ONLY, "Read"],
  [CREATES, "Create"],
  [UPDATES, "Update"],
  [DESTRUCTIVE, "Delete"],
]);

/**
 * A refusal by this server (not by Xano): the tool checked something before calling Xano. It
 * answers in the envelope as ours, naming the field when there is one.
 */
export class ToolRefusal extends Error {
  constructor(
    readonly code: "INVALID_INPUT" | "NOT_FOUND",
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ToolRefusal";
  }
}

/**
 * The permission ("Required API Scope") Xano's published Metadata API description names, by tool
 * area: table structure is "Workspace Database", records "Workspace Content", workspace details,
 * branches, data sources and export "Instance Workspace". Tools whose operation Xano files
 * differently say so with `xanoPermission`.
 */
const XANO_PERMISSION_AREA: Record<string, string> = {
  Workspaces: "Instance Workspace",
  Tables: "Workspace Database",
  Schema: "Workspace Database",
  Indexes: "Workspace Database",
  Records: "Workspace Content",
  Files: "Workspace File",
  "API groups and endpoints": "Workspace Api",
  Functions: "Workspace Function",
  "Request history": "Workspace Request History",
};

/** The permission a tool needs, e.g. "Workspace Database: Delete", or undefined for account-level tools. */
export function permissionFor(tool: ToolDefinition): string | undefined {
  if (tool.xanoPermission) return tool.xanoPermission;
  const area = XANO_PERMISSION_AREA[tool.area];
  const operation = OPERATION_OF.get(tool.annotations);
  return area && operation ? `${area}: ${operation}` : undefined;
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
    const outcome = await tool.run(parsed.data, context);
    result = success(tool.name, outcome.message, outcome.data);
  } catch (error) {
    result = failed(tool, parsed.data, error);
  }
  // Whatever Xano answered, the caller's own tokens never reach the model (credentials/secret-mask.ts).
  return maskSecrets(result, context?.lease.secrets() ?? []);
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
  if (error instanceof XanoApiError) return failure(tool.name, describeXanoError(error, tool.describe(args), permissionFor(tool)));
  // A bug of ours: say so without leaking internals (stack traces, tokens).
  log("tool_crashed", { tool: tool.name, reason: String((error as Error)?.name ?? "Error") });
  return failure(tool.name, { code: "INTERNAL_ERROR", message: `The server failed while trying to ${tool.describe(args)}. This is a bug; please report it.` });
}

/** The structural part of SDK v1 and v2 `McpServer` that registration needs. */
export interface ToolHost {
  registerTool(name: string, config: Record<string, unknown>, callback: (args: unknown, extra: unknown) => Promise<ToolResult>): unknown;
  validateToolInput?: (tool: unknown, args: unknown, toolName: string) => Promise<unknown>;
}

export function registerTools(server: ToolHost, tools: readonly ToolDefinition[], getContext: () => Promise<ToolContext>): void {
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
      async (args) => runTool(tool, args, getContext),
    );
  }
}
