/**
 * Which toolsets one MCP request lists: the grant's choice (made on the consent page, or the
 * server's XANO_TOOLSETS for grants without one), narrowed by the request's `?toolsets=` on /mcp or
 * /sse. The URL can only narrow: it never lists a tool the grant's choice leaves out. And what a
 * client that calls an unlisted tool is told.
 */
import type { Config } from "../config";
import type { GrantProps } from "../credentials/grant-props";
import { failure, type ToolResult } from "./envelope";
import type { ToolDefinition } from "./tools/registry";
import { TOOLSET_CHOICE_NAMES, TOOLSET_LABELS, parseToolsetChoice, selectTools, storedToolsetChoice, type ToolsetChoice } from "./tools/toolsets";

/** The grant's choice, or the server's default for a grant that made none. */
export function grantToolsets(props: Pick<GrantProps, "toolsets">, config: Pick<Config, "defaultToolsets">): ToolsetChoice {
  return storedToolsetChoice(props.toolsets) ?? config.defaultToolsets;
}

/** `?toolsets=` of a request URL: undefined when absent (no narrowing), a 400 JSON-RPC error when it names unknown sets. */
export function urlToolsets(url: URL): { ok: true; narrowedBy: ToolsetChoice } | { ok: false; response: Response } {
  const raw = url.searchParams.get("toolsets");
  if (raw === null) return { ok: true, narrowedBy: undefined };
  const parsed = parseToolsetChoice(raw);
  if (parsed.ok) return { ok: true, narrowedBy: parsed.choice };
  const message = `Unknown toolset${parsed.unknown.length === 1 ? "" : "s"} in ?toolsets=: ${parsed.unknown.join(", ") || "(none given)"}. Use a comma-separated list of ${TOOLSET_CHOICE_NAMES.join(", ")}.`;
  return {
    ok: false,
    response: Response.json({ jsonrpc: "2.0", id: null, error: { code: -32602, message } }, { status: 400, headers: { "Cache-Control": "no-store" } }),
  };
}

/**
 * The answer to a call of a tool this connection does not list: which toolset has it and how to
 * get it (the URL, when only the URL left it out; otherwise a new consent), and the catalogue tool
 * that reaches its operation meanwhile.
 */
export function notAvailable(tool: ToolDefinition, grantChoice: ToolsetChoice): ToolResult {
  const set = tool.toolset;
  const grantLists = selectTools([tool], { toolsets: grantChoice }).length > 0;
  const how = grantLists
    ? `This connection's URL narrows its toolsets: add ${set} to ?toolsets= in the server URL your client uses (e.g. /mcp?toolsets=data,${set}), or remove ?toolsets= to list every toolset the connection was approved for.`
    : `This connection was approved without it: reconnect the server in your client (or revoke the app on /apps and connect again) and tick "${TOOLSET_LABELS[set]}" on the consent page. ?toolsets= in the URL can only narrow what was approved.`;
  const meanwhile = tool.operations.length > 0 ? ` Meanwhile xano_call_operation can run its operation (${tool.operations[0]}) by id.` : "";
  return failure(tool.name, {
    code: "TOOL_NOT_AVAILABLE",
    message: `${tool.name} is not available on this connection: it is in the "${set}" toolset (${TOOLSET_LABELS[set]}), which this connection does not list. ${how}${meanwhile}`,
    details: { toolset: set, enable: grantLists ? "url" : "reconnect" },
  });
}
