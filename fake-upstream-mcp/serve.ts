// The fake upstream MCP server as a local dev server (Node, run with tsx): `npm run fake-upstream-mcp`,
// and started by `npm run dev` beside fake-xano. Loopback only.
//   http://127.0.0.1:PORT/mcp          bearer (PORT = FAKE_UPSTREAM_PORT, default 8791)
//   http://127.0.0.1:PORT/public/mcp   no token
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { ALICE_UPSTREAM_TOKEN, BOB_UPSTREAM_TOKEN, createFakeUpstream, type FakeUpstream, type FakeUpstreamOptions } from "./index";

export interface FakeUpstreamServer {
  fake: FakeUpstream;
  origin: string;
  close(): Promise<void>;
}

export async function startFakeUpstreamServer({ port = 8791, ...options }: FakeUpstreamOptions & { port?: number } = {}): Promise<FakeUpstreamServer> {
  const fake = createFakeUpstream(options);
  const { server, origin } = await new Promise<{ server: ServerType; origin: string }>((resolve, reject) => {
    const server = serve({ hostname: "127.0.0.1", port, fetch: (request: Request) => fake.fetch(request) }, (info: AddressInfo) => resolve({ server, origin: `http://127.0.0.1:${info.port}` }));
    server.once("error", reject);
  });
  return { fake, origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = await startFakeUpstreamServer({ port: Number(process.env.FAKE_UPSTREAM_PORT ?? 8791) });
  console.log(`fake upstream MCP server: ${started.origin}/mcp (bearer) and ${started.origin}/public/mcp (no token)`);
  console.log(`  demo tokens: alice ${ALICE_UPSTREAM_TOKEN}, bob ${BOB_UPSTREAM_TOKEN}`);
}
