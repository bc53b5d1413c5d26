/**
 * The legacy HTTP+SSE transport (/sse), kept because people configured the original server's
 * `/sse` URL (mcp-remote, Claude Desktop through it). It is a thin layer over the MCP door (server.ts):
 *
 *   GET  /sse                          opens an event stream; the server issues a fresh session id
 *                                      and announces `/sse/message?sessionId=<id>` (event: endpoint)
 *   POST /sse/message?sessionId=<id>   one JSON-RPC message (or batch): served by the MCP door
 *                                      with THIS request's grant; the answer goes on the stream; 202
 *   POST|DELETE /sse                   a Streamable-HTTP client given the /sse URL: served as /mcp
 *
 * Security (issue: a client-chosen session id let one person's session run on another's
 * credential):
 * - Session ids are issued by the server, never taken from the client: 24 random bytes plus a tag
 *   bound to the (user, grant) that opened the stream.
 * - A message is accepted only when its id has the tag of the POSTing request's own grant AND the
 *   session object confirms that grant opened it; anything else gets 404 before anything runs.
 * - Tools run in the Worker, with the posting request's grant (the MCP door), never with anything
 *   the session object holds. The session object holds only, in memory, the open stream and the
 *   owner's hash; it writes nothing to storage, and it is gone when the stream ends (noticed at
 *   its next write: an answer or the keep-alive comment every 15 s).
 */
import { DurableObject } from "cloudflare:workers";
import { grantIdOf } from "../oauth/token-format";
import { base64Url, sha256, sha256Hex } from "../lib/secrets";
import type { McpCaller } from "./context";

/** The MCP door (server.ts): its checks are the session door's too. */
export interface McpDoor {
  /** Origin, the caller from the grant the library validated (noted on the log line), the operator's lists; or the refusal. */
  enter(request: Request, env: Env, ctx: ExecutionContext): Promise<{ refused: Response } | { caller: McpCaller }>;
  /** One Streamable HTTP request of an entered caller: body, scope, rate limit, tools. */
  serve(request: Request, env: Env, ctx: ExecutionContext, caller: McpCaller): Promise<Response>;
}

/** Run before a stream opens: a response refuses it (the grant's credential is dead). */
type BeforeOpen = (env: Env, caller: McpCaller) => Promise<Response | null>;

type SessionNamespace = DurableObjectNamespace<LegacySseSession>;

const NONCE_BYTES = 24; // 32 base64url characters
const TAG_CHARS = 16; // 96 bits of the grant binding
const SESSION_ID = /^[A-Za-z0-9_-]{48}$/;
const MESSAGE_PATH = "/sse/message";
const OWNER_HEADER = "X-Session-Owner";
const ENDPOINT_HEADER = "X-Session-Endpoint";
const TOOLSETS_PARAM = "toolsets";

/** Who may use a session: a hash of the user and grant (or personal token) ids (no secret; nothing derivable from it). */
async function ownerOf({ auth, props }: McpCaller): Promise<string> {
  return sha256Hex(`${auth.userId}\n${grantIdOf(auth.token) ?? props.personalTokenId ?? ""}`);
}

async function tagFor(nonce: string, owner: string): Promise<string> {
  return base64Url(await sha256(`legacy-sse\n${nonce}\n${owner}`)).slice(0, TAG_CHARS);
}

async function newSessionId(owner: string): Promise<string> {
  const nonce = base64Url(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
  return nonce + (await tagFor(nonce, owner));
}

/** Whether `id` is a well-formed session id issued to `owner` (checked without any storage). */
async function issuedTo(id: string, owner: string): Promise<boolean> {
  if (!SESSION_ID.test(id)) return false;
  const nonce = id.slice(0, id.length - TAG_CHARS);
  return id.slice(-TAG_CHARS) === (await tagFor(nonce, owner));
}

export function createLegacySseHandler(door: McpDoor, beforeOpen: BeforeOpen) {
  return {
    async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
      // Before anything else, as on /mcp: a foreign Origin learns nothing, not even whether a session exists.
      const entered = await door.enter(request, env, ctx);
      if ("refused" in entered) return entered.refused;
      const { caller } = entered;
      const url = new URL(request.url);
      if (url.pathname === "/sse") {
        if (request.method === "GET") return openSession(request, env, caller, beforeOpen);
        return door.serve(asMcpRequest(request, request.body), env, ctx, caller);
      }
      if (url.pathname !== MESSAGE_PATH) return new Response("Not Found", { status: 404 });
      if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
      return postMessage(request, env, ctx, door, caller, url.searchParams.get("sessionId") ?? "");
    },
  };
}

async function openSession(request: Request, env: Env, caller: McpCaller, beforeOpen: BeforeOpen): Promise<Response> {
  const refused = await beforeOpen(env, caller);
  if (refused) return refused;
  const owner = await ownerOf(caller);
  // Any sessionId in the URL is ignored: a session id someone else chose (and may be posting to)
  // must never become this person's session.
  const id = await newSessionId(owner);
  const sessions = (env as unknown as { MCP_SSE: SessionNamespace }).MCP_SSE;
  const stub = sessions.get(sessions.idFromName(id));
  // `GET /sse?toolsets=…` narrows the session's tools: the client posts every message to the
  // endpoint announced here, so the choice rides along on it (and only narrows the grant's).
  const endpoint = new URLSearchParams({ sessionId: id });
  const toolsets = new URL(request.url).searchParams.get(TOOLSETS_PARAM);
  if (toolsets !== null) endpoint.set(TOOLSETS_PARAM, toolsets);
  return stub.fetch("https://session/open", {
    headers: { [OWNER_HEADER]: owner, [ENDPOINT_HEADER]: `${MESSAGE_PATH}?${endpoint}` },
    signal: request.signal,
  });
}

