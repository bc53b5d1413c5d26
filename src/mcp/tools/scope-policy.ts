/**
 * Which tool needs which scope (the scopes themselves: src/oauth/scopes.ts). Pure policy, no I/O.
 *
 *   xano:read   every tool whose annotations say readOnlyHint: true, and xano_call_operation
 *   xano:write  every other tool
 *
 * A write tool called with a read-only token gets the 403 step-up challenge, which names every
 * scope the call needs, not only the missing one (MCP 2025-11-25 "Scope challenge handling").
 */
import type { JsonRpcBody } from "../json-rpc-body";
import { READ_WRITE_SCOPES } from "../../oauth/scopes";
import type { ToolDefinition } from "./registry";

type ScopedTool = { annotations: Pick<ToolDefinition["annotations"], "readOnlyHint">; checksScopePerCall?: boolean };

/** Every scope a call of a write tool needs: what the 403 challenge names. */
export const WRITE_TOOL_SCOPES: readonly string[] = READ_WRITE_SCOPES;

/**
 * A tool that changes data. xano_call_operation is not one at this level: it is listed for
 * read-only grants and refuses, per call, any operation whose kind is not read.
 */
export function isWriteTool(tool: ScopedTool): boolean {
  return tool.annotations.readOnlyHint !== true && tool.checksScopePerCall !== true;
}

/** The tools a caller sees (and may call). */
export function toolsAllowed<T extends ScopedTool>(tools: readonly T[], canWrite: boolean): T[] {
  return canWrite ? [...tools] : tools.filter((tool) => !isWriteTool(tool));
}

/** The write tools a JSON-RPC body (one message or a batch) tries to call. */
export function writeToolsCalled(body: JsonRpcBody, tools: readonly (ScopedTool & Pick<ToolDefinition, "name">)[]): string[] {
  const writeNames = new Set(tools.filter(isWriteTool).map((tool) => tool.name));
  return body.toolCalls.filter((name) => writeNames.has(name));
}
