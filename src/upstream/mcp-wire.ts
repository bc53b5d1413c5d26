/**
 * The client side of MCP's Streamable HTTP transport, as much as the upstream door needs: POST one
 * JSON-RPC message, read the answer whether it comes as JSON or as an SSE stream (stopping at the
 * response to our id, and ignoring the server's notifications and requests on the way), with the
 * session id and protocol version headers of the 2025-era revisions.
 *
 * Written here rather than taking the SDK's client: the SDK v1 Client (with its JSON Schema
 * validator) added about 120 KiB gzip to the Worker, a third of it, for four methods.
 * Bodies are read with a cap (lib/bounded-body.ts); HTTP failures are the caller's to classify.
 */
import { readBounded } from "../lib/bounded-body";

/** The most read from one upstream answer. */
export const MAX_UPSTREAM_ANSWER_BYTES = 8 * 1024 * 1024;
/** What we ask for at initialize; the upstream answers with the revision it speaks. */
export const UPSTREAM_PROTOCOL_VERSION = "2025-11-25";

export type Send = (url: string, init: RequestInit) => Promise<Response>;

/** A JSON-RPC error the upstream answered (passed back to our client with its code and data). */
export class UpstreamRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "UpstreamRpcError";
  }
}

/** The upstream's answer could not be read as MCP (too large, not JSON, no response to our id). */
export class UpstreamProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UpstreamProtocolError";
  }
}

export interface Session {
  sessionId: string | null;
  protocolVersion: string | null;
}

interface JsonRpcMessage {
  jsonrpc?: string;
  id?: string | number | null;
  method?: string;
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown };
}

function headersFor(session: Session): Headers {
  const headers = new Headers({ "Content-Type": "application/json", Accept: "application/json, text/event-stream" });
  if (session.sessionId) headers.set("Mcp-Session-Id", session.sessionId);
  if (session.protocolVersion) headers.set("MCP-Protocol-Version", session.protocolVersion);
  return headers;
}

/** A notification: POSTed, its answer (202) discarded. */
export async function notify(send: Send, url: string, session: Session, method: string): Promise<void> {
  const response = await send(url, { method: "POST", headers: headersFor(session), body: JSON.stringify({ jsonrpc: "2.0", method }) });
  await response.body?.cancel();
}

/** A request: its result, or an UpstreamRpcError. `onResponse` sees the HTTP response first (session id). */
export async function request(send: Send, url: string, session: Session, id: number, method: string, params: unknown, onResponse?: (response: Response) => void): Promise<unknown> {
  const response = await send(url, { method: "POST", headers: headersFor(session), body: JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) }) });
  onResponse?.(response);
  if (!response.ok) {
    await response.body?.cancel();
    throw new UpstreamProtocolError(`the upstream MCP server answered HTTP ${response.status} to ${method}`);
  }
  const type = (response.headers.get("Content-Type") ?? "").toLowerCase();
  const answer = type.includes("text/event-stream") ? await responseInStream(response, id) : responseIn(await readJson(response), id);
  if (!answer) throw new UpstreamProtocolError(`the upstream MCP server sent no response to ${method}`);
  if (answer.error) {
    const code = typeof answer.error.code === "number" ? answer.error.code : -32603;
    throw new UpstreamRpcError(code, typeof answer.error.message === "string" ? answer.error.message : "Upstream error", answer.error.data);
  }
  return answer.result;
}

async function readJson(response: Response): Promise<unknown> {
  const read = await readBounded(response, MAX_UPSTREAM_ANSWER_BYTES);
  if (!read.ok) throw new UpstreamProtocolError("the upstream MCP server's answer was too large to read");
  try {
    return JSON.parse(new TextDecoder().decode(read.bytes));
  } catch {
    throw new UpstreamProtocolError("the upstream MCP server's answer was not JSON");
  }
}

function responseIn(value: unknown, id: number): JsonRpcMessage | null {
  const messages = (Array.isArray(value) ? value : [value]) as JsonRpcMessage[];
  return messages.find((m) => typeof m === "object" && m !== null && m.id === id && m.method === undefined && ("result" in m || "error" in m)) ?? null;
}

/** Reads SSE events until the one carrying our response; the stream is then cancelled. */
async function responseInStream(response: Response, id: number): Promise<JsonRpcMessage | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value) {
        total += value.byteLength;
        if (total > MAX_UPSTREAM_ANSWER_BYTES) throw new UpstreamProtocolError("the upstream MCP server's answer was too large to read");
        buffer += decoder.decode(value, { stream: true });
      }
      const events = buffer.split(/\r?\n\r?\n/);
      buffer = done ? "" : (events.pop() ?? "");
      for (const event of events) {
        const data = event
          .split(/\r?\n/)
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).replace(/^ /, ""))
          .join("\n");
        if (!data) continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(data);
        } catch {
          continue;
        }
        const found = responseIn(parsed, id);
        if (found) return found;
      }
      if (done) return null;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
