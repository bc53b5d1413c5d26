/**
 * What the door checks and the log need to know about a POSTed JSON-RPC body (one message or a
 * batch), read from one parse: the scope check, the tool-call count, the request log line and the
 * choice of tools to register all use this instead of parsing the body again.
 */
export interface JsonRpcBody {
  /** Whether the text is JSON at all (the MCP handler answers the parse error itself). */
  parsed: boolean;
  /** Each message's method, "response" for a message without one. */
  methods: string[];
  /** The tool each tools/call names ("" when it names none), in order. */
  toolCalls: string[];
  /** The first message's id, for an error answered on the whole body's behalf. */
  firstId: string | number | null;
  /** The parsed JSON itself, handed to the MCP handler so that it does not read and parse the body again. */
  value?: unknown;
}

export function summariseJsonRpc(text: string): JsonRpcBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { parsed: false, methods: [], toolCalls: [], firstId: null };
  }
  const messages = (Array.isArray(value) ? value : [value]).filter((m): m is Record<string, unknown> => typeof m === "object" && m !== null);
  const methods = messages.map((m) => (typeof m.method === "string" ? m.method : "response"));
  const toolCalls = messages
    .filter((m) => m.method === "tools/call")
    .map((m) => (m.params as { name?: unknown } | undefined)?.name)
    .map((name) => (typeof name === "string" ? name : ""));
  const id = messages[0]?.id;
  return { parsed: true, methods, toolCalls, firstId: typeof id === "string" || typeof id === "number" ? id : null, value };
}

/** When every message is a tools/call: the tools called (the only ones the request needs). */
export function onlyToolCalls(body: JsonRpcBody): string[] | undefined {
  return body.methods.length > 0 && body.methods.every((method) => method === "tools/call") ? body.toolCalls : undefined;
}

/** The JSON-RPC method(s) and, for tools/call, the tool name(s) of an MCP POST, for its log line. */
export function describeMcpMessage(body: JsonRpcBody | null): { rpc?: string; tool?: string } {
  if (!body) return {};
  if (!body.parsed) return { rpc: "unparsable" };
  return { rpc: [...new Set(body.methods)].join(","), tool: body.toolCalls.length ? [...new Set(body.toolCalls)].join(",") : undefined };
}
