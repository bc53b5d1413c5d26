// The fake upstream MCP server as a local dev server (Node, run with tsx): `npm run fake-upstream-mcp`,
// and started by `npm run dev` beside fake-xano. Loopback only.
//   http://127.0.0.1:PORT/mcp            bearer (PORT = FAKE_UPSTREAM_PORT, default 8791)
//   http://127.0.0.1:PORT/public/mcp     no token
//   http://127.0.0.1:PORT+1/mcp          OAuth mode (oauth-mode.ts): its own authorization server on
//                                        the same origin (/authorize picks a demo user; /__admin/* knobs)
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { ALICE_UPSTREAM_TOKEN, BOB_UPSTREAM_TOKEN, createFakeUpstream, type FakeUpstream, type FakeUpstreamOptions } from "./index";
import { createFakeOAuthUpstream, type FakeOAuthUpstream } from "./oauth-mode";

export interface FakeUpstreamServer {
  fake: FakeUpstream;
  origin: string;
  close(): Promise<void>;
}

/** Listens on loopback `port` (0: any free one) with `handler`, which gets the origin once it is known. */
async function listen(port: number, handler: (origin: string) => (request: Request) => Promise<Response>): Promise<{ origin: string; close(): Promise<void> }> {
  let handle: ((request: Request) => Promise<Response>) | null = null;
  const { server, origin } = await new Promise<{ server: ServerType; origin: string }>((resolve, reject) => {
    const server = serve({ hostname: "127.0.0.1", port, fetch: (request: Request) => (handle ? handle(request) : new Response("starting", { status: 503 })) }, (info: AddressInfo) =>
      resolve({ server, origin: `http://127.0.0.1:${info.port}` }),
    );
    server.once("error", reject);
  });
  handle = handler(origin);
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function startFakeUpstreamServer({ port = 8791, ...options }: FakeUpstreamOptions & { port?: number } = {}): Promise<FakeUpstreamServer> {
  const fake = createFakeUpstream(options);
  const { origin, close } = await listen(port, () => (request) => fake.fetch(request));
  return { fake, origin, close };
}

/** The OAuth mode on its own origin: the MCP server at /mcp and its authorization server beside it. */
export async function startFakeOAuthUpstreamServer({ port = 8792 }: { port?: number } = {}): Promise<{ fake: FakeOAuthUpstream; origin: string; close(): Promise<void> }> {
  let fake!: FakeOAuthUpstream;
  const { origin, close } = await listen(port, (origin) => {
    fake = createFakeOAuthUpstream({ mcpOrigin: origin });
    return (request) => fake.fetch(request);
  });
  return { fake, origin, close };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const port = Number(process.env.FAKE_UPSTREAM_PORT ?? 8791);
  const started = await startFakeUpstreamServer({ port });
  const oauth = await startFakeOAuthUpstreamServer({ port: Number(process.env.FAKE_UPSTREAM_OAUTH_PORT ?? port + 1) });
  console.log(`fake upstream MCP server: ${started.origin}/mcp (bearer) and ${started.origin}/public/mcp (no token)`);
  console.log(`  demo tokens: alice ${ALICE_UPSTREAM_TOKEN}, bob ${BOB_UPSTREAM_TOKEN}`);
  console.log(`fake upstream MCP server with its own OAuth: ${oauth.origin}/mcp (sign in as alice or bob on its page; knobs at ${oauth.origin}/__admin/…)`);
}
