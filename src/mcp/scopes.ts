/**
 * Scopes: what a grant may do. Pure policy, no I/O.
 *
 *   xano:read   list and read (every tool whose annotations say readOnlyHint: true)
 *   xano:write  also create, change and delete (every other tool)
 *
 * A read-write grant carries both, so a read-only check is always "has xano:read" and the write
 * check "has xano:write"; the 403 step-up challenge names both (MCP 2025-11-25 "Scope challenge
 * handling": the challenge lists every scope the operation needs, not only the missing one).
 *
 * What gets granted when a client asks: the consent page preselects what the client asked for
 * (read-only if it asked for xano:read alone) and read-write otherwise — when it asked for
 * nothing, or only for scopes that mean nothing here (mcp-remote sends "openid email profile").
 * Such a client asked without knowing our scopes; it meant "use the server", which before scopes
 * existed was read-write, and many clients never step up. The person can always narrow it to
 * read-only on the consent page.
 *
 * The grant's props record the access the person chose (`GrantProps.access`), because a token's
 * scopes can be narrowed by the client at the token endpoint but never widened: a token may write
 * only if its grant was approved read-write AND the token still carries xano:write. Grants made
 * before scopes existed have no `access`; they were approved as "read and change", so they keep
 * full access.
 */
import type { JsonRpcBody } from "./json-rpc-body";
import type { ToolDefinition } from "./tools/registry";

export const READ_SCOPE = "xano:read";
export const WRITE_SCOPE = "xano:write";

/** Everything this server grants: advertised as `scopes_supported` in both metadata documents. */
export const SUPPORTED_SCOPES = [READ_SCOPE, WRITE_SCOPE] as const;
export const READ_ONLY_SCOPES: readonly string[] = [READ_SCOPE];
export const READ_WRITE_SCOPES: readonly string[] = [READ_SCOPE, WRITE_SCOPE];

export type Access = "read" | "read_write";

/** The access the consent page preselects for a request's scopes. */
export function defaultAccess(requested: readonly string[]): Access {
  const ours = requested.filter((scope) => (SUPPORTED_SCOPES as readonly string[]).includes(scope));
  return ours.length > 0 && !ours.includes(WRITE_SCOPE) ? "read" : "read_write";
}

export function scopesFor(access: Access): string[] {
  return [...(access === "read" ? READ_ONLY_SCOPES : READ_WRITE_SCOPES)];
}

export function parseAccess(value: unknown): Access | null {
  return value === "read" || value === "read_write" ? value : null;
}

/**
 * Whether a token may write: its grant was approved read-write and the token (perhaps narrowed at
 * the token endpoint) still carries xano:write. A grant from before scopes (no `access`) may.
 */
export function mayWrite(tokenScopes: readonly string[], grantAccess: Access | undefined): boolean {
  if (grantAccess === undefined) return true;
  return grantAccess === "read_write" && tokenScopes.includes(WRITE_SCOPE);
}

/**
 * A tool that changes data. xano_call_operation is not one at this level: it is listed for
 * read-only grants and refuses, per call, any operation whose kind is not read.
 */
export function isWriteTool(tool: Pick<ToolDefinition, "annotations"> & { checksScopePerCall?: boolean }): boolean {
  return tool.annotations.readOnlyHint !== true && tool.checksScopePerCall !== true;
}

/** The tools a caller sees (and may call). */
export function toolsAllowed<T extends Pick<ToolDefinition, "annotations"> & { checksScopePerCall?: boolean }>(tools: readonly T[], canWrite: boolean): T[] {
  return canWrite ? [...tools] : tools.filter((tool) => !isWriteTool(tool));
}

/** The write tools a JSON-RPC body (one message or a batch) tries to call. */
export function writeToolsCalled(body: JsonRpcBody, tools: readonly (Pick<ToolDefinition, "name" | "annotations"> & { checksScopePerCall?: boolean })[]): string[] {
  const writeNames = new Set(tools.filter(isWriteTool).map((tool) => tool.name));
  return body.toolCalls.filter((name) => writeNames.has(name));
}

/** For people: "Read only" or "Read and write". */
export function describeAccess(grantScopes: readonly string[]): string {
  const ours = grantScopes.filter((scope) => (SUPPORTED_SCOPES as readonly string[]).includes(scope));
  return ours.length === 0 || ours.includes(WRITE_SCOPE) ? "Read and write" : "Read only";
}
