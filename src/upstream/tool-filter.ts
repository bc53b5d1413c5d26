/**
 * Which upstream tools a connection lists and may call: pure decisions from the operator's
 * configuration (tools.allow / tools.deny, readOnly) and the grant (read-only or not).
 *
 * A read-only grant, or a server the operator made readOnly, sees and calls only the tools the
 * upstream marks `readOnlyHint: true` (MCP's default is false: an unannotated tool may write).
 */
import type { UpstreamServer } from "./servers";

export interface UpstreamTool {
  name: string;
  annotations?: { readOnlyHint?: boolean };
  [key: string]: unknown;
}

export function readOnlyTool(tool: UpstreamTool): boolean {
  return tool.annotations?.readOnlyHint === true;
}

/** The operator's lists (and readOnly flag): whether this server offers the tool at all. */
export function operatorOffers(server: Pick<UpstreamServer, "allow" | "deny" | "readOnly">, tool: UpstreamTool): boolean {
  if (server.deny.includes(tool.name)) return false;
  if (server.allow && !server.allow.includes(tool.name)) return false;
  return !server.readOnly || readOnlyTool(tool);
}

/** What tools/list shows this connection. */
export function listedTools<T extends UpstreamTool>(server: Pick<UpstreamServer, "allow" | "deny" | "readOnly">, tools: readonly T[], canWrite: boolean): T[] {
  return tools.filter((tool) => operatorOffers(server, tool) && (canWrite || readOnlyTool(tool)));
}

export type CallDecision =
  | { allowed: true }
  /** Not offered here (unknown upstream, or hidden by the operator): the call gets a tool error. */
  | { allowed: false; reason: "not_offered" }
  /** Offered, but it may write and the grant is read-only: the 403 step-up challenge. */
  | { allowed: false; reason: "needs_write" };

export function decideCall(server: Pick<UpstreamServer, "allow" | "deny" | "readOnly">, tool: UpstreamTool | undefined, canWrite: boolean): CallDecision {
  if (!tool || !operatorOffers(server, tool)) return { allowed: false, reason: "not_offered" };
  if (!canWrite && !readOnlyTool(tool)) return { allowed: false, reason: "needs_write" };
  return { allowed: true };
}