async function postMessage(request: Request, env: Env, ctx: ExecutionContext, door: McpDoor, caller: McpCaller, id: string): Promise<Response> {
  const owner = await ownerOf(caller);
  if (!(await issuedTo(id, owner))) return sessionNotFound();
  const sessions = (env as unknown as { MCP_SSE: SessionNamespace }).MCP_SSE;
  const stub = sessions.get(sessions.idFromName(id));
  if (!(await stub.isOpenFor(owner))) return sessionNotFound();

  // The door serves it as it serves /mcp (body size, scope, rate limit, dead credential), running
  // the tools with this request's grant; the Origin was checked on entering.
  const answer = await door.serve(asMcpRequest(request, request.body), env, ctx, caller);
  if (answer.status === 202) return accepted();
  if (answer.status !== 200) return answer;
  const messages = await jsonRpcMessagesIn(answer);
  if (!(await stub.deliver(owner, messages))) return sessionNotFound();
  return accepted();
}

/** The same request, addressed to the door as a Streamable HTTP POST to /mcp (JSON or event stream back). */
function asMcpRequest(request: Request, body: ReadableStream | null): Request {
  const url = new URL(request.url);
  const toolsets = url.searchParams.get(TOOLSETS_PARAM);
  url.pathname = "/mcp";
  // Everything else in the query (the session id) is ours, not the door's.
  url.search = toolsets === null ? "" : new URLSearchParams({ [TOOLSETS_PARAM]: toolsets }).toString();
  const headers = new Headers(request.headers);
  if (request.method === "POST") {
    headers.set("Content-Type", "application/json");
    headers.set("Accept", "application/json, text/event-stream");
  }
  return new Request(url, { method: request.method, headers, body, signal: request.signal });
}

/** The JSON-RPC messages of a /mcp answer, whether it came as JSON or as an event stream. */
async function jsonRpcMessagesIn(response: Response): Promise<string[]> {
  const text = await response.text();
  const values: unknown[] = [];
  if ((response.headers.get("Content-Type") ?? "").includes("text/event-stream")) {
    for (const block of text.split(/\r?\n\r?\n/)) {
      const data = block.split(/\r?\n/).filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trimStart()).join("\n");
      if (data) values.push(JSON.parse(data));
    }
  } else if (text.trim()) {
    values.push(JSON.parse(text));
  }
  // One event per message: legacy clients parse each event as a single JSON-RPC message.
  return values.flatMap((value) => (Array.isArray(value) ? value : [value])).map((message) => JSON.stringify(message));
}

function accepted(): Response {
  return new Response("Accepted", { status: 202, headers: { "Cache-Control": "no-store" } });
}

function sessionNotFound(): Response {
  return Response.json(
    { jsonrpc: "2.0", error: { code: -32001, message: "Session not found: open a new one with GET /sse" }, id: null },
    { status: 404, headers: { "Cache-Control": "no-store" } },
  );
}

// Keeps proxies from closing an idle stream, and lets the object notice a client that has gone
// (a write to a closed stream fails and ends the session).
const KEEP_ALIVE_MS = 15_000;

/**
 * One legacy SSE session: the open event stream and who may post to it, in memory only. Reached
 * only through the Worker (createLegacySseHandler); nothing is ever written to its storage.
 */
export class LegacySseSession extends DurableObject<Env> {
  private open: { owner: string; controller: ReadableStreamDefaultController<Uint8Array>; keepAlive: ReturnType<typeof setInterval> } | null = null;
  private readonly encoder = new TextEncoder();

  async fetch(request: Request): Promise<Response> {
    const owner = request.headers.get(OWNER_HEADER);
    const endpoint = request.headers.get(ENDPOINT_HEADER);
    if (!owner || !endpoint || this.open) return new Response("Conflict", { status: 409 });
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.open = { owner, controller, keepAlive: setInterval(() => this.send(": keep-alive\n\n"), KEEP_ALIVE_MS) };
        this.send(`event: endpoint\ndata: ${endpoint}\n\n`);
      },
      cancel: () => this.close(),
    });
    return new Response(body, {
      headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-store, no-transform", "X-Accel-Buffering": "no" },
    });
  }

  async isOpenFor(owner: string): Promise<boolean> {
    return this.open?.owner === owner;
  }

  /** Puts each message on the stream as one `message` event; false when the stream is gone. */
  async deliver(owner: string, messages: string[]): Promise<boolean> {
    if (this.open?.owner !== owner) return false;
    for (const message of messages) if (!this.send(`event: message\ndata: ${message}\n\n`)) return false;
    return true;
  }

  private send(text: string): boolean {
    if (!this.open) return false;
    try {
      this.open.controller.enqueue(this.encoder.encode(text));
      return true;
    } catch {
      this.close();
      return false;
    }
  }

  private close(): void {
    if (!this.open) return;
    clearInterval(this.open.keepAlive);
    this.open = null;
  }
}
