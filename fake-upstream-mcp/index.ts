/**
 * The fake upstream MCP server: an MCP server built with the official SDK (v2, Web-standard
 * Streamable HTTP, stateless), as a `(Request) => Promise<Response>` handler, so the same code runs
 * under msw in the worker tests and as a local Node server (`serve.ts`, `npm run dev`). See README.md.
 *
 *   <origin>/mcp          needs `Authorization: Bearer <token>` that `authorize` accepts (auth "bearer";
 *                         in OAuth mode, oauth-mode.ts, a token its authorization server issued)
 *   <origin>/public/mcp   anyone (auth "none")
 *
 * Every JSON-RPC request it receives is recorded with the token it carried, so tests prove two
 * people's credentials never cross. Knobs make it answer 401, 429 (with Retry-After) or 500, or slowly.
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/server";
import { buildServer, newDesk, type Desk } from "./tools";
import { demoTokens, type Authorize, type DemoUser } from "./users";

export { ALICE_UPSTREAM_TOKEN, BOB_UPSTREAM_TOKEN, DEMO_USERS, type Authorize, type DemoUser } from "./users";

export interface RecordedCall {
  path: string;
  /** The JSON-RPC method (`initialize`, `tools/list`, `tools/call`, …). */
  method: string;
  /** For tools/call: the tool's name. */
  tool: string | null;
  /** The bearer token the request carried, or null. */
  token: string | null;
  /** Whom the token stood for, or null. */
  user: string | null;
}

export interface FakeUpstreamKnobs {
  /** Answer with this status instead of serving (only for the methods listed, if given). */
  fail: { status: 401 | 429 | 500 | 503; retryAfter?: number; methods?: string[] } | null;
  /** Wait this long before answering. */
  delayMs: number;
  /** Answer requests as an SSE stream (a notification first, then the response) instead of one JSON body. */
  sse: boolean;
}

export interface FakeUpstream {
  fetch(request: Request): Promise<Response>;
  calls: RecordedCall[];
  knobs: FakeUpstreamKnobs;
  desk: Desk;
  reset(): void;
}

export interface FakeUpstreamOptions {
  /** The token check (default: the demo tokens of users.ts); the OAuth mode plugs its tokens in here. */
  authorize?: Authorize;
  /** The 401 without an accepted token (default: `Bearer error="invalid_token"`); the OAuth mode points at its authorization server. */
  challenge?: () => Response;
}

export function createFakeUpstream({ authorize = demoTokens, challenge }: FakeUpstreamOptions = {}): FakeUpstream {
  const fake: FakeUpstream = {
    calls: [],
    knobs: { fail: null, delayMs: 0, sse: false },
    desk: newDesk(),
    reset() {
      fake.calls = [];
      fake.knobs = { fail: null, delayMs: 0, sse: false };
      fake.desk = newDesk();
    },
    async fetch(request) {
      const url = new URL(request.url);
      const open = url.pathname === "/public/mcp";
      if (!open && url.pathname !== "/mcp") return new Response("Not found", { status: 404 });
      if (fake.knobs.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.knobs.delayMs));
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get("Authorization") ?? "")?.[1] ?? null;
      const user: DemoUser | null = token ? await authorize(token) : null;
      const body = request.method === "POST" ? await request.text() : null;
      const methods = record(fake, url.pathname, body, token, user);
      const fail = fake.knobs.fail;
      if (fail && (!fail.methods || methods.some((m) => fail.methods!.includes(m)))) {
        const headers = new Headers({ "Content-Type": "application/json" });
        if (fail.retryAfter !== undefined) headers.set("Retry-After", String(fail.retryAfter));
        if (fail.status === 401) headers.set("WWW-Authenticate", `Bearer error="invalid_token"`);
        return new Response(JSON.stringify({ error: `fake upstream answers ${fail.status}` }), { status: fail.status, headers });
      }
      if (!open && !user) {
        if (challenge) return challenge();
        return new Response(JSON.stringify({ error: "invalid_token" }), { status: 401, headers: { "Content-Type": "application/json", "WWW-Authenticate": `Bearer error="invalid_token"` } });
      }
      const server = buildServer(fake.desk, user, { notifyFirst: fake.knobs.sse, token });
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: !fake.knobs.sse });
      await server.connect(transport);
      return transport.handleRequest(new Request(request.url, { method: request.method, headers: request.headers, body }));
    },
  };
  return fake;
}

/** Notes each JSON-RPC message of the body (a batch has several); returns their methods. */
function record(fake: FakeUpstream, path: string, body: string | null, token: string | null, user: DemoUser | null): string[] {
  let parsed: unknown = null;
  try {
    parsed = body ? JSON.parse(body) : null;
  } catch {}
  const messages = (Array.isArray(parsed) ? parsed : [parsed]).filter((m): m is { method: string; params?: { name?: unknown } } => typeof m?.method === "string");
  for (const m of messages) {
    fake.calls.push({ path, method: m.method, tool: m.method === "tools/call" && typeof m.params?.name === "string" ? m.params.name : null, token, user: user?.id ?? null });
  }
  return messages.map((m) => m.method);
}
